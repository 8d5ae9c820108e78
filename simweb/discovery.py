"""The simulated web for discovery: known clusters that link to clusters not yet listed.

Two known clusters (seeded) have partner and link pages naming: planted cluster organisations
(not seeded: discovery should find them), and distractors (a company, a university, a
municipality, a chamber of commerce, an event venue) that the queue must keep out, plus social
networks, a ministry and a newspaper that are never fetched. A prefecture's hub page lists one
more cluster that no known site names (VIA_HUB). `PLANTED` and `DISTRACTORS` are the
truth a test or bench/discovery.py compares the queue with.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, HostBuilder, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.sitekit import SiteBuilder, dated

# News pages of each known site: enough crawl pages that discovery's share (25 % of the crawl's
# requests) covers every candidate's robots.txt and home page.
NEWS = 40


@dataclass(frozen=True)
class Org:
    """An organisation's home page: who it is and what it says it does."""

    host: str
    title: str
    about: str
    address: str
    anchor: str  # how a known cluster's page names it
    around: str  # the sentence around that link ({link} marks the link)


PLANTED = (
    Org(
        "www.tohoku-mobility.or.jp",
        "とうほく次世代モビリティ推進協議会 | Tohoku Next Mobility Council",
        "東北の自動車関連企業、大学、自治体が会員となり、産学官連携で次世代自動車の共同研究と事業化を進めています。",
        "〒980-0811 宮城県仙台市青葉区一番町1-1",
        "とうほく次世代モビリティ推進協議会",
        "連携協定を締結した{link}と合同セミナーを開催しました。",
    ),
    Org(
        "www.kyushu-h2.jp",
        "九州水素エネルギー産業振興コンソーシアム",
        "水素エネルギー分野の会員企業120社と大学・研究機関のネットワークです。共同研究と実証を支援します。",
        "〒812-0013 福岡県福岡市博多区博多駅東2-1",
        "九州水素コンソーシアム",
        "パートナー団体: {link}",
    ),
    Org(
        "www.shizuoka-foodtech.or.jp",
        "しずおかフードテック・プラットフォーム",
        "食品企業と研究機関の連携を進めるプラットフォームです。会員向けに食品の新技術の事業化を支援します。",
        "〒420-0853 静岡県静岡市葵区追手町9-6",
        "しずおかフードテック・プラットフォーム",
        "会員団体の{link}が新しい実証事業を始めました。",
    ),
    Org(
        "www.hokkaido-bio.org",
        "Hokkaido Bio Cluster | 北海道バイオクラスター",
        "バイオ・ヘルスケア分野の産学官連携ネットワーク。"
        "Member companies and universities in Hokkaido.",
        "〒060-0807 北海道札幌市北区北7条西2丁目",
        "Hokkaido Bio Cluster",
        "We signed an MoU with {link} on bio-health collaboration.",
    ),
    Org(
        "www.setouchi-aero.or.jp",
        "瀬戸内航空宇宙産業研究会",
        "航空機部品と宇宙関連の会員企業による研究会です。共同受注と人材育成で連携しています。",
        "〒730-0011 広島県広島市中区基町10-52",
        "瀬戸内航空宇宙産業研究会",
        "連携先: {link}",
    ),
    Org(
        "www.kitakanto-semicon.jp",
        "北関東半導体フォーラム",
        "半導体・電子デバイスの会員企業と大学の連携の場です。共同研究と事業化を支援します。",
        "〒371-0026 群馬県前橋市大手町1-1-1",
        "北関東半導体フォーラム",
        "当協議会は{link}と連携しています。",
    ),
    Org(
        "www.ai-consortium.tokai-tech.ac.jp",
        "東海ものづくりAIコンソーシアム",
        "大学が中心となり、会員企業40社とAIによるものづくりの共同研究を進めるコンソーシアムです。",
        "〒464-0814 愛知県名古屋市千種区不老町",
        "東海ものづくりAIコンソーシアム",
        "会員の{link}と共同でシンポジウムを開きます。",
    ),
)

# Named only by the hub page (a prefecture's list of industry councils): found once it is a hub.
VIA_HUB = (
    Org(
        "www.sendai-fintech.or.jp",
        "仙台フィンテック推進協議会",
        "金融とITの会員企業による協議会です。デジタル技術の共同研究と事業化を支援します。",
        "〒980-8671 宮城県仙台市青葉区国分町3-7-1",
        "仙台フィンテック推進協議会",
        "{link}（事務局: 仙台市）",
    ),
)
HUB_HOST = "www.pref.miyagi.jp"
HUB_URL = f"https://{HUB_HOST}/soshiki/sangyo/clusters.html"

