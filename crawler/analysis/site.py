"""``summarize_site()``: one cluster site's pages in one crawl, judged together.

In: the analysed pages of one site (``SitePage``: URL, status, analysis, seed flag) and today.
Out: ``SiteAnalysis``, the 2016 screening's view of the site with evidence: main language and
shares, whether a real English site exists and is maintained, the newest credible content
date, the internationalisation category, EU and other signals newest first, and whether the
site is parked or behind a bot wall (kept apart from the site's own state).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from clusterwatch.crawler.analysis.evidence import Evidence
from clusterwatch.crawler.analysis.page import PageAnalysis
from clusterwatch.crawler.analysis.serial import from_jsonable, to_jsonable
from clusterwatch.vocabulary import Category, EnglishSite

# An English page with content dated within this many days makes the English site "active".
ENGLISH_ACTIVE_DAYS = 365
# An EU signal dated within this many days (24 months) makes the site "eu_recent".
EU_RECENT_DAYS = 730
# A page counts as English when English is at least this share of its main content.
ENGLISH_PAGE_SHARE = 0.5
# English evidence entries and signals kept in the site summary.
MAX_EVIDENCE = 10
# A language other than Japanese and English is listed in the site's shares from this share.
MIN_SITE_SHARE = 0.01
MAX_SIGNALS = 30


@dataclass(frozen=True)
class SitePage:
    """One page of a site as the summary sees it."""

    url: str
    status: int
    analysis: PageAnalysis
    seed_index: int | None  # its place in the seed's urls; None for a page found by links

    @property
    def is_seed(self) -> bool:
        return self.seed_index is not None

    @property
    def is_home(self) -> bool:
        """The first seed URL: the organisation's home page."""
        return self.seed_index == 0


@dataclass(frozen=True)
class EnglishEvidence:
    url: str
    text: str
    date: str | None


@dataclass(frozen=True)
class SiteSignal:
    date: str | None
    url: str
    text: str
    entities: tuple[str, ...]
    cooperation: tuple[str, ...] = ()
    kind: str = "eu"


@dataclass(frozen=True)
class ParkedEvidence:
    kind: str
    url: str
    text: str


@dataclass(frozen=True)
class BlockedEvidence:
    url: str
    text: str
    vendor: str | None


@dataclass(frozen=True)
class SiteAnalysis:
    """The site-level summary stored in ``site_results.analysis``."""

    main_language: str | None
    language_shares: Mapping[str, float]
    english_site: str
    english_evidence: tuple[EnglishEvidence, ...]
    last_update: str | None
    last_update_evidence: Evidence | None
    internationalisation: str
    eu_signals: tuple[SiteSignal, ...]
    other_signals: tuple[SiteSignal, ...]
    parked: ParkedEvidence | None
    blocked: BlockedEvidence | None
    soft_404_urls: tuple[str, ...]
    pages_analysed: int
    home_title: str | None = None  # who the home page says the site is (content_replaced)

    def to_json(self) -> dict[str, Any]:
        """JSON form with exactly the keys the monitor reads."""
        data: dict[str, Any] = to_jsonable(self)
        for signal in data["eu_signals"]:
            del signal["kind"]
        for signal in data["other_signals"]:
            del signal["cooperation"]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SiteAnalysis:
        """Inverse of ``to_json``."""
        return from_jsonable(cls, dict(data))


def _content_pages(pages: Sequence[SitePage]) -> list[SitePage]:
    return [
        p for p in pages
        if 200 <= p.status < 300
        and not (p.analysis.parked or p.analysis.soft_404 or p.analysis.blocked)
    ]  # fmt: skip


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _english(pages: Sequence[SitePage], today: date) -> tuple[str, tuple[EnglishEvidence, ...]]:
    english = [
        p for p in pages
        if p.analysis.kind == "html" and p.analysis.language.en >= ENGLISH_PAGE_SHARE
    ]  # fmt: skip
    if not english:
        return EnglishSite.NONE, ()
    english.sort(key=lambda p: p.analysis.newest_date or date.min, reverse=True)
    evidence = tuple(
        EnglishEvidence(
            p.url, (p.analysis.title or p.analysis.text[:120]), _iso(p.analysis.newest_date)
        )
        for p in english[:MAX_EVIDENCE]
    )
    newest = english[0].analysis.newest_date
    active = newest is not None and (today - newest).days <= ENGLISH_ACTIVE_DAYS
    return (EnglishSite.ACTIVE if active else EnglishSite.STATIC), evidence


