"""The crawl's DNS resolver: a connection goes only to an address the address policy allows.

The address guard (crawler.middlewares.guard) judges every request before it leaves, names by
a lookup of its own. That lookup is not the one the connection uses: a name can answer with a
public address to the guard and a private one to the connection a moment later (DNS rebinding
with a zero TTL). This resolver checks the connection's own answer, cached ones included, so
whatever the guard saw, no connection reaches a refused address.

Twisted turns any failed lookup into "no address for this name", so such a refusal is recorded
as a DNS failure (outcome `dns`); the crawl log names it. Through a forward proxy the crawler
connects to the proxy only, whose names come from the environment and are trusted. Twisted
never asks a resolver about an IP literal: literals stay the guard's. The base class is
Scrapy's default resolver (IPv4, cached, DNS_TIMEOUT).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.base import ReactorBase
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from clusterwatch.crawler.addresses import AddressPolicy, literal_address
from clusterwatch.crawler.middlewares.guard import configured_proxies

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)


class RefusedAnswer(DNSLookupError):
    """A name resolved to an address the crawl may not connect to.

    A DNSLookupError, so that Twisted reports the lookup as failed without logging a
    traceback of its own."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def proxy_hosts() -> frozenset[str]:
    """Host names of the forward proxies configured in the environment (http_proxy ...)."""
    urls = configured_proxies().values()
    return frozenset(host for url in urls if (host := urlsplit(url).hostname or ""))


def checked_address(answer: str, name: str, policy: AddressPolicy, trusted: frozenset[str]) -> str:
    """``answer``, the address ``name`` resolved to, if the crawl may connect to it."""
    if name.rstrip(".").lower() in trusted:
        return answer
    address = literal_address(answer)
    if address is None or policy.refuses(address):
        raise RefusedAnswer(f"{name} resolves to {answer}, not a public address")
    return answer


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, failing every answer the address policy refuses."""

    def __init__(
        self,
        reactor: ReactorBase,
        cache_size: int,
        timeout: float,
        policy: AddressPolicy,
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.policy = policy
        self.trusted = proxy_hosts()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Self:
        """Built once per process (Scrapy passes its CrawlerProcess, which has settings only)."""
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        policy = AddressPolicy.parse(settings["CLUSTERWATCH_OPTIONS"].allowed_addresses)
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), policy)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        answer = super().getHostByName(name, timeout)
        answer.addCallback(self._checked, name)
        return answer

    def _checked(self, answer: str, name: str) -> str:
        try:
            return checked_address(answer, name, self.policy, self.trusted)
        except RefusedAnswer as refused:
            logger.warning("resolver: refused the answer: %s", refused.reason)
            raise
