"""Locks tied to a live holder: the crawl lock and the single-scheduler guard.

A lease is a row in `locks` (see db.store.locks for the atomic statements) naming its holder
and the holding process (host, pid, start time: monitor.process_identity). Who may take it:

- PostgreSQL: whoever gets the session-level advisory lock of the name (keyed by schema and
  name). The holder keeps that connection open while it holds the lease; when its process dies,
  the server ends the session and the lock is free at once. The row then only says who holds it.
- SQLite: a row whose holder process on this host is gone (pid missing, or reused by a process
  with another start time) is free at once; a row whose holder on this host lives is never taken
  over, however late its heartbeat. A row from another host (or without a pid) falls back to
  its expiry.

While held, a heartbeat thread pushes the expiry forward every third of the time-to-live (the
expiry is what a holder on another host is judged by). If the heartbeat finds the lease gone,
it sets `Lease.lost`, so the holder can stop what it was doing.

Usage (the crawl runner and the scheduler):

    with crawl_lock(sessions, holder=holder_name("crawl"), ttl=CRAWL_LOCK_TTL) as lease:
        ...  # crawl; check lease.lost.is_set() now and then if that matters

`crawl_lock` raises `LockBusy` (with the current holder and expiry) when another live holder has
it. Every acquisition gets a unique token appended to the holder name, so two acquisitions in
one process are as distinct as two processes.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import locks as store
from clusterwatch.monitor.process_identity import ProcessIdentity

log = logging.getLogger(__name__)

CRAWL_LOCK = "crawl"
SCHEDULER_LOCK = "scheduler"
# Long enough to ride out a slow database moment, short enough that a crashed crawl's lock
# frees itself well before the next night; the heartbeat keeps a live holder's lease alive.
CRAWL_LOCK_TTL = timedelta(minutes=5)
HEARTBEAT_FRACTION = 3  # refresh every ttl / 3: two refreshes may fail before the lease lapses
HOLDER_MAX_CHARS = 255  # locks.holder is VARCHAR(255)
TOKEN_CHARS = 8
# One advisory lock per (schema, name): test schemas and several deployments in one database
# must not share a crawl lock.
ADVISORY_KEY = "hashtextextended(current_schema() || ':' || :name, 0)"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class LockBusy(RuntimeError):
    """The lease is held by someone else whose lease has not expired."""

    def __init__(self, name: str, holder: str, expires_at: datetime) -> None:
        super().__init__(f"lock {name!r} is held by {holder} until {expires_at.isoformat()}")
        self.name = name
        self.holder = holder
        self.expires_at = expires_at


@dataclass
class Lease:
    """A held lease; `lost` is set when the heartbeat finds it taken over."""

    name: str
    holder: str
    ttl: timedelta
    lost: threading.Event = field(default_factory=threading.Event)
    # PostgreSQL: the connection whose session holds the advisory lock, open while held.
    connection: Connection | None = None


def holder_name(role: str) -> str:
    """A readable holder name: who (role), where (host) and which process (pid)."""
    return f"{role}@{socket.gethostname()}:{os.getpid()}"


def acquire(
    sessions: sessionmaker[Session],
    name: str,
    holder: str,
    ttl: timedelta,
    *,
    clock: Clock = utc_now,
    owner: ProcessIdentity | None = None,
) -> Lease:
    """Take the lease `name` or raise LockBusy; no heartbeat (see `lease()` for that).

    `owner` is the holding process (this one unless a test says otherwise)."""
    token = f" #{uuid.uuid4().hex[:TOKEN_CHARS]}"
    unique_holder = holder[: HOLDER_MAX_CHARS - len(token)] + token
    process = owner or ProcessIdentity.current()
    stored = store.Owner(process.host, process.pid, process.started)
    engine: Engine = sessions.kw["bind"]
    if engine.dialect.name == "postgresql":
        return _acquire_advisory(sessions, engine, name, unique_holder, ttl, clock(), stored)
    now = clock()
    expires = now + ttl
    with sessions.begin() as session:
        taken = store.try_insert(session, name, unique_holder, now, expires, stored)
        row = None if taken else store.current(session, name)
        if row is not None and (_dead_holder(row) or not _judged_by_pid(row)):
            dead = _dead_holder(row)
            taken = store.take_over(
                session,
                name,
                unique_holder,
                now,
                expires,
                stored,
                dead_holder=row.holder if dead else None,
                expired_before=None if dead else now,
            )
    if taken:
        log.info("lock %s taken by %s", name, unique_holder)
        return Lease(name, unique_holder, ttl)
    if row is None:  # released between our two statements: let the caller retry later
        raise LockBusy(name, "(just released)", now)
    raise LockBusy(name, row.holder, row.expires_at)


def _judged_by_pid(row: store.LeaseRow) -> bool:
    """The row names a process on this host: its life, not the expiry, decides."""
    owner = row.owner
    return owner.pid is not None and owner.host is not None and _identity(row).local


def _identity(row: store.LeaseRow) -> ProcessIdentity:
    return ProcessIdentity(row.owner.host or "", row.owner.pid or 0, row.owner.process_start)


def _dead_holder(row: store.LeaseRow) -> bool:
    return _judged_by_pid(row) and not _identity(row).alive()


def _acquire_advisory(
    sessions: sessionmaker[Session],
    engine: Engine,
    name: str,
    holder: str,
    ttl: timedelta,
    now: datetime,
    owner: store.Owner,
) -> Lease:
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    try:
        got = connection.execute(
            text(f"SELECT pg_try_advisory_lock({ADVISORY_KEY})"), {"name": name}
        )
        if not got.scalar():
            connection.close()
            with sessions() as session:
                row = store.current(session, name)
            raise LockBusy(name, row.holder if row else "(unknown)", row.expires_at if row else now)
        with sessions.begin() as session:
            store.overwrite(session, name, holder, now, now + ttl, owner)
    except SQLAlchemyError:
        connection.invalidate()  # ends the session, and with it any advisory lock it took
        raise
    log.info("lock %s taken by %s", name, holder)
    return Lease(name, holder, ttl, connection=connection)


def refresh(sessions: sessionmaker[Session], held: Lease, *, clock: Clock = utc_now) -> bool:
    """Push the expiry forward; False (and `lost` set) when the lease is no longer ours."""
    with sessions.begin() as session:
        still_ours = store.refresh(session, held.name, held.holder, clock() + held.ttl)
    if not still_ours:
        log.error("lock %s was taken over while %s held it", held.name, held.holder)
        held.lost.set()
    return still_ours


def release(sessions: sessionmaker[Session], held: Lease) -> None:
    try:
        with sessions.begin() as session:
            if store.release(session, held.name, held.holder):
                log.info("lock %s released by %s", held.name, held.holder)
    finally:
        if held.connection is not None and not held.connection.closed:
            unlock = text(f"SELECT pg_advisory_unlock({ADVISORY_KEY})")
            held.connection.execute(unlock, {"name": held.name})
            held.connection.close()


@contextmanager
def lease(
    sessions: sessionmaker[Session],
    name: str,
    holder: str,
    ttl: timedelta,
    *,
    clock: Clock = utc_now,
) -> Iterator[Lease]:
    """Hold the lease `name` for the `with` block, refreshed by a heartbeat; LockBusy if held."""
    held = acquire(sessions, name, holder, ttl, clock=clock)
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(sessions, held, stop, clock), name=f"lease-{name}", daemon=True
    )
    beat.start()
    try:
        yield held
    finally:
        stop.set()
        beat.join()
        release(sessions, held)


def crawl_lock(
    sessions: sessionmaker[Session],
    holder: str,
    ttl: timedelta = CRAWL_LOCK_TTL,
    *,
    clock: Clock = utc_now,
) -> AbstractContextManager[Lease]:
    """The lock every crawl (scheduled or manual) holds while it runs; LockBusy when taken."""
    return lease(sessions, CRAWL_LOCK, holder, ttl, clock=clock)


def _heartbeat(
    sessions: sessionmaker[Session], held: Lease, stop: threading.Event, clock: Clock
) -> None:
    interval = held.ttl.total_seconds() / HEARTBEAT_FRACTION
    while not stop.wait(interval):
        try:
            if not refresh(sessions, held, clock=clock):
                return
        except SQLAlchemyError:  # the database blinked: try again; the ttl allows for two misses
            log.warning("could not refresh lock %s", held.name, exc_info=True)
