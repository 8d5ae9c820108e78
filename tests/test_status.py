"""clusterwatch.monitor.status: the transition table, row by row, and the hysteresis it promises."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clusterwatch.crawler.analysis.site import SiteAnalysis
from clusterwatch.monitor.status import (
    ClusterStateView,
    RunObservation,
    StatusRules,
    months_before,
    next_status,
)
from tests.builders import analysis, bot_wall, eu_signal, parked_page

TODAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
RULES = StatusRules(active_months=12, unreachable_after=3, parked_after=2)
ACTIVE = ClusterStateView(
    status="active",
    status_reason="fresh",
    english_site="static",
    main_language="ja",
    internationalisation="eu_past",
    last_update=date(2026, 9, 1),
    last_run_id=1,
)
DORMANT = replace(ACTIVE, status="dormant", last_update=date(2024, 1, 1))


def run(outcome: str = "ok", degraded: bool = False, **changes: Any) -> RunObservation:
    moved_to = changes.pop("moved_to", None)
    data = analysis(**changes) if outcome == "ok" else None
    return RunObservation(
        2, AT, degraded, outcome, "https://a.example.jp/", moved_to=moved_to, analysis=data
    )


def test_row1_degraded_run_changes_nothing_even_a_failure() -> None:
    failing = replace(ACTIVE, failing_streak=2)
    decision = next_status(failing, run("dns", degraded=True), RULES, TODAY)
    assert decision.row == 1
    assert decision.state == replace(failing, last_run_id=2)


@pytest.mark.parametrize("outcome", ["dns", "refused", "timeout", "tls", "http_4xx", "http_5xx"])
def test_row2_one_failure_keeps_the_status_and_shows_the_streak(outcome: str) -> None:
    decision = next_status(ACTIVE, run(outcome), RULES, TODAY)
    assert (decision.row, decision.status, decision.state.failing_streak) == (2, "active", 1)
    assert "1/3" in (decision.state.status_reason or "")
    assert decision.state.english_site == "static"  # a failed run keeps the fields


def test_row3_the_nth_consecutive_failure_is_unreachable() -> None:
    state = ACTIVE
    statuses = []
    for _ in range(3):
        state = next_status(state, run("timeout"), RULES, TODAY).state
        statuses.append(state.status)
    assert statuses == ["active", "active", "unreachable"]
    assert state.status_since == AT


def test_row4_a_bot_wall_on_an_unknown_cluster_is_unknown_with_the_reason() -> None:
    decision = next_status(ClusterStateView(), run("blocked"), RULES, TODAY)
    assert (decision.row, decision.status) == (4, "unknown")
    assert "bot wall" in (decision.state.status_reason or "")


def test_row5_one_bot_wall_keeps_a_known_status() -> None:
    decision = next_status(ACTIVE, run("blocked"), RULES, TODAY)
    assert (decision.row, decision.status, decision.state.failing_streak) == (5, "active", 1)


def test_row6_a_lasting_bot_wall_is_unknown_not_unreachable() -> None:
    state = replace(ACTIVE, failing_streak=2)
    decision = next_status(state, run("robots"), RULES, TODAY)
    assert (decision.row, decision.status) == (6, "unknown")
    assert "robots.txt" in (decision.state.status_reason or "")


def test_an_ok_fetch_of_only_a_challenge_page_is_a_wall() -> None:
    observation = run("ok", blocked=bot_wall(), pages_analysed=0)
    decision = next_status(ClusterStateView(), observation, RULES, TODAY)
    assert decision.status == "unknown" and "cloudflare" in (decision.state.status_reason or "")


def test_row7_one_parking_page_does_not_park() -> None:
    decision = next_status(ACTIVE, run(parked=parked_page()), RULES, TODAY)
    assert (decision.row, decision.status, decision.state.parked_streak) == (7, "active", 1)
    assert decision.state.english_site == "static"  # a parking page says nothing of the site


def test_row8_a_second_parking_page_parks() -> None:
    once = next_status(ACTIVE, run(parked=parked_page()), RULES, TODAY).state
    decision = next_status(once, run(parked=parked_page()), RULES, TODAY)
    assert (decision.row, decision.status) == (8, "parked")


def test_a_failure_between_parking_pages_restarts_the_parked_streak() -> None:
    state = next_status(ACTIVE, run(parked=parked_page()), RULES, TODAY).state
    state = next_status(state, run("dns"), RULES, TODAY).state
    state = next_status(state, run(parked=parked_page()), RULES, TODAY).state
    assert (state.status, state.parked_streak) == ("active", 1)


def test_row9_an_answer_with_nothing_analysed_is_unknown() -> None:
    observation = run(last_update=None, last_update_evidence=None, pages_analysed=0)
    decision = next_status(ClusterStateView(), observation, RULES, TODAY)
    assert (decision.row, decision.status) == (9, "unknown")


def test_row10_a_recent_date_is_active_and_resets_the_streaks() -> None:
    failing = replace(DORMANT, failing_streak=2, parked_streak=1)
    decision = next_status(failing, run(last_update="2026-06-01"), RULES, TODAY)
    assert (decision.row, decision.status) == (10, "active")
    assert (decision.state.failing_streak, decision.state.parked_streak) == (0, 0)
    assert decision.state.last_update == date(2026, 6, 1)


def test_row11_an_old_date_is_dormant() -> None:
    decision = next_status(ClusterStateView(), run(last_update="2023-04-01"), RULES, TODAY)
    assert (decision.row, decision.status) == (11, "dormant")


def test_row11_analysed_pages_without_any_credible_date_are_dormant() -> None:
    observation = run(last_update=None, last_update_evidence=None)
    decision = next_status(ClusterStateView(), observation, RULES, TODAY)
    assert (decision.row, decision.status) == (11, "dormant")


def test_the_activity_window_edge_uses_calendar_months() -> None:
    window_start = date(2025, 11, 25)
    assert next_status(DORMANT, run(last_update=str(window_start)), RULES, TODAY).status == (
        "active"
    )
    day_before = "2025-11-24"
    assert next_status(DORMANT, run(last_update=day_before), RULES, TODAY).status == "dormant"
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_a_missing_news_page_does_not_make_an_active_site_dormant() -> None:
    decision = next_status(ACTIVE, run(last_update="2019-05-01"), RULES, TODAY)
    assert decision.status == "active"
    assert decision.state.last_update == date(2026, 9, 1)


def test_configurable_thresholds() -> None:
    strict = StatusRules(active_months=3, unreachable_after=1, parked_after=1)
    assert next_status(ACTIVE, run("dns"), strict, TODAY).status == "unreachable"
    assert next_status(ACTIVE, run(parked=parked_page()), strict, TODAY).status == "parked"
    five_months_ago = run(last_update="2026-06-20")
    assert next_status(ClusterStateView(), five_months_ago, strict, TODAY).status == "dormant"
    assert next_status(ClusterStateView(), five_months_ago, RULES, TODAY).status == "active"


def test_moved_to_follows_ok_runs_and_survives_failures() -> None:
    moved = next_status(ACTIVE, run(moved_to="https://new.example.com/"), RULES, TODAY).state
    assert moved.moved_to == "https://new.example.com/"
    assert next_status(moved, run("dns"), RULES, TODAY).state.moved_to == moved.moved_to
    assert next_status(moved, run(), RULES, TODAY).state.moved_to is None


def test_an_ok_run_takes_the_stronger_site_fields_of_that_run_at_once() -> None:
    observation = run(english_site="active", main_language="ja", internationalisation="eu_recent")
    state = next_status(ACTIVE, observation, RULES, TODAY).state
    fields = (state.english_site, state.main_language, state.internationalisation)
    assert fields == ("active", "ja", "eu_recent")
    assert state.last_crawl == AT and state.last_run_id == 2
    first = next_status(ClusterStateView(), run(main_language="en"), RULES, TODAY).state
    assert first.main_language == "en"  # nothing to keep yet


def test_an_eu_signal_missing_for_one_run_is_kept_then_dropped() -> None:
    signal = {"date": "2026-05-01", "url": "https://a.example.jp/n/1", "text": "EU MoU"}
    state = next_status(ACTIVE, run(eu_signals=[signal]), RULES, TODAY).state
    once = next_status(state, run(eu_signals=[]), RULES, TODAY).state
    assert [s.get("missing_runs") for s in once.eu_signals] == [1]
    back = next_status(once, run(eu_signals=[signal]), RULES, TODAY).state
    assert back.eu_signals == (signal,)
    twice = next_status(once, run(eu_signals=[]), RULES, TODAY).state
    assert twice.eu_signals == ()


def test_an_english_site_goes_down_a_grade_only_after_two_runs_and_up_at_once() -> None:
    active = next_status(ACTIVE, run(english_site="active"), RULES, TODAY).state
    assert active.english_site == "active"  # up a grade at once
    once = next_status(active, run(english_site="none"), RULES, TODAY).state
    assert (once.english_site, once.pending_changes) == ("active", {"english_site": 1})
    back = next_status(once, run(english_site="active"), RULES, TODAY).state
    assert (back.english_site, back.pending_changes) == ("active", {})
    failed = next_status(once, run("timeout"), RULES, TODAY).state  # not an ok run: no count
    assert (failed.english_site, failed.pending_changes) == ("active", {"english_site": 1})
    twice = next_status(failed, run(english_site="static"), RULES, TODAY).state
    assert (twice.english_site, twice.pending_changes) == ("static", {})


def test_the_screening_category_and_language_change_only_after_two_runs() -> None:
    recent = next_status(ACTIVE, run(internationalisation="eu_recent"), RULES, TODAY).state
    assert recent.internationalisation == "eu_recent"  # eu_past -> eu_recent: evidence, at once
    missed = run(internationalisation="asia_america_only", main_language="en")
    once = next_status(recent, missed, RULES, TODAY).state
    assert (once.internationalisation, once.main_language) == ("eu_recent", "ja")
    assert once.pending_changes == {"internationalisation": 1, "main_language": 1}
    twice = next_status(once, missed, RULES, TODAY).state
    assert (twice.internationalisation, twice.main_language) == ("asia_america_only", "en")
    assert twice.pending_changes == {}


def test_a_home_page_naming_someone_else_is_believed_after_two_runs() -> None:
    seen = next_status(ACTIVE, run(home_title="YRP 横須賀リサーチパーク"), RULES, TODAY).state
    assert seen.home_title == "YRP 横須賀リサーチパーク"  # nothing to keep yet
    reworded = next_status(seen, run(home_title="横須賀リサーチパーク | Home"), RULES, TODAY)
    assert reworded.state.home_title == "横須賀リサーチパーク | Home"  # same name: at once
    other = run(home_title="Best online casino bonuses")
    once = next_status(reworded.state, other, RULES, TODAY).state
    assert (once.home_title, once.pending_changes) == (
        "横須賀リサーチパーク | Home",
        {"home_title": 1},
    )
    untitled = next_status(once, run(home_title=None), RULES, TODAY).state  # no home page seen
    assert untitled.pending_changes == {"home_title": 1}
    twice = next_status(untitled, other, RULES, TODAY).state
    assert twice.home_title == "Best online casino bonuses"


def test_the_builders_analysis_is_what_the_crawler_writes() -> None:
    data = analysis(
        eu_signals=[eu_signal("2026-01-01", "https://a.example.jp/n", "EU MoU")],
        parked=parked_page(),
        blocked=bot_wall(),
    )
    assert SiteAnalysis.from_json(data).to_json() == data
