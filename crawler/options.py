"""How one crawl runs: the options handed from the monitor to the crawl child process.

The monitor builds CrawlOptions from its Settings and passes them as JSON on the child's
command line (the crawler never imports monitor/). `scrapy_settings()` turns them into Scrapy
settings: the one place where Scrapy is configured.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from clusterwatch.vocabulary import CrawlDefaults

# Transient failures worth a retry (a 500 that recovers on the next request is common).
RETRY_HTTP_CODES = (500, 502, 503, 504, 408, 429, 522, 524)
# A response larger than this is logged as suspicious before max_response_bytes cuts it off.
WARN_RESPONSE_FRACTION = 0.5
# Outputs of one response (its page item and its links) processed at a time.
CONCURRENT_ITEMS = 8
# Downloader middleware order of the address guard: before Scrapy's first (offsite, 50).
GUARD_ORDER = 10
ROBOTS_ORDER = 100  # where Scrapy's own robots.txt middleware sits
# Scrapy's HTTP handler, checking each site's time budget when a transfer starts
BUDGETED_HANDLER = "clusterwatch.crawler.budget.BudgetedHttpHandler"


@dataclass(frozen=True)
class CrawlOptions:
    db_url: str
    run_id: int
    only: tuple[str, ...] = ()
    user_agent: str = CrawlDefaults.USER_AGENT
    crawl_delay: float = CrawlDefaults.CRAWL_DELAY
    page_budget: int = CrawlDefaults.PAGE_BUDGET
    crawl_depth: int = CrawlDefaults.CRAWL_DEPTH
    concurrent_sites: int = CrawlDefaults.CONCURRENT_SITES
    download_timeout: float = CrawlDefaults.DOWNLOAD_TIMEOUT
    max_response_bytes: int = CrawlDefaults.MAX_RESPONSE_BYTES
    retry_times: int = CrawlDefaults.RETRY_TIMES
    degraded_failure_ratio: float = CrawlDefaults.DEGRADED_FAILURE_RATIO
    allowed_addresses: str = CrawlDefaults.ALLOWED_ADDRESSES
    site_time_budget: float = CrawlDefaults.SITE_TIME_BUDGET
    time_limit: float | None = None  # seconds; the crawl closes itself, recorded incomplete
    log_file: str | None = None  # Scrapy's log, rotated (crawler/logs.py)
    console: str = "progress"  # progress | quiet | verbose: what the terminal shows
    # candidate home pages fetched for discovery tonight; None: the data file's budget; 0: off
    discovery_budget: int | None = None
    extra_scrapy_settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> CrawlOptions:
        data = json.loads(text)
        data["only"] = tuple(data.get("only", ()))
        return cls(**data)


def scrapy_settings(options: CrawlOptions) -> dict[str, Any]:
    """Scrapy settings for a polite, bounded monitoring crawl."""
    settings: dict[str, Any] = {
        "BOT_NAME": "clusterwatch",
        "USER_AGENT": options.user_agent,
        "ROBOTSTXT_OBEY": True,  # defaults to False outside a generated project
        "ROBOTSTXT_USER_AGENT": options.user_agent,
        # robots.txt fetched once per host, its sitemaps kept
        "ROBOTSTXT_PARSER": "clusterwatch.crawler.robots.ProtegoWithSitemaps",
        # Politeness: one request at a time per host, a fixed delay, many hosts in parallel.
        "CONCURRENT_REQUESTS": max(options.concurrent_sites, 1),
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        # Scrapy starts this many asyncio tasks per response to process its output; a page
        # yields one item (analysed in the worker process) and its links, and the default 100
        # tasks cost ~15 % of the reactor thread (bench/README-crawl.md).
        "CONCURRENT_ITEMS": CONCURRENT_ITEMS,
        "DOWNLOAD_DELAY": options.crawl_delay,
        "DOWNLOAD_DELAY_JITTER": 0,  # a fixed delay (RANDOMIZE_DOWNLOAD_DELAY is deprecated)
        "DOWNLOAD_TIMEOUT": options.download_timeout,
        "DOWNLOAD_MAXSIZE": options.max_response_bytes,
        "DOWNLOAD_WARNSIZE": int(options.max_response_bytes * WARN_RESPONSE_FRACTION),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": options.retry_times,
        "RETRY_HTTP_CODES": list(RETRY_HTTP_CODES),
        "DEPTH_LIMIT": options.crawl_depth,
        "DEPTH_PRIORITY": 0,
        # 304 reaches the callback: it means "unchanged", not an error.
        "HTTPERROR_ALLOWED_CODES": [304],
        "METAREFRESH_ENABLED": True,
        "REDIRECT_MAX_TIMES": 10,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy 2.19 serves a token-protected control API on 127.0.0.1 during every crawl and
        # leaves job files with its tokens under ~/.local/state/scrapy/: nothing we use.
        "REMOTE_CONTROL_ENABLED": False,
        "HTTPCACHE_ENABLED": False,  # validators live in the database, see ConditionalRequests
        "LOG_LEVEL": "INFO",
        "DOWNLOADER_MIDDLEWARES": {
            # first of all: every request, redirects and meta refreshes included, passes here
            "clusterwatch.crawler.middlewares.guard.AddressGuard": GUARD_ORDER,
            # RFC 9309 in place of Scrapy's robots.txt middleware (which allows all on failure)
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "clusterwatch.crawler.robots.Rfc9309Robots": ROBOTS_ORDER,
            "clusterwatch.crawler.middlewares.conditional.ConditionalRequests": 560,
        },
        "DOWNLOAD_HANDLERS": {"http": BUDGETED_HANDLER, "https": BUDGETED_HANDLER},
        # host names are judged on the answer the connection itself uses (DNS rebinding)
        "DNS_RESOLVER": "clusterwatch.crawler.resolver.GuardedResolver",
        "ITEM_PIPELINES": {
            "clusterwatch.crawler.pipelines.AnalyseAndStore": 300,
            "clusterwatch.crawler.discovery_store.DiscoveryStore": 310,
        },
        "EXTENSIONS": {"clusterwatch.crawler.progress.Progress": 500},
        "CLUSTERWATCH_OPTIONS": options,
    }
    settings.update(options.extra_scrapy_settings)
    return settings
