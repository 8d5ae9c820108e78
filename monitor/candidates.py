"""The curators' discovery queue: candidates as rows, and accepting or rejecting one.

Accepting a candidate adds it to the registry through monitor.registry.add_cluster (checked as
a seeds entry, audited, crawled from the next night on) with the pages that named it as its
source; rejecting keeps it out of the queue until a page that had not named it before does
(db/store/candidates.py). Both decisions are audit events.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.analysis.lexicon import load
from clusterwatch.db.models import Candidate, CandidateSighting
from clusterwatch.db.store import audit
from clusterwatch.db.store.candidates import (
    ACCEPTED,
    OPEN,
    REJECTED,
    list_candidates,
    sightings_by_candidate,
    sightings_of,
)
from clusterwatch.monitor.registry import RegistryError, add_cluster

JSON_KEYS = (
    "id", "url", "name", "name_ja", "score", "sector", "prefecture", "english_site", "found_on",
    "first_seen", "last_seen", "state",
)  # fmt: skip
# Domain endings dropped when an id is made from a host (tohoku-mobility.or.jp -> tohoku-mobility).
_ID_SUFFIX = re.compile(r"\.(or|ac|co|lg|go|ne|ed)\.jp$|\.jp$|\.(org|com|net)$")
MAX_SOURCES = 5  # pages named in an accepted cluster's source
RULES_FILE = "discovery.yaml"  # crawler/analysis/data: the discovery rules


def queue_floor() -> float:
    """The lowest score the open queue shows (the data file's queue_min_score)."""
    return float(load(RULES_FILE)["queue_min_score"])


def _found_on(sightings: list[CandidateSighting]) -> list[dict[str, Any]]:
    found = []
    for s in sightings:
        who = {"cluster_id": s.cluster_id} if s.cluster_id else {"hub": s.source[len("hub:") :]}
        found.append({**who, "url": s.url, "anchor": s.anchor, "snippet": s.snippet})
    return found


def candidate_rows(
    sessions: sessionmaker[Session], state: str | None, min_score: float
) -> list[dict[str, Any]]:
    """The queue as JSON-ready rows with exactly JSON_KEYS (plus `evidence`), strongest first."""
    with sessions() as session:
        listed = list_candidates(session, state, min_score)
        sightings = sightings_by_candidate(session, [c.id for c in listed])
        return [
            {
                "id": c.id,
                "url": c.url,
                "name": c.name,
                "name_ja": c.name_ja,
                "score": c.score,
                "sector": c.sector,
                "prefecture": c.prefecture,
                "english_site": c.english_site,
                "found_on": _found_on(sightings[c.id]),
                "first_seen": c.first_seen.isoformat(),
                "last_seen": c.last_seen.isoformat(),
                "state": c.state,
            }
            for c in listed
        ]


def _get(session: Session, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise RegistryError(f"no candidate {candidate_id}; see `clusterwatch candidates`")
    return candidate


def default_id(host: str) -> str:
    return _ID_SUFFIX.sub("", host).replace(".", "-").lower()[:64]


def accept(
    sessions: sessionmaker[Session],
    candidate_id: int,
    actor: str,
    now: datetime,
    new_id: str | None = None,
    sector: str | None = None,
) -> str:
    """Make the candidate a cluster of the registry; returns its cluster id."""
    with sessions() as session:
        candidate = _get(session, candidate_id)
        if candidate.state == ACCEPTED:
            raise RegistryError(
                f"candidate {candidate_id} is already cluster {candidate.cluster_id!r}"
            )
        cluster_id = new_id or default_id(candidate.host)
        sources = [s.url for s in sightings_of(session, candidate.id)][:MAX_SOURCES]
        values = {
            "name": candidate.name or candidate.name_ja or candidate.host,
            "name_ja": candidate.name_ja,
            "sector": sector or candidate.sector,
            "prefecture": candidate.prefecture,
            "urls": [candidate.url],
            "source": "discovered on " + ", ".join(sources),
        }
    if not values["sector"]:
        raise RegistryError("field 'sector': no sector could be guessed; give --sector")
    add_cluster(sessions, cluster_id, values, actor, now, note=f"accepted candidate {candidate_id}")
    _decide(sessions, candidate_id, ACCEPTED, actor, now, None, cluster_id)
    return cluster_id


def reject(
    sessions: sessionmaker[Session], candidate_id: int, actor: str, now: datetime, note: str | None
) -> None:
    """Out of the queue until a page that had not named it before does."""
    _decide(sessions, candidate_id, REJECTED, actor, now, note, None)


def _decide(
    sessions: sessionmaker[Session],
    candidate_id: int,
    state: str,
    actor: str,
    now: datetime,
    note: str | None,
    cluster_id: str | None,
) -> None:
    with sessions.begin() as session:
        candidate = _get(session, candidate_id)
        if state == REJECTED and candidate.state != OPEN:
            raise RegistryError(f"candidate {candidate_id} is {candidate.state}, not open")
        old = {"state": candidate.state}
        candidate.state, candidate.note = state, note
        candidate.decided_at, candidate.decided_by = now, actor
        candidate.cluster_id = cluster_id or candidate.cluster_id
        change = audit.Change(
            actor, "candidate", str(candidate_id), f"candidate_{state}", cluster_id, old,
            {"state": state, "host": candidate.host, "cluster_id": cluster_id}, note,
        )  # fmt: skip
        audit.record(session, change, now)
