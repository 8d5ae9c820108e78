"""Unit, property and hostile-input tests of crawler.analysis."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterwatch.crawler.analysis import (
    PageInput,
    SitePage,
    analyze,
    decode_html,
    encoding,
    lexicon,
    parked,
    summarize_site,
)
from clusterwatch.crawler.analysis import page as page_module
from clusterwatch.crawler.analysis.dates import find_dates, normalise, parse_date_string
from clusterwatch.crawler.analysis.fingerprint import text_hash

FETCHED = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def page(
    html: str | bytes, url: str = "https://x.example.jp/", status: int = 200, **headers: str
) -> PageInput:
    body = html.encode("utf-8") if isinstance(html, str) else html
    hdrs = {
        "content-type": "text/html; charset=utf-8",
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }
    return PageInput(url, url, status, hdrs, body, FETCHED)


def dates_of(text: str) -> list[tuple[str, str]]:
    return [(m.value.isoformat(), m.precision) for m in find_dates(normalise(text))]


def test_date_forms() -> None:
    assert dates_of("令和元年5月1日") == [("2019-05-01", "day")]
    assert dates_of("令和6年3月15日") == [("2024-03-15", "day")]
    assert dates_of("平成28年") == [("2016-01-01", "year")]
    assert dates_of("R6.3.15 H28.5.12") == [("2024-03-15", "day"), ("2016-05-12", "day")]
    assert dates_of("２０２４年３月１５日") == [("2024-03-15", "day")]
    assert dates_of("2024年3月") == [("2024-03-01", "month")]
    assert dates_of("2024/3/15 2024.03.15 2024-03-15") == [("2024-03-15", "day")] * 3
    assert (
        dates_of("15 March 2024, March 15, 2024 and Mar. 15, 2024") == [("2024-03-15", "day")] * 3
    )
    assert dates_of("March 2024") == [("2024-03-01", "month")]
    assert dates_of("昭和60年4月") == [("1985-04-01", "month")]
    assert dates_of("平成32年1月1日 2024年13月1日 12024年3月") == []  # no such era year / month


def test_metadata_date_strings() -> None:
    assert parse_date_string("2024-03-15T23:30:00Z")[0] == date(2024, 3, 16)  # Tokyo date
    assert parse_date_string("Mon, 04 Mar 2024 10:00:00 GMT")[0] == date(2024, 3, 4)
    assert parse_date_string("nonsense") is None


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_date_parser_never_fails_and_spans_are_sound(text: str) -> None:
    normal = normalise(text)
    for match in find_dates(normal):
        assert 0 <= match.start < match.end <= len(normal)
        assert 1868 <= match.value.year <= 9999


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_date_parser_reads_back_what_it_is_given(day: date) -> None:
    assert dates_of(f"{day.year}年{day.month}月{day.day}日") == [(day.isoformat(), "day")]
    assert dates_of(day.strftime("%d %B %Y")) == [(day.isoformat(), "day")]


def test_credibility_rules() -> None:
    html = (
        "<html lang=ja><body><main><p>2005年4月1日設立</p><p>2030年1月10日 開催予定</p>"
        "<p>2024年3月15日 セミナーを開催しました</p></main><footer>© 2026 協議会</footer></body></html>"
    )
    result = analyze(page(html))
    assert result.newest_date == date(2024, 3, 15)
    reasons = {item.reason for item in result.dates}
    assert {"founding", "future", "copyright"} <= reasons
    assert "2024年3月15日" in result.newest_date_evidence.text


def test_the_current_month_or_year_without_a_day_is_weak_evidence() -> None:
    calendar = "<main><h1>2026年11月のイベント</h1><p>令和8年 総会</p><p>2025年9月 総会</p></main>"
    result = analyze(page(calendar))
    assert result.newest_date == date(2025, 9, 1)
    reasons = {(item.date.isoformat(), item.precision): item.reason for item in result.dates}
    assert reasons == {
        ("2026-11-01", "month"): "current_period",
        ("2026-01-01", "year"): "current_period",
        ("2025-09-01", "month"): "heading",  # heads its line: a news item
    }
    marked = analyze(page("<main><p>最終更新 2026年11月</p></main>"))
    assert marked.newest_date == date(2026, 11, 1)


def test_last_modified_generated_per_request_is_not_credible() -> None:
    stamp = "Fri, 20 Nov 2026 03:00:00 GMT"
    result = analyze(page("<p>本文</p>", last_modified=stamp, date=stamp))
    assert result.fallback_date is None
    old = analyze(page("<p>本文</p>", last_modified="Tue, 05 Apr 2011 01:00:00 GMT"))
    assert old.fallback_date == date(2011, 4, 5) and old.newest_date is None


def test_last_modified_moving_while_text_is_the_same_is_not_credible() -> None:
    first = analyze(page("<p>本文です</p>"))
    moved = PageInput("https://x.example.jp/", "https://x.example.jp/", 200,
                      {"last-modified": "Tue, 05 Apr 2022 01:00:00 GMT"}, b"<p>\xe6\x9c\xac\xe6\x96\x87\xe3\x81\xa7\xe3\x81\x99</p>",
                      FETCHED, "Mon, 04 Apr 2022 01:00:00 GMT", first.text_hash)  # fmt: skip
    assert analyze(moved).fallback_date is None


def test_text_hash_ignores_clocks_counters_and_today() -> None:
    a = text_hash(["お知らせ", "現在時刻 10:15", "アクセス数: 12345", "2026年11月20日"], TODAY)
    b = text_hash(
        ["お知らせ", "現在時刻 11:47", "アクセス数: 12399", "2026年11月21日"], date(2026, 11, 21)
    )
    c = text_hash(["お知らせ 新着", "現在時刻 11:47"], TODAY)
    assert a == b != c


def test_language_labels_and_boilerplate() -> None:
    ja = analyze(
        page(
            "<html><body><nav><a>Home</a><a>About us</a><a>English</a></nav><p>当協議会は地域の医療機器産業の振興を図ります。IoT と AI を活用します。</p></body></html>"
        )
    )
    assert ja.language.label == "ja" and ja.language.ja == 1.0
    en = analyze(
        page(
            "<p>The cluster brings together companies and universities in the region to develop medical devices.</p>"
        )
    )
    assert en.language.label == "en"
    mixed = analyze(
        page(
            "<p>当協議会は地域の医療機器産業の振興を図ります。</p><p>The cluster supports the development of medical devices in the region.</p>"
        )
    )
    assert mixed.language.label == "mixed"


def test_latin_titles_quoted_in_japanese_count_for_no_language() -> None:
    talks = "".join(
        f"<p>{name}「{title}」</p>"
        for name, title in (
            ("内海", "Unoccupied Electronic Structure of Solids by Inverse Photoemission"),
            ("黒田", "Rashba Spin Splitting in Graphene on a Ferromagnetic Surface"),
            ("古本", "Magnetism of Nano Materials Revealed by Synchrotron Radiation"),
        )
    )
    intro = "<p>九月に釜山大学で学生ワークショップが開催され、研究室から四名が参加し発表した。</p>"
    quoted = analyze(page(intro + talks))
    assert quoted.language.label == "ja" and quoted.language.en == 0.0
    # The same titles outside the brackets are English prose beside the Japanese.
    bare = analyze(page(intro + talks.replace("「", "：").replace("」", "")))
    assert bare.language.label == "mixed" and bare.language.en > 0.3
    # A quote that holds Japanese too is not a bare title: its Latin words still count.
    partly = analyze(page(intro + talks.replace("「", "「講演 ")))
    assert partly.language.en > 0.3


def test_eu_signals_and_false_positives() -> None:
    hit = analyze(
        page("<dl><dt>2025.10.01</dt><dd>ノルトライン・ヴェストファーレン州と覚書を締結</dd></dl>")
    )
    assert [s.entities for s in hit.eu_signals] == [("North Rhine-Westphalia",)]
    assert hit.eu_signals[0].date == date(2025, 10, 1)
    for text in [
        "EURO建ての価格で販売",
        "NCCと共同研究会を開催",
        "ドイツ語講座",
        "<a>English</a> 交流会",
        "中国地方の企業と交流",
    ]:
        result = analyze(page(f"<p>{text}</p>"))
        assert not result.eu_signals, text
    assert not analyze(page("<p>中国地方の企業と交流</p>")).other_signals[:1] or all(
        s.kind == "generic" for s in analyze(page("<p>中国地方の企業と交流</p>")).other_signals
    )
    asia = analyze(page("<p>台湾の医療機器クラスターと連携協定を締結しました</p>"))
    assert [s.kind for s in asia.other_signals] == ["asia_america"]


def test_a_cooperation_word_inside_an_accented_word_is_no_cooperation_word() -> None:
    # "mission" in "émissions" (French: broadcasts) is no delegation; a whole word still is,
    # and kanji before an ASCII term do not hide it (日EU)
    text = "France Culture a consacré plusieurs émissions longues au sujet."
    assert not analyze(page(f"<p>{text}</p>")).eu_signals
    assert analyze(page("<p>A trade mission to France signed a memorandum.</p>")).eu_signals
    assert analyze(page("<p>日EU経済連携協定の説明会</p>")).eu_signals


def test_parked_soft404_blocked() -> None:
    assert (
        analyze(page("<p>このドメインはお名前.comで取得されています。</p>")).parked.vendor
        == "お名前.com"
    )
    assert analyze(page("<p>このドメインは売却中です</p>")).parked.kind == "for_sale"
    spam = analyze(page("<h1>オンラインカジノ</h1><p>カジノ スロット ビットコイン カジノ</p>"))
    assert spam.parked.kind == "takeover"
    assert analyze(
        page("<title>ページが見つかりません</title><p>お探しのページは見つかりません</p>")
    ).soft_404
    at_en = analyze(
        page(
            "<p>当協議会は地域の医療機器産業の振興を図ります。</p>", url="https://x.example.jp/en/"
        )
    )
    assert at_en.soft_404.kind == "japanese_at_english_url"
    wall = analyze(page("<title>Just a moment...</title>", status=503))
    assert wall.blocked.vendor == "Cloudflare" and wall.parked is None
    assert analyze(page("<p>当協議会は地域の医療機器産業の振興を図ります。</p>")).parked is None


def test_signatures_in_the_source_count_on_thin_pages_only() -> None:
    """Cloudflare injects its challenge script into protected sites' ordinary pages too."""
    script = '<script src="/cdn-cgi/challenge-platform/scripts/jsd/main.js"></script>'
    news = "".join(f"<p>第{n}回 医療機器産業の研究会を開催しました。</p>" for n in range(1, 61))
    assert analyze(page(f"<html><head>{script}</head><body>{news}</body></html>")).blocked is None
    wall = analyze(page(f"<html><head>{script}</head><body><p>One moment</p></body></html>"))
    assert wall.blocked and wall.blocked.vendor == "Cloudflare"
    parked_link = '<a href="https://www.bodis.com/">'
    assert analyze(page(f"<body>{parked_link}</a><p>{news}</p></body>")).parked is None
    assert analyze(page(f"<body>{parked_link}</a><p>Welcome</p></body>")).parked


