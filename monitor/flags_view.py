"""Flags as plain records: the JSON rows of `clusterwatch flags`, shared with the web UI.

`FlagRecord.to_json()` gives exactly the keys issue 4 names: id, cluster_id, kind, state,
created_at, run_id, evidence [{url, text, date}], note, reviewer, reviewed_at. A failure's
evidence (an unreachable site's reason, a refused redirect) shows its sentence as `text` and adds
`detail`, the technical detail without Python reprs or the proxy's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Flag
from clusterwatch.db.store import flags as flag_store
from clusterwatch.monitor.reasons import evidence_reason

FLAG_STATE_CHOICES = ("open", "confirmed", "dismissed", "all")


@dataclass(frozen=True)
class FlagRecord:
    id: int
    cluster_id: str
    kind: str
    state: str
    created_at: datetime
    run_id: int | None
    evidence: tuple[dict[str, str | None], ...]
    note: str | None
    reviewer: str | None
    reviewed_at: datetime | None

    @classmethod
    def from_model(cls, flag: Flag) -> FlagRecord:
        evidence = tuple(
            _shown(flag.kind, item) for item in flag.evidence or [] if isinstance(item, dict)
        )
        return cls(
            flag.id,
            flag.cluster_id,
            flag.kind,
            flag.state,
            flag.created_at,
            flag.run_id,
            evidence,
            flag.note,
            flag.reviewer,
            flag.reviewed_at,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "cluster_id": self.cluster_id,
            "kind": self.kind,
            "state": self.state,
            "created_at": self.created_at.isoformat(),
            "run_id": self.run_id,
            "evidence": [dict(item) for item in self.evidence],
            "note": self.note,
            "reviewer": self.reviewer,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
        }


def _shown(kind: str, item: dict[str, Any]) -> dict[str, str | None]:
    """One evidence item as shown: a failure's text is its sentence (monitor.reasons), with the
    cleaned technical detail under an added `detail` key; other evidence is as stored."""
    shown = {"url": item.get("url"), "text": item.get("text"), "date": item.get("date")}
    why = evidence_reason(kind, item.get("text"))
    if why.detail is not None:
        shown["text"], shown["detail"] = why.sentence, why.detail
    return shown


def flag_rows(sessions: sessionmaker[Session], state: str = "open") -> list[FlagRecord]:
    """Flags in `state` ("all" for every state), oldest first."""
    if state not in FLAG_STATE_CHOICES:
        raise ValueError(f"state {state!r}: use one of {', '.join(FLAG_STATE_CHOICES)}")
    with sessions() as session:
        found = flag_store.list_flags(session, None if state == "all" else state)
        return [FlagRecord.from_model(flag) for flag in found]
