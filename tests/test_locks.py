"""Leases and job slots on SQLite and PostgreSQL: acquire, busy, takeover, release, races.

A lease is tied to a live holder: a dead holder's lease is free at once (PostgreSQL: its session
and advisory lock end; SQLite: its pid and start time no longer match), a live holder's is never
taken over, and only a holder on another host is judged by the expiry.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import locks as store
from clusterwatch.monitor.locks import (
    CRAWL_LOCK,
    Lease,
    LockBusy,
    acquire,
    crawl_lock,
    lease,
    refresh,
    release,
)
from clusterwatch.monitor.process_identity import ProcessIdentity, process_start

TTL = timedelta(minutes=1)
RACERS = 6
DEADLINE_S = 5.0


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def close_leases() -> Iterator[None]:
    """PostgreSQL leases hold a connection: end every session a test left open."""
    yield
    for held in LEASES:
        if held.connection is not None and not held.connection.closed:
            held.connection.invalidate()
    LEASES.clear()


LEASES: list[Lease] = []


def dead_process() -> ProcessIdentity:
    """The identity a process on this host had: it has exited."""
    gone = subprocess.Popen(["sleep", "30"])
    started = process_start(gone.pid)
    gone.kill()
    gone.wait()
    return ProcessIdentity(socket.gethostname(), gone.pid, started)


def crash(held: Lease, sessions: sessionmaker[Session]) -> None:
    """What a holder's death does: on PostgreSQL its session ends (with its advisory lock).

    The server ends a dropped session's backend a moment later; wait for that (a few seconds at
    most) so the test sees what a later crawl sees, not the moment in between.
    """
    if held.connection is None:
        return
    backend = held.connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    held.connection.invalidate()
    deadline = time.monotonic() + 5
    with sessions() as session:
        while time.monotonic() < deadline:
            alive = session.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": backend}
            ).scalar()
            session.rollback()
            if not alive:
                return
            time.sleep(0.05)


def track(held: Lease) -> Lease:
    LEASES.append(held)
    return held


def holder_of(sessions: sessionmaker[Session], name: str) -> str | None:
    with sessions() as session:
        row = store.current(session, name)
    return None if row is None else row.holder


def test_acquire_busy_release(sessions: sessionmaker[Session], now: datetime) -> None:
    clock = FakeClock(now)
    first = track(acquire(sessions, "crawl", "cli@a:1", TTL, clock=clock))
    assert first.holder.startswith("cli@a:1 #")
    with pytest.raises(LockBusy) as busy:
        acquire(sessions, "crawl", "scheduler@b:2", TTL, clock=clock)
    assert busy.value.holder == first.holder
    assert busy.value.expires_at == now + TTL
    track(acquire(sessions, "other", "scheduler@b:2", TTL, clock=clock))  # names are independent
    release(sessions, first)
    second = track(acquire(sessions, "crawl", "scheduler@b:2", TTL, clock=clock))
    assert holder_of(sessions, "crawl") == second.holder


def test_dead_holder_lease_is_free_at_once(sessions: sessionmaker[Session], now: datetime) -> None:
    clock = FakeClock(now)
    crashed = track(acquire(sessions, "crawl", "crashed", TTL, clock=clock, owner=dead_process()))
    crash(crashed, sessions)
    newcomer = track(acquire(sessions, "crawl", "newcomer", TTL, clock=clock))  # no waiting
    # the dead holder can neither extend nor drop the newcomer's lease
    assert refresh(sessions, crashed, clock=clock) is False
    assert crashed.lost.is_set()
    with contextlib.suppress(Exception):  # its connection is gone on PostgreSQL
        release(sessions, crashed)
    assert holder_of(sessions, "crawl") == newcomer.holder


def test_live_holder_is_never_overtaken(sessions: sessionmaker[Session], now: datetime) -> None:
    """Even when its heartbeat stalled far past the expiry."""
    clock = FakeClock(now)
    alive = track(acquire(sessions, "crawl", "alive", TTL, clock=clock))
    clock.now = now + 10 * TTL
    with pytest.raises(LockBusy) as busy:
        acquire(sessions, "crawl", "newcomer", TTL, clock=clock)
    assert busy.value.holder == alive.holder


def test_remote_holder_is_judged_by_expiry(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    """SQLite: a process on another host cannot be checked, its lease expiry decides."""
    clock = FakeClock(now)
    remote = ProcessIdentity("another-host", 4242, "boot:1")
    acquire(sqlite_sessions, "crawl", "remote", TTL, clock=clock, owner=remote)
    clock.now = now + TTL - timedelta(seconds=1)
    with pytest.raises(LockBusy):
        acquire(sqlite_sessions, "crawl", "newcomer", TTL, clock=clock)
    clock.now = now + TTL + timedelta(seconds=1)
    newcomer = acquire(sqlite_sessions, "crawl", "newcomer", TTL, clock=clock)
    assert holder_of(sqlite_sessions, "crawl") == newcomer.holder


def test_reused_pid_does_not_keep_a_dead_holder_alive(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    """Our own pid, but another start time: the process that held it is gone."""
    me = ProcessIdentity.current()
    ghost = ProcessIdentity(me.host, me.pid, "another-boot:1")
    acquire(sqlite_sessions, "crawl", "ghost", TTL, clock=FakeClock(now), owner=ghost)
    newcomer = acquire(sqlite_sessions, "crawl", "newcomer", TTL, clock=FakeClock(now))
    assert holder_of(sqlite_sessions, "crawl") == newcomer.holder


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
            held = track(acquire(sessions, "crawl", f"racer-{index}", TTL, clock=clock))
            winners.append(held.holder)

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


def test_racing_takeover_of_a_dead_holder_lease_one_winner(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    clock = FakeClock(now)
    crashed = track(acquire(sessions, "crawl", "crashed", TTL, clock=clock, owner=dead_process()))
    crash(crashed, sessions)
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
