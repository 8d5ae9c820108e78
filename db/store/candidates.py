"""Discovery's rows: candidates, the pages that named them, and hubs.

The crawl writes sightings and judgements (crawler/discovery_store.py); curators read the queue
and decide (monitor/candidates.py). A rejected candidate reopens only when a page that had not
named it before does: the same links night after night are not new evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Candidate, CandidateSighting, Cluster, Hub

OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
STATES = (OPEN, ACCEPTED, REJECTED)
# A candidate's home page is fetched again after this long (its name or purpose may change).
REJUDGE_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class SeenLink:
    """One link from a crawled page to a host the registry does not hold."""

    host: str
    home: str
    source: str  # a cluster id, or "hub:<url>"
    cluster_id: str | None
    page_url: str
    link: str
    anchor: str
    snippet: str


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def registry_hosts(session: Session) -> set[str]:
    """Every host of every cluster the registry ever held (a retired cluster is not new)."""
    return {host_of(url) for urls in session.scalars(select(Cluster.urls)) for url in urls or ()}


def hosts_to_skip(session: Session, now: datetime) -> set[str]:
    """Candidates not worth a request tonight: decided, or judged recently."""
    rows = session.execute(select(Candidate.host, Candidate.state, Candidate.judged_at))
    return {
        host
        for host, state, judged in rows
        if state != OPEN or (judged is not None and now - judged < REJUDGE_AFTER)
    }


def add_sightings(
    session: Session, seen: Iterable[SeenLink], run_id: int | None, now: datetime
) -> dict[str, Candidate]:
    """Upsert candidates and their sightings; reopen a rejected one seen on a new page."""
    touched: dict[str, Candidate] = {}
    for link in seen:
        candidate = touched.get(link.host) or session.scalar(
            select(Candidate).where(Candidate.host == link.host)
        )
        if candidate is None:
            candidate = Candidate(
                host=link.host, url=link.home, score=0.0, state=OPEN, first_seen=now, last_seen=now
            )
            session.add(candidate)
            session.flush()
        candidate.last_seen = now
        touched[link.host] = candidate
        sighting = session.scalar(
            select(CandidateSighting).where(
                CandidateSighting.candidate_id == candidate.id,
                CandidateSighting.url == link.page_url,
            )
        )
        if sighting is not None:
            sighting.last_seen, sighting.anchor, sighting.snippet = now, link.anchor, link.snippet
            continue
        session.add(
            CandidateSighting(
                candidate_id=candidate.id,
                source=link.source,
                cluster_id=link.cluster_id,
                url=link.page_url,
                link=link.link,
                anchor=link.anchor,
                snippet=link.snippet,
                run_id=run_id,
                first_seen=now,
                last_seen=now,
            )
        )
        if candidate.state == REJECTED:
            candidate.state = OPEN  # new evidence: a page that had not named it before
            candidate.note = f"reopened: newly named on {link.page_url}"
    session.flush()
    return touched


def sightings_of(session: Session, candidate_id: int) -> list[CandidateSighting]:
    statement = (
        select(CandidateSighting)
        .where(CandidateSighting.candidate_id == candidate_id)
        .order_by(CandidateSighting.first_seen, CandidateSighting.id)
    )
    return list(session.scalars(statement))


def sightings_by_candidate(
    session: Session, candidate_ids: Sequence[int]
) -> dict[int, list[CandidateSighting]]:
    """The sightings of many candidates in one query (a queue page, the digest), oldest first."""
    statement = (
        select(CandidateSighting)
        .where(CandidateSighting.candidate_id.in_(list(candidate_ids)))
        .order_by(CandidateSighting.first_seen, CandidateSighting.id)
    )
    found: dict[int, list[CandidateSighting]] = {cid: [] for cid in candidate_ids}
    for sighting in session.scalars(statement):
        found[sighting.candidate_id].append(sighting)
    return found


def list_candidates(session: Session, state: str | None, min_score: float) -> list[Candidate]:
    """The queue, strongest first; `state` None means every state."""
    statement = select(Candidate).where(Candidate.score >= min_score)
    if state is not None:
        statement = statement.where(Candidate.state == state)
    return list(session.scalars(statement.order_by(Candidate.score.desc(), Candidate.id)))


def hubs(session: Session) -> list[Hub]:
    return list(session.scalars(select(Hub).order_by(Hub.id)))


def hub_urls(session: Session) -> list[str]:
    return [hub.url for hub in hubs(session)]
