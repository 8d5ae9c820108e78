"""A synthetic web for the benchmark: many plain, unchanging Japanese sites of N pages each.

Each site has a home page linking to its other pages, a robots.txt, and stable validators, so a
second crawl of the unchanged web can be answered with 304s; or, with `validators=False`, no
ETag or Last-Modified at all (like most Japanese public sites), so every page comes back
whole. Plain http keeps the benchmark about the crawler, not about TLS handshakes.
"""

from __future__ import annotations

from collections.abc import Callable

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, HostBuilder, Night, Outcome, Scenario, SiteState
from clusterwatch.simweb.sitekit import SiteBuilder

# Content of each generated page ages by this many days per page number, so dates differ.
DAYS_PER_PAGE = 3
FILLER = "地域の企業と大学が連携し、新しい製品と技術の開発を進めています。" * 6


def _host(site: int, pages: int, validators: bool) -> HostBuilder:
    def build(night: Night) -> SiteState:
        s = SiteBuilder(f"http://www.gen{site:04d}.example.jp")
        links = [(f"/p/{n}.html", f"お知らせ {n}") for n in range(1, pages)]
        home = markup.document(
            f"クラスター{site}", markup.nav(links) + f"<p>{FILLER}</p>", charset="utf-8"
        )
        s.html("/", home, modified=night.ago(1) if validators else None)
        for n in range(1, pages):
            when = night.ago(1 + n * DAYS_PER_PAGE)
            text = f"<h1>お知らせ {n}</h1><p>{markup.ja_date(when)}</p><p>{FILLER}</p>"
            page = markup.document(f"お知らせ {n}", text)
            s.html(f"/p/{n}.html", page, modified=when if validators else None)
        s.robots()
        return s.state()

    return build


def _expect(night: Night) -> Expectation:
    return Expectation(
        outcome=Outcome.OK,
        status="active",
        main_language="ja",
        english_site="none",
        internationalisation="no_info",
        last_update=night.ago(1),
    )


def generated_scenarios(
    sites: int, pages_per_site: int, validators: bool = True
) -> tuple[Scenario, ...]:
    """`sites` scenarios of `pages_per_site` pages each (home page included)."""
    expect: Callable[[Night], Expectation] = _expect
    return tuple(
        Scenario(
            id=f"gen-{n:04d}",
            name=f"Generated cluster {n}",
            sector="other",
            urls=(f"http://www.gen{n:04d}.example.jp/",),
            hosts={f"www.gen{n:04d}.example.jp": _host(n, pages_per_site, validators)},
            expect=expect,
            scenario="generated benchmark site",
        )
        for n in range(sites)
    )
