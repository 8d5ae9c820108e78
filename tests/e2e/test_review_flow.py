"""End to end in headless Chromium: log in, review a flag, hostile markup, CSRF, keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from clusterwatch.db.models import Flag
from tests.e2e.conftest import CURATOR, PASSWORD, LiveServer
from tests.web_builders import HOSTILE_TITLE

pytestmark = pytest.mark.browser


def log_in(page: Page, server: LiveServer, target: str = "/") -> None:
    page.goto(server.url + target)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Name").fill(CURATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {CURATOR}")).to_be_visible()


def test_dismiss_a_flag_with_a_note(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "/queue")
    expect(page.get_by_role("heading", name=re.compile("Review queue"))).to_be_visible()
    first = page.locator("li.flag").first
    flag_id = int((first.get_attribute("id") or "").removeprefix("flag-"))
    first.get_by_label(f"Note on flag {flag_id}").fill("redesign, same organisation")
    first.get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text(f"Flag {flag_id} dismissed.")).to_be_visible()
    expect(page.locator(f"#flag-{flag_id}")).to_have_count(0)
    with live_server.sessions() as session:
        flag = session.get(Flag, flag_id)
        assert flag is not None
        assert (flag.state, flag.reviewer, flag.note) == (
            "dismissed",
            CURATOR,
            "redesign, same organisation",
        )


def test_keyboard_reaches_the_skip_link_first(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_crawled_markup_appears_as_text(page: Page, live_server: LiveServer) -> None:
    dialogs: list[Dialog] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    log_in(page, live_server, "/clusters/c0000")
    evidence = page.locator("#status q").filter(has_text="<script>")
    expect(evidence).to_have_text(HOSTILE_TITLE)
    expect(page.locator("main script")).to_have_count(0)
    expect(page.locator("main img")).to_have_count(0)
    page.goto(live_server.url + "/queue")
    expect(page.locator("li.flag q").first).to_have_text(HOSTILE_TITLE)
    expect(page.locator("main img")).to_have_count(0)
    assert dialogs == []


def test_post_without_csrf_token_is_refused(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server)
    response = page.request.post(live_server.url + "/clusters/c0001/notes", form={"text": "forged"})
    assert response.status == 400
    assert "The form was refused" in response.text()
    page.goto(live_server.url + "/clusters/c0001")
    expect(page.get_by_text("forged")).to_have_count(0)
