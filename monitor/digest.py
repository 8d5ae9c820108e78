"""The weekly change digest: which week, what changed in it, and the message that says so.

In: the week's flags (dismissed ones left out), every open flag and the landscape figures.
Out: a multipart/alternative EmailMessage (plain text, then HTML) whose subject counts both,
e.g. `[clusterwatch] Japan clusters, week 47: 3 changes (2 dormant, 1 new EU signal), 5 open
flags`. Each open flag is named with its cluster, kind, evidence and a link to it in the review
queue, grouped by kind, newest first: the digest tells a curator what needs them, not a count.

Crawled text is hostile. In the HTML part everything is escaped by Jinja2's autoescape, links are
only made from http(s) URLs, and there are no images, scripts or remote resources of any kind.
Header values lose CR and LF before they are set (the email package would refuse them anyway).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import jinja2

from clusterwatch.db.store.outbox import FlagRow
from clusterwatch.monitor.reasons import evidence_reason
from clusterwatch.monitor.report import SCREENING_2016_TOTAL, Report
from clusterwatch.monitor.settings import Settings
from clusterwatch.vocabulary import FlagKind

SUBJECT_PREFIX = "[clusterwatch] Japan clusters"
NEW_CANDIDATES_TITLE = "New organisations found this week (clusterwatch candidates)"
NEW_CANDIDATES_SHOWN = 5  # the strongest; the queue holds the rest
SNIPPET_MAX_CHARS = 300  # enough to recognise the sentence, short enough to skim
EVIDENCE_PER_FLAG = 2  # a flag may cite many pages; the review UI shows the rest
WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{2})")
LINK_SCHEMES = frozenset({"http", "https"})
DAYS_PER_WEEK = 7
# the report sections the digest repeats (by sector is long and rarely changes: see the report)
LANDSCAPE_SECTIONS = ("activity", "english_site", "internationalisation")


@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """'2026-W47' -> IsoWeek(2026, 47); ValueError with a readable message otherwise."""
        match = WEEK_PATTERN.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a week; write current, last or like 2026-W47")
        year, week = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise ValueError(f"{text!r}: {year} has no ISO week {week}") from exc
        return cls(year, week)

    @classmethod
    def named(cls, text: str, now: datetime, timezone: str) -> IsoWeek:
        """'current', 'last' or an ISO week such as '2026-W47'."""
        word = text.strip().lower()
        if word == "last":
            return cls.last_complete(now, timezone)
        if word == "current":
            year, week, _ = now.astimezone(ZoneInfo(timezone)).date().isocalendar()
            return cls(year, week)
        return cls.parse(text)

    @classmethod
    def last_complete(cls, now: datetime, timezone: str) -> IsoWeek:
        """The latest ISO week that has ended in `timezone` (on a Monday: last week)."""
        a_week_ago = now.astimezone(ZoneInfo(timezone)).date() - timedelta(DAYS_PER_WEEK)
        year, week, _ = a_week_ago.isocalendar()
        return cls(year, week)

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """[Monday 00:00, next Monday 00:00) in `timezone`, as aware datetimes."""
        monday = date.fromisocalendar(self.year, self.week, 1)
        start = datetime.combine(monday, time(0), ZoneInfo(timezone))
        end = datetime.combine(monday + timedelta(DAYS_PER_WEEK), time(0), ZoneInfo(timezone))
        return start, end

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    kinds: tuple[str, ...]  # empty: every kind no other group claims
    singular: str
    plural: str

    def count_text(self, count: int) -> str:
        return f"{count} {self.singular if count == 1 else self.plural}"


GROUPS: tuple[Group, ...] = (
    Group("dormant", "Became dormant", (FlagKind.BECAME_DORMANT,), "dormant", "dormant"),
    Group("reactivated", "Reactivated", (FlagKind.REACTIVATED,), "reactivated", "reactivated"),
    Group("unreachable", "Unreachable", (FlagKind.UNREACHABLE,), "unreachable", "unreachable"),
    Group("parked", "Parked or for sale", (FlagKind.PARKED,), "parked", "parked"),
    Group("moved", "Moved to another domain", (FlagKind.MOVED,), "moved", "moved"),
    Group(
        "english",
        "English site",
        (FlagKind.ENGLISH_SITE_APPEARED, FlagKind.ENGLISH_SITE_GONE),
        "English-site change",
        "English-site changes",
    ),
    Group("eu", "New EU signals", (FlagKind.NEW_EU_SIGNAL,), "new EU signal", "new EU signals"),
    Group(
        "eu_gone",
        "EU signals lost",
        (FlagKind.EU_SIGNAL_GONE,),
        "lost EU signal",
        "lost EU signals",
    ),
    Group("other", "Other changes", (), "other change", "other changes"),
)


@dataclass(frozen=True)
class Evidence:
    text: str
    url: str | None  # only http(s) URLs become links
    date: str | None


@dataclass(frozen=True)
class Item:
    cluster_id: str
    cluster_name: str
    kind: str
    state: str
    raised: str  # the flag's creation date in the digest's time zone
    review_url: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class LandscapeRow:
    figure: str
    now: str
    in_2016: str


@dataclass(frozen=True)
class NewCandidate:
    """An organisation discovery found this week (monitor/candidates.py), as the digest names it."""

    name: str
    url: str | None  # only http(s) URLs become links
    score: float
    sector: str | None
    prefecture: str | None
    named_by: tuple[str, ...]  # the clusters (or hubs) whose pages link to it


@dataclass(frozen=True)
class DigestContent:
    week: IsoWeek
    groups: tuple[tuple[Group, tuple[Item, ...]], ...]  # only groups with items, in GROUPS order
    open_flags: int
    landscape: tuple[LandscapeRow, ...] = field(default=())
    # every open flag, by kind (the kind of the newest flag first), newest first within a kind
    open_groups: tuple[tuple[str, tuple[Item, ...]], ...] = field(default=())
    # the week's strongest new candidates (discovery), strongest first
    new_candidates: tuple[NewCandidate, ...] = field(default=())


def landscape_from_report(report: Report) -> tuple[LandscapeRow, ...]:
    """The total and the LANDSCAPE_SECTIONS of the screening report, now against 2016."""
    rows = [LandscapeRow("Clusters", str(len(report.clusters)), str(SCREENING_2016_TOTAL))]
    for key in LANDSCAPE_SECTIONS:
        section = report.section(key)
        rows += [
            LandscapeRow(
                f"{section.title}: {line.label}",
                str(line.now),
                "-" if line.in_2016 is None else str(line.in_2016),
            )
            for line in section.lines
        ]
    return tuple(rows)


def group_flags(
    flags: Sequence[FlagRow], settings: Settings
) -> tuple[tuple[Group, tuple[Item, ...]], ...]:
    """The flags as digest items, grouped by GROUPS (unknown kinds go to 'other')."""
    claimed = {kind: group for group in GROUPS for kind in group.kinds}
    fallback = next(group for group in GROUPS if not group.kinds)
    buckets: dict[str, list[Item]] = {group.key: [] for group in GROUPS}
    for flag in flags:
        buckets[claimed.get(flag.kind, fallback).key].append(_item(flag, settings))
    return tuple((group, tuple(buckets[group.key])) for group in GROUPS if buckets[group.key])


def new_candidate(row: dict[str, Any]) -> NewCandidate:
    """A candidates-queue row (monitor.candidates.candidate_rows) as the digest names it."""
    url = str(row.get("url") or "")
    named_by = tuple(
        dict.fromkeys(str(f.get("cluster_id") or f.get("hub") or "") for f in row["found_on"])
    )
    return NewCandidate(
        name=_snippet(str(row.get("name_ja") or row.get("name") or url)),
        url=url if urlsplit(url).scheme.lower() in LINK_SCHEMES else None,
        score=float(row["score"]),
        sector=row.get("sector"),
        prefecture=row.get("prefecture"),
        named_by=tuple(name for name in named_by if name),
    )


def group_open_flags(
    flags: Sequence[FlagRow], settings: Settings
) -> tuple[tuple[str, tuple[Item, ...]], ...]:
    """Open flags (given newest first) grouped by kind, each linking to its place in the queue."""
    by_kind: dict[str, list[Item]] = {}
    for flag in flags:
        by_kind.setdefault(flag.kind, []).append(_item(flag, settings, in_queue=True))
    return tuple((kind, tuple(items)) for kind, items in by_kind.items())


def subject_for(content: DigestContent) -> str:
    counts = [group.count_text(len(items)) for group, items in content.groups]
    changes = sum(len(items) for _, items in content.groups)
    changed = f"{changes} change{'' if changes == 1 else 's'} ({', '.join(counts)})"
    waiting = f"{content.open_flags} open flag{'' if content.open_flags == 1 else 's'}"
    summary = changed if changes else "no changes"
    return f"{SUBJECT_PREFIX}, week {content.week.week}: {summary}, {waiting}"


def compose(content: DigestContent, settings: Settings, now: datetime) -> EmailMessage:
    """The digest as a multipart/alternative message, ready to freeze in the outbox."""
    message = EmailMessage(policy=policy.SMTP)
    sender = _one_line(settings.digest_from)
    message["Subject"] = _one_line(subject_for(content))
    message["From"] = sender
    message["To"] = ", ".join(_one_line(address) for address in settings.digest_to)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("digest", domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message.set_content(render_text(content))
    message.add_alternative(render_html(content), subtype="html")
    return message


def render_text(content: DigestContent) -> str:
    lines = [f"clusterwatch: what changed in week {content.week}", ""]
    if not content.groups:
        lines += ["No changes this week.", ""]
    for group, items in content.groups:
        lines += [f"{group.title} ({len(items)})", "-" * (len(group.title) + 4)]
        lines += _item_lines(items)
        lines.append("")
    lines += [f"Open flags awaiting review: {content.open_flags}", ""]
    for kind, items in content.open_groups:
        lines += [f"{kind} ({len(items)})", "-" * (len(kind) + 4 + len(str(len(items))))]
        lines += _item_lines(items)
        lines.append("")
    if content.new_candidates:
        lines += [NEW_CANDIDATES_TITLE, "-" * len(NEW_CANDIDATES_TITLE)]
        for found in content.new_candidates:
            where = ", ".join(part for part in (found.sector, found.prefecture) if part)
            lines.append(f"* {found.name} (score {found.score:g}{', ' + where if where else ''})")
            lines.append(f"    {found.url or ''} named by {', '.join(found.named_by) or '-'}")
        lines.append("")
    if content.landscape:
        lines += ["The landscape now and in 2016", "-----------------------------"]
        lines += [f"{row.figure}: {row.now} (2016: {row.in_2016})" for row in content.landscape]
        lines.append("")
    return "\n".join(lines) + "\n"


def _item_lines(items: Sequence[Item]) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"* {item.cluster_name} ({item.kind}, raised {item.raised}, {item.state})")
        for evidence in item.evidence:
            where = " ".join(part for part in (evidence.date, evidence.url) if part)
            lines.append(f'    "{evidence.text}"' + (f" [{where}]" if where else ""))
        lines.append(f"    review: {item.review_url}")
    return lines


_HTML = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """{% macro item_list(items, full) %}{% for item in items %}
<li><a href="{{ item.review_url }}">{{ item.cluster_name }}</a>
 <small>{% if full %}{{ item.kind }}, {% endif %}raised {{ item.raised }}
{%- if full %}, {{ item.state }}{% endif %}</small>
{% for evidence in item.evidence %}
<blockquote style="margin: .3em 0 .3em 1em; color: #333">&ldquo;{{ evidence.text }}&rdquo;
{% if full and evidence.date %} <small>{{ evidence.date }}</small>{% endif %}
{% if evidence.url %} <small><a href="{{ evidence.url }}">source</a></small>{% endif %}
</blockquote>
{% endfor %}
</li>
{% endfor %}{% endmacro %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; max-width: 46em">
<h1 style="font-size: 1.3em">What changed in week {{ week }}</h1>
{% for group, items in groups %}
<h2 style="font-size: 1.1em">{{ group.title }} ({{ items | length }})</h2>
<ul>
{{ item_list(items, True) }}
</ul>
{% else %}
<p>No changes this week.</p>
{% endfor %}
<h2 style="font-size: 1.1em">Open flags awaiting review ({{ open_flags }})</h2>
{% for kind, items in open_groups %}
<h3 style="font-size: 1em">{{ kind }} ({{ items | length }})</h3>
<ul>
{{ item_list(items, False) }}
</ul>
{% endfor %}
{% if new_candidates %}
<h2 style="font-size: 1.1em">{{ new_candidates_title }}</h2>
<ul>
{% for found in new_candidates %}
<li>{% if found.url %}<a href="{{ found.url }}">{{ found.name }}</a>
{%- else %}{{ found.name }}{% endif %}
 <small>score {{ found.score }}{% if found.sector %}, {{ found.sector }}{% endif %}
{%- if found.prefecture %}, {{ found.prefecture }}{% endif %};
 named by {{ found.named_by | join(", ") }}</small></li>
{% endfor %}
</ul>
{% endif %}
{% if landscape %}
<h2 style="font-size: 1.1em">The landscape now and in 2016</h2>
<table style="border-collapse: collapse">
<tr><th align="left">Figure</th><th align="right">Now</th><th align="right">2016</th></tr>
{% for row in landscape %}
<tr><td>{{ row.figure }}</td><td align="right">{{ row.now }}</td>
<td align="right">{{ row.in_2016 }}</td></tr>
{% endfor %}
</table>
{% endif %}
</body></html>
"""
)


def render_html(content: DigestContent) -> str:
    return _HTML.render(
        subject=subject_for(content),
        week=str(content.week),
        groups=content.groups,
        landscape=content.landscape,
        open_flags=content.open_flags,
        open_groups=content.open_groups,
        new_candidates=content.new_candidates,
        new_candidates_title=NEW_CANDIDATES_TITLE,
    )


def _item(flag: FlagRow, settings: Settings, *, in_queue: bool = False) -> Item:
    """A flag as the digest shows it; `in_queue` links to the flag in the review queue."""
    raised = flag.created_at.astimezone(ZoneInfo(settings.digest_timezone)).date().isoformat()
    base = settings.base_url.rstrip("/")
    cluster_page = f"{base}/clusters/{quote(flag.cluster_id, safe='')}"
    queue_entry = f"{base}/queue?kind={quote(flag.kind, safe='')}#flag-{flag.id}"
    return Item(
        cluster_id=flag.cluster_id,
        cluster_name=flag.cluster_name,
        kind=flag.kind,
        state=flag.state,
        raised=raised,
        review_url=queue_entry if in_queue else cluster_page,
        evidence=tuple(
            _evidence(entry, flag.kind, settings.download_timeout)
            for entry in flag.evidence[:EVIDENCE_PER_FLAG]
        ),
    )


def _evidence(entry: Any, kind: str, timeout: float) -> Evidence:
    """One evidence item; a failure (an unreachable site's reason) as its sentence only: the
    technical detail is one click away, on the linked page."""
    if not isinstance(entry, dict):
        entry = {"text": str(entry)}
    url = str(entry.get("url") or "")
    when = entry.get("date")
    text = evidence_reason(kind, str(entry.get("text") or ""), timeout=timeout).sentence
    return Evidence(
        text=_snippet(text),
        url=url if urlsplit(url).scheme.lower() in LINK_SCHEMES else None,
        date=str(when) if when else None,
    )


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_MAX_CHARS else flat[: SNIPPET_MAX_CHARS - 1] + "…"


def _one_line(value: str) -> str:
    """A header value without CR / LF (no header injection from settings or crawled text)."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())
