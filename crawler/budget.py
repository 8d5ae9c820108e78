"""A site's wall-clock budget: once spent, its remaining requests are dropped, not downloaded.

A site that answers every page slowly would otherwise hold the crawl for page budget x retries x
download timeout (about an hour). Each site's clock starts when its first transfer starts; a
request of a site out of time (retries and redirects included, they pass here again) fails with
`SiteOutOfTime` instead of starting its transfer, the spider stops admitting links for the site,
and the pipeline records it as `slow` with the pages it fetched (or `timeout` when its home page
never came). robots.txt requests carry no cluster and are not counted."""

from __future__ import annotations

import time
from collections.abc import Callable

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

from clusterwatch.crawler.failures import KnownFailure
from clusterwatch.vocabulary import Outcome


class SiteOutOfTime(KnownFailure):
    """A request dropped because its site used its time budget."""

    def __init__(self, url: str, budget: float) -> None:
        super().__init__(Outcome.TIMEOUT, f"site time budget of {budget:g} s spent before {url}")


class CrawlStopping(KnownFailure):
    """A request not started because the crawl is stopping (a signal, the time limit): Scrapy's
    graceful stop would otherwise download every request already queued for its host."""

    def __init__(self, url: str) -> None:
        super().__init__(Outcome.OTHER, f"crawl stopping before {url}")


class BudgetedHttpHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP download handler, which first checks the request's site budget.

    A download handler, not a downloader middleware: middlewares see a request when it is
    queued for its host, long before its turn comes; the handler sees it when its transfer
    starts, which is when the time spent so far is known.
    """

    def __init__(self, crawler: Crawler, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        self.budget: float = crawler.settings["CLUSTERWATCH_OPTIONS"].site_time_budget
        self.clock = clock

    async def download_request(self, request: Request) -> Response:
        context = getattr(self.crawler.spider, "context", None)
        if context is not None and context.interrupted:
            raise CrawlStopping(request.url)
        cluster_id = request.meta.get("cluster_id")
        frontiers = getattr(self.crawler.spider, "frontiers", {})
        if cluster_id in frontiers and frontiers[cluster_id].out_of_time(self.clock(), self.budget):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("clusterwatch/site_out_of_time")
            raise SiteOutOfTime(request.url, self.budget)
        return await super().download_request(request)
