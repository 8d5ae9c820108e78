"""Page snapshots and the bodies they point at, stored once per sha256, zstd-compressed.

A snapshot row is written for every fetch and never overwritten. The raw body is stored once per
distinct sha256 however many snapshots point at it, compressed with zstd (about 6x on HTML, much
faster than zlib), together with the text the analysis extracted. An unchanged page is not a
snapshot: a 304 Not Modified, or a 200 whose bytes (sha256), status and final URL are those of
the page's last snapshot (most sites send no validators), is a narrow page_confirmations row
naming the snapshot it confirmed (a full row per unchanged page grew the database by ~47% a
night for nothing new).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import zstandard
from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from clusterwatch.db.models import Body, PageConfirmation, PageSnapshot

ZSTD_LEVEL = 3  # ~6x on HTML at a fraction of zlib's time; higher levels buy little on small pages


@dataclass(frozen=True)
class BodyToStore:
    sha256: str
    raw: bytes
    text: str | None


@dataclass(frozen=True)
class Validators:
    """What the last good fetch of a URL left for a conditional request."""

    snapshot_id: int  # the snapshot a 304 confirms
    etag: str | None
    last_modified: str | None
    content_hash: str
    text_hash: str | None
    content_type: str | None
    final_url: str
    status: int


def store_bodies(session: Session, bodies: Iterable[BodyToStore], now: datetime) -> int:
    """Insert the bodies not stored yet; returns how many were new."""
    pending = {body.sha256: body for body in bodies}
    if not pending:
        return 0
    known = set(session.scalars(select(Body.sha256).where(Body.sha256.in_(list(pending)))))
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
    rows = [
        {
            "sha256": body.sha256,
            "size": len(body.raw),
            "body_zstd": compressor.compress(body.raw),
            "text_zstd": None if body.text is None else compressor.compress(body.text.encode()),
            "created_at": now,
        }
        for sha, body in pending.items()
        if sha not in known
    ]
    if rows:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(Body).on_conflict_do_nothing(index_elements=["sha256"]), rows)
    return len(rows)


def add_snapshots(session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
    """A bulk INSERT of plain rows: no ORM object to build and flush per snapshot."""
    values = [dict(row) for row in rows]
    if values:
        session.execute(insert(PageSnapshot), values)


def add_confirmations(session: Session, rows: Iterable[Mapping[str, Any]]) -> None:
    """304s of this run: (run_id, snapshot_id, fetched_at) rows, one bulk INSERT."""
    values = [dict(row) for row in rows]
    if values:
        session.execute(insert(PageConfirmation), values)


def latest_validators(
    session: Session, cluster_ids: Iterable[str]
) -> dict[tuple[str, str], Validators]:
    """(cluster_id, url) -> the validators of its latest snapshot that has a body."""
    ids = list(cluster_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(PageSnapshot.id))
        .where(PageSnapshot.cluster_id.in_(ids), PageSnapshot.content_hash.is_not(None))
        .group_by(PageSnapshot.cluster_id, PageSnapshot.url)
    )
    snapshots = session.scalars(select(PageSnapshot).where(PageSnapshot.id.in_(latest)))
    return {
        (s.cluster_id, s.url): Validators(
            snapshot_id=s.id,
            etag=s.etag,
            last_modified=s.last_modified,
            content_hash=s.content_hash or "",
            text_hash=s.text_hash,
            content_type=s.content_type,
            final_url=s.final_url,
            status=s.status,
        )
        for s in snapshots
    }


def load_body(session: Session, sha256: str) -> bytes | None:
    """The raw body; a Core query, since a revisit's 304s load one body each, on the reactor."""
    bodies = Body.__table__.c
    query = select(bodies.body_zstd).where(bodies.sha256 == sha256)
    compressed = session.connection().execute(query).scalar()
    if compressed is None:
        return None
    return zstandard.ZstdDecompressor().decompress(compressed)


def load_text(session: Session, sha256: str) -> str | None:
    compressed = session.scalar(select(Body.text_zstd).where(Body.sha256 == sha256))
    if compressed is None:
        return None
    return zstandard.ZstdDecompressor().decompress(compressed).decode()
