"""What kind of document a body is (HTML, RSS/Atom feed, sitemap, other) and feed parsing.

In: the Content-Type header and the decoded text. Out: the kind, and for feeds and sitemaps a
``FeedDocument``: one text line per entry (title, date and summary, so signals get their
entry's date) and the entry dates (RSS pubDate, Atom updated/published, sitemap lastmod) for
``freshness``. XML is parsed with entity resolution and network access off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from clusterwatch.crawler.analysis.freshness import RawDate

# Characters of a document's start inspected to tell feeds and sitemaps from HTML.
SNIFF_CHARS = 2048
# Entries read from one feed or sitemap (sitemaps may list 50 000 URLs).
MAX_ENTRIES = 500
# Characters of an entry's summary kept in its text line.
MAX_SUMMARY_CHARS = 300
# Share of control bytes in the first KB above which a body is binary, whatever it claims.
BINARY_CONTROL_SHARE = 0.1

_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xd0\xcf\x11\xe0",
)
# Every byte that is not a control character by the test in ``is_binary`` (tab, newlines,
# form feed, ESC as in ISO-2022-JP, and everything from space up): deleting these from the
# head leaves exactly its control bytes, counted in C instead of a Python loop per byte.
_NON_CONTROL_BYTES = bytes([9, 10, 11, 12, 13, 27, *range(32, 256)])
_FEED_ROOT = re.compile(r"<(?:[a-zA-Z0-9_-]{1,20}:)?(rss|feed|rdf:RDF|urlset|sitemapindex)[\s>]")
_DATE_TAGS = ("pubDate", "updated", "published", "date", "lastmod", "modified", "issued")
_TEXT_TAGS = ("title", "loc", "description", "summary")


@dataclass(frozen=True)
class FeedDocument:
    """Lines of text and raw dates of a feed or sitemap."""

    title: str | None
    lines: tuple[str, ...]
    dates: tuple[RawDate, ...]


def is_binary(body: bytes, content_type: str) -> bool:
    """True for images, PDFs, archives and other bodies that are not text, whatever the header."""
    head = body[:1024]
    if head.startswith(_MAGIC):
        return True
    if content_type.split(";")[0].strip().lower().startswith(("image/", "audio/", "video/")):
        return True
    controls = len(head.translate(None, _NON_CONTROL_BYTES))
    return bool(head) and controls > BINARY_CONTROL_SHARE * len(head)


def detect_kind(content_type: str, text: str) -> str:
    """html | feed | sitemap | other."""
    if not text:
        return "other"
    head = text[:SNIFF_CHARS]
    match = _FEED_ROOT.search(head)
    media = content_type.split(";")[0].strip().lower()
    if match and (media.endswith("xml") or head.lstrip().startswith("<?xml") or not media):
        return "sitemap" if match.group(1) in ("urlset", "sitemapindex") else "feed"
    if "html" in media or not media or "<html" in head.lower() or "<body" in head.lower():
        return "html"
    return "other"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse(text: str) -> FeedDocument:
    """Entries of an RSS/Atom feed or a sitemap as text lines and raw dates."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    cleaned = re.sub(r"^\s*<\?xml[^>]{0,200}\?>", "", text[:5_000_000]).replace("\x00", "")
    try:
        root = etree.fromstring(cleaned.encode("utf-8", "replace"), parser)
    except etree.LxmlError:
        return FeedDocument(None, (), ())
    if root is None:
        return FeedDocument(None, (), ())
    title = None
    lines: list[str] = []
    dates: list[RawDate] = []
    entries = [el for el in root.iter() if _local(el.tag) in ("item", "entry", "url", "sitemap")]
    for element in root.iter():
        if _local(element.tag) == "title" and element.text:
            title = " ".join(element.text.split())
            break
    for entry in entries[:MAX_ENTRIES]:
        fields: dict[str, str] = {}
        for child in entry:
            name = _local(child.tag)
            if name not in fields:
                fields[name] = " ".join("".join(child.itertext()).split())[:MAX_SUMMARY_CHARS]
        label = " ".join(fields[t] for t in _TEXT_TAGS if fields.get(t))
        stamp = next((fields[t] for t in _DATE_TAGS if fields.get(t)), None)
        if stamp:
            dates.append(
                RawDate(
                    "sitemap" if _local(entry.tag) in ("url", "sitemap") else "feed",
                    stamp,
                    label or stamp,
                )
            )
        lines.append(f"{stamp or ''} {label}".strip())
    return FeedDocument(title, tuple(line for line in lines if line), tuple(dates))