DISTRACTORS = (
    Org(
        "www.minato-tech.co.jp",
        "株式会社ミナトテック | 精密加工",
        "当社は精密加工の専門メーカーです。製品情報と会社概要。",
        "〒650-0044 兵庫県神戸市中央区東川崎町1-1",
        "ミナトテック",
        "パートナー企業の{link}が展示会に出展します。",
    ),
    Org(
        "www.naniwa-kogyo-u.ac.jp",
        "浪速工業大学",
        "工学部と大学院の入試情報、研究室紹介。",
        "〒558-8585 大阪府大阪市住吉区杉本3-3-138",
        "浪速工業大学",
        "{link}と共同研究を行っています。",
    ),
    Org(
        "www.city.sakaide.lg.jp",
        "坂出市公式ホームページ",
        "くらし、子育て、市政情報。",
        "〒762-8601 香川県坂出市室町2-3-5",
        "坂出市",
        "後援: {link}",
    ),
    Org(
        "www.kobe-cci.or.jp",
        "神戸商工会議所",
        "会員事業所の経営を支援します。会員募集中。",
        "〒650-8543 兵庫県神戸市中央区港島中町6-1",
        "神戸商工会議所",
        "会員交流会（{link}主催）",
    ),
    Org(
        "www.portmesse.jp",
        "ポートメッセなごや 国際展示場",
        "展示会・イベントの会場案内とアクセス。",
        "〒455-0848 愛知県名古屋市港区金城ふ頭2-2",
        "ポートメッセなごや",
        "会場: {link}",
    ),
)

# Linked, never fetched: set aside by the data file's `never` list.
NEVER = (
    ("https://twitter.com/kansai_cluster", "X（旧Twitter）"),
    ("https://www.facebook.com/kansaicluster", "Facebook"),
    ("https://www.youtube.com/@kansaicluster", "YouTube チャンネル"),
    ("https://www.meti.go.jp/policy/local_economy/", "経済産業省 地域経済産業政策"),
    ("https://www.nikkei.com/article/DGX0001/", "日本経済新聞の記事"),
)


def _org_site(org: Org) -> HostBuilder:
    def build(night: Night) -> SiteState:
        s = SiteBuilder(f"https://{org.host}")
        body = f"<h1>{escape(org.title)}</h1><p>{org.about}</p><address>{org.address}</address>"
        s.html("/", markup.document(org.title, body), modified=night.ago(10))
        s.robots()
        return s.state()

    return build


def _link(org: Org) -> str:
    anchor = f'<a href="https://{org.host}/">{escape(org.anchor)}</a>'
    return "<p>" + org.around.replace("{link}", anchor) + "</p>"


def _known(host: str, title: str, orgs: tuple[Org, ...]) -> HostBuilder:
    def build(night: Night) -> SiteState:
        s = SiteBuilder(f"https://{host}")
        nav = markup.nav([("/links.html", "関連リンク"), ("/news/", "お知らせ")])
        news = f"{markup.ja_date(night.ago(5))} 会員企業の交流会を開催しました。"
        home = f"{nav}<h1>{title}</h1><p>{news}</p>"
        s.html("/", markup.document(title, home), modified=night.ago(5))
        links = "".join(_link(org) for org in orgs)
        sns = "".join(f'<li><a href="{url}">{text}</a></li>' for url, text in NEVER)
        page = f"<h1>関連リンク</h1>{links}<ul>{sns}</ul>"
        s.html(
            "/links.html", markup.document(f"関連リンク | {title}", page), modified=night.ago(30)
        )
        items = dated(
            [(night.ago(5 + 7 * n), f"第{n}回 会員交流会") for n in range(NEWS)], markup.ja_date
        )
        s.html(
            "/news/", markup.document("お知らせ", markup.news_list(items)), modified=night.ago(5)
        )
        s.articles(items, lambda t, m: markup.document(t, m))
        s.robots()
        return s.state()

    return build


def _expect(night: Night) -> Expectation:
    return Expectation(outcome=Outcome.OK, status="active")


_HALF = len(PLANTED) // 2
KNOWN = (
    Scenario(
        id="kansai-cluster",
        name="Kansai Cluster Council",
        sector="other",
        urls=("https://www.kansai-cluster.or.jp/",),
        hosts={
            "www.kansai-cluster.or.jp": _known(
                "www.kansai-cluster.or.jp",
                "関西クラスター協議会",
                PLANTED[:_HALF] + DISTRACTORS[:3],
            )
        },
        expect=_expect,
        scenario="discovery: links to new clusters and distractors",
    ),
    Scenario(
        id="chubu-cluster",
        name="Chubu Cluster Forum",
        sector="other",
        urls=("https://www.chubu-cluster.or.jp/",),
        hosts={
            "www.chubu-cluster.or.jp": _known(
                "www.chubu-cluster.or.jp",
                "中部クラスターフォーラム",
                PLANTED[_HALF - 1 :] + DISTRACTORS[2:],
            )
        },
        expect=_expect,
        scenario="discovery: more new clusters, one named by both known sites",
    ),
)


def _hub(night: Night) -> SiteState:
    s = SiteBuilder(f"https://{HUB_HOST}")
    links = "".join(_link(org) for org in (*VIA_HUB, PLANTED[0]))
    nav = markup.nav([("/", "宮城県トップ"), ("/soshiki/sangyo/", "産業立地推進課")])
    page = f"{nav}<h1>県内の産業クラスター・推進協議会一覧</h1>{links}"
    s.html("/soshiki/sangyo/clusters.html", markup.document("産業クラスター一覧 - 宮城県", page))
    s.robots()
    return s.state()


UNLISTED_HOSTS: dict[str, HostBuilder] = {
    org.host: _org_site(org) for org in (*PLANTED, *VIA_HUB, *DISTRACTORS)
}
UNLISTED_HOSTS[HUB_HOST] = _hub
