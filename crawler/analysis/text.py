"""Visible text of an HTML page, split into main content and boilerplate, plus head metadata.

In: decoded HTML text. Out: ``Extracted``: the title, main-content lines, boilerplate lines
(nav, menus, header, footer, aside, breadcrumbs and short-link lists), the declared language
and hreflang alternates, and the raw date-bearing metadata (meta tags, ``<time>``, JSON-LD)
that ``freshness`` judges. One lxml parse, C-level iteration; no BeautifulSoup on this path.
Lines follow block elements so a news row (date + headline) stays one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

# Characters of HTML handed to the parser; a larger body is cut (hostile 10 MB pages).
MAX_HTML_CHARS = 2_000_000
# Characters of visible text kept per part (main, boilerplate); the store keeps the main text.
MAX_TEXT_CHARS = 200_000
# A list is a menu when it has at least this many links ...
MENU_MIN_LINKS = 3
# ... link text makes up at least this share of its text ...
MENU_LINK_DENSITY = 0.8
# ... and the average link is at most this many characters (news headlines are longer).
MENU_MAX_AVG_LINK_CHARS = 16
# Date-bearing JSON-LD values kept per page (a hostile page could hold thousands).
MAX_JSONLD_DATES = 20

# Bytes lxml keeps in parsed text but refuses when text is assigned back (XML 1.0 forbids
# them): C0 controls other than tab, line feed and carriage return. Real pages carry BEL and
# form feeds inside paragraphs; they become spaces before parsing (one C-level pass), so the
# words they separate stay apart.
_XML_INCOMPATIBLE_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_TO_SPACES = bytes.maketrans(_XML_INCOMPATIBLE_BYTES, b" " * len(_XML_INCOMPATIBLE_BYTES))
# The two non-characters XML also forbids, as UTF-8 (U+FFFE, U+FFFF).
_XML_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")
# A self-closed root (``<html lang="de" />``, seen on real XHTML pages) makes libxml2 end
# the document there; the slash is dropped. Searched at the start of the source only.
_SELF_CLOSED_ROOT = re.compile(rb"(<html\b[^<>]{0,500}?)\s*/>", re.IGNORECASE)
ROOT_SCAN_BYTES = 4096
# A line break and the white space around it (``str.split`` white space: \s is the same set).
_LINE_BREAK = re.compile(r"\s*\n\s*")

_BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "menu")
_BLOCK_TAGS = (
    "p", "div", "li", "dt", "dd", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "ul", "ol", "dl", "section", "article", "blockquote", "pre", "address", "form",
    "main", "figure", "figcaption", "hr", "option", "center",
)  # fmt: skip
_CELL_TAGS = ("td", "th")
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "select",
              "head", "button", "textarea")  # fmt: skip
# class / id tokens that mark navigation, menus and page chrome (cookie banners included:
# their English boilerplate would make a Greek or German page half English).
_CHROME_TOKENS = re.compile(
    r"(?:^|[\s_-])(?:g?navi?|navigation|navbar|menu|gnav|globalnav|header|footer|sidebar|side|"
    r"breadcrumbs?|topicpath|pankuzu|copyright|sns|share|pagetop|skip|utility|"
    r"cookies?|consent|gdpr|cli)(?:$|[\s_\d-])",
    re.IGNORECASE,
)
# Every class and id value, in document order; each knows its element (getparent()).
_NAME_ATTRIBUTES = etree.XPath("//@class|//@id")
# Case-sensitive words one of which a chrome element's class or id contains: a cheap test
# that spares the case-insensitive token regex on most elements.
_CHROME_HINT = re.compile(
    "nav|menu|header|footer|side|bread|topicpath|pankuzu|copyright|sns|share|pagetop|skip|utility"
    "|cookie|consent|gdpr|cli"
)
_DATE_META_KEYS = frozenset(
    {
        "article:modified_time", "article:published_time", "og:updated_time", "date",
        "dc.date", "dc.date.modified", "dc.date.issued", "dc.date.created", "dcterms.modified",
        "dcterms.date", "dcterms.issued", "dcterms.created", "last-modified", "pubdate",
        "publishdate", "datepublished", "datemodified", "citation_date", "sailthru.date",
        "parsely-pub-date", "lastmod", "revised", "updated",
    }
)  # fmt: skip
_JSONLD_DATE = re.compile(
    r'"(dateModified|datePublished|dateCreated|uploadDate)"\s{0,5}:\s{0,5}"([^"]{4,40})"'
)
# Markers of a machine-translation widget, matched in the lower-cased HTML (a plain
# substring test: a case-insensitive regex over the whole source cost milliseconds), under a
# substring each marker of the group holds: one search per group settles most pages.
_MT_WIDGET_MARKERS = {
    b"transl": (
        b"google_translate_element",
        b"translate.google.com/translate_a",
        b"shutto-translation",
        b"translate.googleapis",
    ),
    b"goog-te-": (b"goog-te-",),
    b"wovn.io": (b"wovn.io",),
}


@dataclass(frozen=True)
class Extracted:
    """What an HTML page says, before any judgement."""

    title: str | None
    main: tuple[str, ...]
    boilerplate: tuple[str, ...]
    declared_lang: str | None
    hreflang: tuple[tuple[str, str], ...]
    meta_dates: tuple[tuple[str, str], ...]
    time_dates: tuple[tuple[str, str], ...]
    jsonld_dates: tuple[tuple[str, str], ...]
    mt_widget: bool
    truncated: bool


EMPTY = Extracted(None, (), (), None, (), (), (), (), False, False)


def _text(element: etree._Element) -> str:
    """All text below ``element`` (not its tail), serialised in C: ``"".join(itertext())``."""
    if not len(element):  # a leaf (most links): no serialiser call
        return element.text or ""
    text: str = etree.tostring(element, method="text", encoding=str, with_tail=False)
    return text


def _lines(element: etree._Element) -> tuple[str, ...]:
    raw = _text(element)[:MAX_TEXT_CHARS]
    # Split at line breaks with the white space around them: one part per non-blank line,
    # not one per inserted line break (most of which are blank).
    lines = (" ".join(part.split()) for part in _LINE_BREAK.split(raw))
    return tuple(line for line in lines if line)


def _detach(element: etree._Element) -> None:
    """Remove ``element`` from its tree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    element.tail = None
    parent.remove(element)


