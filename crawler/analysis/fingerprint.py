"""The normalised-text hash that decides whether a page changed since the last night.

In: the page's visible text lines and today's date. Out: a sha256 hex digest of the text with
what changes on every request removed: clock times, today's and yesterday's dates (a "today"
banner), access counters, and long session / CSRF-like tokens. An unchanged page hashes the
same every night; a new news row changes the hash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date, timedelta

from crawler.analysis.dates import (
    ERA_LAST_YEAR,
    ERA_LETTERS,
    ERA_OFFSETS,
    MAX_MATCHES,
    DateMatch,
    find_dates,
    normalise,
)

# Tokens at least this long mixing letters and digits are session ids or CSRF tokens.
MIN_TOKEN_CHARS = 20

# (?<!\d)\d{1,2}:\d{2}..., written to start with \d so the engine jumps from digit to digit.
_CLOCK = re.compile(r"\d(?<!\d\d)\d?:\d{2}(?::\d{2})?(?!\d)")
# The lookahead lists every character a counter can start with: it fails at once elsewhere.
_COUNTER = re.compile(
    r"(?=[アカ訪閲来vVhHpP])"
    r"(?:アクセス数|訪問者数|閲覧数|来場者数|カウンター?|(?i:views?|visitors?|hits|page ?views))"
    r"[^\d\n]{0,6}[\d,]{1,15}"
)
_TOKEN = re.compile(rf"[A-Za-z0-9_\-+/=]{{{MIN_TOKEN_CHARS},200}}")


def _drop_tokens(match: re.Match[str]) -> str:
    token = match.group()
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    return "" if has_digit and has_alpha else token


def _year_marks(days: set[date]) -> set[str]:
    """Strings one of which every day-precision date of ``days`` contains: its year in
    digits, or the name or letter of an era that covers the year."""
    marks = set()
    for day in days:
        marks.add(str(day.year))
        for letter, era in ERA_LETTERS.items():
            if 1 <= day.year - ERA_OFFSETS[era] <= ERA_LAST_YEAR[era]:
                marks.update((era, letter))
    return marks


def _dates_on_marked_lines(text: str, marks: set[str]) -> list[DateMatch]:
    """The dates of the lines holding one of ``marks``, in text order: scanning only these
    lines (a few of a long news list) is much cheaper than scanning the whole text."""
    lines = set()
    for mark in marks:
        at = text.find(mark)
        while at >= 0:
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            lines.add((text.rfind("\n", 0, at) + 1, end))
            at = text.find(mark, end)
    found: list[DateMatch] = []
    for start, end in sorted(lines):
        if len(found) >= MAX_MATCHES:
            break
        found += find_dates(text, MAX_MATCHES - len(found), start, end)
    return found


def text_hash(lines: Sequence[str], today: date, normalised: str | None = None) -> str:
    """sha256 hex of the normalised text; stable across nights for an unchanged page.

    ``normalised``: ``normalise("\\n".join(lines))`` when the caller has it already (NFKC
    costs up to half a millisecond on a page of full-width text).
    """
    text = (normalise("\n".join(lines)) if normalised is None else normalised).lower()
    volatile = {today, today - timedelta(days=1)}
    for match in reversed(_dates_on_marked_lines(text, _year_marks(volatile))):
        if match.value in volatile and match.precision == "day":
            text = text[: match.start] + text[match.end :]
    text = _CLOCK.sub("", text)
    text = _COUNTER.sub("", text)
    text = _TOKEN.sub(_drop_tokens, text)
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
