"""Each role walked through in headless Chromium against the live server (issue 11, Done when).

A curator confirms a `moved` flag and undoes it; adds, edits, retires and restores a cluster;
dismisses two ticked flags at once; changes their password, which logs out a copied session
cookie. A viewer sees the same pages without one form that changes something, and the server
refuses a POST forged with a valid CSRF token. A seeds export imported back through the CLI
changes nothing, not even the trail. The cluster page's audit trail is read after every step.
This module has its own live server (conftest.live_server is per module), so the accounts and
flags added here reach no other e2e module.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from sqlalchemy import select

from clusterwatch.db.models import AuditEvent, Cluster, Flag
from clusterwatch.db.store.users import Role, add_user
from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.registry import edit_cluster
from tests.conftest import FIXED_NOW
from tests.e2e.conftest import CURATOR, LAPTOP, PASSWORD, LiveServer
from tests.web_builders import CHEAP_HASHER

pytestmark = pytest.mark.browser

NEWS_TITLE = "Members' seminar on EU cooperation"  # the hostile title is test_review_flow's
VIEWER, SECOND_CURATOR, NEW_PASSWORD = "vera", "bo", "a brand new passphrase"
MOVED, OLD_HOME, NEW_HOME = "c0007", "https://cluster7.example.jp/", "https://cluster7.example.com/"
REVIEWED = "c0001"  # holds a dismissed flag: a curator could undo its review, a viewer cannot
ADDED = "kitakyushu-robots"
ANCIENT = FIXED_NOW - timedelta(days=1000)  # the flags added here head the queue (oldest first)


@dataclass(frozen=True)
class Extras:
    moved_flag: int
    bulk_flags: tuple[int, int]


def _flag(cluster_id: str, kind: str, url: str, text: str, state: str = "open") -> Flag:
    key = hashlib.sha256(f"e2e:{cluster_id}:{kind}:{url}".encode()).hexdigest()
    evidence = [{"url": url, "text": text, "date": "2026-11-24"}]
    flag = Flag(cluster_id=cluster_id, kind=kind, state=state, created_at=ANCIENT)
    flag.evidence, flag.evidence_key = evidence, key
    if state != "open":
        flag.reviewer, flag.reviewed_at = CURATOR, FIXED_NOW
    return flag


@pytest.fixture(scope="module")
def extras(live_server: LiveServer) -> Extras:
    """A viewer, a second curator, a `moved` flag naming a new host and two flags to bulk-dismiss."""
    with live_server.sessions.begin() as session:
        add_user(session, VIEWER, CHEAP_HASHER.hash(PASSWORD), FIXED_NOW, Role.VIEWER)
        add_user(session, SECOND_CURATOR, CHEAP_HASHER.hash(PASSWORD), FIXED_NOW, Role.CURATOR)
        moved = _flag(MOVED, "moved", NEW_HOME, f"{OLD_HOME} redirects to {NEW_HOME}")
        bulk = [
            _flag(f"c00{n}", "became_dormant", f"https://cluster{n}.example.jp/", "no news")
            for n in (10, 11)
        ]
        done = _flag(
            REVIEWED, "became_dormant", "https://cluster1.example.jp/", "quiet", "dismissed"
        )
        session.add_all([moved, *bulk, done])
        session.flush()
        return Extras(moved.id, (bulk[0].id, bulk[1].id))


def log_in(page: Page, server: LiveServer, name: str, target: str = "/") -> None:
    page.goto(server.url + target)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {name}")).to_be_visible()


def trail_row(page: Page, action: str) -> Locator:
    """The trail's row whose "What" column names `action` (a note may mention another one)."""
    what = page.locator("td:nth-child(3)", has_text=re.compile(f"^{action} "))
    return page.locator("#trail tbody tr", has=what)


def stored_cluster(server: LiveServer, cluster_id: str) -> Cluster:
    with server.sessions() as session:
        found = session.get(Cluster, cluster_id)
        assert found is not None
        return found


def test_a_curator_accepts_a_move_and_undoes_it(
    page: Page, live_server: LiveServer, extras: Extras
) -> None:
    flag_id = extras.moved_flag
    log_in(page, live_server, CURATOR, "/queue")
    item = page.locator(f"#flag-{flag_id}")
    expect(item).to_contain_text(NEW_HOME)
    item.get_by_label(f"Note on flag {flag_id}").fill("new domain, same organisation")
    item.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_text(f"Flag {flag_id} confirmed.")).to_be_visible()

    page.goto(f"{live_server.url}/clusters/{MOVED}")
    registry = page.locator("#registry")
    expect(registry).to_contain_text(f"Crawled every night from {NEW_HOME}")
    expect(registry).not_to_contain_text(OLD_HOME)
    expect(trail_row(page, "move accepted")).to_contain_text(NEW_HOME)
    expect(trail_row(page, "move accepted")).to_contain_text(OLD_HOME)  # the old URL, kept
    expect(trail_row(page, "flag confirmed")).to_contain_text("new domain, same organisation")
    assert stored_cluster(live_server, MOVED).urls == [NEW_HOME]

    page.locator("#flags").get_by_role("button", name=f"Undo the review of flag {flag_id}").click()
    expect(page.get_by_text(f"Flag {flag_id} is open again.")).to_be_visible()
    expect(registry).to_contain_text(f"Crawled every night from {OLD_HOME}")
    expect(trail_row(page, "move undone")).to_contain_text(CURATOR)
    expect(trail_row(page, "review undone")).to_contain_text(CURATOR)
    assert stored_cluster(live_server, MOVED).urls == [OLD_HOME]
    with live_server.sessions() as session:
        flag = session.get(Flag, flag_id)
        assert flag is not None and (flag.state, flag.reviewer) == ("open", None)