def _attached(element: etree._Element, root: etree._Element) -> bool:
    """True while ``element`` still hangs under ``root`` (not inside a detached subtree)."""
    ancestors = list(element.iterancestors())
    return bool(ancestors) and ancestors[-1] is root


def _is_menu(element: etree._Element) -> bool:
    links = [len(_text(a).strip()) for a in element.iter("a")]
    if len(links) < MENU_MIN_LINKS:
        return False
    total = len(_text(element).strip())
    link_chars = sum(links)
    return (
        link_chars >= MENU_LINK_DENSITY * total
        and link_chars / len(links) <= MENU_MAX_AVG_LINK_CHARS
    )


def _chrome_candidates(root: etree._Element) -> list[etree._Element]:
    """Elements below <body> whose class or id names page chrome, in document order.

    Walks the attribute values, not the elements: only an element with a value holding a
    chrome hint can qualify, and testing the bare strings spares building the class + id
    text of every named element (most name layout, not chrome).
    """
    found = []
    seen = set()
    for value in _NAME_ATTRIBUTES(root):
        if not _CHROME_HINT.search(value):
            continue
        element = value.getparent()
        if element in seen or element.tag in ("body", "html"):
            continue
        seen.add(element)
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if _CHROME_TOKENS.search(names):  # the hint is in names: one of its values holds it
            found.append(element)
    return found


