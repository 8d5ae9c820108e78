"""The overview's numbers: statuses over time, clusters by sector and prefecture, open flags.

Clusters are counted as shown (monitor.report, curator overrides winning), so the overview,
the report and `clusterwatch status` never disagree.
Statuses over time come from status_history, sampled to at most MAX_POINTS runs spread evenly
over the whole history. Even sampled, that is tens of thousands of rows (about 200 ms at 1,000
clusters x 365 runs), so the result is kept per app and recomputed only when the history's
fingerprint changes: status_history is append-only (monitor.evaluate inserts, never updates), and
deleting a run (cascading to its history) changes the run count.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster, CrawlRun, Flag, StatusHistory
from clusterwatch.monitor.report import Report, build_report

MAX_POINTS = 60  # columns in the statuses-over-time chart: about weekly for a year of runs
NO_PREFECTURE = "(prefecture not recorded)"

OverTime = list[tuple[str, dict[str, int]]]  # (run date, {status: clusters}) oldest first


@dataclass(frozen=True)
class ClusterCount:
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Overview:
    report: Report
    status_now: dict[str, int]
    over_time: OverTime
    by_sector: list[ClusterCount]
    by_prefecture: list[ClusterCount]
    open_flags: int


def prefectures(session: Session) -> dict[str, str | None]:
    rows = session.execute(select(Cluster.id, Cluster.prefecture))
    return {cluster: prefecture for cluster, prefecture in rows}


def sampled_run_ids(session: Session) -> list[tuple[int, str]]:
    """(run id, date) of at most MAX_POINTS evaluated runs, evenly spread, always the newest."""
    evaluated = select(StatusHistory.run_id).distinct().subquery()
    runs = session.execute(
        select(CrawlRun.id, CrawlRun.started_at)
        .join(evaluated, evaluated.c.run_id == CrawlRun.id)
        .order_by(CrawlRun.started_at)
    ).all()
    if len(runs) > MAX_POINTS:
        step = (len(runs) - 1) / (MAX_POINTS - 1)
        runs = [runs[round(index * step)] for index in range(MAX_POINTS)]
    return [(run_id, started.strftime("%Y-%m-%d")) for run_id, started in runs]


class OverTimeCache:
    """The last statuses-over-time result and the history fingerprint it was computed for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entry: tuple[tuple[Any, ...], OverTime] | None = None

    def get(self, session: Session) -> OverTime:
        fingerprint = tuple(
            session.execute(
                select(
                    select(func.max(StatusHistory.id)).scalar_subquery(),
                    select(func.max(CrawlRun.id)).scalar_subquery(),
                    select(func.count()).select_from(CrawlRun).scalar_subquery(),
                )
            ).one()
        )
        with self._lock:
            if self._entry is not None and self._entry[0] == fingerprint:
                return self._entry[1]
        result = statuses_over_time(session)
        with self._lock:
            self._entry = (fingerprint, result)
        return result


def statuses_over_time(session: Session) -> OverTime:
    sampled = sampled_run_ids(session)
    if not sampled:
        return []
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = session.execute(
        select(StatusHistory.run_id, StatusHistory.status, func.count())
        .where(StatusHistory.run_id.in_([run_id for run_id, _ in sampled]))
        .group_by(StatusHistory.run_id, StatusHistory.status)
    )
    for run_id, status, count in rows:
        counts[run_id][status] = count
    return [(day, counts[run_id]) for run_id, day in sampled]


def _grouped(rows: list[tuple[str, str]]) -> list[ClusterCount]:
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name, status in rows:
        groups[name][status] += 1
    result = [ClusterCount(name, dict(counts)) for name, counts in groups.items()]
    return sorted(result, key=lambda group: (-group.total, group.name))


def open_flag_count(session: Session) -> int:
    query = select(func.count()).select_from(Flag).where(Flag.state == "open")
    return int(session.scalar(query) or 0)


def load_overview(
    sessions: sessionmaker[Session], now: datetime, over_time_cache: OverTimeCache
) -> Overview:
    """The overview's figures; the clusters as shown come from the report (overrides applied)."""
    report = build_report(sessions, now)
    with sessions() as session:
        prefecture_of = prefectures(session)
        over_time = over_time_cache.get(session)
        open_flags = open_flag_count(session)
    rows = report.clusters
    return Overview(
        report=report,
        status_now=dict(Counter(row.status for row in rows)),
        over_time=over_time,
        by_sector=_grouped([(row.sector, row.status) for row in rows]),
        by_prefecture=_grouped(
            [(prefecture_of.get(row.id) or NO_PREFECTURE, row.status) for row in rows]
        ),
        open_flags=open_flags,
    )
