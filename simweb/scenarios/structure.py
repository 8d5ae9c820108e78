"""Scenarios: site structures a crawler must handle.

- www.it-shinryo.org: soft 404s: every unknown path, including the English seed, answers 200
  with a Japanese "ページが見つかりません" page.
- tamaweb.or.jp: robots.txt closes /members/ while the home page links into it; the home page's
  Last-Modified is the time of each request although its content never changes.
- www.k-rip.gr.jp: a meta-refresh entry page, a frameset, and the news in an iframe.
- www.noastec.jp: an event calendar whose 前の月 / 次の月 links never end (a crawler trap).
"""

from __future__ import annotations

import re

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Page, Quirk, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import news_site
from clusterwatch.simweb.sitekit import SiteBuilder, dated

SHINRYO = "http://www.it-shinryo.org"
SHINRYO_NEWEST_DAYS = 50
SOFT_404 = markup.document(
    "ページが見つかりません",
    "<h1>ページが見つかりません</h1><p>お探しのページは移動または削除された可能性があります。"
    '<a href="/">トップページへ戻る</a></p>',
).encode()


SHINRYO_NEWS = (
    (SHINRYO_NEWEST_DAYS, "沖縄IT津梁パーク 新棟の入居企業を募集しています"),
    (180, "台湾のIT企業とBPO分野での連携に向けた商談会を開催しました"),
)


def shinryo(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in SHINRYO_NEWS]
    s = news_site(
        SHINRYO, "沖縄IT津梁パーク", night, entries, links=(("/en/index.html", "English"),)
    )
    return s.state(dynamic=lambda path, query: Page(body=SOFT_404))


def shinryo_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="asia_america_only",
        last_update=night.ago(SHINRYO_NEWEST_DAYS),
        notes="/en/index.html is a soft 404 (status 200, ページが見つかりません)",
    )


TAMA = "https://tamaweb.or.jp"
TAMA_NEWEST_DAYS = 15
MEMBERS_DAYS = 1  # the members' pages carry a newer date: seen only by a crawler ignoring robots


TAMA_NEWS = (
    (TAMA_NEWEST_DAYS, "TAMA協会 広域ビジネスマッチング商談会の参加企業を募集"),
    (500, "ドイツ・ノルトライン＝ヴェストファーレン州経済振興公社と連携協定を締結しました"),
)


def tama(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in TAMA_NEWS]
    links = (("/members/login.html", "会員ログイン"), ("/members/list.html", "会員企業一覧"))
    s = news_site(TAMA, "TAMA協会", night, entries, links=links)
    home = s.pages["/"]
    s.pages["/"] = Page(body=home.body, quirks=frozenset({Quirk.VOLATILE_LAST_MODIFIED}))
    when = night.ago(MEMBERS_DAYS)
    for path in ("/members/login.html", "/members/list.html"):
        page = f"<h1>会員専用ページ</h1><p>{markup.ja_date(when)}更新</p>"
        s.html(path, markup.document("会員専用", page), modified=when)
    s.robots(disallow=("/members/",))
    return s.state()


def tama_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="eu_recent",
        last_update=night.ago(TAMA_NEWEST_DAYS),
        forbidden_paths=("/members/",),
        notes="home Last-Modified changes on every request: not evidence of an update",
    )


KRIP = "http://www.k-rip.gr.jp"
KRIP_NEWEST_DAYS = 70


def krip(night: Night) -> SiteState:
    s = SiteBuilder(KRIP)
    items = dated(
        [
            (
                night.ago(KRIP_NEWEST_DAYS),
                "九州環境エネルギー産業推進機構 会員交流会を開催しました",
            ),
            (night.ago(400), "中国・山東省との環境ビジネス交流ミッションを実施しました"),
        ],
        markup.dotted,
    )
    newest = night.ago(KRIP_NEWEST_DAYS)
    entry = markup.legacy_document(
        "K-RIP",
        '<p><a href="top.html">ENTER</a></p>',
        charset="utf-8",
    ).replace("</title>", '</title>\n<meta http-equiv="refresh" content="0;URL=top.html">')
    s.html("/", entry, modified=night.ago(3000))
    frameset = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN">\n<html lang="ja"><head>'
        '<meta charset="utf-8"><title>K-RIP 九州環境エネルギー産業推進機構</title></head>\n'
        '<frameset cols="200,*"><frame src="menu.html" name="menu">'
        '<frame src="main.html" name="main"><noframes>フレーム対応ブラウザでご覧ください'
        "</noframes></frameset></html>\n"
    )
    s.html("/top.html", frameset, modified=night.ago(3000))
    menu = (
        '<a href="main.html" target="main">トップ</a><br><a href="news.html" target="main">新着</a>'
    )
    s.html("/menu.html", markup.document("menu", menu), modified=night.ago(3000))
    main = (
        "<h1>九州環境エネルギー産業推進機構（K-RIP）</h1>"
        '<iframe src="news.html" width="600" height="300" title="新着情報"></iframe>'
    )
    s.html("/main.html", markup.document("K-RIP", main), modified=newest)
    s.html("/news.html", markup.document("新着情報", markup.news_list(items)), modified=newest)
    s.articles(items, lambda title, body: markup.document(title, body))
    s.robots()
    return s.state()


