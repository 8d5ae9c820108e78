"""Scenarios: bilingual cluster sites with an /en/ section.

KBIC (www.kobe-lsc.jp) has recent English news and a fresh MoU with Medicon Valley Alliance, with
hreflang links between the two languages. YRP (www.yrp.co.jp) carries a Horizon Europe item in
phases 1-2 that is gone from phase 3 on (the EU signal disappears).
"""

from __future__ import annotations

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import news_site

KBIC = "https://www.kobe-lsc.jp"
KBIC_ORG = "神戸医療産業都市"
KBIC_HREFLANG = (
    f'<link rel="alternate" hreflang="ja" href="{KBIC}/">\n'
    f'<link rel="alternate" hreflang="en" href="{KBIC}/en/">\n'
)
KBIC_MOU_DAYS = 12  # the MoU news, the newest item in both languages
KBIC_JA = (
    (
        KBIC_MOU_DAYS,
        "メディコン・バレー・アライアンス（デンマーク・スウェーデン）と連携に関する覚書を締結",
    ),
    (60, "神戸医療産業都市の進出企業・団体数が380社を超えました"),
    (150, "令和8年度 神戸医療産業都市 成果発表会のご案内"),
)
KBIC_EN = (
    (KBIC_MOU_DAYS, "KBIC signs a memorandum of understanding with Medicon Valley Alliance"),
    (75, "Preferential measures for companies locating in KBIC updated for fiscal 2026"),
)
KBIC_EN_BODIES = {
    KBIC_EN[0][1]: "The Kobe Biomedical Innovation Cluster and Medicon Valley Alliance, the life "
    "science cluster of Denmark and southern Sweden, agreed to exchange delegations, connect "
    "start-ups with investors and run joint matching events for companies in both regions.",
    KBIC_EN[1][1]: "Companies that set up research facilities on Port Island can receive "
    "subsidies for rent and equipment. The application period for this year opens in spring.",
}


def kbic(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in KBIC_JA]
    s = news_site(KBIC, KBIC_ORG, night, entries, links=(("/en/", "English"),), head=KBIC_HREFLANG)
    english = [(night.ago(d), t) for d, t in KBIC_EN]
    en = news_site(
        KBIC,
        "Kobe Biomedical Innovation Cluster",
        night,
        english,
        home="/en/",
        links=(("/", "日本語"),),
        spell=markup.en_date,
        lang="en",
        head=KBIC_HREFLANG,
        bodies=KBIC_EN_BODIES,
    )
    s.pages.update({k: v for k, v in en.pages.items() if k.startswith("/en/")})
    return s.state()


def kbic_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="active",
        internationalisation="eu_recent",
        last_update=night.ago(KBIC_MOU_DAYS),
    )


YRP = "http://www.yrp.co.jp"
YRP_ORG = "YRP 横須賀リサーチパーク"
EU_GONE_FROM = 3  # the Horizon Europe item is removed from phase 3 on
NEW_ITEM_DAYS = 0  # ... when an item dated `today` appears (see Night: never after today)
YRP_JA_EU = (100, "欧州Horizon Europeの6G研究プロジェクトにフィンランド・オウル大学と共同で参画")
YRP_EN_EU = (100, "YRP joins a Horizon Europe 6G research project with the University of Oulu")
YRP_JA = (
    (30, "YRP研究開発推進協会 第30回通常総会を開催しました"),
    (250, "米国シリコンバレーのスタートアップ視察団がYRPを訪問"),
)
YRP_EN = ((30, "The 30th General Assembly of the YRP R&D Promotion Committee was held"),)
YRP_NEW = (NEW_ITEM_DAYS, "YRPワイヤレス・テクノロジー・フェア 出展者募集を開始しました")
YRP_EN_BODY = (
    "Researchers of YRP member companies will work with Finnish partners on radio access "
    "technology for the sixth generation of mobile networks during the next three years."
)


def yrp(night: Night) -> SiteState:
    eu_present = night.phase < EU_GONE_FROM
    ja = [*YRP_JA, YRP_JA_EU] if eu_present else [*YRP_JA, YRP_NEW]
    en = [*YRP_EN, YRP_EN_EU] if eu_present else list(YRP_EN)
    s = news_site(YRP, YRP_ORG, night, [(night.ago(d), t) for d, t in ja], links=(("/en/", "EN"),))
    english = news_site(
        YRP,
        "YRP Yokosuka Research Park",
        night,
        [(night.ago(d), t) for d, t in en],
        home="/en/",
        spell=markup.en_date,
        lang="en",
        bodies={YRP_EN_EU[1]: YRP_EN_BODY},
    )
    s.pages.update({k: v for k, v in english.pages.items() if k.startswith("/en/")})
    s.pages["/en/index.html"] = s.pages["/en/"]
    return s.state()


def yrp_expect(night: Night) -> Expectation:
    eu_present = night.phase < EU_GONE_FROM
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="active",
        internationalisation="eu_recent" if eu_present else "asia_america_only",
        last_update=night.ago(30 if eu_present else NEW_ITEM_DAYS),
        notes="" if eu_present else "the Horizon Europe item was removed: eu_signal_gone",
    )


SCENARIOS = (
    Scenario(
        id="kbic",
        name="Kobe Biomedical Innovation Cluster",
        name_ja=KBIC_ORG,
        sector="life_science",
        prefecture="Hyogo",
        urls=(f"{KBIC}/", f"{KBIC}/en/"),
        hosts={"www.kobe-lsc.jp": kbic},
        expect=kbic_expect,
        source="japan-clusters.md row 2",
        scenario="bilingual: recent English news, EU MoU (Medicon Valley Alliance), hreflang",
    ),
    Scenario(
        id="yrp",
        name="Yokosuka Research Park",
        name_ja="横須賀リサーチパーク",
        sector="ict",
        prefecture="Kanagawa",
        urls=(f"{YRP}/", f"{YRP}/en/index.html"),
        hosts={"www.yrp.co.jp": yrp},
        expect=yrp_expect,
        source="japan-clusters.md row 6",
        scenario="bilingual; the Horizon Europe (EU) signal disappears in phase 3",
    ),
)