def test_wall_wording_in_a_long_page_is_content_not_a_wall() -> None:
    quote = "<p>Our new portal asks visitors to verify you are human before they download.</p>"
    news = "".join(f"<p>Seminar {n} on medical devices was held in Kobe.</p>" for n in range(40))
    assert analyze(page(f"<body>{quote}{news}</body>", status=200)).blocked is None
    short = analyze(page(f"<body>{quote}</body>", status=403))
    assert short.blocked and "verify you are human" in short.blocked.text


def test_text_hash_ignores_today_in_every_date_form() -> None:
    """Today's date is dropped wherever the page prints it: era letters are upper case."""
    a = text_hash(["更新日 R8.11.20", "お知らせ"], TODAY)
    b = text_hash(["更新日 R8.11.21", "お知らせ"], date(2026, 11, 21))
    c = text_hash(["更新日 R8.11.20", "お知らせ"], date(2026, 11, 21))  # yesterday: dropped too
    d = text_hash(["更新日 R8.11.18", "お知らせ"], date(2026, 11, 21))  # older: it is content
    assert a == b == c != d


def test_encodings_even_with_a_wrong_header() -> None:
    text = "<html><body><p>神戸医療産業都市のお知らせ 2024年3月15日</p></body></html>"
    for codec, header in [
        ("cp932", "iso-8859-1"),
        ("euc_jp", None),
        ("iso2022_jp", "iso-8859-1"),
        ("utf-8", "shift_jis"),
    ]:
        decoded = decode_html(text.encode(codec), header)
        assert "神戸医療産業都市" in decoded.text, codec
        assert decoded.replaced == 0