def krip_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="asia_america_only",
        last_update=night.ago(KRIP_NEWEST_DAYS),
        notes="content only via meta refresh -> frameset -> frame -> iframe",
    )


NOASTEC = "https://www.noastec.jp"
NOASTEC_NEWEST_DAYS = 10
CALENDAR = "/event/calendar.php"
MONTH = re.compile(r"^ym=(\d{4})-(\d{2})$")


def _calendar(path: str, query: str) -> Page | None:
    """Any month, forever: each page links to the month before and the month after."""
    found = MONTH.match(query)
    if path != CALENDAR or not found:
        return None
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        return None
    before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    after = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
    body = (
        f"<h1>{year}年{month}月のイベント</h1><p>この月のイベントはありません。</p>"
        f'<a href="{CALENDAR}?ym={before}">前の月</a> <a href="{CALENDAR}?ym={after}">次の月</a>'
    )
    return Page(body=markup.document("イベントカレンダー", body).encode())


NOASTEC_NEWS = (
    (NOASTEC_NEWEST_DAYS, "ノーステック財団 研究開発支援事業の採択結果を公表しました"),
    (900, "フィンランド・オウル市とバイオ分野の協力に関する覚書を締結しました"),
)


def noastec(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in NOASTEC_NEWS]
    month = f"{night.date.year}-{night.date.month:02d}"
    links = ((f"{CALENDAR}?ym={month}", "イベントカレンダー"),)
    s = news_site(NOASTEC, "ノーステック財団", night, entries, links=links)
    return s.state(dynamic=_calendar)


def noastec_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="eu_past",
        last_update=night.ago(NOASTEC_NEWEST_DAYS),
        notes=f"{CALENDAR}?ym=... is an endless calendar: the page budget must stop it",
    )


SCENARIOS = (
    Scenario(
        id="okinawa-it-shinryo",
        name="OKINAWA IT SHINRYO PARK",
        name_ja="沖縄IT津梁パーク",
        sector="ict",
        prefecture="Okinawa",
        urls=(f"{SHINRYO}/", f"{SHINRYO}/en/index.html"),
        hosts={"www.it-shinryo.org": shinryo},
        expect=shinryo_expect,
        source="japan-clusters.md row 7",
        scenario="soft 404: the English URL answers 200 with ページが見つかりません",
    ),
    Scenario(
        id="tama",
        name="TAMA Association",
        name_ja="首都圏産業活性化協会（TAMA協会）",
        sector="precision_manufacturing",
        prefecture="Tokyo",
        urls=(f"{TAMA}/",),
        hosts={"tamaweb.or.jp": tama},
        expect=tama_expect,
        source="japan-clusters.md row 14",
        scenario="robots.txt closes /members/ (linked from home); volatile Last-Modified",
    ),
    Scenario(
        id="k-rip",
        name="Kyushu Environmental and Energy Industry Promotion Organization (K-RIP)",
        name_ja="九州環境エネルギー産業推進機構",
        sector="energy_environment",
        prefecture="Fukuoka",
        urls=(f"{KRIP}/",),
        hosts={"www.k-rip.gr.jp": krip},
        expect=krip_expect,
        source="japan-clusters.md row 8",
        scenario="meta refresh entry page, frameset with frames, news in an iframe",
    ),
    Scenario(
        id="noastec",
        name="NOASTEC Foundation",
        name_ja="ノーステック財団",
        sector="life_science",
        prefecture="Hokkaido",
        urls=(f"{NOASTEC}/",),
        hosts={"www.noastec.jp": noastec},
        expect=noastec_expect,
        source="japan-clusters.md row 17",
        scenario="calendar crawler trap: endless ?ym= previous/next month links",
    ),
)
