"""The pipeline's rows for one page and the note that says why a run is incomplete."""

from __future__ import annotations

import hashlib
from datetime import datetime

from clusterwatch.crawler.items import PageItem
from clusterwatch.crawler.site_rows import NOTE_MAX_CHARS, run_note, unchanged
from clusterwatch.db.store.snapshots import Validators

BODY = "<html><body>お知らせ</body></html>".encode()
URL = "http://a.example.jp/"


def last_snapshot(body: bytes = BODY, status: int = 200, final_url: str = URL) -> Validators:
    sha = hashlib.sha256(body).hexdigest()
    return Validators(7, None, None, sha, None, "text/html", final_url, status)


def page(now: datetime, body: bytes = BODY, status: int = 200, final_url: str = URL) -> PageItem:
    return PageItem("a", URL, final_url, status, {}, body, now)


def test_an_identical_200_is_unchanged_and_any_difference_is_a_change(now: datetime) -> None:
    sha = hashlib.sha256(BODY).hexdigest()
    assert unchanged(last_snapshot(), page(now), sha)
    other = BODY + b" "
    assert not unchanged(last_snapshot(), page(now, other), hashlib.sha256(other).hexdigest())
    assert not unchanged(last_snapshot(status=404), page(now), sha)  # a status change is kept
    assert not unchanged(last_snapshot(final_url=URL + "moved"), page(now), sha)


def test_the_note_says_why_a_run_is_incomplete() -> None:
    assert run_note("finished", 0, {}) is None
    assert run_note("shutdown", 3, {}) == "stopped: shutdown"
    failed = run_note("finished", 1, {"kobe": "value too long for type character varying(100)"})
    assert failed == (
        "1 site(s) could not be written (kobe: value too long for type character varying(100))"
    )
    assert run_note("finished", 2, {}) == "2 site(s) not written"
    many = {f"c{n}": "x" * 100 for n in range(100)}
    assert len(run_note("finished", 100, many) or "") == NOTE_MAX_CHARS
