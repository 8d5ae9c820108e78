"""The status rules: one cluster's judgement after one crawl run, as a pure function.

In: the cluster's previous state (`ClusterStateView`), what one run saw of its site
(`RunObservation`), the thresholds (`StatusRules`) and today's date. Out: the next state
(`StatusDecision`). No database, no clock: monitor.evaluate feeds the runs in order and stores the
result; monitor.flag_rules compares the two states.

Transition table (N = unreachable_after, P = parked_after, M = active_months; rows are tried in
order; "failed" = dns | refused | timeout | tls | http_4xx | http_5xx | too_large |
blocked_address | robots_error | other, and any outcome this module does not know; "walled"
= blocked (a bot wall) | robots (robots.txt closes the site): the site answers, but not to us;
"ok" = ok | slow (the home page answered, the site's time budget cut the rest short)):

  #  run                                              next status              failing  parked
  1  degraded (our network was down)                  unchanged, nothing else  same     same
  2  failed, failing+1 < N                            unchanged (streak shown) +1       0
  3  failed, failing+1 >= N                           unreachable              +1       0
  4  walled, failing+1 < N, previous unknown          unknown (reason: wall)   +1       0
  5  walled, failing+1 < N, previous known            unchanged (streak shown) +1       0
  6  walled, failing+1 >= N                           unknown (reason: wall)   +1       0
  7  ok, a parking/for-sale/takeover page, parked+1<P unchanged                0        +1
  8  ok, a parking page, parked+1 >= P                parked                   0        +1
  9  ok, no credible date ever seen, nothing analysed unknown (no evidence)    0        0
 10  ok, newest credible date >= today - M months     active                   0        0
 11  ok, newest credible date older, or none found    dormant                  0        0

Hysteresis: one failed run keeps the previous status (rows 2, 5); one parking page does not park
(row 7); the newest credible date is the newest ever seen (the previous one or this run's), so a
news page missing from one run does not make an active site dormant; an EU signal missing from
one ok run is kept (marked `missing_runs`) until it is missing SIGNAL_GONE_AFTER runs in a row.
On ok runs (rows 9-11) the site-level fields (main language, English site, internationalisation)
take this run's value, but a weaker one only when FIELD_CHANGE_AFTER ok runs in a row saw it
(counted in `pending_changes`): an English site goes down a grade (active -> static -> none), the
screening category down its scale (eu_recent -> ... -> no_info), or the main language changes
only then, so one run that missed a page raises no flag; a stronger value is evidence and
applies at once. The home page's title (who the site says it is) follows a reworded title at
once, and one naming someone else (monitor.identity) only after FIELD_CHANGE_AFTER runs: that
change raises content_replaced. Failed, walled and parking-page runs keep the previous fields
and counts.
`moved_to` follows every ok run (rows 7-11): set when the home page redirected to another
domain, cleared when it no longer does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from clusterwatch.monitor.identity import same_organisation
from clusterwatch.monitor.settings import Settings
from clusterwatch.vocabulary import CATEGORY_SCALE, Category, EnglishSite, Outcome, Status

STATUSES = tuple(Status)
WALLED_OUTCOMES = frozenset({Outcome.BLOCKED, Outcome.ROBOTS})
ANSWERED_OUTCOMES = frozenset({Outcome.OK, Outcome.SLOW})
# every other outcome is a failure: a word the crawler adds later fails safe, never "fresh"
FAILED_OUTCOMES = frozenset(Outcome) - WALLED_OUTCOMES - ANSWERED_OUTCOMES
# ok runs in a row without an EU signal before it counts as gone (1 = gone at once)
SIGNAL_GONE_AFTER = 2
# ok runs in a row that must see a weaker value of a site field before it changes
FIELD_CHANGE_AFTER = 2
# fields whose values have a strength (weakest first): a stronger one applies at once; in a
# field without one (main_language) every change waits FIELD_CHANGE_AFTER runs
FIELD_GRADES: dict[str, tuple[str, ...]] = {
    "english_site": tuple(EnglishSite),
    "internationalisation": CATEGORY_SCALE,
}

# reason codes, kept in StatusDecision and as the prefix of ClusterStateView.status_reason
REASON_DEGRADED = "degraded"
REASON_FAILING = "failing"
REASON_UNREACHABLE = "unreachable"
REASON_BOT_WALL = "bot wall"
REASON_ROBOTS = "robots.txt"
REASON_PARKING_SEEN = "parking page seen"
REASON_PARKED = "parked"
REASON_NO_EVIDENCE = "no evidence"
REASON_FRESH = "fresh"
REASON_STALE = "stale"
REASON_UNDATED = "undated"
REASON_NOT_OBSERVED = "not observed"


@dataclass(frozen=True)
class StatusRules:
    """The thresholds of the table above (see monitor.settings for their descriptions)."""

    active_months: int = 12
    unreachable_after: int = 3
    parked_after: int = 2

    @classmethod
    def from_settings(cls, settings: Settings) -> StatusRules:
        return cls(settings.active_months, settings.unreachable_after, settings.parked_after)


@dataclass(frozen=True)
class ClusterStateView:
    """A cluster's judgement after some run: the columns of cluster_states, as plain values."""

    status: str = Status.UNKNOWN
    status_reason: str | None = f"{REASON_NOT_OBSERVED}: no crawl evaluated yet"
    status_since: datetime | None = None
    moved_to: str | None = None
    failing_streak: int = 0
    parked_streak: int = 0
    last_update: date | None = None
    last_update_evidence: Mapping[str, Any] | None = None
    main_language: str | None = None
    english_site: str | None = None  # None until an ok run was analysed
    home_title: str | None = None
    internationalisation: str | None = None
    eu_signals: tuple[Mapping[str, Any], ...] = ()
    # site field -> ok runs in a row that saw a weaker value than the one kept
    pending_changes: Mapping[str, int] = field(default_factory=dict)
    last_crawl: datetime | None = None
    last_run_id: int | None = None

    @property
    def observed(self) -> bool:
        """Whether an ok run has been analysed: flags compare only against what was seen."""
        return self.english_site is not None


