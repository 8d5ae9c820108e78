"""The runs page: every crawl run with its counts, and the failed sites of one run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Cluster, CrawlRun, SiteResult
from clusterwatch.vocabulary import Outcome


def list_runs(session: Session) -> list[CrawlRun]:
    """Every run, newest first (a year of nightly runs is a few hundred rows)."""
    return list(session.scalars(select(CrawlRun).order_by(CrawlRun.started_at.desc())))


def find_run(session: Session, run_id: int) -> CrawlRun | None:
    return session.get(CrawlRun, run_id)


def failed_sites(session: Session, run_id: int) -> list[tuple[SiteResult, str]]:
    """The run's site results that were not ok, with the cluster's name."""
    rows = session.execute(
        select(SiteResult, Cluster.name)
        .join(Cluster, Cluster.id == SiteResult.cluster_id)
        .where(SiteResult.run_id == run_id, SiteResult.outcome != Outcome.OK)
        .order_by(SiteResult.outcome, SiteResult.cluster_id)
    )
    return [(result, name) for result, name in rows]
