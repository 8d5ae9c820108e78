"""Keep the `clusters` table in step with the seeds: insert, update, retire, never delete.

A cluster removed from the seeds is retired (`retired_at` set) so its history stays; a cluster
that comes back is un-retired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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


@dataclass(frozen=True)
class SyncResult:
    added: tuple[str, ...]
    updated: tuple[str, ...]
    retired: tuple[str, ...]


def sync_clusters(
    session: Session, specs: Sequence[ClusterSpec], now: datetime, *, retire_missing: bool = True
) -> SyncResult:
    """Upsert every spec; with `retire_missing`, retire clusters the seeds no longer list."""
    existing = {c.id: c for c in session.scalars(select(Cluster))}
    added, updated = [], []
    for spec in specs:
        values = {
            "name": spec.name,
            "name_ja": spec.name_ja,
            "sector": spec.sector,
            "prefecture": spec.prefecture,
            "urls": list(spec.urls),
            "baseline_2016": spec.baseline_2016,
            "source": spec.source,
        }
        row = existing.get(spec.id)
        if row is None:
            session.add(Cluster(id=spec.id, first_seen=now, updated_at=now, **values))
            added.append(spec.id)
            continue
        changed = any(getattr(row, key) != value for key, value in values.items())
        if changed or row.retired_at is not None:
            for key, value in values.items():
                setattr(row, key, value)
            row.retired_at = None
            row.updated_at = now
            updated.append(spec.id)
    retired = []
    if retire_missing:
        wanted = {spec.id for spec in specs}
        for cluster_id, row in existing.items():
            if cluster_id not in wanted and row.retired_at is None:
                row.retired_at = now
                retired.append(cluster_id)
    return SyncResult(tuple(added), tuple(updated), tuple(retired))


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
