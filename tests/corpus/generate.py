"""Generate the labelled analysis corpus (tests/corpus/pages/ and tests/corpus/labels.json).

Run ``python tests/corpus/generate.py`` to rebuild; the output is committed so tests never
depend on running it. Pages imitate Japanese and English cluster-organisation sites: news
lists with Gregorian, era and full-width dates in several layouts (semantic HTML5, old table
layouts, WordPress-like sidebars), bilingual pages, Shift_JIS / EUC-JP / ISO-2022-JP bodies
(some with a wrong HTTP charset), feeds, parked and for-sale pages, soft 404s and bot walls.
Gold labels come from the construction, not from the analyser: the newest credible date is
the newest news/update date the page was built with (future event dates, founding dates and
copyright years are planted as traps and excluded by definition).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
TODAY = date(2026, 11, 20)
FETCHED_AT = "2026-11-20T03:00:00+00:00"

EU_JA = [
    "ドイツ・ザクセン州のクラスターと覚書(MoU)を締結しました",
    "欧州委員会の視察団が当クラスターを訪問しました",
    "フランスの複合材クラスターEMC2との共同研究を開始しました",
    "日欧産業協力センターのミッションに会員企業が参加し、欧州企業と交流しました",
    "Medicon Valley Allianceと連携協定を締結しました",
    "ノルトライン＝ヴェストファーレン州経済振興公社と交流会を開催",
    "スコットランドの海洋エネルギー研究機関EMECと協力に関する覚書を締結",
    "Horizon Europeへの共同提案に向けたセミナーを開催しました",
    "ベルギー・フランダース地域のバイオクラスターと連携",
    "バーデン＝ヴュルテンベルク州の企業が来日し、商談会を実施",
]
NEUTRAL_JA = [
    "会員企業向けセミナーを開催しました",
    "定時総会を開催しました",
    "展示会出展のお知らせ",
    "補助金の公募について",
    "ホームページをリニューアルしました",
    "第3回研究会の開催報告を掲載しました",
    "年末年始の休業について",
    "中国地方の企業とのビジネス交流会を開催しました",
    "NCCの会議室で共同研究会を開催しました",
    "ドイツ語講座の受講者を募集します",
    "医療機器開発支援事業の成果報告書を公開しました",
    "事務局移転のお知らせ",
]
OTHER_JA = [
    "台湾の医療機器クラスターと連携協定を締結しました",
    "米国ボストンのバイオクラスターを視察しました",
    "ASEAN諸国の企業との商談会を開催しました",
    "韓国の自動車部品クラスターと交流会を開催",
]
GENERIC_JA = ["会員企業の海外展開を支援します", "国際連携の推進に向けた勉強会を開催"]
EU_EN = [
    "Signed an MoU with the Medicon Valley Alliance (Denmark and Sweden)",
    "A delegation from Baden-Württemberg visited our cluster members",
    "Joint seminar with Flanders Bio on regenerative medicine",
    "Cooperation agreement with CFK Valley, the German composites cluster",
    "Our members joined the EU-Japan Centre mission to Europe",
]
NEUTRAL_EN = [
    "Annual general meeting of the cluster was held",
    "Seminar on medical device regulation for our members",
    "We exhibited at BIO Japan in Yokohama",
    "New research facility opened in the park",
    "Call for proposals for the R&D support programme",
    "Results of the member survey have been published",
]
PARA_JA = (
    "当協議会は、産学官の連携により地域の医療機器産業の振興を図ることを目的として、"
    "会員企業の製品開発、販路開拓、人材育成を支援しています。"
)
PARA_EN = (
    "The cluster brings together companies, universities and public research institutes "
    "in the region to develop medical devices and to support our members in product "
    "development, market access and training of engineers."
)
NAV_JA = [
    "ホーム",
    "協議会について",
    "事業紹介",
    "会員一覧",
    "お知らせ",
    "イベント",
    "入会案内",
    "お問い合わせ",
    "サイトマップ",
    "English",
]
NAV_EN = [
    "Home",
    "About us",
    "Projects",
    "Members",
    "News",
    "Events",
    "Access",
    "Contact",
    "日本語",
]


def era(d: date, abbrev: bool = False) -> str:
    if d >= date(2019, 5, 1):
        name, year = ("R", d.year - 2018) if abbrev else ("令和", d.year - 2018)
    else:
        name, year = ("H", d.year - 1988) if abbrev else ("平成", d.year - 1988)
    if abbrev:
        return f"{name}{year}.{d.month}.{d.day}"
    return f"{name}{'元' if year == 1 else year}年{d.month}月{d.day}日"


FULL = str.maketrans("0123456789", "０１２３４５６７８９")
JA_FORMATS = {
    "kanji": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month:02}.{d.day:02}",
    "iso": lambda d: d.isoformat(),
    "era": era,
    "era_abbrev": lambda d: era(d, True),
    "fullwidth": lambda d: f"{d.year}年{d.month}月{d.day}日".translate(FULL),
    "fullwidth_era": lambda d: era(d).translate(FULL),
}
EN_FORMATS = {
    "dmy": lambda d: d.strftime("%d %B %Y").lstrip("0"),
    "mdy": lambda d: d.strftime("%B %d, %Y").replace(" 0", " "),
    "mon_abbrev": lambda d: d.strftime("%b. %d, %Y").replace(" 0", " "),
    "iso": lambda d: d.isoformat(),
}


def filler_script(rng: random.Random, kb: int) -> str:
    """Inline analytics/config script and CSS, as real CMS pages carry (sets the page size)."""
    body = "".join(
        f"var cfg{i}={{id:'{rng.getrandbits(64):x}',v:{rng.randint(0, 999)}}};"
        for i in range(kb * 20)
    )
    css = "".join(
        f".c{i}{{margin:{i % 7}px;color:#{rng.getrandbits(24):06x}}}" for i in range(kb * 12)
    )
    return f"<style>{css}</style><script>{body}</script>"


def news_rows(rng, dates, titles, fmt, style):
    rows = []
    for d, title in zip(dates, titles, strict=True):
        ds = fmt(d)
        if style == "dl":
            rows.append(
                f'<dt class="date">{ds}</dt><dd><a href="/news/{d:%Y%m%d}.html">{title}</a></dd>'
            )
        elif style == "table":
            rows.append(
                f'<tr><td class="day">{ds}</td><td><a href="/news/{d:%Y%m%d}.html">{title}</a></td></tr>'
            )
        else:
            rows.append(
                f'<li><span class="date">{ds}</span> <a href="/news/{d:%Y%m%d}.html">{title}</a></li>'
            )
    if style == "dl":
        return "<dl class='news'>" + "".join(rows) + "</dl>"
    if style == "table":
        return "<table class='news'>" + "".join(rows) + "</table>"
    return "<ul class='news-list'>" + "".join(rows) + "</ul>"


def wrap(layout, lang, title, main, nav, footer, head_extra="", charset="utf-8", sidebar=""):
    navhtml = "".join(f'<li><a href="/{i}/">{n}</a></li>' for i, n in enumerate(nav))
    if layout == "html5":
        body = (
            f"<header><div class='logo'>{title}</div><nav><ul>{navhtml}</ul></nav></header>"
            f"<main>{main}</main><aside>{sidebar}</aside><footer>{footer}</footer>"
        )
    elif layout == "table":
        body = (
            f"<table width='100%'><tr><td id='header'><img src='logo.gif' alt=''>{title}</td></tr>"
            f"<tr><td id='gnavi'><ul>{navhtml}</ul></td></tr><tr><td id='contents'>{main}</td></tr>"
            f"<tr><td id='footer'><font size=1>{footer}</font></td></tr></table>"
        )
    else:
        body = (
            f"<div id='wrapper'><div class='site-header'><p>{title}</p><div class='menu-main'><ul>{navhtml}</ul></div></div>"
            f"<div class='content-area'><article class='post'>{main}</article></div>"
            f"<div id='sidebar' class='widget-area'>{sidebar}</div><div class='site-footer'>{footer}</div></div>"
        )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='{charset}'><title>{title}</title>"
        f"{head_extra}</head><body>{body}</body></html>"
    )


class Corpus:
    def __init__(self):
        self.entries = []
        (HERE / "pages").mkdir(exist_ok=True)
        for old in (HERE / "pages").glob("*"):
            old.unlink()

    def add(self, name, html, *, url, status=200, headers=None, encoding="utf-8", gold):
        path = HERE / "pages" / f"{len(self.entries) + 1:03d}-{name}.html"
        path.write_bytes(html.encode(encoding, "xmlcharrefreplace"))
        hdrs = {"content-type": "text/html; charset=utf-8"} if headers is None else headers
        self.entries.append(
            {
                "file": path.name,
                "url": url,
                "status": status,
                "headers": hdrs,
                "fetched_at": FETCHED_AT,
                **gold,
            }
        )


def gold(
    date_=None, lang=None, ja=None, en=None, eu=False, parked=False, soft_404=False, blocked=False
):
    return {
        "newest_date": date_.isoformat() if date_ else None,
        "language": lang,
        "shares": None if ja is None else {"ja": ja, "en": en},
        "eu_signal": eu,
        "parked": parked,
        "soft_404": soft_404,
        "blocked": blocked,
    }


def japanese_news(c: Corpus, rng: random.Random, i: int) -> None:
    fmt_name = list(JA_FORMATS)[i % len(JA_FORMATS)]
    layout = ["html5", "table", "wp"][i % 3]
    style = ["dl", "table", "ul"][(i // 3) % 3]
    dormant = i % 4 == 3
    newest = (
        (
            date(2012, 3, 30)
            if fmt_name.startswith("era") or fmt_name == "kanji"
            else date(2013, 7, 1)
        )
        if dormant
        else TODAY - timedelta(days=rng.randint(3, 400))
    )
    n = rng.randint(8, 40) if i % 5 else rng.randint(120, 180)
    dates = sorted(
        {newest - timedelta(days=rng.randint(0, 900)) for _ in range(n - 1)} | {newest},
        reverse=True,
    )
    has_eu = i % 3 != 1
    titles = [rng.choice(NEUTRAL_JA) for _ in dates]
    if has_eu:
        titles[rng.randrange(len(titles))] = rng.choice(EU_JA)
    if i % 4 == 0:
        titles[rng.randrange(len(titles))] = rng.choice(OTHER_JA)
    fmt = JA_FORMATS[fmt_name]
    traps = [
        f"<p>当協議会は{2005 + i % 10}年4月1日に設立されました。</p>",
        f"<p>次回セミナー：{(TODAY + timedelta(days=40 + i)).year}年{(TODAY + timedelta(days=40 + i)).month}月{(TODAY + timedelta(days=40 + i)).day}日 開催予定</p>",
    ]
    main = (
        f"<h1>新着情報</h1><p>{PARA_JA}</p>"
        + news_rows(rng, dates, titles, fmt, style)
        + "".join(traps[: 1 + i % 2])
    )
    if i % 6 == 2:
        main += f"<p class='update'>最終更新日：{fmt(newest)}</p>"
    sidebar = "<h3>関連リンク</h3><ul><li><a href='https://www.meti.go.jp/'>経済産業省</a></li><li><a href='https://www.jetro.go.jp/'>ジェトロ</a></li><li><a>県庁</a></li></ul>"
    footer = f"Copyright © 2008-{TODAY.year} 医療機器産業振興協議会 All Rights Reserved."
    head = filler_script(rng, rng.choice([2, 20, 35])) if i % 2 == 0 else ""
    encoding, header_cs, declared = [
        ("utf-8", "utf-8", "utf-8"),
        ("cp932", None, "Shift_JIS"),
        ("euc_jp", None, "x-none"),
        ("cp932", "iso-8859-1", "Shift_JIS"),
        ("utf-8", "shift_jis", "utf-8"),
        ("iso2022_jp", "iso-8859-1", "x-none"),
    ][i % 6]
    html = wrap(
        layout,
        "ja",
        f"お知らせ | 医療機器クラスター{i}",
        main,
        NAV_JA,
        footer,
        head,
        declared,
        sidebar,
    )
    if declared == "x-none":
        html = html.replace("<meta charset='x-none'>", "")
    headers = {"content-type": "text/html" + (f"; charset={header_cs}" if header_cs else "")}
    if i % 7 == 0:
        headers["last-modified"] = (
            "Thu, 19 Nov 2026 22:00:00 GMT"  # newer than any content: fallback only
        )
    c.add(
        f"ja-news-{fmt_name}-{encoding}",
        html,
        url=f"https://cluster{i}.example.jp/news/",
        headers=headers,
        encoding=encoding,
        gold=gold(newest, "ja", 1.0, 0.0, eu=has_eu),
    )


def japanese_article(c: Corpus, rng: random.Random, i: int) -> None:
    d = TODAY - timedelta(days=rng.randint(10, 2000))
    kinds = ["meta", "jsonld", "time", "updated_line", "copyright_only", "lm_only"]
    kind = kinds[i % len(kinds)]
    head, body_date, gold_date = "", "", d
    if kind == "meta":
        head = f"<meta property='article:modified_time' content='{d.isoformat()}T10:00:00+09:00'>"
    elif kind == "jsonld":
        head = f'<script type="application/ld+json">{{"@type":"NewsArticle","datePublished":"{d.isoformat()}T09:00:00+09:00","dateModified":"{d.isoformat()}T18:00:00+09:00"}}</script>'
    elif kind == "time":
        body_date = f"<time datetime='{d.isoformat()}'>{era(d)}</time>"
    elif kind == "updated_line":
        body_date = f"<p>掲載日：{era(d, True)}</p>"
    else:
        gold_date = None
    eu = i % 2 == 0
    text = rng.choice(EU_JA) if eu else rng.choice(NEUTRAL_JA)
    main = f"<h1>{text}</h1>{body_date}<p>{PARA_JA}</p><p>{PARA_JA}</p><p>詳細は事務局までお問い合わせください。</p>"
    footer = f"© {TODAY.year} かながわ医療産業ネットワーク"
    html = wrap(["html5", "wp"][i % 2], "ja", text, main, NAV_JA, footer, head)
    headers = {"content-type": "text/html; charset=UTF-8"}
    if kind == "lm_only":
        headers["last-modified"] = "Tue, 05 Apr 2011 01:00:00 GMT"
        headers["date"] = "Fri, 20 Nov 2026 03:00:00 GMT"
    elif kind == "copyright_only":
        headers["last-modified"] = "Fri, 20 Nov 2026 03:00:00 GMT"
        headers["date"] = "Fri, 20 Nov 2026 03:00:00 GMT"
    c.add(
        f"ja-article-{kind}",
        html,
        url=f"https://bio{i}.example.jp/topics/{i}.html",
        headers=headers,
        gold=gold(gold_date, "ja", 1.0, 0.0, eu=eu),
    )


def english_page(c: Corpus, rng: random.Random, i: int) -> None:
    fmt_name = list(EN_FORMATS)[i % len(EN_FORMATS)]
    fmt = EN_FORMATS[fmt_name]
    newest = TODAY - timedelta(days=rng.randint(5, 1500))
    dates = sorted(
        {newest - timedelta(days=rng.randint(0, 700)) for _ in range(rng.randint(5, 25))}
        | {newest},
        reverse=True,
    )
    eu = i % 2 == 0
    titles = [rng.choice(NEUTRAL_EN) for _ in dates]
    if eu:
        titles[rng.randrange(len(titles))] = rng.choice(EU_EN)
    rows = "".join(
        f"<div class='news-item'><p class='date'>{fmt(d)}</p><h3><a href='/en/news/{k}'>{t}</a></h3><p>{PARA_EN}</p></div>"
        for k, (d, t) in enumerate(zip(dates, titles, strict=True))
    )
    head = (
        f"<meta property='article:modified_time' content='{newest.isoformat()}'>"
        if i % 3 == 0
        else ""
    )
    head += filler_script(rng, rng.choice([2, 25])) if i % 2 else ""
    main = f"<h1>News</h1><p>{PARA_EN}</p>{rows}<p>The cluster was established on 1 April {2004 + i % 8}.</p>"
    footer = f"Copyright © 2005-{TODAY.year} Kobe Biomedical Cluster. All rights reserved."
    html = wrap(
        ["html5", "wp", "table"][i % 3],
        "en",
        "News | Biomedical Cluster",
        main,
        NAV_EN,
        footer,
        head,
    )
    c.add(
        f"en-news-{fmt_name}",
        html,
        url=f"https://cluster{i}.example.jp/en/news/",
        gold=gold(newest, "en", 0.0, 1.0, eu=eu),
    )


def bilingual_page(c: Corpus, rng: random.Random, i: int) -> None:
    d = TODAY - timedelta(days=rng.randint(30, 900))
    eu = i % 2 == 1
    ja_title = EU_JA[i] if eu else NEUTRAL_JA[i]
    en_title = EU_EN[i] if eu else NEUTRAL_EN[i]
    main = (
        f"<h1>{ja_title} / {en_title}</h1><p class='date'>{d.year}.{d.month:02}.{d.day:02}</p>"
        f"<p>{PARA_JA}</p><p>{PARA_EN}</p><p>{PARA_JA}</p><p>{PARA_EN}</p>"
    )
    html = wrap("html5", "ja", "International / 国際連携", main, NAV_JA, f"© {TODAY.year} YRP", "")
    ja_units = 3 * 2 * len(PARA_JA)
    en_units = 2 * sum(ch.isalpha() for ch in PARA_EN)
    c.add(
        "bilingual",
        html,
        url=f"https://park{i}.example.jp/international/",
        gold=gold(
            d,
            "mixed",
            round(ja_units / (ja_units + en_units), 2),
            round(en_units / (ja_units + en_units), 2),
            eu=eu,
        ),
    )


def feeds(c: Corpus) -> None:
    items = "".join(
        f"<item><title>{t}</title><link>https://a.example.jp/{k}</link><pubDate>{d}</pubDate></item>"
        for k, (t, d) in enumerate(
            [
                (EU_JA[0], "Tue, 03 Nov 2026 09:00:00 +0900"),
                (NEUTRAL_JA[0], "Mon, 12 Oct 2026 09:00:00 +0900"),
            ]
        )
    )
    c.add(
        "rss",
        f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>お知らせ</title>{items}</channel></rss>",
        url="https://a.example.jp/feed/",
        headers={"content-type": "application/rss+xml"},
        gold=gold(date(2026, 11, 3), None, eu=True),
    )
    entries = "".join(
        f"<entry><title>{t}</title><updated>{d}</updated></entry>"
        for t, d in [
            (NEUTRAL_EN[0], "2025-06-30T12:00:00Z"),
            (NEUTRAL_EN[1], "2025-02-01T12:00:00Z"),
        ]
    )
    c.add(
        "atom",
        f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>News</title>{entries}</feed>",
        url="https://b.example.jp/atom.xml",
        headers={"content-type": "application/atom+xml"},
        gold=gold(date(2025, 6, 30), None),
    )
    urls = "".join(
        f"<url><loc>https://c.example.jp/{k}.html</loc><lastmod>{d}</lastmod></url>"
        for k, d in enumerate(["2024-01-10", "2024-05-02", "2023-12-24"])
    )
    c.add(
        "sitemap",
        f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>",
        url="https://c.example.jp/sitemap.xml",
        headers={"content-type": "application/xml"},
        gold=gold(date(2024, 5, 2), None),
    )


PARKED = [
    (
        "onamae",
        "<html><head><title>このドメインはお名前.comで取得されています。</title></head><body><h1>このドメインはお名前.comで取得されています。</h1><p>お名前.comは GMOインターネットグループ(株)が運営する国内シェアNo.1のドメイン登録サービスです。</p><p>※表示価格は、全て税込です。</p></body></html>",
    ),
    (
        "muumuu",
        "<html><head><title>ムームードメイン</title></head><body><p>このドメインはムームードメインで取得されています。</p><a href='https://muumuu-domain.com/?mode=parking'>ムームードメイン</a></body></html>",
    ),
    (
        "sedo",
        "<html><head><title>kobe-cluster.jp - This domain may be for sale!</title></head><body><div>kobe-cluster.jp</div><div>This domain may be for sale. <a href='https://sedo.com/search/details/?domain=kobe-cluster.jp'>Buy this Domain</a></div><h2>Related Searches</h2><ul><li>Medical Devices</li><li>Cheap Flights</li><li>Online Degree</li></ul></body></html>",
    ),
    (
        "forsale-ja",
        "<html><head><title>ドメイン販売中</title></head><body><h1>このドメインは売却中です</h1><p>お問い合わせは下記フォームから。価格：ご相談</p></body></html>",
    ),
    (
        "godaddy",
        "<html><head><title>cluster-example.com</title></head><body><p>This Web page is parked FREE, courtesy of GoDaddy.com.</p><p>Related Searches: Business Cluster, Tokyo Hotels</p></body></html>",
    ),
    (
        "related",
        "<html><head><title>nisri-example.jp</title></head><body><h2>Related Searches</h2><ul><li><a>Automobile Parts</a></li><li><a>Car Insurance</a></li><li><a>Used Cars</a></li></ul><p>Privacy Policy</p></body></html>",
    ),
    (
        "casino",
        "<html lang='ja'><head><title>オンラインカジノ 比較 | 入金ボーナス</title></head><body><h1>オンラインカジノおすすめランキング</h1><p>人気のオンラインカジノを比較。スロットやライブカジノで遊べる、ビットコイン対応のカジノも紹介します。</p><p>最新のカジノ入金ボーナス情報は2026年11月1日更新。</p></body></html>",
    ),
]


def parked_pages(c: Corpus) -> None:
    for name, html in PARKED:
        date_ = date(2026, 11, 1) if name == "casino" else None
        c.add(
            f"parked-{name}",
            html,
            url=f"http://{name}.example.jp/",
            gold={**gold(date_, None, parked=True)},
        )


def soft_404s(c: Corpus, rng: random.Random) -> None:
    c.add(
        "soft404-ja",
        wrap(
            "html5",
            "ja",
            "ページが見つかりません | 協議会",
            "<h1>お探しのページは見つかりませんでした</h1><p>お探しのページは移動または削除された可能性があります。</p><p><a href='/'>トップページへ</a></p>",
            NAV_JA,
            "© 2026 協議会",
        ),
        url="https://d.example.jp/english/index.html",
        gold=gold(None, "ja", soft_404=True),
    )
    c.add(
        "soft404-en",
        wrap(
            "wp",
            "en",
            "Page not found - Cluster",
            "<h1>Oops! That page can&rsquo;t be found.</h1><p>It looks like nothing was found at this location. The page you requested does not exist.</p>",
            NAV_EN,
            "© 2026 Cluster",
        ),
        url="https://e.example.jp/en/about/",
        gold=gold(None, "en", soft_404=True),
    )
    d = TODAY - timedelta(days=200)
    main = f"<h1>協議会について</h1><p>{PARA_JA}</p><p>{PARA_JA}</p><p>{d.year}年{d.month}月{d.day}日更新</p>"
    c.add(
        "soft404-ja-at-en",
        wrap("table", "ja", "協議会について", main, NAV_JA, "© 2026"),
        url="https://f.example.jp/en/",
        gold=gold(d, "ja", 1.0, 0.0, soft_404=True),
    )


WALLS = [
    (
        "cloudflare",
        503,
        {
            "content-type": "text/html; charset=UTF-8",
            "server": "cloudflare",
            "cf-mitigated": "challenge",
        },
        "<!DOCTYPE html><html lang='en-US'><head><title>Just a moment...</title><script src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1'></script></head><body><h1>www.example.jp</h1><p>Verifying you are human. This may take a few seconds.</p></body></html>",
    ),
    (
        "cloudflare-attention",
        403,
        {"content-type": "text/html", "server": "cloudflare"},
        "<html><head><title>Attention Required! | Cloudflare</title></head><body><div id='cf-error-details'><h1>Sorry, you have been blocked</h1><p>Cloudflare Ray ID: 7d1f</p></div></body></html>",
    ),
    (
        "akamai",
        403,
        {"content-type": "text/html", "server": "AkamaiGHost"},
        '<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>You don\'t have permission to access "http://www.example.jp/" on this server.<P>Reference #18.5f3c1002.1700000000.1a2b3c4d<P>https://errors.edgesuite.net/18.5f3c1002</BODY></HTML>',
    ),
    (
        "awswaf",
        403,
        {"content-type": "text/html", "x-amzn-waf-action": "block"},
        "<html><head><title>ERROR: The request could not be satisfied</title></head><body><h1>403 ERROR</h1><p>Request blocked. We can't connect to the server for this app or website at this time.</p><p>Generated by cloudfront (CloudFront)</p></body></html>",
    ),
    (
        "incapsula",
        200,
        {"content-type": "text/html"},
        "<html><head><meta name='robots' content='noindex,nofollow'><script src='/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3'></script></head><body><iframe src='/_Incapsula_Resource?CWUDNSAI=9'>Request unsuccessful. Incapsula incident ID: 1234</iframe></body></html>",
    ),
]


def main() -> None:
    rng = random.Random(20261120)
    c = Corpus()
    for i in range(24):
        japanese_news(c, rng, i)
    for i in range(12):
        japanese_article(c, rng, i)
    for i in range(12):
        english_page(c, rng, i)
    for i in range(4):
        bilingual_page(c, rng, i)
    feeds(c)
    parked_pages(c)
    soft_404s(c, rng)
    for name, status, headers, html in WALLS:
        c.add(
            f"blocked-{name}",
            html,
            url=f"https://{name}.example.jp/",
            status=status,
            headers=headers,
            gold=gold(blocked=True),
        )
    (HERE / "labels.json").write_text(
        json.dumps(c.entries, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    print(f"{len(c.entries)} pages written")


if __name__ == "__main__":
    main()
