"""The clusters as shown: computed state with curator overrides laid over it, one row per cluster.

Shared by `clusterwatch status`, the report, the digest and the web UI, so all show the same
thing. `ClusterRow.to_json()` gives exactly the keys issue 4 names. An overridden field shows the
curator's value; `overrides` says which fields are overridden, with the computed value kept
beside it. Three queries in all (clusters with states, overrides, open-flag counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster, ClusterState, Override
from clusterwatch.db.store import flags as flag_store
from clusterwatch.monitor.reasons import Reason, status_reason
from clusterwatch.vocabulary import Status

# what a never-evaluated cluster shows: nothing known yet
UNSEEN_REASON = "not observed: no crawl evaluated yet"
UNSEEN_ENGLISH = "none"
UNSEEN_INTERNATIONALISATION = "no_info"


@dataclass(frozen=True)
class ClusterRow:
    id: str
    name: str
    sector: str
    status: str
    status_reason: str | None
    moved_to: str | None
    last_update: date | None
    last_update_evidence: Mapping[str, Any] | None
    main_language: str | None
    english_site: str
    internationalisation: str
    eu_signals: tuple[Mapping[str, Any], ...]
    failing_streak: int
    last_crawl: datetime | None
    open_flags: int
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    timeout: float | None = None  # the crawl's download timeout, for "timed out after N s"

    @property
    def why(self) -> Reason:
        """The status reason as shown: a failure as a sentence, its technical detail apart."""
        return status_reason(self.status_reason, timeout=self.timeout)

    def to_json(self) -> dict[str, Any]:
        evidence = self.last_update_evidence or {}
        return {
            "id": self.id,
            "name": self.name,
            "sector": self.sector,
            "status": self.status,
            "why": self.why.sentence or None,
            "moved_to": self.moved_to,
            "last_update": self.last_update.isoformat() if self.last_update else None,
            "last_update_evidence": {"url": evidence.get("url"), "text": evidence.get("text")},
            "main_language": self.main_language,
            "english_site": self.english_site,
            "internationalisation": self.internationalisation,
            "eu_signals": [
                {"date": s.get("date"), "url": s.get("url"), "text": s.get("text")}
                for s in self.eu_signals
            ],
            "failing_streak": self.failing_streak,
            "last_crawl": self.last_crawl.isoformat() if self.last_crawl else None,
            "open_flags": self.open_flags,
            "overrides": {name: dict(info) for name, info in self.overrides.items()},
            "why_detail": self.why.detail,  # the failure's technical detail, cleaned
        }


def cluster_rows(
    sessions: sessionmaker[Session], now: datetime, *, timeout: float | None = None
) -> list[ClusterRow]:
    """Every cluster not retired (as of `now`), by id, with overrides applied; `timeout` is the
    crawl's download timeout, named by a timed-out site's reason."""
    with sessions() as session:
        query = (
            select(Cluster, ClusterState)
            .outerjoin(ClusterState, ClusterState.cluster_id == Cluster.id)
            .where((Cluster.retired_at.is_(None)) | (Cluster.retired_at > now))
            .order_by(Cluster.id)
        )
        pairs = list(session.execute(query))
        overrides = flag_store.overrides_by_cluster(session)
        open_flags = flag_store.open_flag_counts(session)
    return [
        _apply_overrides(
            replace(_computed(cluster, state, open_flags.get(cluster.id, 0)), timeout=timeout),
            overrides.get(cluster.id, {}),
        )
        for cluster, state in pairs
    ]


def _computed(cluster: Cluster, state: ClusterState | None, open_flags: int) -> ClusterRow:
    if state is None:
        return ClusterRow(
            cluster.id,
            cluster.name,
            cluster.sector,
            Status.UNKNOWN,
            UNSEEN_REASON,
            None,
            None,
            None,
            None,
            UNSEEN_ENGLISH,
            UNSEEN_INTERNATIONALISATION,
            (),
            0,
            None,
            open_flags,
        )
    return ClusterRow(
        id=cluster.id,
        name=cluster.name,
        sector=cluster.sector,
        status=state.status,
        status_reason=state.status_reason,
        moved_to=state.moved_to,
        last_update=state.last_update,
        last_update_evidence=state.last_update_evidence,
        main_language=state.main_language,
        english_site=state.english_site or UNSEEN_ENGLISH,
        internationalisation=state.internationalisation or UNSEEN_INTERNATIONALISATION,
        eu_signals=tuple(state.eu_signals or ()),
        failing_streak=state.failing_streak,
        last_crawl=state.last_crawl,
        open_flags=open_flags,
    )


def _apply_overrides(row: ClusterRow, overrides: Mapping[str, Override]) -> ClusterRow:
    if not overrides:
        return row
    shown: dict[str, Any] = {}
    described: dict[str, dict[str, Any]] = {}
    for name, override in sorted(overrides.items()):
        described[name] = {
            "value": override.value,
            "computed": getattr(row, name),
            "note": override.note,
            "by": override.created_by,
            "at": override.created_at.isoformat(),
        }
        shown[name] = override.value
    if "status" in shown:
        shown["status_reason"] = f"overridden by {overrides['status'].created_by or 'a curator'}"
    return replace(row, overrides=described, **shown)