def _last_update(pages: Sequence[SitePage]) -> tuple[str | None, Evidence | None]:
    dated = [p for p in pages if p.analysis.newest_date]
    if dated:
        best = max(dated, key=lambda p: p.analysis.newest_date or date.min)
        return _iso(best.analysis.newest_date), best.analysis.newest_date_evidence
    fallback = [p for p in pages if p.analysis.fallback_date]
    if fallback:
        best = max(fallback, key=lambda p: p.analysis.fallback_date or date.min)
        return _iso(best.analysis.fallback_date), best.analysis.fallback_date_evidence
    return None, None


def _signals(pages: Sequence[SitePage]) -> tuple[tuple[SiteSignal, ...], tuple[SiteSignal, ...]]:
    eu: dict[tuple[str, str], SiteSignal] = {}
    other: dict[tuple[str, str], SiteSignal] = {}
    for page in pages:
        for s in page.analysis.eu_signals:
            eu.setdefault(
                (s.text, ",".join(s.entities)),
                SiteSignal(_iso(s.date), s.url, s.text, s.entities, s.cooperation),
            )
        for s in page.analysis.other_signals:
            other.setdefault(
                (s.text, s.kind), SiteSignal(_iso(s.date), s.url, s.text, s.entities, (), s.kind)
            )

    def newest_first(signals: dict[tuple[str, str], SiteSignal]) -> tuple[SiteSignal, ...]:
        return tuple(
            sorted(signals.values(), key=lambda s: s.date or "", reverse=True)[:MAX_SIGNALS]
        )

    return newest_first(eu), newest_first(other)


def _category(eu: Sequence[SiteSignal], other: Sequence[SiteSignal], today: date) -> str:
    if eu:
        horizon = (today - timedelta(days=EU_RECENT_DAYS)).isoformat()
        recent = any(s.date and s.date >= horizon for s in eu)
        return Category.EU_RECENT if recent else Category.EU_PAST
    if any(s.kind == "asia_america" for s in other):
        return Category.ASIA_AMERICA_ONLY
    if other:
        return Category.OPEN_UNSPECIFIED
    return Category.NO_INFO


def _shares(pages: Sequence[SitePage]) -> tuple[str | None, dict[str, float]]:
    """The site's main language (ISO 639-1, or None) and its language shares: always "ja"
    and "en", and every other language with at least MIN_SITE_SHARE."""
    units: dict[str, float] = {}
    for page in pages:
        language = page.analysis.language
        page_shares = language.shares or (("ja", language.ja), ("en", language.en))
        for code, share in page_shares:
            units[code] = units.get(code, 0.0) + share * language.units
    total = sum(p.analysis.language.units for p in pages)
    if not total:
        return None, {"ja": 0.0, "en": 0.0}
    shares = {code: round(value / total, 4) for code, value in units.items()}
    main = max(shares, key=shares.__getitem__) if any(shares.values()) else None
    kept = {code: share for code, share in shares.items() if share >= MIN_SITE_SHARE}
    return main, {"ja": shares.get("ja", 0.0), "en": shares.get("en", 0.0), **kept}


def _parked(pages: Sequence[SitePage]) -> ParkedEvidence | None:
    seeds = [p for p in pages if p.is_seed] or list(pages[:1])
    home = seeds[0] if seeds else None
    ok = [p for p in pages if 200 <= p.status < 300]
    verdict = home.analysis.parked if home else None
    if verdict is None and ok and all(p.analysis.parked for p in ok):
        verdict = ok[0].analysis.parked
    return ParkedEvidence(verdict.kind, verdict.url, verdict.text) if verdict else None


def _blocked(pages: Sequence[SitePage]) -> BlockedEvidence | None:
    walls = [p.analysis.blocked for p in pages if p.analysis.blocked]
    seeds_blocked = [p.analysis.blocked for p in pages if p.is_seed and p.analysis.blocked]
    verdict = (
        seeds_blocked[0]
        if seeds_blocked
        else (walls[0] if walls and 2 * len(walls) >= len(pages) else None)
    )
    return BlockedEvidence(verdict.url, verdict.text, verdict.vendor) if verdict else None


def summarize_site(pages: Sequence[SitePage], today: date) -> SiteAnalysis:
    """Judge one site from its analysed pages of one crawl."""
    content = _content_pages(pages)
    main_language, shares = _shares(content)
    english_site, english_evidence = _english(content, today)
    last_update, last_evidence = _last_update(content)
    eu, other = _signals(content)
    return SiteAnalysis(
        main_language=main_language,
        language_shares=shares,
        english_site=english_site,
        english_evidence=english_evidence,
        last_update=last_update,
        last_update_evidence=last_evidence,
        internationalisation=_category(eu, other, today),
        eu_signals=eu,
        other_signals=other,
        parked=_parked(pages),
        blocked=_blocked(pages),
        soft_404_urls=tuple(p.url for p in pages if p.analysis.soft_404),
        pages_analysed=len(pages),
        home_title=next((p.analysis.title for p in content if p.is_home), None),
    )
