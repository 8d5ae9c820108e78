"""clusterwatch.monitor.web.queries.overview: sampling of runs and the statuses-over-time cache."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import CrawlRun, StatusHistory
from clusterwatch.monitor.web.queries.overview import MAX_POINTS, OverTimeCache, sampled_run_ids
from tests.web_builders import build_world


def test_sampling_keeps_first_and_newest_run(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    build_world(sqlite_sessions, now, clusters=1, runs=MAX_POINTS * 2 + 5)
    with sqlite_sessions() as session:
        sampled = sampled_run_ids(session)
    assert len(sampled) == MAX_POINTS
    assert sampled[0][0] == 1 and sampled[-1][0] == MAX_POINTS * 2 + 5


def test_cache_is_refreshed_when_a_run_is_evaluated(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    build_world(sqlite_sessions, now, clusters=2, runs=3)
    cache = OverTimeCache()
    with sqlite_sessions() as session:
        before = cache.get(session)
        assert cache.get(session) is before  # unchanged history: the cached list itself
    with sqlite_sessions.begin() as session:
        later = now + timedelta(days=1)
        session.execute(insert(CrawlRun), [{"id": 4, "started_at": later, "state": "complete"}])
        session.execute(
            insert(StatusHistory),
            [
                {"cluster_id": "c0000", "run_id": 4, "status": "dormant", "recorded_at": later},
                {"cluster_id": "c0001", "run_id": 4, "status": "dormant", "recorded_at": later},
            ],
        )
    with sqlite_sessions() as session:
        after = cache.get(session)
    assert len(after) == len(before) + 1
    assert after[-1] == ("2026-11-26", {"dormant": 2})
