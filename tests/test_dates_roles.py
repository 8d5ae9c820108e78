"""Dates by role: update stamps and news headings date a page, content dates never do.

Each role is shown with a small hand-written snippet of the kind real Japanese and European
public-sector pages carry (issue 9): periods, deadlines, events, eligibility ranges,
instalments, fiscal years and plans, law and ordinance numbers, founding and copyright years.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clusterwatch.crawler.analysis import PageInput, analyze
from clusterwatch.crawler.analysis.date_roles import role_of
from clusterwatch.crawler.analysis.dates import find_dates, normalise, parse_date_string

FETCHED = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 2026-11-20 in Tokyo


def roles(
    line: str, previous: str = "", following: str = "", above: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(ISO date, role) of every date on one line of text; ``above``: the lines above the
    previous one, nearest first."""
    text = normalise(line)
    lines = (previous, *above) if previous else above
    return [
        (m.value.isoformat(), role_of(text, m.start, m.end, m.precision, lines, following).name)
        for m in find_dates(text)
    ]


def newest(html: str) -> date | None:
    body = f"<html><body><main>{html}</main></body></html>".encode()
    page = PageInput(
        "https://x.example.jp/", "https://x.example.jp/", 200,
        {"content-type": "text/html; charset=utf-8"}, body, FETCHED,
    )  # fmt: skip
    return analyze(page).newest_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("更新日:令和7(2025)年11月11日", [("2025-11-11", "stamp")]),
        ("最終更新日 2024年3月1日", [("2024-03-01", "stamp")]),
        ("掲載日:2024年3月1日", [("2024-03-01", "stamp")]),
        ("2024年4月1日現在", [("2024-04-01", "stamp")]),
        ("Posted on March 3, 2024", [("2024-03-03", "stamp")]),
        ("Stand: 3. Mai 2019", [("2019-05-03", "stamp")]),
        ("Publié le 3 mars 2021", [("2021-03-03", "stamp")]),
        ("2024年3月15日 セミナーを開催しました", [("2024-03-15", "heading")]),
        ("Dienstag, 28. April 2020 Neue Mitglieder", [("2020-04-28", "heading")]),
        ("・2024.03.15 総会資料を掲載", [("2024-03-15", "heading")]),
        ("当会は会員向けに2024年3月15日の資料を配布した", [("2024-03-15", "text")]),
    ],
)
def test_update_stamps_and_news_headings(line: str, expected: list[tuple[str, str]]) -> None:
    assert roles(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # periods, with both ends and with one open end
        ("令和3年7月26日から令和3年12月28日まで", ["period", "period"]),
        ("2020年4月1日～2021年3月31日", ["period", "period"]),
        ("2025年11月17日 以降", ["period"]),
        ("Mittwochs, ab 29.03.2017 17:15 Uhr", ["period"]),
        ("du 3 mars 2021 au 5 mars 2021", ["period", "period"]),
        # deadlines
        ("令和4年3月25日必着", ["deadline"]),
        ("申請期限:2024年5月31日", ["deadline"]),
        ("Anmeldeschluss: 28. April 2020", ["deadline"]),
        ("scadenza 12 maggio 2020", ["deadline"]),
        # events
        ("【日 時】2021年11月15日", ["event"]),
        ("開催日:2024年3月1日(金)", ["event"]),
        ("2025年12月1日(月) 14:00~16:00", ["event"]),
        ("2024年3月1日に開催します", ["event"]),
        # eligibility
        ("平成15年4月2日~令和4年2月28日に生まれた児童", ["period", "period"]),
        ("2015年7月生まれ", ["eligibility"]),
        ("推定生年月日 2025年8月5日", ["eligibility"]),
        # instalments, fiscal years and plans
        ("4回目:令和6年2月頃", ["event"]),
        ("第3回 2024年5月10日", ["instalment"]),
        ("令和3年度~令和7年度", ["fiscal", "fiscal"]),
        # law and ordinance numbers, entry into force
        ("平成25年泉南市条例第18号", ["law"]),
        ("(令和2年4月1日施行)", ["law"]),
        ("Es tritt am 1. Januar 2022 (Artikel 1 und 3) in Kraft", ["law"]),
        # founding, labelled fields
        ("2005年4月1日設立", ["founding"]),
        ("設立年月日 2022年4月15日", ["founding"]),
        ("・撮影日/令和7年11月5日", ["labelled"]),
        ("収容期限 2025年11月18日", ["deadline"]),
    ],
)
def test_content_dates(line: str, expected: list[str]) -> None:
    assert [role for _, role in roles(line)] == expected


def test_a_header_cell_on_the_line_before_labels_the_date() -> None:
    assert roles("2025年11月10日", previous="収容期限") == [("2025-11-10", "deadline")]
    assert roles("2025年11月10日", previous="更新日") == [("2025-11-10", "stamp")]
    # another date on the line before is no label (its 日 is no field name)
    assert roles("2025年11月12日", previous="最終更新日:2025年11月1日") == [
        ("2025-11-12", "heading")
    ]
    # a news item's title before the next item's date is no label
    assert roles("2025年11月10日 総会", previous="総会のご案内") == [("2025-11-10", "heading")]