def test_a_curator_adds_edits_retires_and_restores_a_cluster(
    page: Page, live_server: LiveServer, extras: Extras
) -> None:
    log_in(page, live_server, CURATOR, "/clusters")
    page.get_by_role("link", name="Add a cluster").click()
    expect(page).to_have_url(f"{live_server.url}/registry/new")
    page.get_by_label("Id (a-z, 0-9 and -)").fill(ADDED)
    page.get_by_label("Name", exact=True).fill("Kitakyushu Robot Cluster")
    page.get_by_label("Sector").select_option("automotive")
    page.get_by_label("Prefecture").fill("Fukuoka")
    page.get_by_label("URLs, one a line").fill("https://robots.kitakyushu.example.jp/")
    page.get_by_label("Note for the audit trail").fill("met them at a trade fair")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/clusters/{ADDED}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kitakyushu Robot Cluster")
    expect(trail_row(page, "cluster added")).to_contain_text("met them at a trade fair")

    page.get_by_role("link", name="Edit name, sector, prefecture, URLs").click()
    name, urls = page.get_by_label("Name", exact=True), page.get_by_label("URLs, one a line")
    expect(name).to_have_value("Kitakyushu Robot Cluster")  # the form starts at the current values
    expect(page.get_by_label("Sector")).to_have_value("automotive")
    expect(page.get_by_label("Prefecture")).to_have_value("Fukuoka")
    expect(urls).to_have_value("https://robots.kitakyushu.example.jp/")
    name.fill("Kitakyushu Robotics Cluster")
    urls.fill("https://robots.kitakyushu.example.jp/\nhttps://robots.kitakyushu.example.jp/en/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Changed name, urls.")).to_be_visible()
    expect(trail_row(page, "cluster edited")).to_contain_text("Kitakyushu Robotics Cluster")

    registry = page.locator("#registry")
    registry.get_by_label("Note (optional)").fill("merged into a larger cluster")
    registry.get_by_role("button", name="Retire").click()
    expect(registry).to_contain_text(f"Retired {FIXED_NOW:%Y-%m-%d %H:%M} UTC by {CURATOR}")
    expect(trail_row(page, "cluster retired")).to_contain_text("merged into a larger cluster")
    assert stored_cluster(live_server, ADDED).retired_at is not None
    registry.get_by_role("button", name="Restore").click()
    expect(registry).to_contain_text("Crawled every night from https://robots.kitakyushu")
    expect(trail_row(page, "cluster restored")).to_contain_text(CURATOR)
    expect(page.locator("#trail tbody tr")).to_have_count(4)  # added, edited, retired, restored
    found = stored_cluster(live_server, ADDED)
    assert found.retired_at is None and found.name == "Kitakyushu Robotics Cluster"
    assert found.urls is not None and len(found.urls) == 2


def test_a_curator_dismisses_ticked_flags_at_once(
    page: Page, live_server: LiveServer, extras: Extras
) -> None:
    log_in(page, live_server, CURATOR, "/queue")
    for flag_id in extras.bulk_flags:
        page.get_by_label(f"Tick flag {flag_id}").check()
    page.get_by_label("Note for the ticked flags (optional)").fill("seasonal pause")
    page.get_by_role("button", name="Dismiss ticked").click()
    expect(page.get_by_text("2 flags dismissed.")).to_be_visible()
    for flag_id in extras.bulk_flags:
        expect(page.locator(f"#flag-{flag_id}")).to_have_count(0)
    with live_server.sessions() as session:
        reviewed = session.scalars(select(Flag).where(Flag.note == "seasonal pause")).all()
        assert sorted(f.id for f in reviewed) == sorted(extras.bulk_flags)
        assert {(f.state, f.reviewer) for f in reviewed} == {("dismissed", CURATOR)}
    page.goto(f"{live_server.url}/clusters/c0010")
    expect(trail_row(page, "flag dismissed")).to_contain_text("seasonal pause")


