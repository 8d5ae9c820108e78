"""robots.txt as Scrapy's robots middleware reads it, plus the sitemaps it declares.

Scrapy fetches each host's robots.txt once, before the host's first request, and obeys it. The
spider also follows the `Sitemap:` lines; fetching robots.txt a second time for them cost every
site a request a night and a page of its budget. This parser (the ROBOTSTXT_PARSER setting)
keeps them, and the spider reads them when Scrapy sends the robots_parsed signal.
"""

from __future__ import annotations

from scrapy.robotstxt import ProtegoRobotParser


class ProtegoWithSitemaps(ProtegoRobotParser):
    """Scrapy's default Protego parser, which also tells the sitemaps robots.txt declares."""

    def sitemaps(self) -> list[str]:
        return list(self.rp.sitemaps)
