"""Repository functions for the monitor's cluster states and status history, loaded in bulk.

The monitor evaluates a thousand clusters over many runs in one pass, so every read here is one
query for all clusters (never one per cluster), and history rows are written with one
executemany insert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Cluster, ClusterState, CrawlRun, Flag, SiteResult, StatusHistory

# only these runs count; a running or failed run is never read as evidence
COUNTED_RUN_STATES = ("complete", "incomplete")


@dataclass(frozen=True)
class SiteObservationRow:
    """One site_results row with its run's `degraded` mark: the monitor's input."""

    run_id: int
    cluster_id: str
    degraded: bool
    outcome: str
    requested_url: str
    final_url: str | None
    moved_to: str | None
    error: str | None
    analysis: dict[str, Any] | None
    finished_at: datetime


def current_clusters(session: Session) -> list[Cluster]:
    """Clusters not retired, by id."""
    query = select(Cluster).where(Cluster.retired_at.is_(None)).order_by(Cluster.id)
    return list(session.scalars(query))


def states_by_cluster(session: Session) -> dict[str, ClusterState]:
    return {state.cluster_id: state for state in session.scalars(select(ClusterState))}


def counted_run_ids(
    session: Session, after_run_id: int, upto_run_id: int | None = None
) -> list[int]:
    """Ids of counted runs with id > after_run_id (and <= upto_run_id), ascending."""
    query = (
        select(CrawlRun.id)
        .where(CrawlRun.id > after_run_id, CrawlRun.state.in_(COUNTED_RUN_STATES))
        .order_by(CrawlRun.id)
    )
    if upto_run_id is not None:
        query = query.where(CrawlRun.id <= upto_run_id)
    return list(session.scalars(query))


def observations_between(
    session: Session, first_run_id: int, last_run_id: int, only: Sequence[str] | None = None
) -> list[SiteObservationRow]:
    """Site results of counted runs with first <= id <= last (of `only` these clusters when
    given), in run order."""
    query = (
        select(
            SiteResult.run_id,
            SiteResult.cluster_id,
            CrawlRun.degraded,
            SiteResult.outcome,
            SiteResult.requested_url,
            SiteResult.final_url,
            SiteResult.moved_to,
            SiteResult.error,
            SiteResult.analysis,
            SiteResult.finished_at,
        )
        .join(CrawlRun, CrawlRun.id == SiteResult.run_id)
        .where(
            SiteResult.run_id >= first_run_id,
            SiteResult.run_id <= last_run_id,
            CrawlRun.state.in_(COUNTED_RUN_STATES),
        )
        .order_by(SiteResult.run_id, SiteResult.cluster_id)
    )
    if only is not None:
        query = query.where(SiteResult.cluster_id.in_(list(only)))
    return [SiteObservationRow(*row) for row in session.execute(query)]


def add_history(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert status_history rows (cluster_id, run_id, status, failing_streak, recorded_at)."""
    if rows:
        session.execute(insert(StatusHistory), list(rows))


HistoryLine = tuple[int, datetime, str, bool, str | None, str, int, int | None, str | None]


def history_of(session: Session, cluster_id: str) -> list[HistoryLine]:
    """(run id, started_at, state, degraded, outcome, status, failing_streak, http_status,
    error), oldest first."""
    query = (
        select(
            CrawlRun.id,
            CrawlRun.started_at,
            CrawlRun.state,
            CrawlRun.degraded,
            SiteResult.outcome,
            StatusHistory.status,
            StatusHistory.failing_streak,
            SiteResult.http_status,
            SiteResult.error,
        )
        .join(StatusHistory, StatusHistory.run_id == CrawlRun.id)
        .outerjoin(
            SiteResult,
            (SiteResult.run_id == CrawlRun.id) & (SiteResult.cluster_id == cluster_id),
        )
        .where(StatusHistory.cluster_id == cluster_id)
        .order_by(CrawlRun.id)
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def flags_of(session: Session, cluster_id: str) -> list[Flag]:
    query = select(Flag).where(Flag.cluster_id == cluster_id).order_by(Flag.created_at, Flag.id)
    return list(session.scalars(query))


def cluster_ids(session: Session, ids: Iterable[str]) -> set[str]:
    """Those of `ids` that name a cluster (retired or not)."""
    wanted = list(ids)
    return set(session.scalars(select(Cluster.id).where(Cluster.id.in_(wanted))))
