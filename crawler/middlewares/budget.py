"""A site's wall-clock budget: once spent, its remaining requests are dropped, not downloaded.

A site that answers every page slowly would otherwise hold the crawl for page budget x retries x
download timeout (about an hour). Each site's clock starts with its first request that reaches
the downloader; a request of a site out of time (retries and redirects included, they pass here
again) fails with `SiteOutOfTime`, the spider stops admitting links for it, and the pipeline
records the site as `slow` with the pages it fetched (or `timeout` when its home page never
came). robots.txt requests carry no cluster and are not counted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.crawler import Crawler

from clusterwatch.crawler.failures import KnownFailure
from clusterwatch.vocabulary import Outcome

if TYPE_CHECKING:
    from typing import Self


class SiteOutOfTime(KnownFailure):
    """A request dropped because its site used its time budget."""

    def __init__(self, url: str, budget: float) -> None:
        super().__init__(Outcome.TIMEOUT, f"site time budget of {budget:g} s spent before {url}")


class SiteBudget:
    def __init__(
        self, crawler: Crawler, budget: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.crawler = crawler
        self.budget = budget
        self.clock = clock

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings["CLUSTERWATCH_OPTIONS"].site_time_budget)

    def process_request(self, request: Request) -> None:
        cluster_id = request.meta.get("cluster_id")
        frontiers = getattr(self.crawler.spider, "frontiers", {})
        if cluster_id not in frontiers:
            return
        if frontiers[cluster_id].out_of_time(self.clock(), self.budget):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("clusterwatch/site_out_of_time")
            raise SiteOutOfTime(request.url, self.budget)
