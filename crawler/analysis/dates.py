"""Date expressions in Japanese, English and European text, and date strings from metadata.

In: text (callers pass it through ``normalise`` first: NFKC turns full-width digits and
era ligatures such as ㍻ into plain characters). Out: ``DateMatch`` values with the date,
its precision (day | month | year) and where it was found. Covers 2024年3月15日, 2024/3/15,
2024.03.15, 2024-03-15, 15 March 2024, March 15, 2024, Mar. 15, 2024, 2024年3月, March 2024,
day-first dates with German, French, Italian and Spanish month names (28. April 2020,
3 mars 2021, 12 de mayo de 2019), 15.03.2024 / 03/15/2024, era dates 令和6年3月15日 /
令和7(2025)年 / 平成28年 / 昭和, 元年, R6.3.15 / H28.5.12, and copyright years. Every
quantifier is bounded so hostile text cannot make the regex backtrack.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from clusterwatch.crawler.analysis import lexicon

# Matches examined per text; a page listing thousands of dates is cut here.
MAX_MATCHES = 2000
# First Gregorian year of each era, minus one: era year N is offset + N.
ERA_OFFSETS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
# Last valid year number of each closed era (令和 is open-ended).
ERA_LAST_YEAR = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31, "令和": 99}
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
SITE_TIMEZONE = ZoneInfo("Asia/Tokyo")

_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def _any_case(word: str) -> str:
    # Explicit [Jj][Aa][Nn] classes: a scoped (?i:...) group makes the whole scan ~10x slower.
    return "".join(f"[{c.upper()}{c}]" for c in word)


_MONTH = (
    "(?:"
    + "|".join(
        _any_case(stem) + (f"(?:{_any_case(rest)})?" if rest else "")
        for stem, rest in (
            ("jan", "uary"),
            ("feb", "ruary"),
            ("mar", "ch"),
            ("apr", "il"),
            ("may", ""),
            ("jun", "e"),
            ("jul", "y"),
            ("aug", "ust"),
            ("sep", "tember"),
            ("sept", ""),
            ("oct", "ober"),
            ("nov", "ember"),
            ("dec", "ember"),
        )
    )
    + ")"
)
# Month names of English, German, French, Italian and Spanish (data/date_names.yaml, from
# dateparser's locale data), longest first so "märz" is not read as "mär".
_EUROPEAN_NAMES: dict[str, int] = {
    str(name): int(number)
    for number, names in lexicon.load("date_names.yaml")["months"].items()
    for name in names
}
_EUROPEAN_MONTH = (
    "(?:" + "|".join(_any_case(n) for n in sorted(_EUROPEAN_NAMES, key=len, reverse=True)) + ")"
)
_ERA = (
    r"(?P<ek>明治|大正|昭和|平成|令和) ?(?P<eky>元|\d{1,2}) ?(?:\(\d{4}\) ?)?年"
    r"(?: ?(?P<ekm>\d{1,2}) ?月(?: ?(?P<ekd>\d{1,2}) ?日)?)?"
)
_ERA_LETTER = r"(?P<ea>[MTSHR]) ?(?P<eay>\d{1,2})[./](?P<eam>\d{1,2})[./](?P<ead>\d{1,2})(?![\d.])"
_NUMERIC = (
    r"(?P<jy>\d{4}) ?年 ?(?P<jm>\d{1,2}) ?月(?: ?(?P<jd>\d{1,2}) ?日)?",
    r"(?P<ny>\d{4})(?P<ns>[-/.])(?P<nm>\d{1,2})(?P=ns)(?P<nd>\d{1,2})(?!\d)",
    r"(?P<xa>\d{1,2})(?P<xs>[/.])(?P<xb>\d{1,2})(?P=xs)(?P<xy>\d{4})(?!\d)",
    # 15 March 2024, 28. April 2020, 3 mars 2021, 1er février 2020, 12 de mayo de 2019
    rf"(?P<dd>\d{{1,2}})(?:st|nd|rd|th|er|\.|º|°)? ?(?:de )?(?P<dmon>{_EUROPEAN_MONTH})"
    r"\.?,? (?:de )?(?P<dy>\d{4})(?!\d)",
)
_MONTH_FIRST = (
    rf"(?P<mmon>{_MONTH})\.? (?P<md>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<my>\d{{4}})(?!\d)",
    rf"(?P<ymon>{_MONTH})\.?,? (?P<yy>\d{{4}})(?!\d)",
)
_COPYRIGHT = (
    r"(?P<cmark>©|\([cC]\)|[Cc]opyright|COPYRIGHT)(?: ?(?:©|\([cC]\)))? ?"
    r"(?:(?P<cfrom>\d{4}) ?[-–~〜] ?)?(?P<cy>\d{4})(?!\d)"
)
# The branches above grouped by the characters they can start with, each group behind a
# lookahead, and the whole behind a lookahead on the first characters any date starts with
# (one character class, then the first two or three: a month stem such as "Mar", "cop" of
# copyright): Python's regex engine tries every branch at every position otherwise, which
# made this scan cost milliseconds per page; a single class fails fastest on most
# characters, and three letters instead of two spare most of English words' false starts. A
# letter is looked at only where a word starts (a month name or era letter glued to the
# letter before it is no date, see ``_glued``; nor is "xcopyright"), sparing the letters
# inside every English word.
# The groups start with disjoint characters (an era letter is followed by a digit, a month
# initial by a letter), so which branch matches where is the same as in the plain
# alternation, in the same order.
_PATTERN = re.compile(
    r"(?=[\d明大昭平令©(MTSHRJjFfMmAaSsOoNnDdCc])"
    r"(?=[\d明大昭平令©(]|(?<![A-Za-z])(?:[MTSHR] ?\d|"
    r"[JjFfMmAaSsOoNnDd][AaEeUuPpCcOo][NnBbRrYyLlGgPpTtVvCc]|[Cc][Oo][Pp]))(?:"
    + "|".join(
        (
            "(?=[明大昭平令])" + _ERA,
            "(?=[MTSHR])" + _ERA_LETTER,
            r"(?=\d)(?:" + "|".join(_NUMERIC) + ")",
            "(?=[JjFfMmAaSsOoNnDd])(?:" + "|".join(_MONTH_FIRST) + ")",
            "(?=[©(Cc])" + _COPYRIGHT,
        )
    )
    + ")"
)


class DateMatch(NamedTuple):
    """A date found in text: value, precision, span and whether it is a copyright year.

    A named tuple, not a frozen dataclass: a news list yields hundreds per page, and a tuple
    is built in a third of the time.
    """

    value: date
    precision: str
    start: int
    end: int
    copyright: bool = False


def normalise(text: str) -> str:
    """NFKC-normalise (full-width digits, ㍻ and ㋿ ligatures) so one pattern set fits all."""
    return unicodedata.normalize("NFKC", text)


def _make(year: int, month: int | None, day: int | None) -> tuple[date, str] | None:
    try:
        if month is None:
            return date(year, 1, 1), "year"
        if day is None:
            return date(year, month, 1), "month"
        return date(year, month, day), "day"
    except ValueError:
        return None


def _era_year(era: str, number: str) -> int | None:
    year = 1 if number == "元" else int(number)
    if not 1 <= year <= ERA_LAST_YEAR[era]:
        return None
    return ERA_OFFSETS[era] + year


def _int(value: str | None) -> int | None:
    return int(value) if value else None


# Positions of the named groups in ``Match.groups()``: one tuple per match, indexed, is much
# cheaper than a dozen ``Match.group(name)`` calls.
_G = {name: index - 1 for name, index in _PATTERN.groupindex.items()}
_EK, _EKY, _EKM, _EKD = _G["ek"], _G["eky"], _G["ekm"], _G["ekd"]
_EA, _EAY, _EAM, _EAD = _G["ea"], _G["eay"], _G["eam"], _G["ead"]
_JY, _JM, _JD = _G["jy"], _G["jm"], _G["jd"]
_NY, _NM, _ND = _G["ny"], _G["nm"], _G["nd"]
_XA, _XS, _XB, _XY = _G["xa"], _G["xs"], _G["xb"], _G["xy"]
_DD, _DMON, _DY = _G["dd"], _G["dmon"], _G["dy"]
_MMON, _MD, _MY = _G["mmon"], _G["md"], _G["my"]
_YMON, _YY = _G["ymon"], _G["yy"]
_CMARK, _CY = _G["cmark"], _G["cy"]
# ``Match.groups()``: a string per group, None where the group did not take part.
_Groups = tuple[Any, ...]


def _from_groups(g: _Groups) -> tuple[date, str] | None:
    if g[_EK]:
        year = _era_year(g[_EK], g[_EKY])
        return _make(year, _int(g[_EKM]), _int(g[_EKD])) if year else None
    if g[_EA]:
        year = _era_year(ERA_LETTERS[g[_EA]], g[_EAY])
        return _make(year, int(g[_EAM]), int(g[_EAD])) if year else None
    if g[_JY]:
        return _make(int(g[_JY]), int(g[_JM]), _int(g[_JD]))
    if g[_NY]:
        return _make(int(g[_NY]), int(g[_NM]), int(g[_ND]))
    if g[_XY]:
        first, second, year = int(g[_XA]), int(g[_XB]), int(g[_XY])
        # 15.03.2024 and 15/03/2024 are day-first; 03/15/2024 month-first; ambiguous slashes
        # follow US order, ambiguous dots European order.
        if first > 12 or (second <= 12 and g[_XS] == "."):
            return _make(year, second, first)
        return _make(year, first, second)
    if g[_DY]:
        return _make(int(g[_DY]), _EUROPEAN_NAMES[g[_DMON].lower()], int(g[_DD]))
    if g[_MY]:
        return _make(int(g[_MY]), _MONTH_NUMBERS[g[_MMON][:3].lower()], int(g[_MD]))
    if g[_YY]:
        return _make(int(g[_YY]), _MONTH_NUMBERS[g[_YMON][:3].lower()], None)
    return _make(int(g[_CY]), None, None)


def _glued(text: str, start: int, g: _Groups) -> bool:
    """True when the match continues a longer token (checked here, not by lookbehinds,
    which would stop the regex engine's fast first-character scan)."""
    if not start:
        return False
    before = text[start - 1]
    if g[_EA] or g[_MMON] or g[_YMON]:
        return before.isascii() and before.isalnum()
    if g[_NY] or g[_XA]:
        return before.isdigit() or before == "."
    return before.isdigit() and not g[_EK]


def find_dates(
    text: str, limit: int = MAX_MATCHES, pos: int = 0, endpos: int | None = None
) -> list[DateMatch]:
    """All valid date expressions in (normalised) ``text``, at most ``limit`` of them.

    ``pos`` and ``endpos`` bound the scan; a date never spans a line break, so scanning whole
    lines finds what scanning the whole text finds on them.
    """
    found: list[DateMatch] = []
    matches = _PATTERN.finditer(text, pos, len(text) if endpos is None else endpos)
    for count, match in enumerate(matches):
        if count >= limit:
            break
        start = match.start()
        groups = match.groups()
        parsed = None if _glued(text, start, groups) else _from_groups(groups)
        if parsed:
            found.append(
                DateMatch(parsed[0], parsed[1], start, match.end(), groups[_CMARK] is not None)
            )
    return found


def parse_date_string(value: str) -> tuple[date, str, datetime | None] | None:
    """Parse a metadata date (ISO 8601, RFC 822 as in RSS, or any text form above).

    Returns the calendar date (as written when the value names the site's own UTC offset,
    the Asia/Tokyo date of a UTC value: CMSs store UTC for Japanese sites), its precision,
    and the aware timestamp when the value carried a time of day (to spot dates generated
    at request time).
    """
    cleaned = value.strip()[:64]
    if not cleaned:
        return None
    try:
        stamp = datetime.fromisoformat(
            cleaned.replace(" ", "T", 1) if len(cleaned) > 10 else cleaned
        )
    except ValueError:
        stamp = None
    if stamp is None and not cleaned[:4].isdigit():
        try:
            stamp = parsedate_to_datetime(cleaned)
        except (ValueError, TypeError, IndexError):
            stamp = None
    if stamp is not None:
        if stamp.tzinfo is None:
            return stamp.date(), "day", None
        if stamp.utcoffset():  # a site's own offset: the date it shows is the one written
            return stamp.date(), "day", stamp
        return stamp.astimezone(SITE_TIMEZONE).date(), "day", stamp
    matches = find_dates(normalise(cleaned), limit=1)
    if matches and not matches[0].copyright:
        return matches[0].value, matches[0].precision, None
    return None
