"""Discovery inside the nightly crawl: collect links to unknown hosts, fetch a few home pages.

The spider hands every HTML page of a cluster site to `Discovery.on_page`; links to hosts that
are neither in the registry, nor the page's own site, nor on the data file's `never` list become
CandidateSeen items (no request). New candidates wait in a queue; `Discovery.requests` releases
their home pages only while the night's discovery budget lasts and discovery's requests stay
within `max_extra_share` of the crawl's own (a candidate costs its robots.txt and its home page).
These requests pass the same middlewares as the crawl's: the address guard, robots.txt, the
per-host delay. Out: CandidateSeen and CandidatePage items for crawler/discovery_store.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from clusterwatch.crawler.analysis.discovery_links import RULES_FILE, covered_by, outbound_links
from clusterwatch.crawler.analysis.discovery_score import Sighting, judge
from clusterwatch.crawler.analysis.lexicon import load
from clusterwatch.crawler.failures import classify_exception, response_headers
from clusterwatch.db.store.candidates import SeenLink
from clusterwatch.vocabulary import Outcome

# Below every crawl request: a candidate's home page never displaces a cluster's page.
DISCOVERY_PRIORITY = -50
META_HOST = "discovery_host"
META_HUB = "discovery_hub"
HUB_PRIORITY = 90  # a hub page is one request: fetch it early, so its candidates can follow


@dataclass
class CandidateSeen:
    link: SeenLink


@dataclass
class CandidatePage:
    """A candidate's home page as fetched, or why it could not be."""

    host: str
    url: str
    final_url: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    failure: str | None = None


@dataclass
class Discovery:
    known: set[str]  # registry hosts (a candidate must not be one of them or under one)
    skip: set[str]  # candidates decided or judged recently: sightings only, no request
    budget: int  # most home pages tonight
    hubs: list[str] = field(default_factory=list)  # hub pages to read tonight
    share: float = field(default_factory=lambda: float(load(RULES_FILE)["max_extra_share"]))
    per_candidate: int = field(
        default_factory=lambda: int(load(RULES_FILE)["requests_per_candidate"])
    )
    queued: set[str] = field(default_factory=set)
    pending: dict[str, str] = field(default_factory=dict)  # host -> home, waiting
    promise: dict[str, float] = field(default_factory=dict)  # host -> best score from its links
    fetched: int = 0

    def on_page(
        self, source: str, page_url: str, html: str, same_site: Callable[[str], bool]
    ) -> Iterator[CandidateSeen]:
        def is_known(host: str) -> bool:
            return covered_by(host, self.known) or same_site(host)

        for link in outbound_links(html, page_url, is_known):
            cluster_id = None if source.startswith("hub:") else source
            seen = SeenLink(
                link.host, link.home, source, cluster_id, page_url, link.url, link.anchor,
                link.snippet,
            )  # fmt: skip
            yield CandidateSeen(seen)
            if link.host in self.skip:
                continue
            # What the link alone promises (its words, the domain) decides who is fetched first.
            sighting = Sighting(source, page_url, link.anchor, link.snippet)
            score = judge(link.host, None, [sighting]).score
            self.promise[link.host] = max(score, self.promise.get(link.host, score))
            if link.host not in self.queued:
                self.queued.add(link.host)
                self.pending[link.host] = link.home

    def requests(
        self, crawl_requests: int, callback: Callable[..., Any], errback: Callable[..., Any]
    ) -> Iterator[Request]:
        """Home pages of waiting candidates, as many as the budget and the share allow now."""
        floor = float(load(RULES_FILE)["fetch_min_promise"])
        while self.pending and self.fetched < self.budget:
            if (self.fetched + 1) * self.per_candidate > self.share * crawl_requests:
                return
            host = max(self.pending, key=lambda h: self.promise[h])
            if self.promise[host] < floor:
                return  # the best waiting is not worth a request; a later link may raise it
            home = self.pending.pop(host)
            self.fetched += 1
            yield Request(
                home,
                callback=callback,
                errback=errback,
                priority=DISCOVERY_PRIORITY,
                meta={META_HOST: host},
                dont_filter=True,
            )

    def hub_requests(
        self, callback: Callable[..., Any], errback: Callable[..., Any]
    ) -> Iterator[Request]:
        """Tonight's hub pages, within their own budget."""
        for url in self.hubs[: int(load(RULES_FILE)["hub_pages_per_night"])]:
            yield Request(
                url,
                callback=callback,
                errback=errback,
                priority=HUB_PRIORITY,
                meta={META_HUB: url},
                dont_filter=True,
            )


def hub_failed(failure: Failure) -> None:
    """A hub page that could not be fetched names nothing tonight (the crawl log says why)."""


def default_budget() -> int:
    return int(load(RULES_FILE)["budget_per_night"])


def candidate_page(response: Response) -> Iterator[CandidatePage]:
    """Callback of a candidate's home page (any status: a 404 home page is evidence too)."""
    redirects = response.meta.get("redirect_urls", [response.url])
    yield CandidatePage(
        host=response.meta[META_HOST],
        url=redirects[0],
        final_url=response.url,
        status=response.status,
        headers=response_headers(response),
        body=response.body,
        fetched_at=datetime.now(UTC),
    )


def candidate_failure(failure: Failure) -> Iterator[CandidatePage]:
    """Errback: the failure is recorded as the candidate's evidence, never retried tonight."""
    error = failure.value
    if isinstance(error, HttpError):
        yield from candidate_page(error.response)
        return
    request = failure.request  # type: ignore[attr-defined]
    yield CandidatePage(
        host=request.meta[META_HOST],
        url=request.url,
        final_url=request.url,
        status=None,
        headers={},
        body=b"",
        fetched_at=datetime.now(UTC),
        failure=str(classify_exception(error) if error else Outcome.OTHER),
    )
