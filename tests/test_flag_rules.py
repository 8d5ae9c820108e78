"""clusterwatch.monitor.flag_rules: which transitions raise which flags, and the evidence key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from clusterwatch.monitor.flag_rules import FLAG_KINDS, evidence_key, flags_for
from clusterwatch.monitor.status import ClusterStateView, RunObservation
from tests.builders import analysis, eu_signal, parked_page

AT = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
SEEN = ClusterStateView(
    status="active",
    english_site="none",
    main_language="ja",
    internationalisation="no_info",
    last_update=date(2026, 9, 1),
    last_update_evidence={"url": "https://a.example.jp/news/", "text": "2026.09.01 news"},
)
SIGNAL = eu_signal("2026-10-02", "https://a.example.jp/news/7", "欧州クラスターとMoU締結")


def observe(outcome: str = "ok", **changes: object) -> RunObservation:
    data = analysis(**changes) if outcome == "ok" else None
    return RunObservation(7, AT, False, outcome, "https://a.example.jp/", analysis=data)


def kinds(before: ClusterStateView, after: ClusterStateView, run: RunObservation) -> list[str]:
    return [flag.kind for flag in flags_for("a", before, after, run)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("active", "dormant", ["became_dormant"]),
        ("dormant", "active", ["reactivated"]),
        ("parked", "active", ["reactivated"]),
        ("active", "unreachable", ["unreachable"]),
        ("unreachable", "dormant", ["recovered"]),
        ("active", "parked", ["parked"]),
        ("active", "active", []),
        ("unknown", "active", []),
    ],
)
def test_status_transitions(old: str, new: str, expected: list[str]) -> None:
    before, after = replace(SEEN, status=old), replace(SEEN, status=new)
    assert kinds(before, after, observe()) == expected


def test_a_move_and_a_bot_wall_raise_their_flags_once() -> None:
    moved = replace(SEEN, moved_to="https://new.example.com/")
    assert kinds(SEEN, moved, observe()) == ["moved"]
    assert kinds(moved, moved, observe()) == []
    walled = replace(SEEN, status="unknown", status_reason="bot wall: challenge (cloudflare)")
    assert kinds(SEEN, walled, observe("blocked")) == ["blocked"]
    assert kinds(walled, walled, observe("blocked")) == []


def test_english_site_appears_and_goes() -> None:
    with_english = replace(SEEN, english_site="static")
    assert kinds(SEEN, with_english, observe()) == ["english_site_appeared"]
    assert kinds(with_english, SEEN, observe()) == ["english_site_gone"]
    assert kinds(with_english, replace(SEEN, english_site="active"), observe()) == []


def test_a_home_page_naming_someone_else_raises_content_replaced_with_both_titles() -> None:
    before = replace(SEEN, home_title="あおば医療機器産業クラスター協議会 | ホーム")
    reworded = replace(SEEN, home_title="トップページ - あおば医療機器クラスター")
    assert kinds(before, reworded, observe()) == []
    taken = replace(SEEN, home_title="格安レンタルサーバー比較ランキング2026")
    flags = flags_for("a", before, taken, observe())
    assert [flag.kind for flag in flags] == ["content_replaced"]
    text = flags[0].evidence[0]["text"] or ""
    assert "あおば医療機器産業クラスター協議会" in text and "格安レンタルサーバー" in text


def test_eu_signals_new_and_gone_each_with_their_own_evidence() -> None:
    with_signal = replace(SEEN, eu_signals=(SIGNAL,))
    raised = flags_for("a", SEEN, with_signal, observe())
    assert [f.kind for f in raised] == ["new_eu_signal"]
    assert raised[0].evidence == (
        {"url": SIGNAL["url"], "text": SIGNAL["text"], "date": "2026-10-02"},
    )
    assert kinds(with_signal, SEEN, observe()) == ["eu_signal_gone"]
    respaced = dict(SIGNAL, text="欧州クラスターと  MoU締結 ")
    assert kinds(with_signal, replace(SEEN, eu_signals=(respaced,)), observe()) == []


def test_one_lost_item_on_three_pages_raises_one_flag_listing_the_pages() -> None:
    pages = ("https://a.example.jp/", "https://a.example.jp/news/", SIGNAL["url"])
    copies = tuple(dict(SIGNAL, url=url) for url in pages)
    other = eu_signal("2026-09-01", "https://a.example.jp/news/3", "ドイツの研究所と共同研究")
    before = replace(SEEN, eu_signals=(*copies, other))
    raised = flags_for("a", before, SEEN, observe())
    assert [f.kind for f in raised] == ["eu_signal_gone"]
    assert sorted(item["url"] or "" for item in raised[0].evidence) == sorted(
        (*pages, other["url"])
    )
    gained = flags_for("a", SEEN, before, observe())
    assert [f.kind for f in gained] == ["new_eu_signal"] and len(gained[0].evidence) == 4


def test_language_and_category_changes() -> None:
    changed = replace(SEEN, main_language="en", internationalisation="eu_recent")
    assert kinds(SEEN, changed, observe()) == ["language_changed", "internationalisation_changed"]


def test_the_first_observation_is_a_baseline_not_a_change() -> None:
    first = replace(SEEN, english_site="active", eu_signals=(SIGNAL,))
    assert kinds(ClusterStateView(), first, observe()) == []


def test_parked_evidence_names_the_parking_page() -> None:
    run = observe(parked=parked_page("http://a.example.jp/"))
    (flag,) = flags_for("a", SEEN, replace(SEEN, status="parked"), run)
    assert flag.evidence[0]["url"] == "http://a.example.jp/"
    assert "売却中" in (flag.evidence[0]["text"] or "")


def test_evidence_key_normalises_whitespace_and_case_and_separates_cluster_and_kind() -> None:
    one = ({"url": "https://x.jp/a", "text": "MoU with  Flanders", "date": "2026-01-02"},)
    same = ({"url": " https://x.jp/a ", "text": "mou with flanders", "date": "2026-01-02"},)
    other_text = ({"url": "https://x.jp/a", "text": "MoU with Medicon", "date": "2026-01-02"},)
    key = evidence_key("a", "new_eu_signal", one)
    assert key == evidence_key("a", "new_eu_signal", same)
    assert key != evidence_key("a", "new_eu_signal", other_text)
    assert key != evidence_key("b", "new_eu_signal", one)
    assert key != evidence_key("a", "eu_signal_gone", one)


def test_state_kinds_ignore_the_date_event_kinds_keep_it() -> None:
    day1 = ({"url": "https://new.example.com/", "text": "moved", "date": "2026-01-01"},)
    day2 = ({"url": "https://new.example.com/", "text": "moved", "date": "2026-02-01"},)
    assert evidence_key("a", "moved", day1) == evidence_key("a", "moved", day2)
    assert evidence_key("a", "unreachable", day1) != evidence_key("a", "unreachable", day2)


def test_every_raised_kind_is_documented() -> None:
    before = replace(SEEN, status="unreachable", english_site="static", eu_signals=(SIGNAL,))
    after = replace(SEEN, status="active", main_language="en", moved_to="https://n.example/")
    assert {f.kind for f in flags_for("a", before, after, observe())} <= set(FLAG_KINDS)
