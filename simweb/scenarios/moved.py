"""Scenarios: organisations whose 2017 domain now redirects (301) to a new one.

www.ibri-kobe.org became www.fbri-kobe.org when the foundation was renamed in April 2018, and
namicpa.jp moved to namicpa.com (japan-clusters.md section 3). Every path of the old host answers
301 to the same path on the new one.
"""

from __future__ import annotations

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import news_site
from clusterwatch.simweb.sitekit import moved

FBRI = "https://www.fbri-kobe.org"
FBRI_ORG = "神戸医療産業都市推進機構"
FBRI_NEWEST_DAYS = 8
FBRI_NEWS = (
    (FBRI_NEWEST_DAYS, "クラスター交流会 第25回を開催します（参加申込受付中）"),
    (200, "フランス・リヨンのバイオクラスターLyonbiopôleと研究者交流を行いました"),
    (600, "神戸医療産業都市 進出企業向け説明会の資料を掲載しました"),
)
FBRI_EN_DAYS = 400  # English pages exist, nothing on them dated within 12 months


def fbri(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in FBRI_NEWS]
    s = news_site(FBRI, FBRI_ORG, night, entries, links=(("/english/", "English"),))
    when = night.ago(FBRI_EN_DAYS)
    about = (
        "<h1>About FBRI</h1>"
        f"<p>Updated {markup.en_date(when)}</p><p>The Foundation for Biomedical Research and "
        "Innovation at Kobe supports research institutes, hospitals and companies gathered "
        "on Port Island, and runs the Kobe Biomedical Innovation Cluster.</p>"
    )
    cluster = (
        "<h1>Kobe Biomedical Innovation Cluster</h1>"
        f"<p>{markup.en_date(when)}</p><p>More than three hundred companies and organisations "
        "in medical devices, pharmaceuticals and regenerative medicine work in the cluster.</p>"
    )
    links = (
        '<p><a href="/">日本語</a> <a href="/english/">Home</a> '
        '<a href="/english/about/">About</a> <a href="/english/cluster/">KBIC</a></p>'
    )
    s.html("/english/", markup.document("FBRI", links + about, lang="en"), modified=when)
    s.html(
        "/english/about/", markup.document("About FBRI", links + about, lang="en"), modified=when
    )
    s.html("/english/cluster/", markup.document("KBIC", links + cluster, lang="en"), modified=when)
    return s.state()


def fbri_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        moved_to="www.fbri-kobe.org",
        main_language="ja",
        english_site="static",
        internationalisation="eu_recent",
        last_update=night.ago(FBRI_NEWEST_DAYS),
    )


NAMICPA = "https://namicpa.com"
NAMICPA_ORG = "長崎海洋産業クラスター形成推進協議会"
NAMICPA_NEWEST_DAYS = 40
NAMICPA_NEWS = (
    (NAMICPA_NEWEST_DAYS, "洋上風力発電 メンテナンス人材育成セミナーを開催しました"),
    (2900, "スコットランド・オークニー諸島の欧州海洋エネルギーセンター（EMEC）を訪問しました"),
    (3000, "会員企業向け 海洋産業参入研究会を開催しました"),
)


def namicpa(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in NAMICPA_NEWS]
    s = news_site(NAMICPA, NAMICPA_ORG, night, entries, links=(("/about", "協議会について"),))
    about = (
        "<h1>協議会について</h1><p>2014年（平成26年）6月設立。"
        "長崎県の海洋産業の振興を図ります。</p>"
    )
    s.html("/about", markup.document("協議会について", about), modified=night.ago(3000))
    return s.state()


def namicpa_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        moved_to="namicpa.com",
        main_language="ja",
        english_site="none",
        internationalisation="eu_past",
        last_update=night.ago(NAMICPA_NEWEST_DAYS),
    )


SCENARIOS = (
    Scenario(
        id="fbri-kobe",
        name="Foundation for Biomedical Research and Innovation at Kobe (Pro-Cluster KOBE)",
        name_ja=FBRI_ORG,
        sector="life_science",
        prefecture="Hyogo",
        urls=("http://www.ibri-kobe.org/english/cluster/", f"{FBRI}/english/about/"),
        hosts={"www.ibri-kobe.org": lambda night: moved(FBRI), "www.fbri-kobe.org": fbri},
        expect=fbri_expect,
        source="japan-clusters.md row 1",
        scenario="home page 301 to a new domain (ibri-kobe.org -> fbri-kobe.org); static English",
    ),
    Scenario(
        id="namicpa",
        name="Nagasaki Marine Industry Cluster Promotion Association",
        name_ja=NAMICPA_ORG,
        sector="energy_environment",
        prefecture="Nagasaki",
        urls=("http://namicpa.jp/", f"{NAMICPA}/"),
        hosts={"namicpa.jp": lambda night: moved(NAMICPA), "namicpa.com": namicpa},
        expect=namicpa_expect,
        source="japan-clusters.md row 10",
        scenario="domain move namicpa.jp -> namicpa.com (301); an old EU visit (EMEC Scotland)",
    ),
)