def test_a_password_change_logs_out_a_copied_session(
    page: Page, browser: Browser, live_server: LiveServer, extras: Extras
) -> None:
    log_in(page, live_server, SECOND_CURATOR)
    viewport = ViewportSize(width=LAPTOP["width"], height=LAPTOP["height"])
    copy = browser.new_context(viewport=viewport)  # another browser holding the same cookie
    try:
        copy.add_cookies(page.context.cookies())  # type: ignore[arg-type]
        other = copy.new_page()
        other.goto(f"{live_server.url}/queue")
        expect(other.get_by_text(f"Signed in as {SECOND_CURATOR}")).to_be_visible()

        page.get_by_role("link", name=SECOND_CURATOR, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/account/password")
        page.get_by_label("Current password").fill(PASSWORD)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Change password").click()
        expect(
            page.get_by_text("Password changed. Your other sessions are logged out.")
        ).to_be_visible()
        page.goto(f"{live_server.url}/queue")
        expect(page.get_by_text(f"Signed in as {SECOND_CURATOR}")).to_be_visible()

        other.goto(f"{live_server.url}/queue")
        expect(other).to_have_url(re.compile(r"/login\?next=/queue$"))
        other.get_by_label("Name").fill(SECOND_CURATOR)
        other.get_by_label("Password").fill(NEW_PASSWORD)
        other.get_by_role("button", name="Log in").click()
        expect(other.get_by_text(f"Signed in as {SECOND_CURATOR}")).to_be_visible()
    finally:
        copy.close()


def test_a_viewer_reads_everything_and_changes_nothing(
    page: Page, live_server: LiveServer, extras: Extras
) -> None:
    with live_server.sessions() as session:
        events_before = session.query(AuditEvent).count()
    log_in(page, live_server, VIEWER, "/queue")
    expect(page.locator("li.flag").first).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Confirm|Dismiss"))).to_have_count(0)
    expect(page.get_by_role("checkbox")).to_have_count(0)

    page.goto(f"{live_server.url}/clusters/{REVIEWED}")
    expect(page.locator("#flags")).to_contain_text("dismissed")
    expect(page.get_by_role("button", name=re.compile("Undo"))).to_have_count(0)
    expect(page.locator("#overrides")).to_contain_text("curators only")
    for section in ("#overrides", "#registry", "#notes", "#flags"):
        expect(page.locator(f"{section} form")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit name, sector, prefecture, URLs")).to_have_count(0)

    page.goto(f"{live_server.url}/clusters")
    expect(page.locator("main table")).to_be_visible()
    expect(page.get_by_role("link", name="Add a cluster")).to_have_count(0)
    refused = page.goto(f"{live_server.url}/registry/new")
    assert refused is not None and refused.status == 403
    expect(page.get_by_role("alert")).to_have_text("This needs the curator role.")

    # the logout form carries a valid CSRF token, so a refusal below is the role's, not CSRF's
    token = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    forged: list[tuple[str, dict[str, Any]]] = [
        ("/queue/1/review", {"decision": "dismissed"}),
        ("/queue/bulk", {"decision": "dismissed", "flag": "1"}),
        (f"/queue/{extras.bulk_flags[0]}/undo", {}),
        (f"/registry/{REVIEWED}/retire", {"note": "forged"}),
        (
            f"/clusters/{REVIEWED}/overrides",
            {"field": "status", "action": "set", "value": "parked"},
        ),
    ]
    for path, form in forged:
        response = page.request.post(live_server.url + path, form={"csrf_token": token, **form})
        assert response.status == 403, path
        assert "needs the curator role" in response.text()
    with live_server.sessions() as session:
        assert session.query(AuditEvent).count() == events_before
        flag = session.get(Flag, 1)
        assert flag is not None and flag.state == "open"
    assert stored_cluster(live_server, REVIEWED).retired_at is None


def test_seeds_export_imports_back_unchanged(
    live_server: LiveServer, extras: Extras, tmp_path: Path
) -> None:
    """No browser: the curator's registry, exported and imported by the CLI, stays as it was."""
    edit_cluster(live_server.sessions, "c0012", {"prefecture": "Mie"}, CURATOR, FIXED_NOW, None)
    with live_server.sessions() as session:
        trail = [(e.id, e.action) for e in session.scalars(select(AuditEvent))]
        live = session.query(Cluster).filter(Cluster.retired_at.is_(None)).count()
    path, db = tmp_path / "seeds.yaml", ("--db", live_server.db_url)
    exported = CliRunner().invoke(cli, ["seeds", "export", str(path), *db])
    assert exported.exit_code == 0, exported.output
    text = path.read_text("utf-8")
    assert text.count("- id: ") == live and "prefecture: Mie" in text
    imported = CliRunner().invoke(cli, ["seeds", "import", str(path), *db])
    assert imported.exit_code == 0, imported.output
    assert "0 added, 0 updated, 0 restored, 0 retired, 0 conflicts" in imported.output
    with live_server.sessions() as session:
        assert [(e.id, e.action) for e in session.scalars(select(AuditEvent))] == trail
    assert stored_cluster(live_server, "c0012").prefecture == "Mie"
