"""The weekly digest's rows: the outbox it writes and the week's flags it reads.

`digest_outbox` holds one row per ISO week with the whole message, frozen when the row is
created. Delivery is claim, send, mark (see monitor.outbox for why in that order):

- claim:   UPDATE ... SET sent_at = now, last_error = <in-flight marker>
           WHERE week = :week AND sent_at IS NULL RETURNING week     (one claimant wins)
- send:    outside any transaction
- mark:    last_error = NULL (delivered), or sent_at = NULL, last_error = <error> (retry later)

Every function takes a Session and leaves committing to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clusterwatch.db.models import Cluster, DigestOutbox, Flag
from clusterwatch.db.store.locks import insert_ignoring_conflict

IN_FLIGHT_PREFIX = "in flight since "  # last_error while a claimant is sending
EXCLUDED_FLAG_STATES = ("dismissed",)  # curators judged these wrong: not news


@dataclass(frozen=True)
class OutboxRow:
    week: str
    subject: str
    message: bytes
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None

    @property
    def delivered(self) -> bool:
        return self.sent_at is not None and self.last_error is None

    @property
    def in_flight(self) -> bool:
        """Claimed but not marked: being sent now, or the sender died mid-way (uncertain)."""
        return self.sent_at is not None and (self.last_error or "").startswith(IN_FLIGHT_PREFIX)


@dataclass(frozen=True)
class FlagRow:
    id: int
    cluster_id: str
    cluster_name: str
    kind: str
    state: str
    created_at: datetime
    evidence: list[Any]


def add(session: Session, week: str, subject: str, message: bytes, now: datetime) -> bool:
    """Record the week's message unless the week already has one; True when this call added it."""
    values = {
        "week": week,
        "subject": subject,
        "message": message,
        "created_at": now,
        "attempts": 0,
    }
    return insert_ignoring_conflict(session, DigestOutbox, values, DigestOutbox.week)


def get(session: Session, week: str) -> OutboxRow | None:
    row = session.get(DigestOutbox, week)
    return None if row is None else _row(row)


def unsent_weeks(session: Session) -> list[str]:
    """Weeks whose digest is neither delivered nor being delivered, oldest first."""
    statement = (
        select(DigestOutbox.week).where(DigestOutbox.sent_at.is_(None)).order_by(DigestOutbox.week)
    )
    return list(session.execute(statement).scalars())


def claim(session: Session, week: str, now: datetime, claimant: str) -> bool:
    """Take the week's unsent digest for sending; False when it is sent or someone else has it."""
    statement = (
        update(DigestOutbox)
        .where(DigestOutbox.week == week, DigestOutbox.sent_at.is_(None))
        .values(
            sent_at=now,
            attempts=DigestOutbox.attempts + 1,
            last_error=f"{IN_FLIGHT_PREFIX}{now.isoformat()} by {claimant}",
        )
        .returning(DigestOutbox.week)
    )
    return session.execute(statement).first() is not None


def mark_delivered(session: Session, week: str, now: datetime) -> None:
    session.execute(
        update(DigestOutbox).where(DigestOutbox.week == week).values(sent_at=now, last_error=None)
    )


def mark_uncertain(session: Session, week: str, why: str) -> None:
    """The message may have been delivered: keep the row in flight, saying why."""
    row = session.get_one(DigestOutbox, week)
    row.last_error = f"{row.last_error or IN_FLIGHT_PREFIX}; {why}"


def mark_failed(session: Session, week: str, error: str) -> None:
    """The send failed before the server took the message: back in the queue for the next try."""
    session.execute(
        update(DigestOutbox).where(DigestOutbox.week == week).values(sent_at=None, last_error=error)
    )


def week_flags(session: Session, start: datetime, end: datetime) -> list[FlagRow]:
    """Flags raised in [start, end), except dismissed ones, with their cluster's name."""
    statement = (
        select(Flag, Cluster.name)
        .join(Cluster, Cluster.id == Flag.cluster_id)
        .where(
            Flag.created_at >= start,
            Flag.created_at < end,
            Flag.state.not_in(EXCLUDED_FLAG_STATES),
        )
        .order_by(Flag.kind, Cluster.name, Flag.id)
    )
    return [
        FlagRow(
            flag.id, flag.cluster_id, name, flag.kind, flag.state, flag.created_at, flag.evidence
        )
        for flag, name in session.execute(statement)
    ]


def open_flags(session: Session) -> list[FlagRow]:
    """Every open flag with its cluster's name, newest first."""
    statement = (
        select(Flag, Cluster.name)
        .join(Cluster, Cluster.id == Flag.cluster_id)
        .where(Flag.state == "open")
        .order_by(Flag.created_at.desc(), Flag.id.desc())
    )
    return [
        FlagRow(
            flag.id, flag.cluster_id, name, flag.kind, flag.state, flag.created_at, flag.evidence
        )
        for flag, name in session.execute(statement)
    ]


def open_flag_count(session: Session) -> int:
    statement = select(func.count()).select_from(Flag).where(Flag.state == "open")
    return int(session.execute(statement).scalar_one())


def _row(row: DigestOutbox) -> OutboxRow:
    return OutboxRow(
        row.week,
        row.subject,
        row.message,
        row.created_at,
        row.sent_at,
        row.attempts,
        row.last_error,
    )
