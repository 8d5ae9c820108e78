"""Scenarios: sites that are up but hard on the crawler's limits.

- hai.or.jp: one report page is held for the web's `slow_seconds` (longer than a crawl timeout).
- www.crirc.jp: the home page answers 500 to the first request of a night, 200 to a retry.
- www.techakodate.or.jp: an annual report page of 12 MB (above a sane maximum response size).
The sites themselves are fine: a crawler should conclude "ok" for each of them.
"""

from __future__ import annotations

from functools import cache

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Night, Page, Quirk, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import active_ja, news_site

HAI = "https://hai.or.jp"
HAI_NEWEST_DAYS = 30
HAI_NEWS = (
    (HAI_NEWEST_DAYS, "浜松・東三河地域オプトロニクスクラスター 光技術フォーラムを開催"),
    (60, "ドイツ・イエナのフォトニクスクラスターOptoNetと共同研究に関する覚書を締結"),
)
SLOW_PATH = "/optronics/report/measurement.html"


def hai(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in HAI_NEWS]
    links = ((SLOW_PATH, "計測レポート"),)
    s = news_site(
        HAI, "浜松地域イノベーション推進機構", night, entries, home="/optronics/", links=links
    )
    report = markup.document("計測レポート", "<h1>光計測技術レポート</h1><p>準備中です。</p>")
    s.html(SLOW_PATH, report, modified=night.ago(400), quirks=(Quirk.SLOW,))
    return s.state()


CRIRC = "https://www.crirc.jp"
CRIRC_NEWEST_DAYS = 18
CRIRC_NEWS = (
    (CRIRC_NEWEST_DAYS, "中国地域の中小企業向け 海外展開支援セミナーを開催します"),
    (120, "令和8年度 地域イノベーション調査報告書を公開しました"),
)


def crirc(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in CRIRC_NEWS]
    s = news_site(CRIRC, "中国地域創造研究センター", night, entries)
    home = s.pages["/"]
    s.pages["/"] = Page(
        body=home.body,
        content_type=home.content_type,
        modified=home.modified,
        quirks=frozenset({Quirk.FAIL_FIRST}),
    )
    return s.state()


HAKODATE = "https://www.techakodate.or.jp"
HAKODATE_NEWEST_DAYS = 22
HAKODATE_NEWS = (
    (HAKODATE_NEWEST_DAYS, "函館マリンバイオクラスター 研究成果発表会を開催しました"),
    (210, "ガゴメ昆布の機能性に関する共同研究の報告書を掲載しました"),
)
OVERSIZE_PATH = "/report/annual.html"
OVERSIZE_BYTES = 12 * 1024 * 1024  # above the 10 MB maximum a crawler should set


@cache
def oversized_body() -> bytes:
    """A 12 MB HTML page, built once per process and only when the scenario is first served."""
    row = "<tr><td>函館マリンバイオクラスター 年次報告 計測データ</td><td>0.000</td></tr>\n"
    head = '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>年次報告書</title>'
    start = (head + "</head><body><table>\n").encode()
    end = b"</table></body></html>\n"
    unit = row.encode()
    count = (OVERSIZE_BYTES - len(start) - len(end)) // len(unit) + 1
    return start + unit * count + end


def hakodate(night: Night) -> SiteState:
    entries = [(night.ago(d), t) for d, t in HAKODATE_NEWS]
    s = news_site(
        HAKODATE, "函館地域産業振興財団", night, entries, links=((OVERSIZE_PATH, "年次報告書"),)
    )
    s.pages[OVERSIZE_PATH] = Page(body=oversized_body(), modified=night.ago(200))
    return s.state()


SCENARIOS = (
    Scenario(
        id="hamamatsu-optronics",
        name="Hamamatsu and Higashi-Mikawa Optronics Cluster",
        name_ja="浜松・東三河地域オプトロニクスクラスター",
        sector="electronics",
        prefecture="Shizuoka",
        urls=(f"{HAI}/optronics/",),
        hosts={"hai.or.jp": hai},
        expect=active_ja(HAI_NEWEST_DAYS, "eu_recent", f"{SLOW_PATH} is held past the timeout"),
        source="japan-clusters.md row 35",
        scenario="slow response: one page held longer than the crawl timeout",
    ),
    Scenario(
        id="crirc",
        name="Chugoku Regional Innovation Research Center",
        name_ja="中国地域創造研究センター",
        sector="other",
        prefecture="Hiroshima",
        urls=(f"{CRIRC}/",),
        hosts={"www.crirc.jp": crirc},
        expect=active_ja(
            CRIRC_NEWEST_DAYS,
            "open_unspecified",
            "home: 500 first, 200 on retry; 中国地域 is Japan's Chugoku region, not China",
        ),
        source="japan-clusters.md row 24",
        scenario="a 500 that recovers on retry (first request of each night)",
    ),
    Scenario(
        id="hakodate-marine-bio",
        name="Hakodate Marine Bio Cluster",
        name_ja="函館マリンバイオクラスター",
        sector="food",
        prefecture="Hokkaido",
        urls=(f"{HAKODATE}/",),
        hosts={"www.techakodate.or.jp": hakodate},
        expect=active_ja(HAKODATE_NEWEST_DAYS, "no_info", f"{OVERSIZE_PATH} is 12 MB"),
        source="japan-clusters.md row 32",
        scenario="oversized page (12 MB) linked from the home page",
    ),
)
