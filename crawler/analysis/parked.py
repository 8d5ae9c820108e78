"""Pages that are not the organisation's own: parked, for sale, taken over, not found, blocked.

In: the URL, status, headers, title, text lines, language result and the start of the HTML
source. Out: ``Verdicts`` (each a ``Verdict`` with kind, URL, snippet, vendor, or None):
- parked: a parking or for-sale page (registrar and parking-service signatures in English and
  Japanese, related-searches pages), a spam takeover (casino, bitcoin ... words on an
  organisation's page), or Chinese-language content where a Japanese site stood (unrelated);
- soft_404: a 2xx page saying "not found", or a Japanese page served at an English URL;
- blocked: a bot wall or CDN challenge (Cloudflare, Akamai, AWS WAF, Incapsula ...): the site
  is not dead, we were kept out.
Signatures live in ``data/signatures.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clusterwatch.crawler.analysis import lexicon
from clusterwatch.crawler.analysis.evidence import snippet
from clusterwatch.crawler.analysis.language import LanguageResult

# Characters of the HTML source searched for signatures (scripts and links live there).
RAW_SCAN_CHARS = 64 * 1024
# A page with more main text than this (characters) is content, not a parking page or a bot
# wall (those say a line or two): only its visible text is searched for parking signatures,
# not its HTML source, and it is not searched for bot-wall signatures at all (a news page may
# quote "verify you are human"). A real page's source may hold a signature harmlessly
# (Cloudflare injects its challenge-platform script into protected sites' ordinary pages),
# and skipping 64 KB of source spares most of the signature searches' cost on a typical page.
THIN_PAGE_MAX_CHARS = 1000
# A takeover (spam replacing the organisation's page) needs, in the title and main text, at
# least this many spam-word occurrences ...
TAKEOVER_MIN_HITS = 4
# ... of at least this many different spam words (a casino story says "casino" a lot) ...
TAKEOVER_MIN_TERMS = 2
# ... at least this many per 1,000 characters (spam pages are saturated with them; a news
# story or a blog post on crypto-currencies mentions them now and then).
TAKEOVER_MIN_PER_1000_CHARS = 2.0
# Spam-word occurrences a Chinese page needs to be unrelated content: Chinese pages are
# content like any other, and a Japanese site turning Chinese is the monitor's
# language_changed flag; only a Chinese gambling page is "unrelated" on sight.
UNRELATED_MIN_HITS = 2
# Lines at the top of a page where not-found wording counts (title included).
SOFT_404_TOP_LINES = 6
# A page with more main text than this (characters) is a real page, whatever its headline.
SOFT_404_MAX_CHARS = 1500
# Share of the content in Chinese (Han without kana) of an unrelated page.
UNRELATED_CHINESE_SHARE = 0.8
# Statuses a bot wall answers with; a 200 challenge page is caught by its signature alone.
WALL_STATUSES = frozenset({200, 202, 403, 429, 503})

# Substrings shared by many signature phrases. A phrase holding one is looked for only when
# the page holds that substring: most pages hold none of them, which spares most of the
# 60-odd substring searches over 64 KB of source. Phrases without one are always searched.
PHRASE_GATES = ("ドメイン", "domain", "park", "cf", "waf")

# Non-ASCII characters whose str.lower() holds an ASCII letter (İ -> "i̇", KELVIN SIGN -> "k"):
# on a page with one of them the haystack is lower-cased as str, else as UTF-8 bytes.
_LOWER_TO_ASCII = ("\u0130", "\u212a")

_ENGLISH_URL = re.compile(r"(?i)^https?://(?:en\.|english\.)|/(?:en|eng|english)(?:/|\.html?|_|$)")


@dataclass(frozen=True)
class Verdict:
    """What a page is instead of the organisation's content, with evidence."""

    kind: str
    url: str
    text: str
    vendor: str | None = None


@dataclass(frozen=True)
class Verdicts:
    """The three independent verdicts on one page."""

    parked: Verdict | None
    soft_404: Verdict | None
    blocked: Verdict | None


@functools.cache
def _signature_rows(section: str) -> tuple[tuple[str | None, str | None, tuple[str, ...]], ...]:
    rows = lexicon.load("signatures.yaml")[section]
    return tuple(
        (row.get("kind"), row.get("vendor"), tuple(str(p).lower() for p in row["phrases"]))
        for row in rows
    )


@functools.cache
def _words(section: str) -> re.Pattern[str]:
    return re.compile(
        "|".join(re.escape(str(w).lower()) for w in lexicon.load("signatures.yaml")[section])
    )


@functools.cache
def _gate(phrase: str) -> str | None:
    return next((gate for gate in PHRASE_GATES if gate in phrase), None)


@functools.cache
def _utf8(phrase: str) -> bytes:
    return phrase.encode("utf-8")


@functools.cache
def _caseless_beyond_ascii() -> bool:
    """True when every non-ASCII character of the signature phrases and gates has no case
    (kana, kanji): then no other character's lower case can meet them, see ``_haystack``."""
    sections = ("parking", "blocked")
    phrases = [p for section in sections for _, _, row in _signature_rows(section) for p in row]
    return all(
        c.isascii() or c.lower() == c == c.upper() for p in (*phrases, *PHRASE_GATES) for c in p
    )