@dataclass(frozen=True)
class RunObservation:
    """What one run saw of one site: the site_results row and its run's `degraded` mark."""

    run_id: int
    at: datetime
    degraded: bool
    outcome: str
    requested_url: str
    final_url: str | None = None
    moved_to: str | None = None
    error: str | None = None
    analysis: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class StatusDecision:
    """The next state, the table row that produced it, and its reason code."""

    state: ClusterStateView
    row: int
    reason: str

    @property
    def status(self) -> str:
        return self.state.status


def months_before(day: date, months: int) -> date:
    """`day` moved back by whole calendar months (31 March - 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, min(day.day, 28))


def next_status(
    previous: ClusterStateView, run: RunObservation, settings: StatusRules, today: date
) -> StatusDecision:
    """Apply the transition table of the module docstring to one run."""
    if run.degraded:
        return StatusDecision(replace(previous, last_run_id=run.run_id), 1, REASON_DEGRADED)
    # one mutable copy of the fields, one constructor call: evaluate runs this 365,000 times
    # for a year of 1,000 clusters, and dataclasses.replace per step dominated the time
    values = dict(previous.__dict__, last_crawl=run.at, last_run_id=run.run_id)
    if run.outcome in WALLED_OUTCOMES or (
        run.outcome in ANSWERED_OUTCOMES and _only_bot_wall(run.analysis)
    ):
        row, code = _walled(values, run, settings)
    elif run.outcome in ANSWERED_OUTCOMES:
        row, code = _answered(values, run, settings, today)
    else:
        row, code = _failed(values, run, settings)
    return StatusDecision(ClusterStateView(**values), row, code)


def _only_bot_wall(analysis: Mapping[str, Any] | None) -> bool:
    """An ok outcome whose only pages were a challenge page is a wall too."""
    return bool(analysis and analysis.get("blocked") and not analysis.get("pages_analysed"))


def _set_status(values: dict[str, Any], status: str, reason: str, at: datetime) -> None:
    if status != values["status"]:
        values["status_since"] = at
    values["status"], values["status_reason"] = status, reason


def _failed(values: dict[str, Any], run: RunObservation, rules: StatusRules) -> tuple[int, str]:
    streak = values["failing_streak"] = values["failing_streak"] + 1
    values["parked_streak"] = 0
    detail = f"{run.outcome}" + (f" ({run.error})" if run.error else "")
    if streak >= rules.unreachable_after:
        reason = f"{REASON_UNREACHABLE}: failed {streak} runs in a row, last: {detail}"
        _set_status(values, Status.UNREACHABLE, reason, run.at)
        return 3, REASON_UNREACHABLE
    reason = f"{REASON_FAILING}: {streak}/{rules.unreachable_after} failed runs, last: {detail}"
    values["status_reason"] = reason
    return 2, REASON_FAILING


def _walled(values: dict[str, Any], run: RunObservation, rules: StatusRules) -> tuple[int, str]:
    streak = values["failing_streak"] = values["failing_streak"] + 1
    values["parked_streak"] = 0
    if run.outcome == Outcome.ROBOTS:
        reason = f"{REASON_ROBOTS}: robots.txt does not let clusterwatch read {run.requested_url}"
        code = REASON_ROBOTS
    else:
        wall = (run.analysis or {}).get("blocked") or {}
        vendor = wall.get("vendor") if isinstance(wall, Mapping) else None
        reason = f"{REASON_BOT_WALL}: the site answers only with a challenge page"
        reason += f" ({vendor})" if vendor else ""
        code = REASON_BOT_WALL
    if streak >= rules.unreachable_after or values["status"] == Status.UNKNOWN:
        _set_status(values, Status.UNKNOWN, reason, run.at)
        return (6 if streak >= rules.unreachable_after else 4), code
    values["status_reason"] = reason
    return 5, code


def _answered(
    values: dict[str, Any], run: RunObservation, rules: StatusRules, today: date
) -> tuple[int, str]:
    analysis = run.analysis or {}
    values["failing_streak"], values["moved_to"] = 0, run.moved_to
    parking = analysis.get("parked")
    if parking:
        streak = values["parked_streak"] = values["parked_streak"] + 1
        kind = parking.get("kind", "parked") if isinstance(parking, Mapping) else "parked"
        if streak >= rules.parked_after:
            reason = f"{REASON_PARKED}: a {kind} page in {streak} runs in a row"
            _set_status(values, Status.PARKED, reason, run.at)
            return 8, REASON_PARKED
        values["status_reason"] = f"{REASON_PARKING_SEEN}: a {kind} page, "
        values["status_reason"] += f"{streak}/{rules.parked_after} runs"
        return 7, REASON_PARKING_SEEN
    values["parked_streak"] = 0
    _observed_fields(values, analysis)
    last_update: date | None = values["last_update"]
    if last_update is None and not analysis.get("pages_analysed"):
        reason = f"{REASON_NO_EVIDENCE}: the site answered but no page could be analysed"
        _set_status(values, Status.UNKNOWN, reason, run.at)
        return 9, REASON_NO_EVIDENCE
    if last_update is not None and last_update >= months_before(today, rules.active_months):
        _set_status(values, Status.ACTIVE, f"{REASON_FRESH}: updated {last_update}", run.at)
        return 10, REASON_FRESH
    if last_update is None:
        reason = f"{REASON_UNDATED}: no credible date on {analysis.get('pages_analysed')} pages"
        _set_status(values, Status.DORMANT, reason, run.at)
        return 11, REASON_UNDATED
    reason = f"{REASON_STALE}: newest credible update {last_update}"
    _set_status(values, Status.DORMANT, reason, run.at)
    return 11, REASON_STALE


def _observed_fields(values: dict[str, Any], analysis: Mapping[str, Any]) -> None:
    """This run's site-level fields, keeping the newest credible date ever seen."""
    if not analysis:
        return
    seen = _parse_date(analysis.get("last_update"))
    if seen is not None and (values["last_update"] is None or seen >= values["last_update"]):
        values["last_update"] = seen
        values["last_update_evidence"] = analysis.get("last_update_evidence")
    seen_fields = {
        "main_language": analysis.get("main_language"),
        "english_site": analysis.get("english_site") or EnglishSite.NONE,
        "internationalisation": analysis.get("internationalisation") or Category.NO_INFO,
    }
    if analysis.get("home_title"):  # a run without the home page says nothing of who it is
        seen_fields["home_title"] = analysis["home_title"]
    pending = dict(values["pending_changes"])
    for name, seen_value in seen_fields.items():
        _settle(values, pending, name, seen_value)
    values["pending_changes"] = pending
    values["eu_signals"] = _merge_signals(values["eu_signals"], analysis.get("eu_signals") or ())


