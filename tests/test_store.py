"""The crawl's store functions on SQLite and PostgreSQL: clusters, runs, snapshots, bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import (
    Body,
    CrawlRun,
    Override,
    PageConfirmation,
    PageSnapshot,
)
from clusterwatch.db.store.runs import (
    add_site_result,
    close_abandoned_run,
    create_run,
    finish_run,
    site_outcomes,
)
from clusterwatch.db.store.snapshots import (
    BodyToStore,
    add_confirmations,
    add_snapshots,
    latest_validators,
    load_body,
    load_text,
    store_bodies,
)
from clusterwatch.monitor.review import set_override
from tests.builders import add_cluster


def clusters(session: Session, *cluster_ids: str) -> None:
    for cluster_id in cluster_ids:
        add_cluster(session, cluster_id)
    session.flush()


def snapshot(run_id: int, url: str, sha: str | None, now: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "run_id": run_id, "cluster_id": "a", "url": url, "final_url": url, "status": 200,
        "fetched_at": now, "content_hash": sha, **extra,
    }  # fmt: skip


def test_a_run_is_finished_with_counts_or_closed_when_abandoned(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    with sessions.begin() as session:
        clusters(session, "a", "b")
        run_id = create_run(
            session, now, pid=1, host="h", seeds_path=None, only_ids=None, sites_total=2
        ).id
        add_site_result(session, run_id, "a", outcome="ok", requested_url="u", pages=3,
                        bytes=100, moved_to="https://new.example.jp/", finished_at=now)  # fmt: skip
        add_site_result(session, run_id, "b", outcome="dns", requested_url="u", finished_at=now)
    with sessions.begin() as session:
        assert sorted(site_outcomes(session, run_id)) == ["dns", "ok"]
        run = finish_run(session, run_id, now, state="complete", degraded=False, errors=1)
        assert (run.sites_ok, run.sites_failed, run.sites_moved, run.pages, run.bytes) == (
            1, 1, 1, 3, 100,
        )  # fmt: skip
        assert not close_abandoned_run(session, run_id, now, "too late")
        other = create_run(session, now, pid=2, host="h", seeds_path=None, only_ids=None,
                           sites_total=2).id  # fmt: skip
        assert close_abandoned_run(session, other, now, "killed")
        assert session.get_one(CrawlRun, other).state == "incomplete"


def test_bodies_are_stored_once_and_validators_come_from_the_latest_snapshot(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    page = "<html><body>令和8年11月1日 お知らせ</body></html>".encode("shift_jis")
    with sessions.begin() as session:
        clusters(session, "a")
        run_id = create_run(
            session, now, pid=1, host="h", seeds_path=None, only_ids=None, sites_total=1
        ).id
        body = BodyToStore("ab" * 32, page, "令和8年11月1日 お知らせ")
        assert store_bodies(session, [body, body], now) == 1
        assert store_bodies(session, [body], now) == 0
        add_snapshots(session, [
            snapshot(run_id, "http://a.example.jp/", "ab" * 32, now, etag='"v1"'),
            snapshot(run_id, "http://a.example.jp/", "ab" * 32, now, etag='"v2"',
                     last_modified="Mon, 02 Nov 2026 00:00:00 GMT"),
            snapshot(run_id, "http://a.example.jp/gone", None, now),
        ])  # fmt: skip
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Body)) == 1
        validators = latest_validators(session, ["a"])
        assert set(validators) == {("a", "http://a.example.jp/")}
        latest = validators[("a", "http://a.example.jp/")]
        assert latest.etag == '"v2"' and latest.last_modified is not None
        add_confirmations(session, [
            {"run_id": run_id, "snapshot_id": latest.snapshot_id, "fetched_at": now},
        ])  # fmt: skip
        session.commit()
        confirmed = session.scalars(select(PageConfirmation)).one()
        assert session.get_one(PageSnapshot, confirmed.snapshot_id).etag == '"v2"'
        assert load_body(session, "ab" * 32) == page
        assert load_text(session, "ab" * 32) == "令和8年11月1日 お知らせ"
        assert load_body(session, "cd" * 32) is None


def test_a_killed_run_keeps_the_counts_of_what_it_wrote(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    """Counts move on with every site written, and closing an abandoned run keeps them."""
    with sessions.begin() as session:
        clusters(session, "a", "b")
        run_id = create_run(
            session, now, pid=1, host="h", seeds_path=None, only_ids=None, sites_total=2
        ).id
        add_site_result(session, run_id, "a", outcome="ok", requested_url="u", pages=4,
                        bytes=200, finished_at=now)  # fmt: skip
    with sessions() as session:
        running = session.get_one(CrawlRun, run_id)
        assert (running.state, running.sites_ok, running.pages, running.bytes) == (
            "running", 1, 4, 200,
        )  # fmt: skip
    with sessions.begin() as session:
        assert close_abandoned_run(session, run_id, now, "crawl process disappeared (killed)")
    with sessions() as session:
        closed = session.get_one(CrawlRun, run_id)
        assert (closed.state, closed.sites_ok, closed.sites_failed, closed.pages) == (
            "incomplete", 1, 0, 4,
        )  # fmt: skip
        assert closed.note == "crawl process disappeared (killed)"


LONG_HEADER = "Mon, 02 Nov 2026 00:00:00 GMT; " + "x" * 300  # servers send anything


def test_header_values_of_any_length_are_stored(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    """PostgreSQL refused a Last-Modified over 100 characters and lost the whole site."""
    with sessions.begin() as session:
        clusters(session, "a")
        run_id = create_run(
            session, now, pid=1, host="h", seeds_path=None, only_ids=None, sites_total=1
        ).id
        store_bodies(session, [BodyToStore("ab" * 32, b"<html></html>", "")], now)
        add_snapshots(session, [
            snapshot(run_id, "http://a.example.jp/" + "p" * 3000, "ab" * 32, now,
                     last_modified=LONG_HEADER, etag=LONG_HEADER, content_type=LONG_HEADER,
                     encoding="x" * 200),
        ])  # fmt: skip
    with sessions() as session:
        (latest,) = latest_validators(session, ["a"]).values()
    assert latest.last_modified == LONG_HEADER and latest.content_type == LONG_HEADER


def test_a_long_moved_to_override_is_stored(sessions: sessionmaker[Session], now: datetime) -> None:
    """A 121-character moved_to override was a traceback on PostgreSQL."""
    url = "https://www.example.jp/" + "a" * 300
    with sessions.begin() as session:
        clusters(session, "a")
    set_override(sessions, "a", "moved_to", url, None, None, now)
    with sessions() as session:
        assert session.get_one(Override, ("a", "moved_to")).value == url
