"""Retention: thin out old nights that only repeated what was already known.

Kept, always: every distinct body, every snapshot whose body, status or final URL differs from
the page's previous snapshot (every change), every site result, status history row, flag and
run. Dropped, for fetches older than the cutoff:

1. repeated snapshots: a snapshot identical (sha256, status, final URL) to the page's previous
   one, stored before unchanged pages became confirmations (or by a crawl that sent no
   validators). It becomes a confirmation of the earlier snapshot, and its own confirmations
   move there too;
2. repeated confirmations: of each snapshot's confirmations before the cutoff, only the newest
   stays ("last seen unchanged on ...").

Every function takes a Session and leaves committing to the caller; a dry run is the same work
rolled back, so its counts are exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from clusterwatch.db.models import PageConfirmation, PageSnapshot

CHUNK = 500  # ids per statement: far below SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class PruneCounts:
    repeated_snapshots: int
    repeated_confirmations: int


def prune(session: Session, cutoff: datetime) -> PruneCounts:
    """Drop repeated snapshots and confirmations fetched before `cutoff` (see the docstring)."""
    repeats = _repeated_snapshots(session, cutoff)
    for start in range(0, len(repeats), CHUNK):
        chunk = repeats[start : start + CHUNK]
        kept_of = {repeat: kept for repeat, kept, _run, _at in chunk}
        session.execute(
            insert(PageConfirmation),
            [{"run_id": run, "snapshot_id": kept, "fetched_at": at} for _r, kept, run, at in chunk],
        )
        for repeat, kept in kept_of.items():
            session.execute(
                update(PageConfirmation)
                .where(PageConfirmation.snapshot_id == repeat)
                .values(snapshot_id=kept)
            )
        session.execute(delete(PageSnapshot).where(PageSnapshot.id.in_(list(kept_of))))
    newest = select(func.max(PageConfirmation.id)).group_by(PageConfirmation.snapshot_id)
    dropped = session.execute(
        delete(PageConfirmation)
        .where(PageConfirmation.fetched_at < cutoff, PageConfirmation.id.not_in(newest))
        .returning(PageConfirmation.id)
    ).all()
    return PruneCounts(len(repeats), len(dropped))


def _repeated_snapshots(session: Session, cutoff: datetime) -> list[tuple[int, int, int, datetime]]:
    """(repeat id, the earlier snapshot it repeats, its run, its fetch time), oldest first."""
    s = PageSnapshot
    rows = session.execute(
        select(s.id, s.cluster_id, s.url, s.content_hash, s.status, s.final_url, s.run_id,
               s.fetched_at)
        .where(s.fetched_at < cutoff)
        .order_by(s.cluster_id, s.url, s.id)
    )  # fmt: skip
    repeats: list[tuple[int, int, int, datetime]] = []
    kept: tuple[int, str, str, str | None, int, str] | None = None
    for sid, cluster, url, sha, status, final, run, at in rows:
        same_page = kept is not None and kept[1:3] == (cluster, url)
        if same_page and sha is not None and kept is not None and kept[3:] == (sha, status, final):
            repeats.append((sid, kept[0], run, at))
        else:
            kept = (sid, cluster, url, sha, status, final)
    return repeats
