"""Refuse every request to a non-public address before it leaves the crawler.

Every request passes here, first of all downloader middlewares: seeds and the links the spider
yields (frames, sitemaps, feeds), robots.txt requests, and the requests Scrapy's redirect and
meta-refresh middlewares build (a Request returned from process_response goes back through the
scheduler and the whole downloader middleware chain). So a `302 Location: http://127.1:8080/`
is refused here like a seed naming 127.1 would be.

Without a proxy the host name is resolved (getaddrinfo in a thread, cached for the crawl) and
refused when any of its addresses is (crawler.addresses). Through a forward proxy (http_proxy,
https_proxy) the proxy resolves names on its own side, so only IP literals and local names
(localhost, *.local ...) are refused here; the proxy must not reach internal networks itself.

A refused request raises `BlockedAddress`; its errback records the outcome `blocked_address`
with the refused URL. A name that answers publicly to this lookup and privately a moment
later, to the connection's own (DNS rebinding with a zero TTL), is stopped by
crawler.resolver, which checks the answer the connection uses; Twisted then reports the
lookup as failed (outcome `dns`) and the crawl log names the refused answer.
"""

from __future__ import annotations

import logging
import socket
from typing import TYPE_CHECKING
from urllib.request import getproxies, proxy_bypass

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

from clusterwatch.crawler.addresses import (
    Address,
    AddressPolicy,
    is_local_name,
    literal_address,
)
from clusterwatch.crawler.failures import KnownFailure
from clusterwatch.vocabulary import Outcome

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)

PROXIED_SCHEMES = ("http", "https")


def configured_proxies() -> dict[str, str]:
    """The forward proxies of the environment (http_proxy, https_proxy), by scheme."""
    return {scheme: url for scheme, url in getproxies().items() if scheme in PROXIED_SCHEMES}


class BlockedAddress(KnownFailure):
    """A request the address guard refused; the message names the URL and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(Outcome.BLOCKED_ADDRESS, f"refused {url}: {reason}")
        self.url = url


class AddressGuard:
    def __init__(self, crawler: Crawler, policy: AddressPolicy) -> None:
        self.crawler = crawler
        self.policy = policy
        self.proxies = configured_proxies()
        self.resolved: dict[str, tuple[Address, ...]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        options = crawler.settings["CLUSTERWATCH_OPTIONS"]
        return cls(crawler, AddressPolicy.parse(options.allowed_addresses))

    async def process_request(self, request: Request) -> None:
        reason = await self._refusal(request)
        if reason is None:
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("clusterwatch/blocked_address")
        logger.warning("address guard: refused %s (%s)", request.url, reason)
        raise BlockedAddress(request.url, reason)

    async def _refusal(self, request: Request) -> str | None:
        url = urlparse_cached(request)
        host = url.hostname or ""
        if not host:
            return "no host"
        literal = literal_address(host)
        if literal is not None:
            return f"{literal} is not a public address" if self.policy.refuses(literal) else None
        if is_local_name(host):
            return f"{host} names a local host"
        if self._proxied(url.scheme, host, request):
            return None  # the proxy resolves the name
        addresses = await self._resolve(host)
        refused = self.policy.refused_among(addresses)
        return None if refused is None else f"{host} resolves to {refused}"

    def _proxied(self, scheme: str, host: str, request: Request) -> bool:
        if request.meta.get("proxy"):
            return True
        return scheme in self.proxies and not proxy_bypass(host)

    async def _resolve(self, host: str) -> tuple[Address, ...]:
        """Every address `host` resolves to; none when it does not resolve (a dns failure then
        comes from the download itself)."""
        if host not in self.resolved:
            try:
                infos = await maybe_deferred_to_future(
                    deferToThread(socket.getaddrinfo, host, None, type=socket.SOCK_STREAM)
                )
            except OSError:
                return ()
            found = (literal_address(str(info[4][0])) for info in infos)
            self.resolved[host] = tuple(address for address in found if address is not None)
        return self.resolved[host]
