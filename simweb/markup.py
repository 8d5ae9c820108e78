"""Page templates of the simulated web: HTML documents, news lists, RSS, sitemaps, robots.txt.

Also the date spellings Japanese sites use (2026年11月5日, 令和8年11月5日, 平成28年3月1日,
2026.11.05), so scenario modules say *which* spelling a site uses and never format dates by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

# Japanese eras and their first day, newest first (Reiwa began 1 May 2019, Heisei 8 Jan 1989).
ERAS: tuple[tuple[str, date], ...] = (
    ("令和", date(2019, 5, 1)),
    ("平成", date(1989, 1, 8)),
    ("昭和", date(1926, 12, 25)),
)

EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def era_date(d: date) -> str:
    """令和8年11月5日; the first year of an era is 元年."""
    for name, start in ERAS:
        if d >= start:
            year = d.year - start.year + 1
            shown = "元" if year == 1 else str(year)
            return f"{name}{shown}年{d.month}月{d.day}日"
    raise ValueError(f"date before the Showa era: {d}")


def ja_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def dotted(d: date) -> str:
    return f"{d.year}.{d.month:02d}.{d.day:02d}"


def slashed(d: date) -> str:
    return f"{d.year}/{d.month:02d}/{d.day:02d}"


def en_date(d: date) -> str:
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def http_date(d: date) -> str:
    """RFC 9110 date at 09:00 GMT of that day (a plausible office-hours upload time in Japan)."""
    weekday = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d.weekday()]
    month = EN_MONTHS[d.month - 1][:3]
    return f"{weekday}, {d.day:02d} {month} {d.year} 09:00:00 GMT"


@dataclass(frozen=True)
class NewsItem:
    """One news entry: its date as a date and as the site prints it, a title, a body, a link."""

    when: date
    title: str
    body: str = ""
    href: str = ""
    shown: str = ""  # the date as printed; defaults to the site's spelling


def document(
    title: str,
    body: str,
    *,
    lang: str = "ja",
    charset: str | None = "utf-8",
    head: str = "",
) -> str:
    """A complete HTML page. `charset=None` leaves the page without any declaration."""
    meta = f'<meta charset="{charset}">\n' if charset else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n{meta}'
        f"<title>{escape(title)}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def legacy_document(title: str, body: str, *, charset: str | None, lang: str = "ja") -> str:
    """An HTML 4.01 page of the kind built around 2005, with an http-equiv charset (or none)."""
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        if charset
        else ""
    )
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n'
        f'<html lang="{lang}">\n<head>\n{meta}<title>{escape(title)}</title>\n</head>\n'
        f'<body bgcolor="#ffffff">\n{body}\n</body>\n</html>\n'
    )


def nav(links: Iterable[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in links)
    return f'<nav class="gnav"><ul>{items}</ul></nav>'


def news_list(items: Sequence[NewsItem], heading: str = "新着情報") -> str:
    rows = "".join(
        f'<li><span class="date">{escape(i.shown)}</span> '
        f'<a href="{i.href}">{escape(i.title)}</a></li>\n'
        for i in items
    )
    return f'<section class="news"><h2>{escape(heading)}</h2>\n<ul>\n{rows}</ul></section>'


def article(item: NewsItem) -> str:
    return (
        f'<article><h1>{escape(item.title)}</h1><p class="date">{escape(item.shown)}</p>'
        f"<p>{escape(item.body or item.title)}</p></article>"
    )


def footer(text: str) -> str:
    return f'<footer><p class="copyright">{escape(text)}</p></footer>'


def rss(title: str, link: str, items: Sequence[NewsItem]) -> str:
    """An RSS 2.0 feed; pubDate in RFC 822 form as WordPress writes it."""
    entries = "".join(
        f"<item><title>{escape(i.title)}</title><link>{link.rstrip('/')}{i.href}</link>"
        f"<pubDate>{http_date(i.when).replace('GMT', '+0000')}</pubDate></item>\n"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{escape(title)}</title><link>{link}</link>\n{entries}</channel></rss>\n"
    )


def sitemap(base: str, entries: Iterable[tuple[str, date]]) -> str:
    urls = "".join(
        f"<url><loc>{base.rstrip('/')}{path}</loc><lastmod>{when.isoformat()}</lastmod></url>\n"
        for path, when in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    )


def robots(disallow: Sequence[str] = (), sitemap_url: str | None = None) -> str:
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in disallow)]
    if not disallow:
        lines.append("Disallow:")
    if sitemap_url:
        lines += ["", f"Sitemap: {sitemap_url}"]
    return "\n".join(lines) + "\n"
