"""Leases and job slots on SQLite and PostgreSQL: acquire, busy, expiry takeover, release, races."""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import locks as store
from clusterwatch.monitor.locks import (
    CRAWL_LOCK,
    LockBusy,
    acquire,
    crawl_lock,
    lease,
    refresh,
    release,
)

TTL = timedelta(minutes=1)
RACERS = 6
DEADLINE_S = 5.0


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def holder_of(sessions: sessionmaker[Session], name: str) -> str | None:
    with sessions() as session:
        row = store.current(session, name)
    return None if row is None else row.holder


def test_acquire_busy_release(sessions: sessionmaker[Session], now: datetime) -> None:
    clock = FakeClock(now)
    first = acquire(sessions, "crawl", "cli@a:1", TTL, clock=clock)
    assert first.holder.startswith("cli@a:1 #")
    with pytest.raises(LockBusy) as busy:
        acquire(sessions, "crawl", "scheduler@b:2", TTL, clock=clock)
    assert busy.value.holder == first.holder
    assert busy.value.expires_at == now + TTL
    acquire(sessions, "other", "scheduler@b:2", TTL, clock=clock)  # names are independent
    release(sessions, first)
    second = acquire(sessions, "crawl", "scheduler@b:2", TTL, clock=clock)
    assert holder_of(sessions, "crawl") == second.holder


def test_expired_lease_is_taken_over(sessions: sessionmaker[Session], now: datetime) -> None:
    clock = FakeClock(now)
    crashed = acquire(sessions, "crawl", "crashed", TTL, clock=clock)
    clock.now = now + TTL - timedelta(seconds=1)
    with pytest.raises(LockBusy):
        acquire(sessions, "crawl", "newcomer", TTL, clock=clock)
    clock.now = now + TTL + timedelta(seconds=1)
    newcomer = acquire(sessions, "crawl", "newcomer", TTL, clock=clock)
    # the stale holder can neither extend nor drop the newcomer's lease
    assert refresh(sessions, crashed, clock=clock) is False
    assert crashed.lost.is_set()
    release(sessions, crashed)
    assert holder_of(sessions, "crawl") == newcomer.holder


def test_context_manager_releases_even_on_error(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(ZeroDivisionError), crawl_lock(sessions, "cli"):
        assert holder_of(sessions, CRAWL_LOCK) is not None
        _ = 1 / 0
    assert holder_of(sessions, CRAWL_LOCK) is None


def test_heartbeat_extends_a_held_lease(sessions: sessionmaker[Session]) -> None:
    short = timedelta(seconds=0.3)
    with lease(sessions, "crawl", "long crawl", short) as held:
        with sessions() as session:
            row = store.current(session, "crawl")
        assert row is not None
        first_expiry = row.expires_at
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            with sessions() as session:
                row = store.current(session, "crawl")
            assert row is not None
            if row.expires_at > first_expiry:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the heartbeat never refreshed the lease")
        assert not held.lost.is_set()


def _race(sessions: sessionmaker[Session], clock: FakeClock) -> list[str]:
    start = threading.Barrier(RACERS)
    winners: list[str] = []

    def contend(index: int) -> None:
        start.wait()
        with contextlib.suppress(LockBusy):
            winners.append(acquire(sessions, "crawl", f"racer-{index}", TTL, clock=clock).holder)

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return winners


def test_racing_threads_one_winner(sessions: sessionmaker[Session], now: datetime) -> None:
    clock = FakeClock(now)
    winners = _race(sessions, clock)
    assert len(winners) == 1
    assert holder_of(sessions, "crawl") == winners[0]


def test_racing_takeover_of_expired_lease_one_winner(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    clock = FakeClock(now)
    acquire(sessions, "crawl", "crashed", TTL, clock=clock)
    clock.now = now + 2 * TTL
    winners = _race(sessions, clock)
    assert len(winners) == 1
    assert holder_of(sessions, "crawl") == winners[0]


def test_job_slot_is_claimed_once(sessions: sessionmaker[Session], now: datetime) -> None:
    with sessions.begin() as session:
        assert store.claim_slot(session, "crawl", "2026-11-25T17:00:00Z", now)
    with sessions.begin() as session:
        assert not store.claim_slot(session, "crawl", "2026-11-25T17:00:00Z", now)
        assert store.claim_slot(session, "digest", "2026-11-25T17:00:00Z", now)
    with sessions.begin() as session:
        store.finish_slot(session, "crawl", "2026-11-25T17:00:00Z", now, "complete (exit 0)")
    with sessions() as session:
        (row,) = store.slots(session, "crawl")
    assert (row.finished_at, row.outcome) == (now, "complete (exit 0)")