def _haystack(visible: str, lowered: str, raw_head: str) -> str | bytes:
    """The visible text and the HTML source, lower-cased, for the signature phrases.

    As UTF-8 bytes lower-cased by ``bytes.lower`` (ASCII only) where that finds exactly the
    phrases ``str.lower`` would: a non-ASCII character that str.lower changes is a cased
    letter either way, which no phrase holds (``_caseless_beyond_ascii``), except the
    ``_LOWER_TO_ASCII`` ones. A byte substring of valid UTF-8 is a character substring.
    Encoding and ``bytes.lower`` cost a third of ``str.lower`` on Japanese text.
    """
    if _caseless_beyond_ascii() and not any(c in visible or c in raw_head for c in _LOWER_TO_ASCII):
        return f"{visible}\n{raw_head}".encode("utf-8", "surrogatepass").lower()
    # Lower-casing the two parts apart gives the same text as lower-casing them joined (no
    # case mapping looks across a line break).
    return f"{lowered}\n{raw_head.lower()}"


def _contains(haystack: str | bytes, needle: str) -> bool:
    return needle in haystack if isinstance(haystack, str) else _utf8(needle) in haystack


def _find_phrase(
    haystack: str | bytes, phrases: Sequence[str], gates: frozenset[str]
) -> str | None:
    """The first of ``phrases`` in ``haystack``; ``gates``: the PHRASE_GATES it holds."""
    for phrase in phrases:
        gate = _gate(phrase)
        if (gate is None or gate in gates) and _contains(haystack, phrase):
            return phrase
    return None


def _around(text: str, phrase: str) -> str:
    at = text.lower().find(phrase)
    return snippet(text[max(0, at - 60) : at + len(phrase) + 100] if at >= 0 else phrase)


def _parked(
    url: str,
    visible: str,
    lowered: str,
    haystack: str | bytes,
    gates: frozenset[str],
    language: LanguageResult,
    content_chars: int,
) -> Verdict | None:
    """``lowered``: ``visible`` lower-cased (the start of ``haystack``, not lowered twice);
    its first ``content_chars`` characters are the title and main text, the rest page chrome
    (a newspaper's "Sports Betting" menu entry says nothing of the page)."""
    for kind, vendor, phrases in _signature_rows("parking"):
        phrase = _find_phrase(haystack, phrases, gates)
        if phrase:
            return Verdict(str(kind), url, _around(visible, phrase), vendor)
    content = lowered[:content_chars]
    hits = _words("takeover").findall(content)
    if not hits:
        return None
    hits += _words("takeover_weak").findall(content)
    per_1000 = 1000 * len(hits) / max(len(content), 1)
    if (
        len(hits) >= TAKEOVER_MIN_HITS
        and len(set(hits)) >= TAKEOVER_MIN_TERMS
        and per_1000 >= TAKEOVER_MIN_PER_1000_CHARS
    ):
        return Verdict("takeover", url, _around(visible, hits[0]), None)
    chinese = dict(language.shares).get("zh", 0.0)
    if chinese >= UNRELATED_CHINESE_SHARE and len(hits) >= UNRELATED_MIN_HITS:
        return Verdict("unrelated", url, _around(visible, hits[0]), None)
    return None


def _soft_404(
    url: str, status: int, title: str | None, main: Sequence[str], language: LanguageResult
) -> Verdict | None:
    if not 200 <= status < 300:
        return None
    top = "\n".join([title or "", *main[:SOFT_404_TOP_LINES]])
    if sum(len(line) for line in main) <= SOFT_404_MAX_CHARS:
        match = _words("soft_404").search(top.lower())
        if match:
            return Verdict("not_found", url, _around(top, match.group()))
    if _ENGLISH_URL.search(url) and language.label == "ja":
        return Verdict("japanese_at_english_url", url, snippet(" ".join(main[:3]) or (title or "")))
    return None


def _blocked(
    url: str,
    status: int,
    headers: Mapping[str, str],
    visible: str,
    haystack: str | bytes | None,
    gates: frozenset[str],
) -> Verdict | None:
    """``haystack``: None on a page with more than a wall's worth of text."""
    if status not in WALL_STATUSES:
        return None
    if haystack is not None:
        for _, vendor, phrases in _signature_rows("blocked"):
            phrase = _find_phrase(haystack, phrases, gates)
            if phrase:
                return Verdict("blocked", url, _around(visible, phrase) or phrase, vendor)
    if status in (403, 503) and headers.get("cf-mitigated") == "challenge":
        return Verdict("blocked", url, "cf-mitigated: challenge", "Cloudflare")
    if status == 403 and "x-amzn-waf-action" in headers:
        return Verdict(
            "blocked", url, f"x-amzn-waf-action: {headers['x-amzn-waf-action']}", "AWS WAF"
        )
    return None


def judge(
    *,
    url: str,
    status: int,
    headers: Mapping[str, str],
    title: str | None,
    main: Sequence[str],
    boilerplate: Sequence[str],
    language: LanguageResult,
    raw_head: str,
) -> Verdicts:
    """Parked / soft-404 / blocked verdicts for one page."""
    visible = "\n".join([title or "", *main, *boilerplate])
    lowered = visible.lower()
    thin = sum(map(len, main)) <= THIN_PAGE_MAX_CHARS
    haystack = _haystack(visible, lowered, raw_head if thin else "")
    gates = frozenset(gate for gate in PHRASE_GATES if _contains(haystack, gate))
    blocked = _blocked(url, status, headers, visible, haystack if thin else None, gates)
    if blocked:
        return Verdicts(None, None, blocked)
    parked = (
        _parked(
            url, visible, lowered, haystack, gates, language, len("\n".join([title or "", *main]))
        )
        if 200 <= status < 300
        else None
    )
    soft = None if parked else _soft_404(url, status, title, main, language)
    return Verdicts(parked, soft, None)
