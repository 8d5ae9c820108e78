"""Hubs: pages that list cluster organisations (a prefecture's list of industry councils, a
regional bureau's cluster page, a programme's participant list).

Curators register them; the nightly crawl fetches each hub page within its own budget (not the
clusters' page budget) and every link on it to an unknown host becomes a candidate sighting
with `hub` as its source. Adding and removing are audit events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.seeds import SeedHub
from clusterwatch.db.models import Hub
from clusterwatch.db.store import audit
from clusterwatch.monitor.registry import RegistryError

MAX_URL_CHARS = 2000


def check_url(url: str) -> str:
    """An http(s) URL with a host, or RegistryError naming the field."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > MAX_URL_CHARS:
        raise RegistryError(f"field 'url': {url!r} is not an http(s) URL with a host")
    return url.strip()


def add_hub(
    sessions: sessionmaker[Session], url: str, actor: str, now: datetime, note: str | None
) -> int:
    url = check_url(url)
    with sessions.begin() as session:
        if session.scalar(select(Hub).where(Hub.url == url)) is not None:
            raise RegistryError(f"hub {url!r} is already registered")
        hub = Hub(url=url, note=note, added_at=now, added_by=actor)
        session.add(hub)
        session.flush()
        change = audit.Change(
            actor, "hub", str(hub.id), "hub_added", None, None, {"url": url}, note
        )
        audit.record(session, change, now)
        return hub.id


def remove_hub(sessions: sessionmaker[Session], url: str, actor: str, now: datetime) -> None:
    """Remove a hub; the candidates it named keep their sightings."""
    with sessions.begin() as session:
        hub = session.scalar(select(Hub).where(Hub.url == url.strip()))
        if hub is None:
            raise RegistryError(f"no hub {url!r}; see `clusterwatch hub list`")
        change = audit.Change(actor, "hub", str(hub.id), "hub_removed", None, {"url": hub.url})
        audit.record(session, change, now)
        session.delete(hub)


def import_hubs(
    sessions: sessionmaker[Session], hubs: Sequence[SeedHub], actor: str, now: datetime
) -> list[str]:
    """Register the seeds file's hubs that are not registered yet; returns their URLs.

    A hub the file does not list is kept: hubs are removed by `clusterwatch hub remove`.
    """
    with sessions() as session:
        known = set(session.scalars(select(Hub.url)))
    added = []
    for hub in hubs:
        if hub.url not in known:
            add_hub(sessions, hub.url, actor, now, hub.note)
            known.add(hub.url)
            added.append(hub.url)
    return added
