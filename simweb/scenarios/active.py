"""Scenario: an active, Japanese-only cluster site (Osaka Bio Headquarters).

UTF-8, a news list in 2026年11月5日 form on the home page and 令和 dates on the articles, an RSS
feed, a sitemap declared in robots.txt, a founding date, an event announced for the future
(開催予定), and one exchange with Taiwan as its only international signal.
"""

from __future__ import annotations

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import org_page
from clusterwatch.simweb.sitekit import SiteBuilder, dated

BASE = "https://osaka-bio.jp"
ORG = "大阪バイオ・ヘッドクオーター"
LINKS = (
    ("/about-us", "大阪バイオ・ヘッドクオーターについて"),
    ("/news/", "お知らせ"),
    ("/event/", "イベント"),
    ("/feed/", "RSS"),
)
# Days before phase 1 of each news item; the newest is the site's last credible update.
NEWS = (
    (20, "令和8年度 第2回 大阪バイオ・ヘッドクオーター会議を開催しました"),
    (45, "北大阪バイオクラスター 企業交流会の参加者を募集します"),
    (90, "台湾バイオ産業視察団との交流会を開催しました（台北市）"),
    (200, "創薬ベンチャー支援プログラムの採択結果について"),
    (400, "ホームページをリニューアルしました"),
)
NEWEST_DAYS = 20
EVENT_IN_DAYS = 56  # the seminar is announced for 8 weeks after phase 1: 開催予定


def _page(title: str, main: str, night: Night) -> str:
    return org_page(ORG, title, main, links=LINKS, copyright_line=f"© {night.date.year} {ORG}")


def site(night: Night) -> SiteState:
    s = SiteBuilder(BASE)
    entries = [(night.ago(d), t) for d, t in NEWS]
    home_items = dated(entries, markup.ja_date)
    era_items = dated(entries, markup.era_date)
    newest = night.ago(NEWEST_DAYS)
    s.html("/", _page(ORG, markup.news_list(home_items[:4], "新着情報"), night), modified=newest)
    s.html(
        "/news/",
        _page("お知らせ", markup.news_list(era_items, "お知らせ一覧"), night),
        modified=newest,
    )
    s.articles(era_items, lambda t, m: _page(t, m, night))
    founded = (
        "<h1>大阪バイオ・ヘッドクオーターについて</h1><p>2008年（平成20年）設立。大阪府と"
        "関係機関で構成し、北大阪バイオクラスターの形成を推進しています。</p>"
    )
    s.html(
        "/about-us",
        _page("大阪バイオ・ヘッドクオーターについて", founded, night),
        modified=night.ago(400),
    )
    event = night.ago(-EVENT_IN_DAYS)
    s.html(
        "/event/",
        _page(
            "イベント",
            f"<h1>イベント</h1><p>{markup.ja_date(event)}（開催予定）"
            "バイオ技術シーズ発表会 in 彩都</p>",
            night,
        ),
        modified=newest,
    )
    s.raw("/feed/", markup.rss(ORG, BASE + "/", home_items).encode(), "application/rss+xml", newest)
    s.sitemap(newest)
    s.robots(sitemap=True)
    return s.state()


def expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="asia_america_only",
        last_update=night.ago(NEWEST_DAYS),
        notes="the 開催予定 event date and the 設立 year must not count as updates",
    )


SCENARIOS = (
    Scenario(
        id="osaka-bio",
        name="Osaka Bio Headquarters",
        name_ja=ORG,
        sector="life_science",
        prefecture="Osaka",
        urls=(BASE + "/",),
        hosts={"osaka-bio.jp": site},
        expect=expect,
        source="2017 briefing section 3.3; japan-clusters.md row 3",
        scenario="active Japanese-only site: RSS, sitemap in robots.txt, 令和 dates, 開催予定",
    ),
)
