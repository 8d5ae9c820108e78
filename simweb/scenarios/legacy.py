"""Scenarios: legacy encodings. Each page is served as bytes in its own codec.

- Fukushima medical project: Shift_JIS with no charset anywhere, Heisei dates, dormant for years,
  yet its footer prints the current year; the 2017 English seed URL (a typo path) is a real 404.
- Chubu next-generation vehicles (nisri.jp): EUC-JP declared in a meta tag while the HTTP header
  claims iso-8859-1, so a crawler that trusts the header reads mojibake.
- Hokuriku health cluster (hiac.or.jp): its news page is ISO-2022-JP with no declaration at all.
"""

from __future__ import annotations

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.sitekit import SiteBuilder, dated

FUKU = "http://www.fuku-semi.jp"
FUKU_ORG = "うつくしま次世代医療産業集積プロジェクト"
FUKU_NEWEST_DAYS = 3550  # about nine and a half years before phase 1: a Heisei date
FUKU_NEWS = (
    (FUKU_NEWEST_DAYS, "医療福祉機器研究会 第3回講演会を開催しました"),
    (3700, "ふくしま医療機器産業推進機構の設立について"),
    (3900, "ドイツ・デュッセルドルフのMEDICAに県内企業と共同出展しました"),
)


def fukushima(night: Night) -> SiteState:
    s = SiteBuilder(FUKU)
    items = dated(
        [(night.ago(d), t) for d, t in FUKU_NEWS], markup.era_date, prefix="/iryou-pj/topics/"
    )
    copyright_line = f"Copyright (C) 2005-{night.date.year} 福島県 All Rights Reserved."

    def wrap(title: str, main: str) -> str:
        body = f'<table width="760"><tr><td>{main}</td></tr></table>\n<hr>{copyright_line}'
        return markup.legacy_document(f"{title} - {FUKU_ORG}", body, charset=None)

    home = wrap(
        FUKU_ORG,
        '<a href="greeting.html">ごあいさつ</a> | <a href="topics/">トピックス</a>'
        + markup.news_list(items, "トピックス"),
    )
    newest = night.ago(FUKU_NEWEST_DAYS)
    plain = "text/html"  # no charset in the header, none in the page: Shift_JIS by sniffing
    s.html("/iryou-pj/", home, codec="shift_jis", content_type=plain, modified=newest)
    s.html("/iryou-pj/topics/", home, codec="shift_jis", content_type=plain, modified=newest)
    greeting = wrap("ごあいさつ", "<p>福島県は医療機器関連産業の集積を目指しています。</p>")
    s.html(
        "/iryou-pj/greeting.html",
        greeting,
        codec="shift_jis",
        content_type=plain,
        modified=night.ago(3700),
    )
    for item in items:
        page = wrap(item.title, markup.article(item))
        s.html(item.href, page, codec="shift_jis", content_type=plain, modified=item.when)
    s.robots()
    return s.state()


def fukushima_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="dormant",
        main_language="ja",
        english_site="none",
        internationalisation="eu_past",
        last_update=night.ago(FUKU_NEWEST_DAYS),
        notes="the footer's current year is not an update; the English seed URL is a 404",
    )


NISRI = "http://www.nisri.jp"
NISRI_ORG = "次世代自動車地域産学官フォーラム"
NISRI_NEWEST_DAYS = 35
NISRI_NEWS = (
    (NISRI_NEWEST_DAYS, "次世代自動車地域産学官フォーラム 第1回セミナー開催報告"),
    (150, "バーデン＝ヴュルテンベルク州（ドイツ）の自動車クラスター視察団と交流会を開催"),
    (500, "電動車両の軽量化技術に関する研究会を発足しました"),
)
WRONG_HEADER = "text/html; charset=iso-8859-1"


def nisri(night: Night) -> SiteState:
    s = SiteBuilder(NISRI)
    items = dated(
        [(night.ago(d), t) for d, t in NISRI_NEWS], markup.era_date, prefix="/jisedai/news/"
    )

    def wrap(title: str, main: str) -> str:
        return markup.legacy_document(f"{title} - {NISRI_ORG}", main, charset="EUC-JP")

    newest = night.ago(NISRI_NEWEST_DAYS)
    home = wrap(NISRI_ORG, markup.news_list(items, "お知らせ"))
    s.html("/jisedai/", home, codec="euc_jp", content_type=WRONG_HEADER, modified=newest)
    root = wrap("名古屋産業科学研究所", '<a href="/jisedai/">次世代自動車地域産学官フォーラム</a>')
    s.html("/", root, codec="euc_jp", content_type=WRONG_HEADER, modified=night.ago(500))
    for item in items:
        page = wrap(item.title, markup.article(item))
        s.html(item.href, page, codec="euc_jp", content_type=WRONG_HEADER, modified=item.when)
    s.robots()
    return s.state()


