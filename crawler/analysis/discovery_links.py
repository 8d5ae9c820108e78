"""Outbound links that may name a cluster organisation: anchor text and the sentence around it.

In: a page's decoded HTML, its URL, and a test for hosts already known (the registry's clusters,
the page's own site). Out: one OutboundLink per (page, other host), with the evidence a curator
reads. Hosts listed under `never` in data/discovery.yaml (ministries' main sites, social
networks, video and map services, search engines, newspapers, CMS vendors) are set aside here.
Pure: lxml only, no network.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from lxml.etree import ParserError

from clusterwatch.crawler.analysis.lexicon import load

RULES_FILE = "discovery.yaml"
# Elements whose text is "the sentence around the link".
BLOCKS = ("p", "li", "td", "dd", "dt", "div", "section", "article", "h2", "h3", "h4", "tr")
_SENTENCE_END = re.compile(r"(?<=[。．！？!?])\s*|\n+|(?<=\. )")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class OutboundLink:
    url: str  # the link as written, absolute
    host: str  # the candidate's key: lower-case, without `www.`
    home: str  # scheme://host/ of the link: the page to judge
    anchor: str
    snippet: str


def candidate_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def is_never(host: str) -> bool:
    """A destination that is never a cluster organisation (the data file's `never` list)."""
    never: list[str] = load(RULES_FILE)["never"]
    return any(host == entry or host.endswith("." + entry) for entry in never)


def covered_by(host: str, known: set[str]) -> bool:
    """The host, or a domain it belongs to, is already known (en.x.or.jp belongs to x.or.jp)."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in known for i in range(len(parts) - 1))


def _clean(text: str, limit: int) -> str:
    return _SPACE.sub(" ", text).strip()[:limit]


def _sentence(block_text: str, anchor: str, limit: int) -> str:
    """The sentence of `block_text` that holds the anchor, else the block's start."""
    text = _SPACE.sub(" ", block_text).strip()
    if len(text) <= limit:
        return text
    for sentence in _SENTENCE_END.split(text):
        if anchor and anchor in sentence:
            return sentence.strip()[:limit]
    return text[:limit]


def outbound_links(
    html: str, page_url: str, is_known: Callable[[str], bool]
) -> Iterator[OutboundLink]:
    """One OutboundLink per other host linked from the page (its first link wins)."""
    rules = load(RULES_FILE)
    try:
        root = lxml_html.document_fromstring(html)
    except (ParserError, ValueError):
        return
    seen: set[str] = set()
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        host = candidate_host(url)
        if host in seen or is_known(host) or is_never(host):
            continue
        seen.add(host)
        text = _clean(anchor.text_content(), rules["max_anchor_chars"])
        block = anchor.getparent()
        while block is not None and block.tag not in BLOCKS:
            block = block.getparent()
        around = block.text_content() if block is not None else text
        snippet = _sentence(around, text, rules["max_snippet_chars"])
        home = f"{parts.scheme}://{parts.netloc.lower()}/"
        yield OutboundLink(url=url, host=host, home=home, anchor=text, snippet=snippet)
