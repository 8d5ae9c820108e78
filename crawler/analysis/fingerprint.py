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

from clusterwatch.crawler.analysis.dates import DateMatch, find_dates, normalise

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


def text_hash(
    lines: Sequence[str],
    today: date,
    normalised: str | None = None,
    dates: Sequence[DateMatch] | None = None,
) -> str:
    """sha256 hex of the normalised text; stable across nights for an unchanged page.

    ``normalised``: ``normalise("\\n".join(lines))`` and ``dates``: ``find_dates`` of it, when
    the caller has them already (freshness needs the same dates; NFKC and the date scan are
    the costly steps).
    """
    text = normalise("\n".join(lines)) if normalised is None else normalised
    volatile = {today, today - timedelta(days=1)}
    kept, cursor = [], 0
    for match in find_dates(text) if dates is None else dates:  # in text order, disjoint
        if match.value in volatile and match.precision == "day":
            kept.append(text[cursor : match.start])
            cursor = match.end
    kept.append(text[cursor:])
    text = _CLOCK.sub("", "".join(kept).lower())
    text = _COUNTER.sub("", text)
    text = _TOKEN.sub(_drop_tokens, text)
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