def nisri_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="eu_recent",
        last_update=night.ago(NISRI_NEWEST_DAYS),
        notes="header says iso-8859-1, meta says EUC-JP: the meta is right",
    )


HIAC = "https://hiac.or.jp"
HIAC_NEWEST_DAYS = 25
HIAC_NEWS = (
    (HIAC_NEWEST_DAYS, "ほくりく健康創造クラスター 成果報告会を開催しました"),
    (300, "機能性食品の評価に関する共同研究を開始しました"),
)
HIAC_EN_DAYS = 1100  # the English pages stopped with the programme: static


def hiac(night: Night) -> SiteState:
    s = SiteBuilder(HIAC)
    items = dated([(night.ago(d), t) for d, t in HIAC_NEWS], markup.ja_date, "/cluster/news/")
    links = '<p><a href="/cluster/news.html">お知らせ</a> | <a href="/cluster/en/">English</a></p>'
    about = "<p>北陸の大学と企業による健康・医療分野のクラスターです。</p>"
    s.html(
        "/cluster/",
        markup.document("ほくりく健康創造クラスター", links + about),
        modified=night.ago(HIAC_NEWEST_DAYS),
    )
    news = markup.document("お知らせ", markup.news_list(items, "お知らせ"), charset=None)
    s.html(
        "/cluster/news.html",
        news,
        codec="iso2022_jp",
        content_type="text/html",
        modified=night.ago(HIAC_NEWEST_DAYS),
    )
    for item in items:
        s.html(item.href, markup.document(item.title, markup.article(item)), modified=item.when)
    when = night.ago(HIAC_EN_DAYS)
    english = (
        f"<h1>Hokuriku Innovation Cluster for Health Science</h1><p>{markup.en_date(when)}</p>"
        "<p>The cluster brings together universities and companies of Toyama and Ishikawa to "
        "develop health care products, functional foods and medical devices.</p>"
    )
    s.html("/cluster/en/", markup.document("HIAC Cluster", english, lang="en"), modified=when)
    s.robots()
    return s.state()


def hiac_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="static",
        internationalisation="no_info",
        last_update=night.ago(HIAC_NEWEST_DAYS),
        notes="the dated news list is ISO-2022-JP with no charset anywhere",
    )


SCENARIOS = (
    Scenario(
        id="fukushima-medical",
        name="Utsukushima Next-Generation Medical Industry Agglomeration Project",
        name_ja=FUKU_ORG,
        sector="life_science",
        prefecture="Fukushima",
        urls=(f"{FUKU}/iryou-pj/", f"{FUKU}/iryoku-pj/English/index.html"),
        hosts={"www.fuku-semi.jp": fukushima},
        expect=fukushima_expect,
        source="japan-clusters.md row 4",
        scenario="dormant Shift_JIS site, Heisei dates, no charset declared, auto copyright year",
    ),
    Scenario(
        id="chubu-jisedai",
        name="Next-Generation Vehicle Regional Industry-Academia-Government Forum",
        name_ja=NISRI_ORG,
        sector="automotive",
        prefecture="Aichi",
        urls=(f"{NISRI}/jisedai/",),
        hosts={"www.nisri.jp": nisri},
        expect=nisri_expect,
        source="japan-clusters.md row 12",
        scenario="EUC-JP declared in meta, wrong charset (iso-8859-1) in the HTTP header",
    ),
    Scenario(
        id="hokuriku-health",
        name="Hokuriku Innovation Cluster for Health Science",
        name_ja="ほくりく健康創造クラスター",
        sector="life_science",
        prefecture="Toyama",
        urls=(f"{HIAC}/cluster/", f"{HIAC}/cluster/en/"),
        hosts={"hiac.or.jp": hiac},
        expect=hiac_expect,
        source="japan-clusters.md row 40",
        scenario="ISO-2022-JP news page with no charset anywhere; static English page",
    ),
)
