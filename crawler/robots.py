"""robots.txt as RFC 9309 reads it, plus the sitemaps it declares.

Scrapy fetches each host's robots.txt once, before the host's first request, and obeys it. Its
own middleware reads every failure as "allow all"; RFC 9309 section 2.3.1 says otherwise, and
this subclass (in place of Scrapy's, see crawler.options) follows the RFC:
- 2xx: parse the first ROBOTS_MAX_BYTES (500 KiB) of the file; a longer one is cut there while
  it downloads (the bytes_received signal), never read as "allow all";
- 4xx: no rules, everything allowed;
- 5xx, no answer, a timeout: everything disallowed. The host's pages then fail with
  `RobotsUnavailable`, whose kind is the network failure when there was one (dns, refused,
  timeout, tls: a dead host stays a dead host), `blocked` when the answer is a bot wall (a CDN
  challenge answers robots.txt like every other page) and `robots_error` otherwise.

The parser (the ROBOTSTXT_PARSER setting) also keeps the `Sitemap:` lines; the spider reads
them when Scrapy sends the robots_parsed signal, so robots.txt is fetched once, not twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import StopDownload
from scrapy.http import Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from clusterwatch.crawler.analysis import PageInput, analyze
from clusterwatch.crawler.failures import KnownFailure, classify_exception, proxy_failure
from clusterwatch.vocabulary import Outcome

if TYPE_CHECKING:
    from typing import Self

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 kibibytes
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
# a failure of robots.txt that says the host itself is down: its pages fail with that kind
HOST_DOWN = frozenset({Outcome.DNS, Outcome.REFUSED, Outcome.TIMEOUT, Outcome.TLS})
META_ROBOTS = "cw_robots"
META_BYTES = "cw_robots_bytes"


def _bot_wall(response: Response, headers: dict[str, str]) -> bool:
    """Whether the analysis sees a bot wall (a CDN or WAF challenge) in this response."""
    page = PageInput(
        url=response.url,
        final_url=response.url,
        status=response.status,
        headers=headers,
        body=response.body[:ROBOTS_MAX_BYTES],
        fetched_at=datetime.now(UTC),
    )
    return analyze(page).blocked is not None


class ProtegoWithSitemaps(ProtegoRobotParser):
    """Scrapy's default Protego parser, which also tells the sitemaps robots.txt declares."""

    def sitemaps(self) -> list[str]:
        return list(self.rp.sitemaps)


class RobotsUnavailable(KnownFailure):
    """A page not fetched because its host's robots.txt could not be read (RFC 9309: keep out)."""

    def __init__(self, kind: Outcome, detail: str) -> None:
        super().__init__(kind, f"robots.txt unavailable ({detail}): disallowed per RFC 9309")


class Rfc9309Robots(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.unavailable: dict[str, tuple[Outcome, str]] = {}  # netloc -> (kind, detail)
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == (
            "/robots.txt"
        ):
            # no size cap that would fail the download: bytes_received cuts it at 500 KiB
            request.meta[META_ROBOTS] = True
            request.meta["download_maxsize"] = 0
            return
        await super().process_request(request)

    def bytes_received(self, data: bytes, request: Request, spider: Spider) -> None:
        if not request.meta.get(META_ROBOTS):
            return
        received = request.meta[META_BYTES] = request.meta.get(META_BYTES, 0) + len(data)
        if received > ROBOTS_MAX_BYTES:
            raise StopDownload(fail=False)

    def process_request_2(self, rp: Any, request: Request) -> None:
        netloc = urlparse_cached(request).netloc
        if netloc in self.unavailable:
            kind, detail = self.unavailable[netloc]
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("clusterwatch/robots_unavailable")
            raise RobotsUnavailable(kind, detail)
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        headers = {
            key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()
        }
        down = proxy_failure(response.status, headers)
        if down is not None or response.status >= 500:
            kind = down if down in HOST_DOWN else Outcome.ROBOTS_ERROR
            if down is None and _bot_wall(response, headers):
                kind = Outcome.BLOCKED  # a CDN challenge answers robots.txt like every page
            self._keep_out(netloc, kind, f"HTTP {response.status}")
            return
        body = b"" if response.status >= 400 else response.body[:ROBOTS_MAX_BYTES]
        await super()._parse_robots(response.replace(body=body), netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        kind = classify_exception(exc)
        if kind not in HOST_DOWN and kind is not Outcome.BLOCKED_ADDRESS:
            kind = Outcome.ROBOTS_ERROR
        self._keep_out(netloc, kind, f"{kind}: {exc}"[:200])

    def _keep_out(self, netloc: str, kind: Outcome, detail: str) -> None:
        self.unavailable[netloc] = (kind, detail)
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        pending = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(pending, Deferred):
            pending.callback(parser)
