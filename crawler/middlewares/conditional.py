"""Send If-None-Match / If-Modified-Since from the last snapshot of each URL.

Scrapy's HTTP cache with the RFC 2616 policy can skip re-checking a page for weeks, so the
validators live in the database instead and this middleware adds them to every page request of
a known URL. robots.txt is never made conditional: Scrapy's robots middleware would read an
empty 304 as "everything allowed".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.crawler import Crawler

if TYPE_CHECKING:
    from typing import Self


class ConditionalRequests:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        cluster_id = request.meta.get("cluster_id")
        if cluster_id is None or request.url.endswith("/robots.txt"):
            return
        context = getattr(self.crawler.spider, "context", None)
        validators = context.validators_for(cluster_id, request.url) if context else None
        if validators is None:
            return
        if validators.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = validators.etag
        if validators.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = validators.last_modified
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("clusterwatch/conditional_requests")
