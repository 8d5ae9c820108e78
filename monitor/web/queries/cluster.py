"""One cluster's page: its state and evidence, overrides, flags, notes, and its history.

Language shares come from the newest successful crawl (outcome ok: a JSON column stores
Python None as JSON null, so `IS NOT NULL` would not skip failed crawls).

History is read in two bulk queries (status_history joined to runs, and the newest site
results), never one query per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db.models import (
    AuditEvent,
    Cluster,
    ClusterState,
    CrawlRun,
    Flag,
    Note,
    Override,
    SiteResult,
    StatusHistory,
)
from clusterwatch.db.store import audit
from clusterwatch.vocabulary import Outcome

RECENT_RESULTS = 14  # two weeks of site results in the table; the strip shows every run


@dataclass(frozen=True)
class HistoryPoint:
    run_id: int
    started_at: datetime
    degraded: bool
    status: str
    failing_streak: int


@dataclass(frozen=True)
class ClusterPage:
    cluster: Cluster
    state: ClusterState | None
    overrides: list[Override]
    flags: list[Flag]
    notes: list[Note]
    history: list[HistoryPoint]
    changes: list[HistoryPoint]
    results: list[tuple[SiteResult, CrawlRun]]
    language_shares: dict[str, Any]
    analysis: dict[str, Any]
    trail: list[AuditEvent]

    @property
    def override_by_field(self) -> dict[str, Override]:
        return {override.field: override for override in self.overrides}


def _changes(history: list[HistoryPoint]) -> list[HistoryPoint]:
    """The points where the status differs from the run before: the timeline worth reading."""
    changes: list[HistoryPoint] = []
    for point in history:
        if not changes or changes[-1].status != point.status:
            changes.append(point)
    return changes


def load_cluster(session: Session, cluster_id: str) -> ClusterPage | None:
    cluster = session.get(Cluster, cluster_id)
    if cluster is None:
        return None
    history = [
        HistoryPoint(run_id, started, bool(degraded), status, streak)
        for run_id, started, degraded, status, streak in session.execute(
            select(
                StatusHistory.run_id,
                CrawlRun.started_at,
                CrawlRun.degraded,
                StatusHistory.status,
                StatusHistory.failing_streak,
            )
            .join(CrawlRun, CrawlRun.id == StatusHistory.run_id)
            .where(StatusHistory.cluster_id == cluster_id)
            .order_by(CrawlRun.started_at)
        )
    ]
    results = [
        (result, run)
        for result, run in session.execute(
            select(SiteResult, CrawlRun)
            .join(CrawlRun, CrawlRun.id == SiteResult.run_id)
            .where(SiteResult.cluster_id == cluster_id)
            .order_by(CrawlRun.started_at.desc())
            .limit(RECENT_RESULTS)
        )
    ]
    analysis = (
        session.scalar(
            select(SiteResult.analysis)
            .where(SiteResult.cluster_id == cluster_id, SiteResult.outcome == Outcome.OK)
            .order_by(SiteResult.id.desc())
            .limit(1)
        )
        or {}
    )
    shares = analysis.get("language_shares")
    return ClusterPage(
        cluster=cluster,
        state=session.get(ClusterState, cluster_id),
        overrides=list(
            session.scalars(
                select(Override).where(Override.cluster_id == cluster_id).order_by(Override.field)
            )
        ),
        flags=list(
            session.scalars(
                select(Flag).where(Flag.cluster_id == cluster_id).order_by(Flag.created_at.desc())
            )
        ),
        notes=list(
            session.scalars(
                select(Note).where(Note.cluster_id == cluster_id).order_by(Note.created_at.desc())
            )
        ),
        history=history,
        changes=_changes(history),
        results=results,
        language_shares=shares if isinstance(shares, dict) else {},
        analysis=analysis,
        trail=list(reversed(audit.events_of_cluster(session, cluster_id))),
    )
