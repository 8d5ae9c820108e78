"""The pages the crawler saw for one cluster, and the extracted text of two snapshots to diff.

Bodies are stored once per sha256, zstd-compressed, with their extracted text; the diff works on
that text (not the HTML), so markup noise does not hide what a reader would see change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import zstandard
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.db.models import Body, PageConfirmation, PageSnapshot

MAX_SNAPSHOTS = 100  # choices offered in the diff form, newest first
MAX_TEXT_BYTES = 2_000_000  # decompression cap: a hostile body cannot exhaust memory


@dataclass(frozen=True)
class PageSeen:
    """One URL of a cluster: its full fetches (snapshots), its 304 revisits, its texts."""

    url: str
    snapshots: int
    not_modified: int
    versions: int
    last_id: int
    last_fetched: datetime

    @property
    def fetches(self) -> int:
        return self.snapshots + self.not_modified


@dataclass(frozen=True)
class SnapshotChoice:
    id: int
    fetched_at: datetime
    status: int
    text_hash: str | None


def pages_seen(session: Session, cluster_id: str) -> list[PageSeen]:
    """Every URL fetched for the cluster; a 304 revisit counts as a fetch of the page it
    confirmed, so a page unchanged for months still shows last night's visit."""
    confirmed = {
        url: (count, newest)
        for url, count, newest in session.execute(
            select(PageSnapshot.url, func.count(), func.max(PageConfirmation.fetched_at))
            .join(PageSnapshot, PageConfirmation.snapshot_id == PageSnapshot.id)
            .where(PageSnapshot.cluster_id == cluster_id)
            .group_by(PageSnapshot.url)
        )
    }
    rows = session.execute(
        select(
            PageSnapshot.url,
            func.count(),
            func.count(PageSnapshot.text_hash.distinct()),
            func.max(PageSnapshot.id),
            func.max(PageSnapshot.fetched_at),
        )
        .where(PageSnapshot.cluster_id == cluster_id)
        .group_by(PageSnapshot.url)
        .order_by(PageSnapshot.url)
    )
    pages = []
    for url, count, versions, last_id, fetched in rows:
        revisits, revisited = confirmed.get(url, (0, fetched))
        pages.append(PageSeen(url, count, revisits, versions, last_id, max(fetched, revisited)))
    return pages


def snapshots_of(session: Session, cluster_id: str, url: str) -> list[SnapshotChoice]:
    rows = session.execute(
        select(
            PageSnapshot.id, PageSnapshot.fetched_at, PageSnapshot.status, PageSnapshot.text_hash
        )
        .where(PageSnapshot.cluster_id == cluster_id, PageSnapshot.url == url)
        .order_by(PageSnapshot.id.desc())
        .limit(MAX_SNAPSHOTS)
    )
    return [SnapshotChoice(*row) for row in rows]


def default_pair(choices: list[SnapshotChoice]) -> tuple[int, int] | None:
    """(older, newer): the newest snapshot and the newest one before it with different text."""
    if len(choices) < 2:
        return None
    newest = choices[0]
    for older in choices[1:]:
        if older.text_hash != newest.text_hash:
            return older.id, newest.id
    return choices[1].id, newest.id


def snapshot_text(session: Session, cluster_id: str, snapshot_id: int) -> str | None:
    """The extracted text of a snapshot of this cluster; None when absent or never extracted."""
    row = session.execute(
        select(Body.text_zstd)
        .join(PageSnapshot, PageSnapshot.content_hash == Body.sha256)
        .where(PageSnapshot.id == snapshot_id, PageSnapshot.cluster_id == cluster_id)
    ).one_or_none()
    if row is None or row[0] is None:
        return None
    with zstandard.ZstdDecompressor().stream_reader(row[0]) as stream:
        raw = stream.read(MAX_TEXT_BYTES)
    return raw.decode("utf-8", errors="replace")
