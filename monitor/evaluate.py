"""Evaluate crawl runs: each cluster's status over the runs it has not seen yet, and its flags.

In: the store's site results of counted runs (complete, or incomplete for the sites they have a
result for). Out: cluster_states (the current judgement), one status_history row per cluster and
evaluated run, and flags. Each cluster remembers the last run it evaluated (`last_run_id`), so
evaluating the same run twice changes nothing. Retired clusters are skipped.

Everything is read in bulk (states, observations, flag keys) and written in one transaction:
one query per table, never one per cluster. Overrides are not applied here: the computed value
is kept underneath and monitor.clusters_view lays the curators' values over it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import ClusterState
from clusterwatch.db.store import flags as flag_store
from clusterwatch.db.store import states as state_store
from clusterwatch.monitor.flag_rules import FlagCandidate, flags_for
from clusterwatch.monitor.settings import Settings
from clusterwatch.monitor.status import (
    ClusterStateView,
    RunObservation,
    StatusRules,
    next_status,
)

# runs read per query: a first pass over a year of 1,000 clusters never holds every site
# result (with its analysis) in memory at once
RUNS_PER_BATCH = 20
# ClusterStateView fields stored as columns of the same name in cluster_states
STATE_COLUMNS = (
    "status",
    "status_reason",
    "status_since",
    "moved_to",
    "failing_streak",
    "parked_streak",
    "last_update",
    "last_update_evidence",
    "main_language",
    "english_site",
    "home_title",
    "internationalisation",
    "last_crawl",
    "last_run_id",
)


@dataclass
class EvaluationSummary:
    """What one evaluation did."""

    runs: list[int] = field(default_factory=list)
    clusters: int = 0
    observations: int = 0
    status_changes: int = 0
    flags_raised: Counter[str] = field(default_factory=Counter)
    flags_suppressed: int = 0  # candidates whose evidence is already open or was dismissed

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "clusters": self.clusters,
            "observations": self.observations,
            "status_changes": self.status_changes,
            "flags_raised": dict(sorted(self.flags_raised.items())),
            "flags_suppressed": self.flags_suppressed,
        }


def evaluate(
    sessions: sessionmaker[Session], settings: Settings, now: datetime, run_id: int | None = None
) -> EvaluationSummary:
    """Evaluate every counted run not yet evaluated (up to `run_id` when given), in run order."""
    with sessions.begin() as session:
        stored = state_store.states_by_cluster(session)
        views = {c.id: _view(stored.get(c.id)) for c in state_store.current_clusters(session)}
        step = _Pass(StatusRules.from_settings(settings), now, views)
        step.blocked_keys = flag_store.blocking_keys(session)
        start = min((v.last_run_id or 0 for v in views.values()), default=0)
        run_ids = state_store.counted_run_ids(session, start, run_id)
        for batch in _batches(run_ids, RUNS_PER_BATCH):
            behind = [cid for cid, view in views.items() if (view.last_run_id or 0) < batch[-1]]
            # a cluster added to the seeds tonight must not make us re-read a year of everyone's
            # results: read only the clusters this batch can still change
            only = None if len(behind) == len(views) else behind
            for row in state_store.observations_between(session, batch[0], batch[-1], only):
                step.apply(row)
            state_store.add_history(session, step.history)
            flag_store.add_flags(session, step.flags)
            step.history, step.flags = [], []
        _store_states(session, stored, {cid: views[cid] for cid in step.touched}, now)
    step.summary.runs = sorted(step.runs)
    step.summary.clusters = len(step.touched)
    return step.summary


@dataclass
class _Pass:
    """One evaluation's working state: the views so far and the rows still to write."""

    rules: StatusRules
    now: datetime
    views: dict[str, ClusterStateView]
    blocked_keys: set[str] = field(default_factory=set)
    summary: EvaluationSummary = field(default_factory=EvaluationSummary)
    runs: set[int] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)
    history: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)

    def apply(self, row: state_store.SiteObservationRow) -> None:
        """One site result: the next state, its history row, and the flags not yet raised."""
        before = self.views.get(row.cluster_id)
        if before is None or row.run_id <= (before.last_run_id or 0):
            return  # a retired cluster, or a run this cluster has already evaluated
        observation = _observation(row)
        after = next_status(before, observation, self.rules, row.finished_at.date()).state
        self.views[row.cluster_id] = after
        self.runs.add(row.run_id)
        self.touched.add(row.cluster_id)
        self.summary.observations += 1
        self.summary.status_changes += after.status != before.status
        self.history.append(_history_row(row.cluster_id, after, self.now))
        for candidate in flags_for(row.cluster_id, before, after, observation):
            if candidate.evidence_key in self.blocked_keys:
                self.summary.flags_suppressed += 1
                continue
            self.blocked_keys.add(candidate.evidence_key)
            self.flags.append(_flag_row(candidate, self.now))
            self.summary.flags_raised[candidate.kind] += 1


def _batches(items: list[int], size: int) -> list[list[int]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _observation(row: state_store.SiteObservationRow) -> RunObservation:
    return RunObservation(
        row.run_id,
        row.finished_at,
        row.degraded,
        row.outcome,
        row.requested_url,
        row.final_url,
        row.moved_to,
        row.error,
        row.analysis,
    )


def _view(state: ClusterState | None) -> ClusterStateView:
    if state is None:
        return ClusterStateView()
    values = {name: getattr(state, name) for name in STATE_COLUMNS}
    return ClusterStateView(
        eu_signals=tuple(state.eu_signals or ()),
        pending_changes=dict(state.pending_changes or {}),
        **values,
    )


def _store_states(
    session: Session,
    stored: dict[str, ClusterState],
    views: dict[str, ClusterStateView],
    now: datetime,
) -> None:
    for cluster_id, view in views.items():
        state = stored.get(cluster_id)
        if state is None:
            state = ClusterState(cluster_id=cluster_id)
            session.add(state)
        for name in STATE_COLUMNS:
            value = getattr(view, name)
            if name == "last_update_evidence" and value is not None:
                value = dict(value)
            setattr(state, name, value)
        state.eu_signals = [dict(signal) for signal in view.eu_signals]
        state.pending_changes = dict(view.pending_changes) or None
        state.evaluated_at = now


def _history_row(cluster_id: str, view: ClusterStateView, now: datetime) -> dict[str, Any]:
    return {
        "cluster_id": cluster_id,
        "run_id": view.last_run_id,
        "status": view.status,
        "failing_streak": view.failing_streak,
        "recorded_at": now,
    }


def _flag_row(candidate: FlagCandidate, now: datetime) -> dict[str, Any]:
    return {
        "cluster_id": candidate.cluster_id,
        "kind": candidate.kind,
        "state": "open",
        "created_at": now,
        "run_id": candidate.run_id,
        "evidence": [dict(item) for item in candidate.evidence],
        "evidence_key": candidate.evidence_key,
    }
