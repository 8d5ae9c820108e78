"""The rows the pipeline writes for one page, and the note that closes a run.

In:  a PageItem, its PageAnalysis and sha256, the page's last stored snapshot (Validators).
Out: plain dicts for a bulk INSERT into page_snapshots or page_confirmations; the run's note.

An unchanged page is a confirmation, never a second snapshot: a 304, or a 200 whose bytes,
status and final URL are those of the page's last snapshot (most sites send no validators, so
their unchanged pages come back whole every night; as snapshots they grew the database by 47%
a night).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clusterwatch.crawler.analysis import PageAnalysis
from clusterwatch.crawler.items import PageItem
from clusterwatch.db.store.snapshots import Validators

NOTE_MAX_CHARS = 2000  # a run's note names its failed writes, within reason
MAX_ERROR_CHARS = 500  # the reason a page's analysis failed


def unchanged(last: Validators, item: PageItem, sha: str) -> bool:
    """A 200 that brings back exactly the page's last snapshot."""
    return (last.content_hash, last.status, last.final_url) == (sha, item.status, item.final_url)


def confirmation_row(run_id: int, last: Validators, item: PageItem) -> dict[str, Any]:
    """This run saw the page's last snapshot unchanged."""
    return {"run_id": run_id, "snapshot_id": last.snapshot_id, "fetched_at": item.fetched_at}


def snapshot_row(
    run_id: int,
    item: PageItem,
    analysis: PageAnalysis | None,
    sha: str,
    error: BaseException | None = None,
) -> dict[str, Any]:
    """A new snapshot; header values are stored whole (unbounded columns, migration 0005).

    `analysis` None: the page's analysis raised `error`; the row keeps the page and the reason.
    """
    headers = item.headers
    return {
        "run_id": run_id,
        "cluster_id": item.cluster_id,
        "url": item.url,
        "final_url": item.final_url,
        "status": item.status,
        "fetched_at": item.fetched_at,
        "depth": item.depth,
        "redirects": item.redirects or None,
        "content_type": headers.get("content-type") or None,
        "encoding": analysis.encoding if analysis else None,
        "etag": headers.get("etag") or None,
        "last_modified": headers.get("last-modified") or None,
        "content_hash": sha,
        "text_hash": analysis.text_hash if analysis else None,
        "size": len(item.body),
        "analysis": analysis.to_json() if analysis else analysis_error(error),
    }


def analysis_error(error: BaseException | None) -> dict[str, Any]:
    """What a page snapshot stores when its analysis failed: the reason, bounded."""
    reason = f"{type(error).__name__}: {error}" if error else "no analysis"
    return {"error": f"analysis failed: {reason}"[:MAX_ERROR_CHARS]}


def run_note(reason: str, unwritten: int, write_failures: Mapping[str, str]) -> str | None:
    """Why a run is incomplete (None when nothing needs saying)."""
    parts = [] if reason == "finished" else [f"stopped: {reason}"]
    if write_failures:
        failures = "; ".join(f"{cid}: {why}" for cid, why in write_failures.items())
        parts.append(f"{len(write_failures)} site(s) could not be written ({failures})")
    elif unwritten and reason == "finished":
        parts.append(f"{unwritten} site(s) not written")
    return " · ".join(parts)[:NOTE_MAX_CHARS] if parts else None