def _settle(values: dict[str, Any], pending: dict[str, int], name: str, seen: str | None) -> None:
    """Take this run's value of a site field; a weaker one only after FIELD_CHANGE_AFTER runs."""
    current = values[name]
    runs = pending.pop(name, 0) + 1
    if current is not None and _weaker(name, seen, current) and runs < FIELD_CHANGE_AFTER:
        pending[name] = runs  # keep the value for now
    else:
        values[name] = seen


def _weaker(name: str, seen: str | None, current: str) -> bool:
    if name == "home_title":
        return seen is not None and not same_organisation(current, seen)
    grades = FIELD_GRADES.get(name)
    if grades is None or seen not in grades or current not in grades:
        return seen != current
    return grades.index(seen) < grades.index(current)


def signal_identity(signal: Mapping[str, Any]) -> tuple[str, str, str]:
    """A signal is the same when its URL, date and text without whitespace or case are."""
    text = "".join(str(signal.get("text") or "").split()).casefold()
    return (str(signal.get("url") or ""), str(signal.get("date") or ""), text)


def _merge_signals(
    previous: tuple[Mapping[str, Any], ...], seen: Any
) -> tuple[Mapping[str, Any], ...]:
    """This run's signals, plus those missing for fewer than SIGNAL_GONE_AFTER runs in a row
    (marked with `missing_runs`), newest first: one missing page does not lose a signal."""
    current = [dict(signal) for signal in seen if isinstance(signal, Mapping)]
    present = {signal_identity(signal) for signal in current}
    for signal in previous:
        missing = int(signal.get("missing_runs", 0)) + 1
        if signal_identity(signal) not in present and missing < SIGNAL_GONE_AFTER:
            current.append(dict(signal, missing_runs=missing))
    current.sort(key=lambda signal: str(signal.get("date") or ""), reverse=True)
    return tuple(current)


def _parse_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
