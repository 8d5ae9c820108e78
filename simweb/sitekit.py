"""Building blocks for scenario modules: a page accumulator and the usual news-site pages.

A scenario says what a site contains on a night (news items, an English section, a trap); this
module turns that into encoded `Page`s with sensible validators, so scenarios stay declarative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from clusterwatch.simweb import markup
from clusterwatch.simweb.markup import NewsItem
from clusterwatch.simweb.model import Outcome, Page, Quirk, SiteState

DateSpelling = Callable[[date], str]


def dated(
    entries: Iterable[tuple[date, str]],
    spell: DateSpelling,
    prefix: str = "/news/",
    bodies: dict[str, str] | None = None,
) -> list[NewsItem]:
    """News items newest first, each with a stable link under `prefix` and the site's date form."""
    ordered = sorted(entries, key=lambda e: e[0], reverse=True)
    return [
        NewsItem(
            when=when,
            title=title,
            body=(bodies or {}).get(title, ""),
            href=f"{prefix}{when:%Y%m%d}-{n}.html",
            shown=spell(when),
        )
        for n, (when, title) in enumerate(ordered)
    ]


class SiteBuilder:
    """Collects the pages of one host for one night."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.pages: dict[str, Page] = {}

    def html(
        self,
        path: str,
        text: str,
        *,
        codec: str = "utf-8",
        content_type: str | None = None,
        modified: date | None = None,
        status: int = 200,
        quirks: Iterable[Quirk] = (),
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        """Add an HTML page encoded in `codec`; the header names `codec` unless told otherwise."""
        self.pages[path] = Page(
            body=text.encode(codec),
            content_type=content_type or f"text/html; charset={codec}",
            status=status,
            modified=modified,
            headers=headers,
            quirks=frozenset(quirks),
        )

    def raw(self, path: str, body: bytes, content_type: str, modified: date | None) -> None:
        self.pages[path] = Page(body=body, content_type=content_type, modified=modified)

    def robots(self, disallow: Sequence[str] = (), sitemap: bool = False) -> None:
        text = markup.robots(disallow, f"{self.base}/sitemap.xml" if sitemap else None)
        self.raw("/robots.txt", text.encode(), "text/plain", None)

    def sitemap(self, modified: date) -> None:
        """A sitemap of every HTML page added so far, lastmod = each page's modified date."""
        entries = [
            (path, page.modified or modified)
            for path, page in self.pages.items()
            if page.content_type.startswith("text/html") and page.status == 200
        ]
        text = markup.sitemap(self.base, entries)
        self.raw("/sitemap.xml", text.encode(), "application/xml", modified)

    def articles(
        self, items: Sequence[NewsItem], wrap: Callable[[str, str], str], codec: str = "utf-8"
    ) -> None:
        """One page per news item; `wrap(title, body_html)` makes the document."""
        for item in items:
            text = wrap(item.title, markup.article(item))
            self.html(item.href, text, modified=item.when, codec=codec)

    def state(self, dynamic: Callable[[str, str], Page | None] | None = None) -> SiteState:
        return SiteState(outcome=Outcome.OK, pages=dict(self.pages), dynamic=dynamic)


def failing(outcome: Outcome) -> SiteState:
    """A host that does not answer on this night (DNS failure, refused, timeout)."""
    return SiteState(outcome=outcome)


def moved(target_base: str) -> SiteState:
    """A host whose every path answers 301 to the same path on `target_base`."""
    return SiteState(outcome=Outcome.OK, redirect_to=target_base.rstrip("/"))


def newest(items: Sequence[NewsItem]) -> date:
    return max(i.when for i in items)