def test_decoding_reuses_the_sniffed_prefix_exactly() -> None:
    # Bodies longer than the sniffed prefix, split inside a multi-byte character, with a
    # broken byte after the prefix: the same text as one decode of the whole body.
    for codec in ("utf-8", "cp932", "euc_jp"):
        unit = "医療機器の産業振興 2024年3月15日 ".encode(codec)
        for shift in range(4):
            body = b"x" * shift + unit * (encoding.SNIFF_BYTES // len(unit) + 50) + b"\x81 \xff"
            decoded = decode_html(body, codec)
            assert decoded.encoding == codec
            assert decoded.text == body.decode(codec, errors="replace")
            assert decoded.replaced == decoded.text.count("\ufffd") > 0


def test_fold_lowers_ascii_only_and_keeps_positions() -> None:
    every = "".join(chr(c) for c in range(0x110000))
    folded = lexicon.fold(every)
    assert len(folded) == len(every)
    assert folded == "".join(c.lower() if "A" <= c <= "Z" else c for c in every)


def test_lower_casing_beyond_ascii_never_makes_ascii_or_caseless_characters() -> None:
    # parked._haystack lower-cases ASCII only unless a page holds one of _LOWER_TO_ASCII: it
    # relies on every other non-ASCII character that str.lower changes becoming cased,
    # non-ASCII characters, which no signature phrase holds.
    assert parked._caseless_beyond_ascii()
    for code in range(0x80, 0x110000):
        char = chr(code)
        lower = char.lower()
        if lower != char and char not in parked._LOWER_TO_ASCII:
            assert all(not c.isascii() and c.upper() != c for c in lower), hex(code)


def test_signatures_match_whatever_the_case_and_special_lower_cases() -> None:
    for text in ("THIS DOMAIN IS FOR SALE", "İt works!", "A\u212aAMAIGHOST"):
        verdicts = parked.judge(
            url="https://x.example.jp/",
            status=403,
            headers={},
            title=None,
            main=(text,),
            boilerplate=(),
            language=analyze(page("<p>x</p>")).language,
            raw_head="",
        )
        assert (verdicts.blocked is not None) == ("AMAI" in text), text
    assert analyze(page("<p>THIS DOMAIN IS FOR SALE</p>")).parked is not None


def test_main_and_boilerplate_normalised_apart_equal_normalised_joined() -> None:
    parts = ("２０２４年", "\u0301a", "㍻3年", "ｶﾞ", "\u3099", "x")
    for main in ((), parts[:2], parts[2:4]):
        for chrome in ((), parts[3:], parts[:1]):
            main_text, all_text = page_module._normalised(main, chrome)
            assert main_text == normalise("\n".join(main))
            assert all_text == normalise("\n".join((*main, *chrome)))


def test_site_summary_categories() -> None:
    eu_page = analyze(page("<dl><dt>2025.10.01</dt><dd>ドイツのクラスターと覚書を締結</dd></dl>"))
    en_page = analyze(
        page(
            "<p>2026-06-01</p><p>The cluster signed an agreement with partners in the region and the members met.</p>",
            url="https://x.example.jp/en/",
        )
    )
    site = summarize_site(
        [SitePage(eu_page.url, 200, eu_page, 0), SitePage(en_page.url, 200, en_page, None)],
        TODAY,
    )
    assert site.internationalisation == "eu_recent"
    assert site.english_site == "active"
    assert site.last_update == "2026-06-01"
    old = summarize_site([SitePage(eu_page.url, 200, eu_page, 0)], date(2029, 1, 1))
    assert old.internationalisation == "eu_past" and old.english_site == "none"


def test_site_summary_home_title_comes_from_the_home_page_when_it_is_content() -> None:
    home = analyze(page("<title>あおば医療機器クラスター</title><p>お知らせ</p>"))
    news = analyze(page("<title>ニュース一覧</title><p>2026年11月1日 会員募集</p>"))
    for_sale = analyze(page("<title>for sale</title><p>このドメインは売却中です</p>"))
    pages = [SitePage(news.url, 200, news, None), SitePage(home.url, 200, home, 0)]
    assert summarize_site(pages, TODAY).home_title == "あおば医療機器クラスター"
    parked_home = [SitePage(home.url, 200, for_sale, 0)]
    assert summarize_site(parked_home, TODAY).home_title is None


def test_hostile_inputs_complete() -> None:
    hostile = [
        bytes(range(256)) * 4000,
        b"\x00" * 100_000 + b"<p>\x00text</p>",
        b"<div>" * 50_000,
        ("<p>" + "2024年3月15日 " * 20_000 + "</p>").encode(),
        ("<p>" + "1" * 200_000 + "年</p>" + "a" * 100_000 + "EU" * 10_000).encode(),
        b"<html><body>" + b"x" * 10_000_000 + b"</body></html>",
        b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;'>]><rss><item><title>&b;</title></item></rss>",
    ]
    for body in hostile:
        start = time.perf_counter()
        result = analyze(page(body))
        assert time.perf_counter() - start < 20  # loose: bounded, not a benchmark
        assert len(result.text) <= 200_000


@given(st.binary(max_size=2000))
@settings(max_examples=60, deadline=None)
def test_analyze_never_raises_on_random_bytes(body: bytes) -> None:
    result = analyze(page(body))
    assert result.kind in ("html", "feed", "sitemap", "other")
