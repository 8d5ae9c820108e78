"""Which links a page offers the crawl, and how urgently to follow each.

Pages that carry dates and news (news / topics / お知らせ / 新着 / English pages) come first, so
a small page budget is spent where a screener would look. Frames, iframes and image-map areas
count as links; binary files (PDF, images, archives) are skipped by extension.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

# Substrings of a link's URL or anchor text that promise fresh, datable content.
NEWS_HINTS = (
    "news", "topic", "info", "event", "press", "release", "blog", "whatsnew", "update",
    "お知らせ", "新着", "ニュース", "トピックス", "イベント", "更新", "活動", "報告",
)  # fmt: skip
ENGLISH_HINTS = ("/en/", "/en.", "/english", "_e.htm", "english", "英語")
NEWS_PRIORITY = 20
ENGLISH_PRIORITY = 15
FEED_PRIORITY = 30
SITEMAP_PRIORITY = 25
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
MAX_FEED_ENTRIES = 10  # newest entries of a feed worth visiting as pages

_EXTRACTOR = LinkExtractor(
    tags=("a", "area", "frame", "iframe"), attrs=("href", "src"), unique=True, strip=True
)


def link_priority(url: str, text: str) -> int:
    haystack = f"{url} {text}".lower()
    if any(hint in haystack for hint in NEWS_HINTS):
        return NEWS_PRIORITY
    if any(hint in haystack for hint in ENGLISH_HINTS):
        return ENGLISH_PRIORITY
    return 0


def page_links(response: TextResponse) -> Iterator[tuple[str, int]]:
    """(url, priority) for every followable link on an HTML page."""
    for link in _EXTRACTOR.extract_links(response):
        yield link.url, link_priority(link.url, link.text)
    for href in (
        response.xpath("//link[@rel='alternate']")
        .xpath("self::*[" + " or ".join(f"contains(@type, '{t}')" for t in FEED_TYPES) + "]/@href")
        .getall()
    ):
        yield urljoin(response.url, href.strip()), FEED_PRIORITY


def sitemap_links(body: bytes) -> Iterator[tuple[str, int]]:
    """(url, priority) from a sitemap or sitemap index; the newest lastmod first."""
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, ValueError):
        return
    entries = sorted(sitemap, key=lambda entry: entry.get("lastmod", ""), reverse=True)
    for entry in entries:
        if "loc" in entry:
            yield entry["loc"], SITEMAP_PRIORITY


def feed_links(response: TextResponse) -> Iterator[tuple[str, int]]:
    """(url, priority) of the newest entries of an RSS or Atom feed."""
    urls = response.xpath(
        "//*[local-name()='item']/*[local-name()='link']/text()"
        " | //*[local-name()='entry']/*[local-name()='link']/@href"
    ).getall()
    for url in urls[:MAX_FEED_ENTRIES]:
        yield urljoin(response.url, url.strip()), NEWS_PRIORITY
