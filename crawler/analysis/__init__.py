"""Page and site analysis for clusterwatch: pure functions over fetched pages.

``analyze(PageInput) -> PageAnalysis`` judges one page (encoding, text, language, dates and
their credibility, EU and other international signals, parked / soft-404 / blocked);
``summarize_site(pages, today) -> SiteAnalysis`` judges one site from its pages;
``decode_html(body, header_charset)`` is shared with the spider. No Scrapy, no database, no
I/O except the packaged word lists in ``data/``.
"""

from clusterwatch.crawler.analysis.encoding import DecodedText, decode_html
from clusterwatch.crawler.analysis.page import PageAnalysis, PageInput, analyze
from clusterwatch.crawler.analysis.site import SiteAnalysis, SitePage, summarize_site

__all__ = [
    "DecodedText",
    "PageAnalysis",
    "PageInput",
    "SiteAnalysis",
    "SitePage",
    "analyze",
    "decode_html",
    "summarize_site",
]
