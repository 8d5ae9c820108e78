"""Crawl runs and their per-site results.

A run is created `running` by the process that starts the crawl and finished by the crawl process
(`complete` or `incomplete`). When the crawl process dies without finishing it (killed, crashed),
the starter, or the next starter, closes it as `incomplete` with a note saying why: a run row
never stays `running` for ever, and an interrupted run only counts for the sites it wrote in
full, so it is never read as "every site down".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clusterwatch.db.models import CrawlRun, SiteResult

RUNNING = "running"
COMPLETE = "complete"
INCOMPLETE = "incomplete"


def create_run(
    session: Session,
    now: datetime,
    *,
    pid: int | None,
    host: str | None,
    seeds_path: str | None,
    only_ids: list[str] | None,
    sites_total: int,
) -> CrawlRun:
    run = CrawlRun(
        started_at=now,
        state=RUNNING,
        degraded=False,
        pid=pid,
        host=host,
        seeds_path=seeds_path,
        only_ids=only_ids or None,
        sites_total=sites_total,
    )
    session.add(run)
    session.flush()
    return run


@dataclass(frozen=True)
class RunTotals:
    sites_ok: int
    sites_failed: int
    sites_moved: int
    pages: int
    bytes: int


def run_totals(session: Session, run_id: int) -> RunTotals:
    """Counts over the site results written so far for a run."""
    row = session.execute(
        select(
            func.count().filter(SiteResult.outcome == "ok"),
            func.count().filter(SiteResult.outcome != "ok"),
            func.count(SiteResult.moved_to),
            func.coalesce(func.sum(SiteResult.pages), 0),
            func.coalesce(func.sum(SiteResult.bytes), 0),
        ).where(SiteResult.run_id == run_id)
    ).one()
    return RunTotals(*(int(value) for value in row))


def finish_run(
    session: Session,
    run_id: int,
    now: datetime,
    *,
    state: str,
    degraded: bool,
    errors: int,
    note: str | None = None,
) -> CrawlRun:
    totals = run_totals(session, run_id)
    run = session.get_one(CrawlRun, run_id)
    run.state = state
    run.degraded = degraded
    run.finished_at = now
    run.errors = errors
    run.note = note
    run.sites_ok = totals.sites_ok
    run.sites_failed = totals.sites_failed
    run.sites_moved = totals.sites_moved
    run.pages = totals.pages
    run.bytes = totals.bytes
    return run


def close_abandoned_run(session: Session, run_id: int, now: datetime, note: str) -> bool:
    """Close as incomplete a run its crawl process left `running`, with the counts of what it
    wrote and `note` saying why; True if it did."""
    totals = run_totals(session, run_id)
    closed = session.scalars(
        update(CrawlRun)
        .where(CrawlRun.id == run_id, CrawlRun.state == RUNNING)
        .values(
            state=INCOMPLETE,
            finished_at=now,
            note=note,
            sites_ok=totals.sites_ok,
            sites_failed=totals.sites_failed,
            sites_moved=totals.sites_moved,
            pages=totals.pages,
            bytes=totals.bytes,
        )
        .returning(CrawlRun.id)
    ).all()
    return bool(closed)


def stale_running_runs(session: Session) -> list[CrawlRun]:
    """Runs still marked running (the caller, holding the crawl lock, knows they are dead)."""
    return list(session.scalars(select(CrawlRun).where(CrawlRun.state == RUNNING)))


def add_site_result(session: Session, run_id: int, cluster_id: str, **values: Any) -> SiteResult:
    """The site's result, and the run's counts moved on in the same transaction: a run killed
    half-way shows what it wrote, not zeros."""
    result = SiteResult(run_id=run_id, cluster_id=cluster_id, **values)
    session.add(result)
    ok = values.get("outcome") == "ok"
    session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(
            sites_ok=CrawlRun.sites_ok + int(ok),
            sites_failed=CrawlRun.sites_failed + int(not ok),
            sites_moved=CrawlRun.sites_moved + int(values.get("moved_to") is not None),
            pages=CrawlRun.pages + int(values.get("pages", 0)),
            bytes=CrawlRun.bytes + int(values.get("bytes", 0)),
        )
    )
    return result


def site_outcomes(session: Session, run_id: int) -> list[str]:
    return list(session.scalars(select(SiteResult.outcome).where(SiteResult.run_id == run_id)))
