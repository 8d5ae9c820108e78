"""Read the registry (the `clusters` table) for the crawl: its live clusters and its size.

The registry is changed by monitor.registry (seeds imports and curators' edits, audited); the
crawl child only reads it, as `ClusterSpec`s (db does not import the crawler's Seed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Cluster


@dataclass(frozen=True)
class ClusterSpec:
    """What the seeds say about one cluster (db does not import the crawler's Seed)."""

    id: str
    name: str
    name_ja: str | None
    sector: str
    prefecture: str | None
    urls: tuple[str, ...]
    baseline_2016: dict[str, Any] | None
    source: str | None


def registry_specs(session: Session, only: Sequence[str] = ()) -> list[ClusterSpec]:
    """The registry's live clusters (or `only` those ids), in the order they were added."""
    query = select(Cluster).where(Cluster.retired_at.is_(None))
    if only:
        query = query.where(Cluster.id.in_(list(only)))
    rows = session.scalars(query.order_by(Cluster.first_seen, Cluster.id))
    return [
        ClusterSpec(
            id=row.id,
            name=row.name,
            name_ja=row.name_ja,
            sector=row.sector,
            prefecture=row.prefecture,
            urls=tuple(row.urls or ()),
            baseline_2016=row.baseline_2016,
            source=row.source,
        )
        for row in rows
    ]


def registry_size(session: Session) -> int:
    """How many clusters the registry holds, retired ones included (0: a fresh database)."""
    return int(session.scalar(select(func.count()).select_from(Cluster)) or 0)
