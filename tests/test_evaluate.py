"""clusterwatch.monitor.evaluate over scripted nights, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import ClusterState, Flag, StatusHistory
from clusterwatch.monitor.clusters_view import cluster_rows
from clusterwatch.monitor.evaluate import evaluate
from clusterwatch.monitor.review import review_flag, set_override
from clusterwatch.monitor.settings import Settings
from tests.builders import World, add_cluster, bot_wall, eu_signal, failed, ok, parked_page

SETTINGS = Settings(active_months=12, unreachable_after=3, parked_after=2)
OLD = "2020-04-01"  # far outside the activity window of the runs (2026)


def statuses(sessions: sessionmaker[Session], cluster_id: str) -> list[str]:
    with sessions() as session:
        query = (
            select(StatusHistory.status)
            .where(StatusHistory.cluster_id == cluster_id)
            .order_by(StatusHistory.run_id)
        )
        return list(session.scalars(query))


def flag_kinds(sessions: sessionmaker[Session], cluster_id: str) -> list[str]:
    with sessions() as session:
        query = select(Flag.kind).where(Flag.cluster_id == cluster_id).order_by(Flag.id)
        return list(session.scalars(query))


def test_every_transition_over_several_nights(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("fade", "dead", "park", "wake", "move", "wall")
    script: list[dict[str, dict[str, object]]] = [
        {
            "fade": ok(),
            "dead": ok(),
            "park": ok(),
            "wake": ok(last_update=OLD),
            "move": ok(),
            "wall": failed("blocked", "challenge"),
        },
        {
            "fade": ok(),
            "dead": failed(),
            "park": ok(parked=parked_page()),
            "wake": ok(last_update=OLD),
            "move": ok(moved_to="https://move.example.com/"),
            "wall": {"outcome": "blocked", "analysis": None},
        },
        {
            "fade": ok(),
            "dead": failed("timeout"),
            "park": ok(parked=parked_page()),
            "wake": ok(last_update="2026-01-02"),
            "move": ok(moved_to="https://move.example.com/"),
            "wall": ok(),
        },
        {
            "fade": ok(),
            "dead": failed("refused"),
            "park": ok(),
            "wake": ok(),
            "move": ok(),
            "wall": ok(),
        },
    ]
    for results in script:
        world.night(results)
    world.clock = world.clock.replace(year=2027, month=11)  # a year later: nothing new since
    world.night({"fade": ok(), "dead": ok(), "wake": ok(), "move": ok(), "park": ok()})
    summary = evaluate(sessions, SETTINGS, now)

    assert summary.runs == world.runs
    assert statuses(sessions, "fade") == ["active"] * 4 + ["dormant"]
    assert flag_kinds(sessions, "fade") == ["became_dormant"]
    assert statuses(sessions, "dead") == ["active", "active", "active", "unreachable", "dormant"]
    assert flag_kinds(sessions, "dead") == ["unreachable", "recovered"]
    assert statuses(sessions, "park")[:4] == ["active", "active", "parked", "active"]
    assert flag_kinds(sessions, "park")[:2] == ["parked", "reactivated"]
    assert statuses(sessions, "wake")[:3] == ["dormant", "dormant", "active"]
    assert flag_kinds(sessions, "wake")[0] == "reactivated"
    assert flag_kinds(sessions, "move")[0] == "moved"
    assert statuses(sessions, "wall")[:2] == ["unknown", "unknown"]
    assert flag_kinds(sessions, "wall") == ["blocked"]


def test_one_failure_or_one_parking_page_does_not_flip(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("a")
    world.night({"a": ok()})
    world.night({"a": failed()})
    world.night({"a": ok(parked=parked_page())})
    world.night({"a": ok(last_update=OLD)})  # the news page went missing this night
    evaluate(sessions, SETTINGS, now)
    assert statuses(sessions, "a") == ["active"] * 4
    assert flag_kinds(sessions, "a") == []


def test_degraded_and_failed_runs_change_nothing(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("a")
    world.night({"a": ok()})
    for _ in range(4):
        world.night({"a": failed()}, degraded=True)
    world.night({"a": failed()}, state="failed")
    world.night({"a": failed()}, state="running")
    evaluate(sessions, SETTINGS, now)
    assert statuses(sessions, "a") == ["active"] * 5  # failed and running runs are not read
    with sessions() as session:
        state = session.get(ClusterState, "a")
        assert state is not None and (state.status, state.failing_streak) == ("active", 0)


def test_an_incomplete_run_counts_only_for_the_sites_it_reached(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("a", "b")
    for _ in range(3):
        world.night({"a": failed(), "b": ok()}, state="incomplete")
    world.night({"a": failed()}, state="incomplete")
    evaluate(sessions, SETTINGS, now)
    assert statuses(sessions, "a") == ["unknown", "unknown", "unreachable", "unreachable"]
    assert statuses(sessions, "b") == ["active"] * 3


def test_evaluating_twice_changes_nothing_and_run_id_bounds_the_pass(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("a", "b")
    first = world.night({"a": ok(), "b": ok()})
    world.night({"a": ok(english_site="active"), "b": failed()})
    assert evaluate(sessions, SETTINGS, now, run_id=first).runs == [first]
    assert statuses(sessions, "a") == ["active"]
    second = evaluate(sessions, SETTINGS, now)
    assert (second.observations, second.flags_raised["english_site_appeared"]) == (2, 1)
    again = evaluate(sessions, SETTINGS, now)
    assert (again.observations, again.runs, sum(again.flags_raised.values())) == (0, [], 0)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(StatusHistory)) == 4
        assert session.scalar(select(func.count()).select_from(Flag)) == 1


def test_dismissed_evidence_is_not_raised_again_and_open_flags_are_not_duplicated(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("a")
    signal = eu_signal("2026-01-01", "https://a.example.jp/n/1", "ドイツのクラスターと覚書を締結")
    world.night({"a": ok()})
    world.night({"a": ok(moved_to="https://a.example.com/", eu_signals=[signal])})
    evaluate(sessions, SETTINGS, now)
    with sessions() as session:
        flags = {f.kind: f.id for f in session.scalars(select(Flag))}
    assert set(flags) == {"moved", "new_eu_signal"}
    review_flag(sessions, flags["moved"], "dismissed", "old redirect", "ana", now)
    world.night({"a": ok(eu_signals=[])})  # the move and the signal vanish for a night ...
    world.night({"a": ok(moved_to="https://a.example.com/", eu_signals=[signal])})  # ... return
    summary = evaluate(sessions, SETTINGS, now)
    assert summary.flags_raised == {}  # a signal missing for one night is not gone
    assert summary.flags_suppressed == 1  # the dismissed move
    world.night({"a": ok(eu_signals=[])})
    world.night({"a": ok(eu_signals=[])})
    assert evaluate(sessions, SETTINGS, now).flags_raised == {"eu_signal_gone": 1}
    assert flag_kinds(sessions, "a") == ["moved", "new_eu_signal", "eu_signal_gone"]


def test_overrides_win_in_the_view_and_the_computed_value_is_kept(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("a")
    world.night({"a": ok()})
    evaluate(sessions, SETTINGS, now)
    set_override(sessions, "a", "internationalisation", "not_interested", "said so", "ana", now)
    world.night({"a": ok(internationalisation="eu_recent")})
    evaluate(sessions, SETTINGS, now)
    (row,) = cluster_rows(sessions, now)
    assert row.internationalisation == "not_interested"
    assert row.overrides["internationalisation"]["computed"] == "eu_recent"
    with sessions() as session:
        state = session.get(ClusterState, "a")
        assert state is not None and state.internationalisation == "eu_recent"


def test_retired_clusters_are_skipped(sessions: sessionmaker[Session], now: datetime) -> None:
    world = World(sessions)
    with sessions.begin() as session:
        add_cluster(session, "gone", retired=True)
    world.clusters("here")
    world.night({"gone": ok(), "here": ok(blocked=bot_wall(), pages_analysed=0)})
    summary = evaluate(sessions, SETTINGS, now)
    assert summary.clusters == 1
    assert statuses(sessions, "gone") == []
    assert [r.id for r in cluster_rows(sessions, now)] == ["here"]


def test_a_cluster_added_later_reads_only_its_own_results(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    world = World(sessions)
    world.clusters("old")
    for _ in range(3):
        world.night({"old": ok()})
    evaluate(sessions, SETTINGS, now)
    world.clusters("new")
    world.night({"old": ok(), "new": ok(last_update=OLD)})
    summary = evaluate(sessions, SETTINGS, now)
    assert (summary.observations, summary.clusters) == (2, 2)
    assert statuses(sessions, "new") == ["dormant"]
    assert statuses(sessions, "old") == ["active"] * 4
