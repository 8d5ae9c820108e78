"""Shared look of the scenario sites and the monitor defaults their expectations assume."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from clusterwatch.simweb import markup
from clusterwatch.simweb.model import Expectation, Night, Outcome
from clusterwatch.simweb.sitekit import DateSpelling, SiteBuilder, dated, newest

# Issue 4's defaults: a site is unreachable after this many failing runs in a row ...
UNREACHABLE_AFTER = 3
# ... and parked after this many parked runs in a row.
PARKED_AFTER = 2


def after_failures(streak: int, before: str) -> str:
    """The monitor status after `streak` failing runs, given the status before the streak."""
    return "unreachable" if streak >= UNREACHABLE_AFTER else before


def org_page(
    org: str,
    title: str,
    main: str,
    *,
    links: Sequence[tuple[str, str]],
    copyright_line: str,
    lang: str = "ja",
    head: str = "",
    charset: str | None = "utf-8",
) -> str:
    """A present-day organisation page: header, global navigation, main content, footer."""
    body = (
        f'<header><p class="logo"><a href="/">{org}</a></p>{markup.nav(links)}</header>\n'
        f"<main>\n{main}\n</main>\n{markup.footer(copyright_line)}"
    )
    full_title = title if title == org else f"{title} | {org}"
    return markup.document(full_title, body, lang=lang, charset=charset, head=head)


def news_site(
    base: str,
    org: str,
    night: Night,
    entries: Sequence[tuple[date, str]],
    *,
    home: str = "/",
    links: Sequence[tuple[str, str]] = (),
    spell: DateSpelling = markup.ja_date,
    lang: str = "ja",
    head: str = "",
    bodies: dict[str, str] | None = None,
) -> SiteBuilder:
    """The usual cluster site: a home page with its news list, one page per item, robots.txt.

    The footer prints the crawl night's year, as many CMSs do: weak evidence of freshness only.
    Callers add their scenario's own pages to the builder they get back.
    """
    s = SiteBuilder(base)
    folder = home if home.endswith("/") else home.rsplit("/", 1)[0] + "/"
    items = dated(entries, spell, prefix=f"{folder}news/", bodies=bodies)
    heading = "新着情報" if lang == "ja" else "News"
    nav = [(home, "ホーム" if lang == "ja" else "Home"), *links]

    def wrap(title: str, main: str) -> str:
        return org_page(
            org,
            title,
            main,
            links=nav,
            copyright_line=f"Copyright © {night.date.year} {org}",
            lang=lang,
            head=head,
        )

    s.html(home, wrap(org, markup.news_list(items, heading)), modified=newest(items))
    s.articles(items, wrap)
    s.robots()
    return s


def active_ja(
    newest_days: int, internationalisation: str, notes: str = ""
) -> Callable[[Night], Expectation]:
    """Expectations of an active, Japanese-only site whose newest item is `newest_days` old."""

    def expect(night: Night) -> Expectation:
        return Expectation(
            outcome=Outcome.OK,
            status="active",
            main_language="ja",
            english_site="none",
            internationalisation=internationalisation,
            last_update=night.ago(newest_days),
            notes=notes,
        )

    return expect
