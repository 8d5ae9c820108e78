"""Browser fixtures: a live clusterwatch server on 127.0.0.1 in a thread, Debian's chromium.

Playwright cannot download browsers here, so pytest-playwright's `browser_type_launch_args` is
pointed at /usr/bin/chromium (with --no-sandbox: CI runs as root). The server is werkzeug's, on a
free port, over a SQLite database built once per module with tests.web_builders. Screenshots go to
test-artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.migrate import upgrade
from tests.conftest import FIXED_NOW
from tests.web_builders import HOSTILE_TITLE, add_curator, build_world, make_app

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CURATOR, PASSWORD = "ana", "correct horse battery"
LAPTOP = {"width": 1366, "height": 768}


@dataclass(frozen=True)
class LiveServer:
    url: str
    sessions: sessionmaker[Session]
    db_url: str  # for the CLI, which opens the same database from outside the server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.path.exists(CHROMIUM):
        # On a developer's machine the browser tests wait for chromium; CI must run them.
        missing = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": LAPTOP}


@pytest.fixture(scope="module")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server over its own database; a test module may set NEWS_TITLE (default: hostile)."""
    title = getattr(request.module, "NEWS_TITLE", HOSTILE_TITLE)
    db_url = f"sqlite:///{tmp_path_factory.mktemp('e2e')}/cw.sqlite3"
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = session_factory(engine)
    build_world(sessions, FIXED_NOW, clusters=40, runs=120, news_title=title)
    add_curator(sessions, CURATOR, PASSWORD, FIXED_NOW)
    server = make_server("127.0.0.1", 0, make_app(sessions, FIXED_NOW, csrf=True), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", sessions, db_url)
    server.shutdown()
    thread.join()
    engine.dispose()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
