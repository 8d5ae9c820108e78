"""How recently a page's content changed: dated items, their credibility, the newest one.

In: the page's text lines, its structured dates (meta tags, ``<time>``, JSON-LD, feed and
sitemap entries), the HTTP headers and the previous snapshot's validators. Out:
``Freshness``: every dated item with a credibility and a reason, the newest credible date with
evidence, a fallback date (HTTP Last-Modified) used only when no content date exists, and the
date of each line (news rows) for the signal finder.

Each text date first gets a role (crawler/analysis/date_roles.py: update stamp, news-item
heading, running text, or content such as a period, deadline, event, eligibility range,
instalment, fiscal year, law number or founding date), then a credibility: strong (update
stamps such as 更新日 / 掲載日, dates heading a news item, metadata, feeds, sitemaps), normal
(a date in running text), content (a content date: kept with its role as evidence, never the
newest date), weak (copyright years, and a month or year without a day or update marker that
contains the crawl date: many sites print the current year automatically, and event calendars
head every page with the current month, so neither says when anything changed), fallback
(HTTP Last-Modified), ignored (after today; founding dates; years before MIN_PLAUSIBLE_YEAR;
timestamps generated per request; Last-Modified that moves while the text stays the same).

The newest credible date is the newest strong date. A page that states its own update (a
marked stamp such as 更新日 / 掲載日 / Stand:, or metadata) is dated by its main text's stamps
and headings: news headings in navigation, sidebars and footers (another section's news list,
a site-wide "latest" box) and stamps trailing an item's title there ("…について (10月31日更新)")
are then left out. A page without such a stamp is dated by every dated list on it, sidebar or
main (a card list's sidebar news list is as much the page's news as its cards); a line that
is a marked stamp (掲載日 2025年11月13日) counts wherever the template put it. A date
in running text is kept (normal) but never the newest date: the label rules of the real corpus,
and what a reader sees, count only stamps; prose dates on real pages are mostly history, laws
and announcements. A stamp or heading at most STAMP_FUTURE_DAYS after today still counts (a
post scheduled for the next morning, a site a time zone ahead); content dates after today
never do.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from itertools import accumulate

from clusterwatch.crawler.analysis import date_roles
from clusterwatch.crawler.analysis.dates import DateMatch, find_dates, normalise, parse_date_string
from clusterwatch.crawler.analysis.evidence import Evidence, snippet
from clusterwatch.crawler.analysis.text import Extracted

# Years before this are history (founding, past programmes), never a sign of current activity.
MIN_PLAUSIBLE_YEAR = 1990
# Characters before and after a date read for its role (更新日:, 締切, から, 泉南市条例第18号).
CONTEXT_BEFORE = 40
CONTEXT_AFTER = 24
# A metadata or Last-Modified timestamp this close to the fetch time was generated per request.
GENERATED_WINDOW = timedelta(minutes=10)
# Days a stamp or news heading may lie after today and still count (scheduled posts, clocks).
STAMP_FUTURE_DAYS = 1
# Dated items kept in the stored analysis (newest first); the rest are only counted.
MAX_STORED_ITEMS = 100
# Characters of context kept as a date's evidence snippet.
DATE_SNIPPET_CHARS = 120

# A line this short is a bare date (a <dt> or table cell); its evidence adds the next line.
DATE_ONLY_LINE_CHARS = 24

_CREDIBLE = ("strong", "normal")
# Roles whose dates never date a line for the signal finder (not when anything happened there).
_UNDATED_ROLES = ("copyright", "founding", "law", "eligibility")


def line_starts(text: str) -> list[int]:
    """Offset of every line of ``text`` (for bisecting a position to its line)."""
    return list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))


@dataclass(frozen=True)
class DatedItem:
    """A date seen on a page, how far it is believed, why, and the passage it came from."""

    date: date
    precision: str
    source: str
    credibility: str
    reason: str
    text: str
    role: str = "text"


@dataclass(frozen=True)
class RawDate:
    """A date string from structured data, before parsing: source, value, context."""

    source: str
    value: str
    context: str


@dataclass(frozen=True)
class Freshness:
    """Dated items and the conclusions drawn from them."""

    items: tuple[DatedItem, ...]
    newest_date: date | None
    newest_evidence: Evidence | None
    fallback_date: date | None
    fallback_evidence: Evidence | None
    line_dates: tuple[date | None, ...]


def structured_dates(extracted: Extracted) -> tuple[RawDate, ...]:
    """The date strings an HTML page states in its metadata."""
    found = [
        RawDate(f"meta:{key}", value, f'<meta {key}="{value}">')
        for key, value in extracted.meta_dates
    ]
    found += [
        RawDate("time", value, text or value) for value, text in extracted.time_dates if value
    ]
    found += [
        RawDate(f"jsonld:{key}", value, f'"{key}": "{value}"')
        for key, value in extracted.jsonld_dates
    ]
    return tuple(found)


def _contains(match: DateMatch, today: date) -> bool:
    """Whether a month- or year-precision date names the period ``today`` falls in."""
    if match.precision == "year":
        return match.value.year == today.year
    if match.precision == "month":
        return (match.value.year, match.value.month) == (today.year, today.month)
    return False


def _classify_text(match: DateMatch, role: str, today: date) -> tuple[str, str]:
    if match.value.year < MIN_PLAUSIBLE_YEAR:
        return "ignored", "implausible"
    if match.copyright:
        return "weak", "copyright"
    stamp = role in (date_roles.STAMP, date_roles.HEADING)
    if match.value > today + timedelta(days=STAMP_FUTURE_DAYS if stamp else 0):
        return "ignored", "future"
    if role == "founding":
        return "ignored", "founding"
    if role in date_roles.CONTENT_ROLES:
        return "content", role
    if role == date_roles.LISTED:
        return "normal", "date_list"
    if role == date_roles.STAMP:
        return "strong", "update_marker"
    if _contains(match, today):
        return "weak", "current_period"
    if role == date_roles.HEADING:
        return "strong", "heading"
    return "normal", "text"


def _text_items(
    lines: Sequence[str],
    today: date,
    normalised: str | None,
    dates: Sequence[DateMatch] | None,
    main_lines: int,
) -> tuple[list[DatedItem], list[date | None]]:
    text = normalise("\n".join(lines)) if normalised is None else normalised
    starts = line_starts(text)
    line_dates: list[date | None] = [None] * len(starts)
    items: list[DatedItem] = []
    matches = find_dates(text) if dates is None else dates
    indexes = [bisect.bisect_right(starts, match.start) - 1 for match in matches]
    ends = [*(start - 1 for start in starts[1:]), len(text)]
    listed = date_roles.listed_lines(
        (index, match.value)
        for match, index in zip(matches, indexes, strict=True)
        if date_roles.is_bare(text[starts[index] : match.start], text[match.end : ends[index]])
    )
    for match, index in zip(matches, indexes, strict=True):
        line_start, line_end = starts[index], ends[index]
        context_start = max(line_start, match.start - CONTEXT_BEFORE)
        context_end = min(line_end, match.end + CONTEXT_AFTER)
        following = text[line_end + 1 : line_end + 1 + CONTEXT_AFTER].split("\n", 1)[0]
        role = (
            "copyright"
            if match.copyright
            else date_roles.role_of(
                text[context_start:context_end],
                match.start - context_start,
                match.end - context_start,
                match.precision,
                date_roles.lines_above(text, starts, index) if line_start == context_start else (),
                following if line_end == context_end else "",
            ).name
        )
        if role == date_roles.HEADING and index in listed:
            role = date_roles.LISTED
        credibility, reason = _classify_text(match, role, today)
        if (
            reason == "update_marker"
            and index >= main_lines
            and not date_roles.opens_line(text[line_start : match.start])
        ):
            reason = "item_stamp"  # "(令和7年10月31日更新)" after a link in a sidebar list
        lo = max(line_start, match.start - DATE_SNIPPET_CHARS // 2)
        passage = text[lo : min(line_end, lo + DATE_SNIPPET_CHARS)]
        if line_end - line_start <= DATE_ONLY_LINE_CHARS and index + 1 < len(starts):
            passage += (
                " " + text[line_end + 1 : line_end + 1 + DATE_SNIPPET_CHARS].split("\n", 1)[0]
            )
        items.append(
            DatedItem(
                match.value,
                match.precision,
                "text" if index < main_lines else "boilerplate",
                credibility,
                reason,
                snippet(passage),
                role,
            )
        )
        if role not in _UNDATED_ROLES and reason != "implausible":
            current = line_dates[index]
            line_dates[index] = match.value if current is None else max(current, match.value)
    return items, line_dates[: len(lines)]


def _classify_structured(raw: RawDate, fetched_at: datetime, today: date) -> DatedItem | None:
    parsed = parse_date_string(raw.value)
    if parsed is None:
        return None
    value, precision, stamp = parsed
    if value.year < MIN_PLAUSIBLE_YEAR:
        credibility, reason = "ignored", "implausible"
    elif value > today:
        credibility, reason = "ignored", "future"
    elif stamp is not None and abs(stamp - fetched_at) <= GENERATED_WINDOW:
        credibility, reason = "ignored", "generated"
    else:
        credibility, reason = "strong", raw.source
    return DatedItem(
        value,
        precision,
        raw.source,
        credibility,
        reason,
        snippet(raw.context, DATE_SNIPPET_CHARS),
        "metadata",
    )


def _http_item(
    headers: Mapping[str, str],
    fetched_at: datetime,
    today: date,
    previous_last_modified: str | None,
    previous_text_hash: str | None,
    text_hash: str,
) -> DatedItem | None:
    header = headers.get("last-modified")
    if not header:
        return None
    parsed = parse_date_string(header)
    if parsed is None or parsed[2] is None:
        return None
    value, stamp = parsed[0], parsed[2]
    if stamp is None:
        return None
    served = headers.get("date")
    try:
        served_at = parsedate_to_datetime(served) if served else fetched_at
    except (ValueError, TypeError, IndexError):
        served_at = fetched_at
    if value > today:
        credibility, reason = "ignored", "future"
    elif abs(stamp - served_at) <= GENERATED_WINDOW or abs(stamp - fetched_at) <= GENERATED_WINDOW:
        credibility, reason = "ignored", "generated"
    elif (
        previous_last_modified
        and previous_last_modified != header
        and previous_text_hash == text_hash
    ):
        credibility, reason = "ignored", "changes_with_same_text"
    elif value.year < MIN_PLAUSIBLE_YEAR:
        credibility, reason = "ignored", "implausible"
    else:
        credibility, reason = "fallback", "http_last_modified"
    return DatedItem(
        value, "day", "http", credibility, reason, f"Last-Modified: {header[:60]}", "http"
    )


def assess(
    *,
    url: str,
    lines: Sequence[str],
    structured: Sequence[RawDate],
    headers: Mapping[str, str],
    today: date,
    fetched_at: datetime,
    previous_last_modified: str | None,
    previous_text_hash: str | None,
    text_hash: str,
    normalised: str | None = None,
    dates: Sequence[DateMatch] | None = None,
    main_lines: int | None = None,
) -> Freshness:
    """Find, judge and rank every date of one page.

    ``normalised``: ``normalise("\\n".join(lines))`` and ``dates``: ``find_dates`` of it, when
    the caller has them already. ``main_lines``: how many of ``lines`` are main content (the
    rest is navigation, sidebars, footers); all of them when not given.
    """
    main = len(lines) if main_lines is None else main_lines
    items, line_dates = _text_items(lines, today, normalised, dates, main)
    for raw in structured:
        item = _classify_structured(raw, fetched_at, today)
        if item:
            items.append(item)
    http = _http_item(
        headers, fetched_at, today, previous_last_modified, previous_text_hash, text_hash
    )
    strong = [item for item in items if item.credibility == "strong"]
    marked = any(i.reason == "update_marker" or i.role == "metadata" for i in strong)
    stamps = [i for i in strong if i.source != "boilerplate" or i.reason == "update_marker"]
    stamps = stamps if marked and stamps else strong
    newest = max(stamps, key=lambda i: i.date, default=None)
    if http:
        items.append(http)
    fallback = http if http and http.credibility == "fallback" else None
    items.sort(key=lambda i: (i.credibility not in _CREDIBLE, -i.date.toordinal()))
    return Freshness(
        items=tuple(items[:MAX_STORED_ITEMS]),
        newest_date=newest.date if newest else None,
        newest_evidence=Evidence(url, newest.text) if newest else None,
        fallback_date=fallback.date if fallback else None,
        fallback_evidence=Evidence(url, fallback.text) if fallback else None,
        line_dates=tuple(line_dates),
    )
