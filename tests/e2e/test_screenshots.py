"""Screenshots of every page at laptop size (1366x768), saved under test-artifacts/screenshots/.

Full-page and viewport-only shots; docs/screenshots/ holds copies of the overview, queue and
cluster ones for the README. The data has an ordinary news title here (the hostile one is in
test_review_flow.py), so the pictures show what curators normally see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import CURATOR, PASSWORD, LiveServer

pytestmark = pytest.mark.browser

NEWS_TITLE = "Joint seminar with a Bavarian medical-technology cluster"
PAGES = {
    "overview": "/",
    "queue": "/queue",
    "cluster": "/clusters/c0003",
    "runs": "/runs",
    "export": "/export",
    "page-diff": "/clusters/c0000/page?url=https://cluster0.example.jp/",
}


def test_screenshots_of_every_page(
    page: Page, live_server: LiveServer, screenshot_dir: Path
) -> None:
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile("/login"))
    page.screenshot(path=screenshot_dir / "login.png")
    page.get_by_label("Name").fill(CURATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        expect(page.locator("main h1")).to_be_visible()
        page.screenshot(path=screenshot_dir / f"{name}.png", full_page=True)
        page.screenshot(path=screenshot_dir / f"{name}-laptop.png")
        assert (screenshot_dir / f"{name}.png").stat().st_size > 10_000
