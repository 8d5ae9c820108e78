"""Named leases (`locks`) and job slots (`job_slots`): the rows that coordinate processes.

A lease is one row per name. Taking it is a single atomic statement, so two processes racing
for it cannot both win, on SQLite (writes are serialised) or PostgreSQL (the loser's UPDATE
re-checks its WHERE clause after the winner commits):

- the name is free:     INSERT ... ON CONFLICT DO NOTHING RETURNING name
- the lease has expired: UPDATE ... WHERE name = :name AND expires_at < :now RETURNING name
- its holder is dead:    UPDATE ... WHERE name = :name AND holder = :dead_holder RETURNING name
  (the caller decided the holder is dead from the row's host, pid and process_start; matching
  the holder token makes the takeover a compare-and-swap, so two takers cannot both win)
- PostgreSQL, holding the name's advisory lock: UPSERT the row (the lock proves that whoever
  the row names is gone)

Whether a row came back decides, never `rowcount` (psycopg 3 reports -1 for ON CONFLICT DO
NOTHING). Refresh and release match on the holder token, so a holder whose lease expired and was
taken over cannot extend or delete the new holder's lease.

A job slot is one row per (job, slot), inserted the same way: whoever inserts it runs the job for
that slot, everyone else skips it. The row then records when it finished and its outcome.

Every function takes a Session and leaves committing to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from clusterwatch.db.models import JobSlot, Lock


@dataclass(frozen=True)
class Owner:
    """The process that holds a lease, as stored in the row."""

    host: str | None
    pid: int | None
    process_start: str | None


NO_OWNER = Owner(None, None, None)


@dataclass(frozen=True)
class LeaseRow:
    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime
    owner: Owner = NO_OWNER


def insert_ignoring_conflict(
    session: Session, model: Any, values: dict[str, Any], returning: InstrumentedAttribute[Any]
) -> bool:
    """INSERT `values` unless a row with the same key exists; True when this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(returning)
    return session.execute(statement).first() is not None


def _values(
    name: str, holder: str, now: datetime, expires_at: datetime, owner: Owner
) -> dict[str, Any]:
    return {
        "name": name,
        "holder": holder,
        "acquired_at": now,
        "expires_at": expires_at,
        "host": owner.host,
        "pid": owner.pid,
        "process_start": owner.process_start,
    }


def try_insert(
    session: Session, name: str, holder: str, now: datetime, expires_at: datetime, owner: Owner
) -> bool:
    """Take the lease `name` if nobody holds it; True when taken."""
    values = _values(name, holder, now, expires_at, owner)
    return insert_ignoring_conflict(session, Lock, values, Lock.name)


def take_over(
    session: Session,
    name: str,
    holder: str,
    now: datetime,
    expires_at: datetime,
    owner: Owner,
    *,
    expired_before: datetime | None = None,
    dead_holder: str | None = None,
) -> bool:
    """Take the lease from an expired lease (`expired_before`) or a dead `dead_holder`."""
    condition = (
        Lock.holder == dead_holder if dead_holder is not None else Lock.expires_at < expired_before
    )
    values = _values(name, holder, now, expires_at, owner)
    del values["name"]
    statement = update(Lock).where(Lock.name == name, condition).values(**values)
    return session.execute(statement.returning(Lock.name)).first() is not None


def overwrite(
    session: Session, name: str, holder: str, now: datetime, expires_at: datetime, owner: Owner
) -> None:
    """Write the row whatever it held: for a caller that holds the name's advisory lock."""
    values = _values(name, holder, now, expires_at, owner)
    statement = postgresql.insert(Lock).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Lock.name], set_={k: v for k, v in values.items() if k != "name"}
        )
    )


def refresh(session: Session, name: str, holder: str, expires_at: datetime) -> bool:
    """Extend `holder`'s lease; False when it is no longer theirs (expired and taken over)."""
    statement = (
        update(Lock)
        .where(Lock.name == name, Lock.holder == holder)
        .values(expires_at=expires_at)
        .returning(Lock.name)
    )
    return session.execute(statement).first() is not None


def release(session: Session, name: str, holder: str) -> bool:
    """Drop `holder`'s lease; False when it was not theirs any more."""
    statement = delete(Lock).where(Lock.name == name, Lock.holder == holder).returning(Lock.name)
    return session.execute(statement).first() is not None


def current(session: Session, name: str) -> LeaseRow | None:
    """The lease row for `name`, expired or not, or None when nobody holds it."""
    row = session.execute(select(Lock).where(Lock.name == name)).scalar_one_or_none()
    if row is None:
        return None
    owner = Owner(row.host, row.pid, row.process_start)
    return LeaseRow(row.name, row.holder, row.acquired_at, row.expires_at, owner)


def claim_slot(session: Session, job: str, slot: str, now: datetime) -> bool:
    """Record that `job` runs for `slot`; False when some process already claimed that slot."""
    values = {"job": job, "slot": slot, "started_at": now}
    return insert_ignoring_conflict(session, JobSlot, values, JobSlot.id)


def finish_slot(session: Session, job: str, slot: str, now: datetime, outcome: str) -> None:
    """Record the end and the outcome of `job` in `slot`."""
    session.execute(
        update(JobSlot)
        .where(JobSlot.job == job, JobSlot.slot == slot)
        .values(finished_at=now, outcome=outcome)
    )


@dataclass(frozen=True)
class SlotRow:
    job: str
    slot: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str | None


def slots(session: Session, job: str | None = None) -> list[SlotRow]:
    """Recorded job slots, oldest first, optionally of one job only."""
    statement = select(JobSlot).order_by(JobSlot.started_at, JobSlot.id)
    if job is not None:
        statement = statement.where(JobSlot.job == job)
    return [
        SlotRow(row.job, row.slot, row.started_at, row.finished_at, row.outcome)
        for row in session.execute(statement).scalars()
    ]
