"""Scenarios: pages that are not the organisation's site: parked, hijacked, behind a bot wall.

- www.as-if.jp: a registrar's for-sale parking page (お名前.com-like) with related searches.
- www.npo-rsc.org: the environment cluster's pages replaced by online-casino spam (a takeover),
  freshly dated, which must not count as an update.
- greaternagoya.org: every request meets a Cloudflare-like 503 "Just a moment..." challenge.
"""

from __future__ import annotations

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Page, Scenario, SiteState
from clusterwatch.simweb.scenarios.common import PARKED_AFTER

RELATED = ("自動車 組込み ソフトウェア", "格安 レンタルサーバー", "中古車 買取", "ドメイン 取得")
PARKED_HTML = markup.document(
    "as-if.jp - このドメインは売却中です",
    '<div class="parking"><h1>as-if.jp</h1><p>このドメインは売却中です。</p>'
    '<p><a href="https://www.onamae.example/domain/sale">お名前.com で購入のお問い合わせ</a></p>'
    "<h2>関連検索</h2><ul>"
    + "".join(f'<li><a href="/search?q={q}">{q}</a></li>' for q in RELATED)
    + "</ul><p>This domain may be for sale. Related searches.</p></div>",
).encode()


def _everywhere(page: Page) -> SiteState:
    """Every path answers `page` (parking and takeover scripts do not care about the path)."""
    return SiteState(outcome=Outcome.OK, dynamic=lambda path, query: page)


def parked(night: Night) -> SiteState:
    return _everywhere(Page(body=PARKED_HTML))


def _parked_status(night: Night) -> str:
    return "parked" if night.phase >= PARKED_AFTER else "unknown"


def parked_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status=_parked_status(night),
        parked=True,
        notes=f"parked from the {PARKED_AFTER}nd parked run on",
    )


def hijacked(night: Night) -> SiteState:
    spam = markup.document(
        "オンラインカジノ 入金不要ボーナス 最新版",
        f"<h1>オンラインカジノ おすすめランキング {night.date.year}</h1>"
        f"<p>{markup.ja_date(night.ago(1))}更新：入金不要ボーナスで今すぐ遊べる"
        "オンラインカジノ、スロット、バカラ、スポーツベッティングを徹底比較。</p>"
        '<p><a href="/casino/bonus">ボーナスを受け取る</a> '
        '<a href="/casino/slot">人気スロット</a></p>',
    ).encode()
    return _everywhere(Page(body=spam))


def hijacked_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status=_parked_status(night),
        parked=True,
        hijacked=True,
        notes="casino spam replaced the site; its fresh date is not the cluster's",
    )


CHALLENGE = (
    b'<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
    b'<meta name="robots" content="noindex,nofollow"></head><body>'
    b'<div id="challenge-running">Checking if the site connection is secure</div>'
    b"<noscript>Enable JavaScript and cookies to continue</noscript>"
    b'<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>'
    b"</body></html>"
)
CHALLENGE_HEADERS = (
    ("Server", "cloudflare"),
    ("CF-RAY", "8f1e2d3c4b5a6978-NRT"),
    ("cf-mitigated", "challenge"),
    ("Cache-Control", "private, max-age=0, no-store, no-cache, must-revalidate"),
)


def bot_wall(night: Night) -> SiteState:
    page = Page(body=CHALLENGE, status=503, headers=CHALLENGE_HEADERS)
    return _everywhere(page)


def bot_wall_expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.HTTP_5XX,
        status="unknown",
        blocked=True,
        notes="a CDN challenge (bot wall): blocked, not dead; status unknown with that reason",
    )


SCENARIOS = (
    Scenario(
        id="asif",
        name="Automotive Embedded System Industry Forum (ASIF)",
        name_ja="車載組込みシステムフォーラム",
        sector="automotive",
        prefecture="Aichi",
        urls=("http://www.as-if.jp/index.html",),
        hosts={"www.as-if.jp": parked},
        expect=parked_expect,
        source="japan-clusters.md row 11",
        scenario="parked domain: for-sale page with related searches (このドメインは売却中です)",
    ),
    Scenario(
        id="kansai-env",
        name="Environmental Business KANSAI Project",
        name_ja="環境ビジネスKANSAIプロジェクト",
        sector="energy_environment",
        prefecture="Osaka",
        urls=("http://www.npo-rsc.org/cluster/",),
        hosts={"www.npo-rsc.org": hijacked},
        expect=hijacked_expect,
        source="japan-clusters.md row 22",
        scenario="hijacked: online-casino spam in place of the organisation's pages",
    ),
    Scenario(
        id="gnic",
        name="Greater Nagoya Initiative Center",
        name_ja="グレーター・ナゴヤ・イニシアティブ・センター",
        sector="other",
        prefecture="Aichi",
        urls=("https://greaternagoya.org/en/",),
        hosts={"greaternagoya.org": bot_wall},
        expect=bot_wall_expect,
        source="japan-clusters.md row 50",
        scenario="bot wall: Cloudflare-like 503 'Just a moment...' challenge on every page",
    ),
)
