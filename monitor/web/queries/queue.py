"""The review queue: open flags, oldest first, filtered by kind and sector, with their cluster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Cluster, Flag

PAGE_SIZE = 50  # flags per page: a curator's sitting, and a fast page


@dataclass(frozen=True)
class QueueItem:
    id: int
    kind: str
    created_at: datetime
    run_id: int | None
    evidence: list[dict[str, Any]]
    cluster_id: str
    cluster_name: str
    sector: str


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    total: int
    kinds: list[str]
    sectors: list[str]


def _evidence(raw: Any) -> list[dict[str, Any]]:
    """The flag's evidence as a list of dicts, whatever shape a future writer stores."""
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [item if isinstance(item, dict) else {"text": str(item)} for item in raw]


def load_queue(session: Session, kind: str | None, sector: str | None, offset: int = 0) -> Queue:
    conditions = [Flag.state == "open"]
    if kind:
        conditions.append(Flag.kind == kind)
    if sector:
        conditions.append(Cluster.sector == sector)
    base = select(Flag, Cluster.name, Cluster.sector).join(Cluster, Cluster.id == Flag.cluster_id)
    rows = session.execute(
        base.where(*conditions)
        .order_by(Flag.created_at, Flag.id)
        .offset(max(offset, 0))
        .limit(PAGE_SIZE)
    ).all()
    total = session.scalar(
        select(func.count())
        .select_from(Flag)
        .join(Cluster, Cluster.id == Flag.cluster_id)
        .where(*conditions)
    )
    kinds = session.scalars(
        select(Flag.kind).where(Flag.state == "open").distinct().order_by(Flag.kind)
    ).all()
    sectors = session.scalars(select(Cluster.sector).distinct().order_by(Cluster.sector)).all()
    items = [
        QueueItem(
            id=flag.id,
            kind=flag.kind,
            created_at=flag.created_at,
            run_id=flag.run_id,
            evidence=_evidence(flag.evidence),
            cluster_id=flag.cluster_id,
            cluster_name=name,
            sector=cluster_sector,
        )
        for flag, name, cluster_sector in rows
    ]
    return Queue(items, int(total or 0), list(kinds), list(sectors))
