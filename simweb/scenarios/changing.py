"""Scenarios: sites that change between nights (phases).

- y-sansoukyo.jp goes dark: fine in phase 1, connection refused from phase 2 on.
- www.fuji-pvc.jp wakes up: nothing new for two years in phase 1, fresh news from phase 2 on.

Items that appear in a later phase are dated `today` (phase 1's date), never later: a crawler that
runs every phase on the same real day must not see them as announcements of the future.
- www.kawasaki-gi.jp grows an English site: in phases 1-2 its "English" link shows a Japanese
  page (no English site); from phase 3 on it has real English pages with fresh news.
"""

from __future__ import annotations

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Page, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import after_failures, news_site
from clusterwatch.simweb.sitekit import failing

YONEZAWA = "http://y-sansoukyo.jp"
DARK_FROM = 2  # refused from this phase on
YONEZAWA_NEWEST_DAYS = 60
YONEZAWA_NEWS = (
    (YONEZAWA_NEWEST_DAYS, "有機エレクトロニクス事業化研究会 第12回例会を開催しました"),
    (4772, "ドイツ・ザクセン州 Organic Electronics Saxony と相互協力の覚書を締結しました"),
)


def yonezawa(night: Night) -> SiteState:
    if night.phase >= DARK_FROM:
        return failing(Outcome.REFUSED)
    entries = [(night.ago(d), t) for d, t in YONEZAWA_NEWS]
    return news_site(YONEZAWA, "米沢新産業創出協議会", night, entries).state()


def yonezawa_expect(night: Night) -> Expectation:
    if night.phase >= DARK_FROM:
        streak = night.phase - DARK_FROM + 1
        return Expectation(
            outcome=Outcome.REFUSED,
            status=after_failures(streak, "active"),
            notes=f"dark since phase {DARK_FROM}; failing streak {streak}",
        )
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="eu_past",
        last_update=night.ago(YONEZAWA_NEWEST_DAYS),
    )


PVC = "http://www.fuji-pvc.jp"
WAKES_IN = 2  # fresh news appears on this night, dated that night
PVC_OLD = (
    (800, "ファルマバレープロジェクト 第4次戦略計画の進捗状況について"),
    (900, "県内企業の海外展開に関する相談窓口を開設しました"),
)
PVC_NEW = (0, "ファルマバレープロジェクト 第5次戦略計画を公表しました")  # dated today


def pvc(night: Night) -> SiteState:
    news = [*PVC_OLD, PVC_NEW] if night.phase >= WAKES_IN else list(PVC_OLD)
    entries = [(night.ago(d), t) for d, t in news]
    return news_site(PVC, "ファルマバレーセンター", night, entries).state()


def pvc_expect(night: Night) -> Expectation:
    awake = night.phase >= WAKES_IN
    return Expectation(
        outcome=Outcome.OK,
        status="active" if awake else "dormant",
        main_language="ja",
        english_site="none",
        internationalisation="open_unspecified",
        last_update=night.ago(PVC_NEW[0] if awake else PVC_OLD[0][0]),
        notes="reactivated" if awake else "",
    )


KAWASAKI = "https://www.kawasaki-gi.jp"
ENGLISH_FROM = 3  # real English pages from this phase on
ENGLISH_PATH = "/gi-1-2e/"
KAWASAKI_NEWS = (
    (25, "かわさきグリーンイノベーションクラスター 会員企業の環境技術展示会を開催"),
    (300, "令和8年度 クラスター会員の募集について"),
)
KAWASAKI_EN = (
    (0, "Members of the cluster present their environmental technologies"),
    (20, "Kawasaki Green Innovation Cluster general meeting for fiscal 2026"),
)
KAWASAKI_EN_BODY = (
    "Companies of the Kawasaki Green Innovation Cluster showed water treatment, energy saving "
    "and recycling technologies to visitors from industry and local government."
)


def kawasaki(night: Night) -> SiteState:
    english = night.phase >= ENGLISH_FROM
    entries = [(night.ago(d), t) for d, t in KAWASAKI_NEWS]
    link = ENGLISH_PATH if english else "/english/"
    s = news_site(
        KAWASAKI,
        "かわさきグリーンイノベーションクラスター",
        night,
        entries,
        links=((link, "English"),),
    )
    if not english:
        s.pages["/english/"] = s.pages["/"]  # a Japanese page where the English one should be
        return s.state()
    en_entries = [(night.ago(d), t) for d, t in KAWASAKI_EN]
    en = news_site(
        KAWASAKI,
        "Kawasaki Green Innovation Cluster",
        night,
        en_entries,
        home=ENGLISH_PATH,
        spell=markup.en_date,
        lang="en",
        bodies={KAWASAKI_EN[0][1]: KAWASAKI_EN_BODY},
    )
    s.pages.update({k: v for k, v in en.pages.items() if k.startswith(ENGLISH_PATH)})
    s.pages["/english/"] = Page(
        body=b"", status=301, headers=(("Location", KAWASAKI + ENGLISH_PATH),)
    )
    return s.state()


def kawasaki_expect(night: Night) -> Expectation:
    english = night.phase >= ENGLISH_FROM
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="active" if english else "none",
        internationalisation="no_info",
        last_update=night.ago(KAWASAKI_EN[0][0] if english else KAWASAKI_NEWS[0][0]),
        notes="english_site_appeared" if night.phase == ENGLISH_FROM else "",
    )


SCENARIOS = (
    Scenario(
        id="yonezawa",
        name="Yonezawa New Industry Creation Council",
        name_ja="米沢新産業創出協議会",
        sector="electronics",
        prefecture="Yamagata",
        urls=(f"{YONEZAWA}/",),
        hosts={"y-sansoukyo.jp": yonezawa},
        expect=yonezawa_expect,
        source="japan-clusters.md row 48",
        scenario=f"goes dark: ok in phase 1, connection refused from phase {DARK_FROM}",
    ),
    Scenario(
        id="pharma-valley",
        name="Pharma Valley Center",
        name_ja="ファルマバレーセンター",
        sector="life_science",
        prefecture="Shizuoka",
        urls=(f"{PVC}/",),
        hosts={"www.fuji-pvc.jp": pvc},
        expect=pvc_expect,
        source="japan-clusters.md row 45",
        scenario=f"wakes up: dormant in phase 1, fresh news from phase {WAKES_IN}",
    ),
    Scenario(
        id="kawasaki-gi",
        name="Kawasaki Green Innovation Cluster",
        name_ja="かわさきグリーンイノベーションクラスター",
        sector="energy_environment",
        prefecture="Kanagawa",
        urls=(f"{KAWASAKI}/", f"{KAWASAKI}/english/"),
        hosts={"www.kawasaki-gi.jp": kawasaki},
        expect=kawasaki_expect,
        source="japan-clusters.md row 9",
        scenario=f"Japanese page at /english/; a real English site appears in phase {ENGLISH_FROM}",
    ),
)
