"""``analyze()``: one fetched page in, one ``PageAnalysis`` out.

The pipeline stage between the spider and the store. In: ``PageInput`` (URL, status, headers,
raw body, fetch time, and the previous snapshot's validators). Out: ``PageAnalysis``: decoded
main text and its normalised hash, language, dated items with credibility, the newest
credible date with evidence, EU and other international signals, and parked / soft-404 /
blocked verdicts with evidence. Pure: the only clock is ``fetched_at``.

"Today" for credibility is the Asia/Tokyo calendar date of ``fetched_at``: the sites date
their news in Japan time, so a story posted at 08:00 JST is not "in the future" at 23:00 UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from clusterwatch.crawler.analysis import feeds, fingerprint, freshness, parked, text
from clusterwatch.crawler.analysis.dates import find_dates, normalise
from clusterwatch.crawler.analysis.encoding import decode_html
from clusterwatch.crawler.analysis.eu_signals import Signal, find_signals
from clusterwatch.crawler.analysis.evidence import Evidence
from clusterwatch.crawler.analysis.freshness import DatedItem
from clusterwatch.crawler.analysis.language import LanguageResult, detect_language
from clusterwatch.crawler.analysis.parked import Verdict
from clusterwatch.crawler.analysis.serial import from_jsonable, to_jsonable

SITE_TIMEZONE = ZoneInfo("Asia/Tokyo")
# Bodies larger than this are analysed on their first part only (hostile or oversized pages).
MAX_BODY_BYTES = 3_000_000


@dataclass(frozen=True)
class PageInput:
    """One fetched page as the spider saw it."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    fetched_at: datetime
    previous_last_modified: str | None = None
    previous_text_hash: str | None = None


@dataclass(frozen=True)
class PageAnalysis:
    """Everything clusterwatch concludes from one page, each conclusion with its evidence."""

    url: str
    status: int
    kind: str
    encoding: str | None
    title: str | None
    text: str
    text_hash: str
    truncated: bool
    language: LanguageResult
    dates: tuple[DatedItem, ...]
    newest_date: date | None
    newest_date_evidence: Evidence | None
    fallback_date: date | None
    fallback_date_evidence: Evidence | None
    eu_signals: tuple[Signal, ...]
    other_signals: tuple[Signal, ...]
    parked: Verdict | None
    soft_404: Verdict | None
    blocked: Verdict | None
    today: date = field(default=date(1970, 1, 1))

    def to_json(self) -> dict[str, Any]:
        """JSON-serialisable form stored in ``page_snapshots.analysis``."""
        result: dict[str, Any] = to_jsonable(self)
        return result

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PageAnalysis:
        """Inverse of ``to_json`` (a 304 Not Modified reuses the stored analysis)."""
        return from_jsonable(cls, dict(data))


def _charset(headers: Mapping[str, str]) -> str | None:
    content_type = headers.get("content-type", "")
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _normalised(main: tuple[str, ...], boilerplate: tuple[str, ...]) -> tuple[str, str]:
    """NFKC of the main lines, and of the main and boilerplate lines, joined by line breaks.

    Normalised once for fingerprint, freshness and signals (NFKC costs up to half a
    millisecond on a page of full-width text). NFKC never joins or makes a line break, so
    normalising the two parts apart gives the text of normalising them joined.
    """
    main_text = normalise("\n".join(main))
    if not boilerplate:
        return main_text, main_text
    chrome_text = normalise("\n".join(boilerplate))
    return main_text, f"{main_text}\n{chrome_text}" if main else chrome_text


def analyze(page: PageInput) -> PageAnalysis:
    """Analyse one fetched page; never raises on hostile bodies and does bounded work."""
    today = page.fetched_at.astimezone(SITE_TIMEZONE).date()
    body = page.body[:MAX_BODY_BYTES]
    content_type = page.headers.get("content-type", "")
    if feeds.is_binary(body, content_type):
        decoded_text, encoding = "", None
    else:
        decoded = decode_html(body, _charset(page.headers))
        decoded_text, encoding = decoded.text, decoded.encoding
    kind = feeds.detect_kind(content_type, decoded_text)
    if kind in ("feed", "sitemap"):
        doc = feeds.parse(decoded_text)
        extracted = text.Extracted(doc.title, doc.lines, (), None, (), (), (), (), False, False)
        structured = doc.dates
    elif kind == "html":
        extracted = text.extract(decoded_text)
        structured = freshness.structured_dates(extracted)
    else:
        extracted, structured = text.EMPTY, ()
    url = page.final_url or page.url
    language = detect_language(
        extracted.main, extracted.boilerplate, extracted.title, extracted.declared_lang,
        extracted.hreflang, extracted.mt_widget,
    )  # fmt: skip
    lines = (*extracted.main, *extracted.boilerplate)
    main_text, all_text = _normalised(extracted.main, extracted.boilerplate)
    found = find_dates(all_text)  # one scan for the change hash and for freshness
    digest = fingerprint.text_hash(lines, today, all_text, found)
    fresh = freshness.assess(
        url=url,
        lines=lines,
        structured=structured,
        headers=page.headers,
        today=today,
        fetched_at=page.fetched_at,
        previous_last_modified=page.previous_last_modified,
        previous_text_hash=page.previous_text_hash,
        text_hash=digest,
        normalised=all_text,
        dates=found,
        main_lines=len(extracted.main),
    )
    eu, other = find_signals(
        url, extracted.main, fresh.line_dates[: len(extracted.main)], fresh.newest_date, main_text
    )
    verdicts = parked.judge(
        url=url,
        status=page.status,
        headers=page.headers,
        title=extracted.title,
        main=extracted.main,
        boilerplate=extracted.boilerplate,
        language=language,
        raw_head=decoded_text[: parked.RAW_SCAN_CHARS],
    )
    return PageAnalysis(
        url=url,
        status=page.status,
        kind=kind,
        encoding=encoding,
        title=extracted.title,
        text="\n".join(extracted.main)[: text.MAX_TEXT_CHARS],
        text_hash=digest,
        truncated=extracted.truncated or len(page.body) > MAX_BODY_BYTES,
        language=language,
        dates=fresh.items,
        newest_date=fresh.newest_date,
        newest_date_evidence=fresh.newest_evidence,
        fallback_date=fresh.fallback_date,
        fallback_date_evidence=fresh.fallback_evidence,
        eu_signals=eu,
        other_signals=other,
        parked=verdicts.parked,
        soft_404=verdicts.soft_404,
        blocked=verdicts.blocked,
        today=today,
    )
