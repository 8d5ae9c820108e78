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
   line above ending in a cue: the previous line (a ``<dt>``, a header cell), or one of the
   short, digit-free lines right above it (a table's header row: ``推定生年月日 | 性別`` over
   ``2025年8月5日 | オス``), the nearest cue winning.
3. A date that starts its line (after bullets or a weekday name) heads a news item: a stamp
   (role ``heading``) - unless it is the whole line in a run of such lines going forward in
   time: a schedule, a calendar or a filter menu heads no item (a news list puts its newest
   item first), role ``listed``, kept but never a page's date.
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from clusterwatch.crawler.analysis import lexicon

STAMP = "stamp"
HEADING = "heading"
TEXT = "text"
LISTED = "listed"
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
# What may follow a date that is the whole line: a weekday, brackets, spaces.
_BARE_AFTER = re.compile(r"\s*(?:\([^()\d]{1,6}\)|[月火水木金土日祝]曜日?)?[\s)\]）】]*")
_DIGIT = re.compile(r"\d")
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
    label_lookback_lines: int
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
        label_lookback_lines=int(data["label_lookback_lines"]),
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


def _header_role(above: Sequence[str]) -> Role | None:
    """The label of a date that starts its line, from the short lines right above it (nearest
    first): the previous line, then further lines while they are short and hold no digit (the
    other cells of a header row; a line with a digit is a value row or another item)."""
    cues = _cues()
    for distance, previous in enumerate(above[: cues.label_lookback_lines]):
        if len(previous) > cues.label_line_chars or (distance and _DIGIT.search(previous)):
            return None
        role = _before_role(previous, cues.line_label, cues.line_bare_label)
        if role is not None:
            return role
    return None


def role_of(
    line: str,
    start: int,
    end: int,
    precision: str,
    above: Sequence[str] = (),
    next_line: str = "",
) -> Role:
    """The role of the date at ``line[start:end]`` (normalised text, one line).

    ``above`` (the lines above, nearest first) and ``next_line``: given when the date starts
    (ends) its line: a header cell labels it, a law number on the next line cites it.
    """
    cues = _cues()
    after = _after_role(line[end:] or next_line[: cues.after_near_chars], precision)
    if after is not None and (line[end:] or after.name == "law"):
        return after
    prefix = line[:start]
    at_line_start = cues.heading.match(prefix) is not None
    before = _before_role(prefix, cues.before, cues.before_label)
    if before is None and at_line_start:
        before = _header_role(above)
    if before is not None:
        return before
    return Role(HEADING, "") if at_line_start else Role(TEXT, "")


def lines_above(text: str, starts: Sequence[int], index: int) -> tuple[str, ...]:
    """The lines of ``text`` above line ``index`` that may label a date on it, nearest first
    (``starts``: the offset of every line)."""
    first = max(0, index - _cues().label_lookback_lines)
    return tuple(text[starts[k] : starts[k + 1] - 1] for k in range(index - 1, first - 1, -1))


def is_bare(prefix: str, suffix: str) -> bool:
    """Whether a date with this text before and after it on its line is the whole line
    (bullets, brackets and weekday names aside)."""
    return _cues().heading.match(prefix) is not None and _BARE_AFTER.fullmatch(suffix) is not None


def listed_lines(bare: Iterable[tuple[int, date]]) -> set[int]:
    """Of the lines that are a bare date (``bare``: line index and date), those in a run of
    adjacent bare-date lines going forward in time: a schedule, a calendar or a filter menu.
    A news list puts its newest item first, so a run going back in time keeps its headings
    (an extractor may have parted them from their titles)."""
    found = dict(bare)
    listed: set[int] = set()
    for first in sorted(found):
        if first - 1 in found:
            continue  # not the start of a run
        run = [first]
        while run[-1] + 1 in found:
            run.append(run[-1] + 1)
        dates = [found[index] for index in run]
        if len(run) > 1 and dates == sorted(dates) and dates[0] < dates[-1]:
            listed.update(run)
    return listed


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
