"""EU-cooperation signals and other international signals in a page's main content.

In: the page URL, its main-content lines, the date of each line (news rows) and the page's
newest credible date. Out: ``Signal`` tuples (EU, then Asia/America and generic), each with
the entities and cooperation words seen, its date and a snippet.

A signal is a passage where a European entity (from ``data/eu_lexicon.yaml``) meets a
cooperation word. The passage is the text line (a news row, a paragraph) or, for long
paragraphs, a window around the entity. A signal's date is its line's date, else the date of
a line just above (a <dt> date before its <dd> headline), else the page's date.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from clusterwatch.crawler.analysis import lexicon
from clusterwatch.crawler.analysis.dates import normalise
from clusterwatch.crawler.analysis.evidence import snippet
from clusterwatch.crawler.analysis.freshness import line_starts

# Characters either side of an entity that form its passage within a long line.
PASSAGE_CHARS = 120
# Lines above a signal searched for its news-row date (date in <dt>, headline in <dd>).
DATE_LOOKBACK_LINES = 2
# Signals kept per page and kind (a page of a thousand rows cannot flood the store).
MAX_SIGNALS = 30
_GROUPS = {
    "european_entities": "eu",
    "asia_america": "asia_america",
    "generic_international": "generic",
}


@dataclass(frozen=True)
class Signal:
    """An international passage: kind (eu | asia_america | generic), date, URL and evidence."""

    kind: str
    date: date | None
    url: str
    text: str
    entities: tuple[str, ...]
    cooperation: tuple[str, ...]


def _line_date(
    index: int, line_dates: Sequence[date | None], page_date: date | None
) -> date | None:
    for back in range(DATE_LOOKBACK_LINES + 1):
        if index - back >= 0 and line_dates[index - back] is not None:
            return line_dates[index - back]
    return page_date


@functools.cache
def _scan_all(group: str) -> bool:
    """False when every entity of ``group`` needs a cooperation word in its passage."""
    return not all(entity.needs_cooperation for entity in lexicon.entities(group)[1].values())


def _cooperation_lines(text: str, folded: str, starts: list[int]) -> list[tuple[int, int]]:
    """Spans of the lines (runs of adjacent lines merged) holding a cooperation word as
    plain text, boundary rules aside: only there can an entity that needs one count, and
    scanning them for the long entity alternation is much cheaper than the whole text."""
    spans: list[tuple[int, int]] = []
    for match in lexicon.cooperation().pattern.finditer(folded):
        index = bisect.bisect_right(starts, match.start()) - 1
        start = starts[index]
        end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        if spans and spans[-1][1] + 1 >= start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _hits(
    text: str, folded: str, group: str, spans: list[tuple[int, int]] | None
) -> list[tuple[int, int, str]]:
    """(start, end, entity name) of every valid entity of ``group`` in ``text``, or in the
    ``spans`` of it (whole lines) when given."""
    matcher, table = lexicon.entities(group)
    occurrences = (
        matcher.finditer(text, folded)
        if spans is None
        else (hit for lo, hi in spans for hit in matcher.finditer(text, folded, lo, hi))
    )
    found = []
    for start, end, term in occurrences:
        entity = table.get(lexicon.key(term))
        if entity is None:
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        lo = max(line_start, start - PASSAGE_CHARS)
        hi = min(line_end, end + PASSAGE_CHARS)
        passage = text[lo:hi]
        if entity.not_followed_by and text.startswith(entity.not_followed_by, end):
            continue
        if entity.requires_any and not any(word in passage for word in entity.requires_any):
            continue
        if entity.needs_cooperation and not lexicon.cooperation().search(passage):
            continue
        found.append((lo, hi, entity.name))
    return found


def find_signals(
    url: str,
    main: Sequence[str],
    line_dates: Sequence[date | None],
    page_date: date | None,
    normalised: str | None = None,
) -> tuple[tuple[Signal, ...], tuple[Signal, ...]]:
    """EU signals and other international signals of one page, in page order.

    ``normalised``: ``normalise("\\n".join(main))`` when the caller has it already.
    """
    text = normalise("\n".join(main)) if normalised is None else normalised
    folded = lexicon.fold(text)
    starts = line_starts(text)
    cooperating = _cooperation_lines(text, folded, starts)
    eu_lines: set[int] = set()
    found: dict[str, list[Signal]] = {"eu": [], "asia_america": [], "generic": []}
    for group, kind in _GROUPS.items():
        by_line: dict[int, list[tuple[int, int, str]]] = {}
        for hit in _hits(text, folded, group, None if _scan_all(group) else cooperating):
            by_line.setdefault(bisect.bisect_right(starts, hit[0]) - 1, []).append(hit)
        for index, hits in sorted(by_line.items()):
            if kind == "generic" and index in eu_lines:
                continue  # an EU passage is not also counted as a generic one
            if kind == "eu":
                eu_lines.add(index)
            lo, hi = min(h[0] for h in hits), max(h[1] for h in hits)
            passage = text[lo:hi]
            words = tuple(dict.fromkeys(m[2] for m in lexicon.cooperation().finditer(passage)))
            signal = Signal(
                kind,
                _line_date(index, line_dates, page_date),
                url,
                snippet(passage),
                tuple(dict.fromkeys(h[2] for h in hits)),
                words,
            )
            if len(found[kind]) < MAX_SIGNALS:
                found[kind].append(signal)
    return tuple(found["eu"]), (*found["asia_america"], *found["generic"])
