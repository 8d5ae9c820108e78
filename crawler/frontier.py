"""Per-site crawl state: which URLs a site may still fetch, and when the site is finished.

The spider owns one SiteFrontier per cluster. It decides, before a request is yielded:
- same-site: the URL's host is one of the seed hosts, or a host a seed redirected to (a move);
- not seen before for this site (the spider's requests are `dont_filter`, so this is the only
  deduplication and nothing is dropped behind the spider's back);
- within the page budget (robots.txt fetched by Scrapy itself does not count);
- within the link depth.
It also counts requests in flight: a site is finished when every request it yielded has reached
its callback or errback, which is when the site's result may be written. Pure: no Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from w3lib.url import canonicalize_url


def site_host(url: str) -> str:
    """The host that identifies a site: lower-case, without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def canonical(url: str) -> str:
    return canonicalize_url(urldefrag(url)[0])


@dataclass
class SiteFrontier:
    cluster_id: str
    seed_urls: tuple[str, ...]
    budget: int
    max_depth: int
    hosts: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    in_flight: int = 0
    admitted: int = 0
    over_budget: int = 0
    reported: bool = False
    started: float | None = None  # monotonic time of the site's first request
    slow: bool = False  # the site's time budget ran out: nothing more is fetched
    abandoned: bool = False  # a request was dropped because the crawl stopped: not written

    def __post_init__(self) -> None:
        self.hosts.update(site_host(url) for url in self.seed_urls)

    def is_same_site(self, url: str) -> bool:
        return site_host(url) in self.hosts

    def follow_move(self, final_url: str) -> None:
        """A seed redirected to another host: that host now belongs to the site."""
        self.hosts.add(site_host(final_url))

    def admit(self, url: str, depth: int, *, is_seed: bool = False) -> bool:
        """Whether to fetch `url`; when True the request counts as in flight until `finish()`."""
        key = canonical(url)
        if key in self.seen:
            return False
        if not is_seed and (depth > self.max_depth or not self.is_same_site(url)):
            return False
        if self.slow:
            return False
        if self.admitted >= self.budget:
            self.over_budget += 1
            return False
        self.seen.add(key)
        self.admitted += 1
        self.in_flight += 1
        return True

    def out_of_time(self, now: float, budget: float) -> bool:
        """Whether the site has used its wall-clock budget (its clock starts at `now` the
        first time it is asked); once out of time it stays so."""
        if self.started is None:
            self.started = now
        if not self.slow and now - self.started > budget:
            self.slow = True
        return self.slow

    def mark_seen(self, url: str) -> None:
        """A URL reached by redirect: do not fetch it again for this site."""
        self.seen.add(canonical(url))

    def finish(self) -> bool:
        """One admitted request reached its callback; True when the site just became finished."""
        self.in_flight -= 1
        if self.in_flight == 0 and not self.reported:
            self.reported = True
            return True
        return False

    @property
    def done(self) -> bool:
        return self.in_flight == 0