def test_a_header_row_above_labels_the_date_that_starts_the_row_of_values() -> None:
    # <tr><th>推定生年月日<th>性別</tr><tr><td>2025年8月5日<td>オス</tr>
    assert roles("2025年8月5日", previous="性別", above=("推定生年月日",)) == [
        ("2025-08-05", "eligibility")
    ]
    # a line holding a digit above is a row of values or another item, not a header cell
    assert roles("2025年8月5日", previous="性別", above=("推定生年月日 3件",)) == [
        ("2025-08-05", "heading")
    ]
    assert roles("2025年11月10日", previous="講演会", above=("2025年11月12日", "開催日")) == [
        ("2025-11-10", "heading")
    ]
    # no further than the lookback: a label three header cells away is not this date's
    assert roles("2025年8月5日", previous="性別", above=("体重", "毛色", "推定生年月日")) == [
        ("2025-08-05", "heading")
    ]


def test_exams_and_competitions_are_events() -> None:
    assert roles("3. Dezember 2016", previous="Herbstprüfung") == [("2016-12-03", "event")]
    assert roles("Final exam: 12 May 2021") == [("2021-05-12", "event")]
    assert roles("検定試験 2025年3月9日") == [("2025-03-09", "event")]
    # an exam's result published is a news heading, not the exam
    assert roles("2025年3月20日 検定試験の結果を掲載しました") == [("2025-03-20", "heading")]


def test_a_run_of_bare_dates_forward_in_time_heads_no_news_item() -> None:
    menu = "<ul><li>2026年11月10日</li><li>2026年11月12日</li><li>2026年11月14日</li></ul>"
    assert newest(menu) is None  # a filter menu or a schedule, not a news list
    news = "<ul><li>2026年11月14日</li><li>2026年11月12日</li><li>2026年11月10日</li></ul>"
    assert newest(news) == date(2026, 11, 14)  # newest first: headings parted from titles
    titled = "<dl><dt>2026年11月10日</dt><dd>総会</dd><dt>2026年11月12日</dt><dd>報告</dd></dl>"
    assert newest(titled) == date(2026, 11, 12)  # each date heads a title: a news list


def test_a_law_number_on_the_next_line_cites_the_date() -> None:
    assert roles("令和元年12月28日", following="規則第20号") == [("2019-12-28", "law")]
    assert roles("2024年3月15日", following="セミナーを開催しました") == [("2024-03-15", "heading")]


def test_content_dates_never_date_the_page() -> None:
    # a deadline two years ago is not evidence of activity, nor is an open-ended period
    assert newest("<p>申請期限:2024年11月1日</p><p>令和6年4月1日から受付</p>") is None
    # a later deadline does not overrule the page's stamp
    assert newest("<p>更新日:2023年5月1日</p><p>令和7年3月25日必着</p>") == date(2023, 5, 1)
    # a fiscal plan and an ordinance number are not updates
    assert newest("<p>令和3年度~令和7年度 計画</p><p>平成25年泉南市条例第18号</p>") is None


def test_an_event_counts_through_the_news_item_that_announces_it() -> None:
    html = "<ul><li>2026年11月13日 交流会のお知らせ</li></ul><p>【日 時】2026年12月5日</p>"
    assert newest(html) == date(2026, 11, 13)


def test_running_text_dates_are_kept_but_do_not_date_the_page() -> None:
    html = "<p>Am 01.01.1999 wurde der Euro die europäische Währung.</p>"
    assert newest(html) is None
    assert newest(html + "<p>Stand: 3. Mai 2019</p>") == date(2019, 5, 3)


def test_sidebar_news_stands_in_only_without_a_stamp_of_the_page() -> None:
    sidebar = "<aside><ul><li>2026年11月12日 センター情報</li></ul></aside>"
    assert newest("<p>最終更新日:2017年7月3日</p>" + sidebar) == date(2017, 7, 3)
    assert newest("<p>譲渡について</p>" + sidebar) == date(2026, 11, 12)


def test_sidebar_news_competes_with_the_main_lists_headings() -> None:
    # a card list headed by dates in the main text, a newer news list in the sidebar: both
    # are dated lists on the page; only the page's own update stamp outranks the sidebar
    cards = "<p>2026年10月20日</p><p>推進棟 パピコ</p><p>2026年9月10日</p><p>推進棟 ソラ</p>"
    sidebar = "<aside><ul><li>2026年11月12日 センター情報 収容</li></ul></aside>"
    assert newest(cards + sidebar) == date(2026, 11, 12)
    assert newest("<p>最終更新日:2026年10月1日</p>" + cards + sidebar) == date(2026, 10, 20)


def test_a_stamp_may_be_one_day_ahead_an_event_may_not() -> None:
    assert newest("<p>2026年11月21日 サイトを公開しました</p>") == date(2026, 11, 21)
    assert newest("<p>2026年11月22日 サイトを公開しました</p>") is None


def test_european_dates() -> None:
    found = [m.value.isoformat() for m in find_dates(normalise(
        "Dienstag, 28. April 2020 · 3 mars 2021 · 12 de mayo de 2019 · 1er février 2020 · "
        "lunedì 5 ottobre 2020 · 4. Jänner 2023 · 15. März 2024 · 2 août 2019 · 9 dic 2018"
    ))]  # fmt: skip
    assert found == [
        "2020-04-28", "2021-03-03", "2019-05-12", "2020-02-01", "2020-10-05",
        "2023-01-04", "2024-03-15", "2019-08-02", "2018-12-09",
    ]  # fmt: skip


def test_metadata_with_the_sites_own_offset_keeps_its_written_date() -> None:
    assert parse_date_string("2020-02-19T18:37:32+01:00")[0] == date(2020, 2, 19)  # type: ignore[index]
    assert parse_date_string("2024-03-15T23:30:00Z")[0] == date(2024, 3, 16)  # type: ignore[index]
