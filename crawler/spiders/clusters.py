"""The one generic spider: every seed's site, politely, within its budget.

Per site: the seed URLs first (the home page is the first), then the sitemaps that the robots.txt
of each seed's host declares (read from the copy Scrapy fetched to obey it), feeds, and same-site
links (frames, iframes, meta refresh included) up to the depth limit and the page budget, news
and English pages first. Every request carries its cluster id; the site's SiteFrontier decides
what is fetched and when the site is finished.

Out: PageItem for every response (4xx/5xx pages included: a bot wall or a soft 404 is evidence),
FetchFailure for every network failure, SiteDone when a site has nothing left in flight; and for
discovery (crawler/discovery.py) the links to unknown hosts and a few candidates' home pages.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from clusterwatch.crawler.analysis import decode_html
from clusterwatch.crawler.budget import CrawlStopping
from clusterwatch.crawler.context import CrawlContext
from clusterwatch.crawler.discovery import (
    META_HUB,
    CandidatePage,
    CandidateSeen,
    Discovery,
    candidate_failure,
    candidate_page,
    default_budget,
    hub_failed,
)
from clusterwatch.crawler.failures import classify_exception, proxy_failure, response_headers
from clusterwatch.crawler.frontier import SiteFrontier, site_host
from clusterwatch.crawler.items import FetchFailure, PageItem, SiteDone
from clusterwatch.crawler.links import SITEMAP_PRIORITY, feed_links, page_links, sitemap_links
from clusterwatch.crawler.robots import ProtegoWithSitemaps
from clusterwatch.db.store.candidates import hosts_to_skip, hub_urls, registry_hosts
from clusterwatch.vocabulary import Outcome

SEED_PRIORITY = 100
# Sites started but not finished, per concurrent site: enough queued work to keep every download
# slot busy, and a bound on the pages and analyses waiting for their site to finish, so the
# crawl's memory does not grow with the number of seeds (10,000 seeds were all started at once).
OPEN_SITES_PER_SLOT = 4
MAX_ERROR_CHARS = 500  # an exception text kept as evidence, not a stack dump

Output = Iterator[PageItem | FetchFailure | SiteDone | Request | CandidateSeen | CandidatePage]


class ClusterSpider(Spider):
    name = "clusters"

    def __init__(self, context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context
        options = context.options
        self.frontiers = {
            seed.id: SiteFrontier(seed.id, seed.urls, options.page_budget, options.crawl_depth)
            for seed in context.seeds
        }
        # host (netloc) -> the sitemaps its robots.txt declares, once Scrapy has parsed it
        self.sitemaps_by_host: dict[str, list[str]] = {}
        self.max_open_sites = max(options.concurrent_sites, 1) * OPEN_SITES_PER_SLOT
        self.sites_started = self.sites_finished = 0
        self.site_finished = asyncio.Event()
        self.discovery: Discovery | None = None  # built when the crawl starts (reads the db)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ClusterSpider:
        spider: ClusterSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.open_discovery, signal=signals.spider_opened)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        """The hub pages, then the seeds, a site at a time, while fewer than max_open_sites
        are unfinished."""
        if self.discovery is not None:
            for request in self.discovery.hub_requests(self.parse_hub, hub_failed):
                yield request
        for seed in self.context.seeds:
            while self.sites_started - self.sites_finished >= self.max_open_sites:
                self.site_finished.clear()
                await self.site_finished.wait()
            self.sites_started += 1
            frontier = self.frontiers[seed.id]
            for index, url in enumerate(seed.urls):
                if frontier.admit(url, 0, is_seed=True):
                    yield self._request(seed.id, url, 0, SEED_PRIORITY, seed_index=index)

    def open_discovery(self) -> None:
        self.discovery = _discovery(self.context)

    def robots_parsed(self, robotparser: object, request: Request) -> None:
        """Keep the sitemaps a host's robots.txt declares.

        Scrapy parses a host's robots.txt before it downloads anything else from the host, so
        they are known when the first seed response from that host arrives (``_handle_page``).
        """
        if isinstance(robotparser, ProtegoWithSitemaps):
            self.sitemaps_by_host[urlsplit(request.url).netloc] = robotparser.sitemaps()

    def _request(
        self,
        cluster_id: str,
        url: str,
        depth: int,
        priority: int,
        *,
        seed_index: int | None = None,
    ) -> Request:
        meta = {"cluster_id": cluster_id, "cw_depth": depth, "seed_index": seed_index}
        return Request(
            url,
            callback=self.parse,
            errback=self.on_error,
            priority=priority,
            meta=meta,
            dont_filter=True,  # the frontier deduplicates per site; nothing is dropped silently
        )

    def _site_done(self) -> None:
        self.sites_finished += 1
        self.site_finished.set()

    # --- callbacks -------------------------------------------------------------------------

    def parse(self, response: Response) -> Output:
        cluster_id = response.meta["cluster_id"]
        try:
            yield from self._handle_page(response)
        finally:
            done = self.frontiers[cluster_id].finish()
        if done:
            self._site_done()
            yield SiteDone(cluster_id)

    def on_error(self, failure: Failure) -> Output:
        request = failure.request  # type: ignore[attr-defined]
        cluster_id = request.meta["cluster_id"]
        try:
            yield from self._error_items(failure, request)
        finally:
            done = self.frontiers[cluster_id].finish()
        if done:
            self._site_done()
            yield SiteDone(cluster_id)

    def _error_items(self, failure: Failure, request: Request) -> Iterator[PageItem | FetchFailure]:
        error = failure.value
        if isinstance(error, CrawlStopping):  # the site is incomplete: no result for it
            self.frontiers[request.meta["cluster_id"]].abandoned = True
            return
        if isinstance(error, HttpError):
            response = error.response
            headers = _headers(response)
            kind = proxy_failure(response.status, headers)
            if kind is None:
                yield self._page_item(response, response.body, headers)
            else:
                yield self._failure(request, str(kind), headers.get("x-squid-error", ""))
        else:
            kind = classify_exception(error) if error else Outcome.OTHER
            yield self._failure(request, str(kind), str(error)[:MAX_ERROR_CHARS])

    # --- pages -----------------------------------------------------------------------------

    def _handle_page(self, response: Response) -> Output:
        cluster_id = response.meta["cluster_id"]
        frontier = self.frontiers[cluster_id]
        requested = response.meta.get("redirect_urls", [response.url])[0]
        for url in (*response.meta.get("redirect_urls", []), response.url):
            frontier.mark_seen(url)
        if response.meta.get("seed_index") is not None:
            frontier.follow_move(response.url)
        headers = _headers(response)
        body = response.body
        if response.status == 304:
            previous = self.context.previous_body(cluster_id, requested)
            if previous is None:
                return
            validators, body = previous
            headers.setdefault("content-type", validators.content_type or "text/html")
            headers.setdefault("etag", validators.etag or "")
            headers.setdefault("last-modified", validators.last_modified or "")
        yield self._page_item(response, body, headers)
        links, html = self._links(response, body, headers)
        if response.meta.get("seed_index") is not None:
            links += self._declared_sitemaps(requested, response.url)
        yield from self._follow(cluster_id, links, response.meta)
        if html is not None and self.discovery is not None:
            yield from self._discover(cluster_id, html)

    # --- discovery -------------------------------------------------------------------------

    def parse_hub(self, response: Response) -> Output:
        """A hub page: its links to unknown hosts are sightings with the hub as their source."""
        _, html = self._links(response, response.body, response_headers(response))
        if html is None or self.discovery is None:
            return
        hub = site_host(response.meta[META_HUB])
        yield from self._discover(f"hub:{response.meta[META_HUB]}", html, hub.__eq__)

    def _discover(
        self, source: str, page: HtmlResponse, same_site: Callable[[str], bool] | None = None
    ) -> Output:
        assert self.discovery is not None
        if same_site is None:
            site = self.frontiers[source].is_same_site
            same_site = lambda host: site(f"http://{host}/")  # noqa: E731
        yield from self.discovery.on_page(source, page.url, page.text, same_site)
        crawl_requests = sum(frontier.admitted for frontier in self.frontiers.values())
        yield from self.discovery.requests(crawl_requests, candidate_page, candidate_failure)

    def _declared_sitemaps(self, *urls: str) -> list[tuple[str, int]]:
        """The sitemaps robots.txt declares on the hosts of ``urls`` (a seed and where it led)."""
        hosts = dict.fromkeys(urlsplit(url).netloc for url in urls)
        return [
            (sitemap, SITEMAP_PRIORITY)
            for host in hosts
            for sitemap in self.sitemaps_by_host.get(host, ())
        ]

    def _links(
        self, response: Response, body: bytes, headers: dict[str, str]
    ) -> tuple[list[tuple[str, int]], HtmlResponse | None]:
        """The page's links to follow, and the page itself when it is HTML (for discovery)."""
        content_type = headers.get("content-type", "").lower()
        head = body[:512].lstrip().lower()
        if b"<urlset" in head or b"<sitemapindex" in head:
            return list(sitemap_links(body)), None
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return list(feed_links(XmlResponse(response.url, body=body))), None
        if "html" not in content_type and b"<html" not in head and b"<!doctype" not in head:
            return [], None
        decoded = decode_html(body, _charset(content_type))
        page = HtmlResponse(response.url, body=body, encoding=decoded.encoding)
        return list(page_links(page)), page

    def _follow(
        self, cluster_id: str, links: Iterable[tuple[str, int]], meta: dict[str, Any]
    ) -> Iterator[Request]:
        frontier = self.frontiers[cluster_id]
        depth = int(meta.get("cw_depth", 0)) + 1
        # The budget is spent in this order: feeds, sitemaps, news and English pages first.
        for url, priority in sorted(links, key=lambda link: -link[1]):
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            if frontier.admit(url, depth):
                yield self._request(cluster_id, url, depth, priority)

    def _page_item(self, response: Response, body: bytes, headers: dict[str, str]) -> PageItem:
        meta = response.meta
        redirects = list(meta.get("redirect_urls", []))
        return PageItem(
            cluster_id=meta["cluster_id"],
            url=redirects[0] if redirects else response.url,
            final_url=response.url,
            status=response.status,
            headers=headers,
            body=body,
            fetched_at=datetime.now(UTC),
            depth=int(meta.get("cw_depth", 0)),
            redirects=redirects,
            is_seed=meta.get("seed_index") is not None,
            seed_index=meta.get("seed_index"),
        )

    def _failure(self, request: Request, kind: str, message: str) -> FetchFailure:
        redirects = request.meta.get("redirect_urls", [])
        return FetchFailure(
            cluster_id=request.meta["cluster_id"],
            url=redirects[0] if redirects else request.url,
            kind=kind,
            message=message,
            fetched_at=datetime.now(UTC),
            is_seed=request.meta.get("seed_index") is not None,
            seed_index=request.meta.get("seed_index"),
            final_url=request.url,
        )


def _discovery(context: CrawlContext) -> Discovery | None:
    """Tonight's discovery: the registry's hosts and the seeds' are known; None when off."""
    budget = context.options.discovery_budget
    budget = default_budget() if budget is None else budget
    if budget <= 0:
        return None
    with context.sessions() as session:
        known = registry_hosts(session)
        skip = hosts_to_skip(session, datetime.now(UTC))
        hubs = hub_urls(session)
    known |= {site_host(url) for seed in context.seeds for url in seed.urls}
    return Discovery(known=known, skip=skip, budget=budget, hubs=hubs)


def _headers(response: Response) -> dict[str, str]:
    return response_headers(response)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip() == "charset":
            return value.strip().strip("\"'") or None
    return None
