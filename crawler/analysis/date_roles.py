"""The role of a date found in page text: an update stamp, a news item's heading, or content.

A page's freshness is when it (or an item on it) was updated or published, not the newest
date it mentions: an application period ending next year, a deadline, an event, a birth-date
range, a later instalment, a fiscal plan or an ordinance number says nothing about when the
page changed. The cues are named data in ``data/date_roles.yaml``.

Rules, first that applies wins:

1. Right after the date (a weekday such as ``(月)`` or ``水曜日`` skipped): a content cue makes
   it content (``から`` / ``～`` / ``bis 5.`` period, ``必着`` deadline, ``開催`` / ``頃`` /
   a time range event, ``生まれ`` eligibility, ``施行`` law, ``度`` fiscal year); ``現在`` /
   ``時点`` / ``更新`` make it a stamp. A law number a few characters on (``泉南市条例第18号``)
   makes it a law citation.
2. Right before the date (a short gap of colons, brackets, "on", "am" allowed): the nearest
   cue decides: ``更新日:`` / ``Posted on`` / ``Stand:`` stamp; ``から`` / ``ab`` / ``bis``
   period; ``締切`` deadline; ``日時`` / ``開催`` event; ``生年月日`` eligibility; ``4回目:``
   instalment; ``設立`` founding; any other field label ending in 日 / 期間 / 期限 / 時期
   (``撮影日／``, ``収容期限``) content. A date that starts its line takes the label from a short
   previous line ending in a cue (a table's header cell).
3. A date that starts its line (after bullets or a weekday name) heads a news item: a stamp
   (role ``heading``).
4. Anything else is a date in running text (role ``text``).

How the roles count (crawler/analysis/freshness.py): stamps and headings, with structured
metadata, feeds, sitemaps and Last-Modified, are update evidence. Content dates never make a
page fresh by themselves; an event or deadline counts only through the stamp of the item that
announces it (the heading date of its news item, the page's 掲載日), which is what the page
shows when it was written. Running-text dates count only on a page with no stamp at all.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from clusterwatch.crawler.analysis import lexicon

STAMP = "stamp"
HEADING = "heading"
TEXT = "text"
# Roles of content dates, in the order a cue list is tried when two end at the same place.
CONTENT_ROLES = (
    "period",
    "deadline",
    "event",
    "eligibility",
    "instalment",
    "law",
    "fiscal",
    "founding",
    "labelled",
)
# Characters before a date searched for a cue (the longest cue and the gap fit in them).
BEFORE_CHARS = 28
# Skipped between a date and its after-cue: a weekday in brackets or spelled out, spaces;
# then a time of day (2023年07月13日07時20分 現在, 2018-08-25 15:24).
_WEEKDAY_AFTER = re.compile(r"\s*(?:\([^()\d]{1,6}\)|[月火水木金土日祝]曜日?)?\s*")
_TIME_AFTER = re.compile(r"\d{1,2}(?::\d{2}(?::\d{2})?|時(?:\d{1,2}分)?)\s*")


class Role(NamedTuple):
    """What a date is (a role name) and the cue that said so ("" when none)."""

    name: str
    cue: str


@dataclass(frozen=True)
class _Cues:
    """The cue lists compiled: one alternation per place, a named group per role."""

    before: re.Pattern[str]  # a cue, then at most before_gap non-digits up to the date
    before_label: re.Pattern[str]  # a bare field label (撮影日) there
    line_label: re.Pattern[str]  # a cue ending the previous line
    line_bare_label: re.Pattern[str]
    after: re.Pattern[str]  # a cue right after the date
    fiscal: re.Pattern[str]
    after_near: re.Pattern[str]  # a law number a few characters on
    after_near_chars: int
    label_line_chars: int
    heading: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    """One group of the cue words; a word ending in an ASCII letter ends there (ab, not also)."""
    return (
        "(?:"
        + "|".join(
            f"(?:{w})" + ("\\b" if w[-1:].isascii() and w[-1:].isalpha() else "") for w in words
        )
        + ")"
    )


def _roles(lists: dict[str, list[str]], tail: str = "") -> re.Pattern[str]:
    """``(?P<role>cue|cue...)|...`` in the order of ``lists``, each followed by ``tail``."""
    groups = "|".join(f"(?P<{role}>{_alternation(words)})" for role, words in lists.items())
    return re.compile(f"(?:{groups}){tail}", re.IGNORECASE)


@functools.cache
def _cues() -> _Cues:
    data = lexicon.load("date_roles.yaml")
    gap = f"(?=[^\\d\\n]{{0,{int(data['before_gap'])}}}$)"
    label_gap = f"(?={data['label_gap']}$)"
    before = {role: words for role, words in data["before"].items() if role != "labelled"}
    bare = {"labelled": data["before"]["labelled"]}
    after = {role: words for role, words in data["after"].items() if role != "fiscal"}
    weekdays = lexicon.load("date_names.yaml")["weekdays"]
    heading = re.compile(
        f"^{data['heading_prefix']}(?:{_alternation([str(w) for w in weekdays])}\\.?,?\\s*)?$",
        re.IGNORECASE,
    )
    return _Cues(
        before=_roles(before, gap),
        before_label=_roles(bare, gap),
        line_label=_roles(before, label_gap),
        line_bare_label=_roles(bare, label_gap),
        after=_roles(after),
        fiscal=_roles({"fiscal": data["after"]["fiscal"]}),
        after_near=_roles(data["after_near"]),
        after_near_chars=int(data["after_near_chars"]),
        label_line_chars=int(data["label_line_chars"]),
        heading=heading,
    )


def _found(match: re.Match[str] | None) -> Role | None:
    return Role(match.lastgroup, match.group()) if match and match.lastgroup else None


def _after_role(after: str, precision: str) -> Role | None:
    cues = _cues()
    if precision == "year" and (fiscal := _found(cues.fiscal.match(after))):
        return fiscal
    weekday = _WEEKDAY_AFTER.match(after)
    rest = after[weekday.end() :] if weekday else after
    found = _found(cues.after.match(rest))
    clock = _TIME_AFTER.match(rest) if found is None else None
    if clock:
        found = _found(cues.after.match(rest, clock.end()))
    return found or _found(cues.after_near.search(after, 0, cues.after_near_chars))


def _before_role(before: str, cue: re.Pattern[str], bare: re.Pattern[str]) -> Role | None:
    """The cue ending nearest the date (更新期限 is a deadline), stamp cues first on a tie; a
    bare field label (撮影日) only when no other cue is there (更新日 is a label too)."""
    tail = before[-BEFORE_CHARS:]
    last = None
    for last in cue.finditer(tail):  # noqa: B007 - the last match is the nearest
        pass
    return _found(last) or _found(bare.search(tail))


def role_of(
    line: str, start: int, end: int, precision: str, previous_line: str = "", next_line: str = ""
) -> Role:
    """The role of the date at ``line[start:end]`` (normalised text, one line).

    ``previous_line`` and ``next_line``: the neighbouring lines, given when the date starts
    (ends) its line: a header cell labels it, a law number on the next line cites it.
    """
    cues = _cues()
    after = _after_role(line[end:] or next_line[: cues.after_near_chars], precision)
    if after is not None and (line[end:] or after.name == "law"):
        return after
    prefix = line[:start]
    at_line_start = cues.heading.match(prefix) is not None
    before = _before_role(prefix, cues.before, cues.before_label)
    if before is None and at_line_start and len(previous_line) <= cues.label_line_chars:
        before = _before_role(previous_line, cues.line_label, cues.line_bare_label)
    if before is not None:
        return before
    return Role(HEADING, "") if at_line_start else Role(TEXT, "")


def opens_line(prefix: str) -> bool:
    """Whether a stamp's line starts with it: nothing but bullets (the label on the line
    before) or a short stamp label (掲載日 2025年11月13日), not another item's title."""
    cues = _cues()
    if cues.heading.match(prefix):
        return True
    if len(prefix) > cues.label_line_chars:
        return False
    role = _before_role(prefix, cues.before, cues.before_label)
    return role is not None and role.name == STAMP
