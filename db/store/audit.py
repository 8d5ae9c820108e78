"""The audit trail: append-only events for every change a person makes, and reading them back.

Nothing here updates or deletes an event. Values are stored as small JSON mappings so the trail
can show what a field was before and after without knowing every table's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db.models import AuditEvent


@dataclass(frozen=True)
class Change:
    """What changed, before it is written: the event minus its id."""

    actor: str
    entity: str
    entity_id: str
    action: str
    cluster_id: str | None = None
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    note: str | None = None


def record(session: Session, change: Change, at: datetime) -> AuditEvent:
    event = AuditEvent(
        at=at,
        actor=change.actor,
        entity=change.entity,
        entity_id=change.entity_id,
        cluster_id=change.cluster_id,
        action=change.action,
        old=change.old,
        new=change.new,
        note=change.note,
    )
    session.add(event)
    return event


def events_of_cluster(session: Session, cluster_id: str) -> list[AuditEvent]:
    """Every event about a cluster, its flags, overrides and notes, oldest first."""
    statement = (
        select(AuditEvent)
        .where(AuditEvent.cluster_id == cluster_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(statement))


def recent_events(session: Session, limit: int = 200) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return list(session.scalars(statement.limit(limit)))