def _head_metadata(root: etree._Element) -> tuple[
    tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[tuple[str, str], ...],
    tuple[tuple[str, str], ...],
]:  # fmt: skip
    hreflang = tuple(
        (str(link.get("hreflang")), str(link.get("href") or ""))
        for link in root.iter("link")
        if link.get("hreflang")
    )
    metas = []
    for meta in root.iter("meta"):
        key = (
            meta.get("name")
            or meta.get("property")
            or meta.get("itemprop")
            or meta.get("http-equiv")
        )
        content = meta.get("content")
        if key and content and key.lower() in _DATE_META_KEYS:
            metas.append((key.lower(), content[:100]))
    times = tuple(
        (str(t.get("datetime") or t.get("pubdate") or ""), "".join(t.itertext())[:100])
        for t in root.iter("time")
    )[:MAX_JSONLD_DATES]
    jsonld: list[tuple[str, str]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            jsonld.extend(_JSONLD_DATE.findall(script.text[:MAX_TEXT_CHARS]))
    return hreflang, tuple(metas), times, tuple(jsonld[:MAX_JSONLD_DATES])


def _xml_safe(source: bytes) -> bytes:
    """``source`` with spaces for the characters lxml refuses in element text (NUL, BEL, form
    feed, other C0 controls, U+FFFE, U+FFFF; lone surrogates were already replaced), and
    without the slash of a self-closed ``<html/>``."""
    source = source.translate(_TO_SPACES)
    head = source[:ROOT_SCAN_BYTES]
    if b"/>" in head:
        fixed = _SELF_CLOSED_ROOT.sub(rb"\1>", head, count=1)
        source = fixed + source[ROOT_SCAN_BYTES:] if fixed != head else source
    for noncharacter in _XML_NONCHARACTERS:
        if noncharacter in source:
            source = source.replace(noncharacter, b" ")
    return source


def _parser() -> etree.HTMLParser:
    # A new parser per call (1.5 us): lxml parsers must not be shared between threads.
    # collect_ids=False: no table of id attributes (nothing here looks elements up by id),
    # which spares libxml2 about a tenth of the parse.
    return etree.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8",
        collect_ids=False,
    )  # fmt: skip


def extract(html: str) -> Extracted:
    """Parse ``html`` and return its text and metadata; broken or empty input gives EMPTY."""
    truncated = len(html) > MAX_HTML_CHARS
    source = _xml_safe(html[:MAX_HTML_CHARS].encode("utf-8", "replace"))
    try:
        root = etree.fromstring(source, _parser())
    except etree.LxmlError:
        return EMPTY
    if root is None:
        return EMPTY
    title_element = root.find(".//title")
    title = " ".join("".join(title_element.itertext()).split()) if title_element is not None else ""
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    hreflang, metas, times, jsonld = _head_metadata(root)
    lowered = source.lower()  # bytes: ASCII-only lower-casing, much faster than str.lower
    mt_widget = any(
        anchor in lowered and any(marker in lowered for marker in markers)
        for anchor, markers in _MT_WIDGET_MARKERS.items()
    )
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for element in root.iter(*_BLOCK_TAGS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(*_CELL_TAGS):
        element.tail = " " + (element.tail or "")
    chrome: list[str] = []
    chosen = [el for el in root.iter(*_BOILERPLATE_TAGS)]
    chosen += _chrome_candidates(root)
    chosen += [el for el in root.iter("ul", "ol") if _is_menu(el)]
    for element in chosen:
        if element is not root and _attached(element, root):
            chrome.extend(_lines(element))
            _detach(element)
    return Extracted(
        title=title or None,
        main=_lines(root),
        boilerplate=tuple(chrome),
        declared_lang=lang.strip().lower() if lang else None,
        hreflang=hreflang,
        meta_dates=metas,
        time_dates=times,
        jsonld_dates=jsonld,
        mt_widget=mt_widget,
        truncated=truncated,
    )
