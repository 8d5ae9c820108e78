"""Load the real-page corpus: gold labels written by people reading each page, and the page bytes.

The pages come from tests/realcorpus/build.py (not committed, see there). A page's `saved_at` is
the day its repository saved it, so the analysis runs with that day as "today". No HTTP headers
were saved with the pages: the analysis sees the bytes alone, as with a server that names no
charset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from clusterwatch.crawler.analysis import PageInput
from tests.realcorpus.build import content_entries, labelled_entries, page_path


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def page_input(entry: dict[str, Any], body: bytes) -> PageInput:
    saved = _as_date(entry["saved_at"]) if entry.get("saved_at") else date(2026, 1, 1)
    url = entry.get("url") or f"https://{entry['repo'].replace('/', '.')}.invalid/{entry['path']}"
    return PageInput(
        url=url,
        final_url=url,
        status=200,
        headers={},
        body=body,
        fetched_at=datetime.combine(saved, time(23, 0), tzinfo=UTC),
    )


def load_labelled() -> list[tuple[dict[str, Any], PageInput]]:
    """Every labelled page whose bytes are built, with its labels, in label-file order."""
    pages = []
    for entry in labelled_entries():
        path = page_path(entry)
        if path.exists():
            pages.append((entry, page_input(entry, path.read_bytes())))
    return pages


def load_content_pages() -> list[PageInput]:
    """The unlabelled real content pages (none is parked) whose bytes are built."""
    pages = []
    for entry in content_entries():
        path = page_path(entry)
        if path.exists():
            pages.append(page_input(entry, path.read_bytes()))
    return pages


def corpus_dates(entry: dict[str, Any]) -> date | None:
    """The gold newest update date of a labelled page, or None when the page shows none."""
    value = entry.get("newest_date")
    return None if value in (None, "", "null") else _as_date(value)


def corpus_path() -> Path:
    return Path(__file__).parent
