"""Repository functions for flags, reviews, overrides and notes.

Reads are bulk (all keys, all overrides, open-flag counts per cluster in one query each), so
the monitor and the status view never query per cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Flag, Note, Override

FLAG_STATES = ("open", "confirmed", "dismissed")
# a candidate whose evidence key has a flag in one of these states is not raised again
BLOCKING_STATES = ("open", "dismissed")


def blocking_keys(session: Session) -> set[str]:
    """Evidence keys of open or dismissed flags."""
    query = select(Flag.evidence_key).where(Flag.state.in_(BLOCKING_STATES))
    return set(session.scalars(query))


def add_flags(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert flags (cluster_id, kind, state, created_at, run_id, evidence, evidence_key)."""
    if rows:
        session.execute(insert(Flag), list(rows))


def list_flags(session: Session, state: str | None = None) -> list[Flag]:
    """Flags in `state` (all when None), oldest first."""
    query = select(Flag).order_by(Flag.created_at, Flag.id)
    if state is not None:
        query = query.where(Flag.state == state)
    return list(session.scalars(query))


def get_flag(session: Session, flag_id: int) -> Flag | None:
    return session.get(Flag, flag_id)


def open_flag_counts(session: Session) -> dict[str, int]:
    query = (
        select(Flag.cluster_id, func.count()).where(Flag.state == "open").group_by(Flag.cluster_id)
    )
    return {cluster_id: int(count) for cluster_id, count in session.execute(query)}


def overrides_by_cluster(session: Session) -> dict[str, dict[str, Override]]:
    found: dict[str, dict[str, Override]] = {}
    for override in session.scalars(select(Override)):
        found.setdefault(override.cluster_id, {})[override.field] = override
    return found


def get_override(session: Session, cluster_id: str, field: str) -> Override | None:
    return session.get(Override, (cluster_id, field))


def put_override(
    session: Session,
    cluster_id: str,
    field: str,
    value: str,
    note: str | None,
    by: str | None,
    now: datetime,
) -> Override:
    """Set (or replace) the override of one field of one cluster."""
    override = session.get(Override, (cluster_id, field))
    if override is None:
        override = Override(cluster_id=cluster_id, field=field)
        session.add(override)
    override.value, override.note, override.created_by = value, note, by
    override.created_at = now
    return override


def remove_override(session: Session, cluster_id: str, field: str) -> bool:
    """Lift an override; False when there was none."""
    result = session.execute(
        delete(Override).where(Override.cluster_id == cluster_id, Override.field == field)
    )
    return bool(getattr(result, "rowcount", 0))


def add_note(session: Session, cluster_id: str, author: str, text: str, now: datetime) -> Note:
    note = Note(cluster_id=cluster_id, author=author, text=text, created_at=now)
    session.add(note)
    session.flush()
    return note


def notes_of(session: Session, cluster_id: str) -> list[Note]:
    query = select(Note).where(Note.cluster_id == cluster_id).order_by(Note.created_at, Note.id)
    return list(session.scalars(query))
