"""Progress while a crawl runs: a live line on a terminal, plain log lines otherwise.

Counts come from Scrapy signals (items scraped), so the display costs nothing per request. On a
TTY the line is redrawn in place every REFRESH_TTY seconds; without one (cron, CI, the scheduler's
child) a log line is written every REFRESH_LOG seconds instead.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

from clusterwatch.crawler.items import FetchFailure, PageItem, SiteDone

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)

REFRESH_TTY = 0.5
REFRESH_LOG = 15.0


class Progress:
    def __init__(self, crawler: Crawler, stream: TextIO = sys.stderr) -> None:
        self.crawler = crawler
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.sites_done = self.pages = self.errors = self.bytes = 0
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def sites_total(self) -> int:
        return len(getattr(self.crawler.spider, "frontiers", {}))

    def item_scraped(self, item: Any) -> None:
        if isinstance(item, PageItem):
            self.pages += 1
            self.bytes += len(item.body)
        elif isinstance(item, FetchFailure):
            self.errors += 1
        elif isinstance(item, SiteDone):
            self.sites_done += 1

    def line(self) -> str:
        minutes, seconds = divmod(int(time.monotonic() - self.started), 60)
        return (
            f"sites {self.sites_done}/{self.sites_total} · pages {self.pages} · "
            f"errors {self.errors} · {self.bytes / 1e6:.1f} MB · {minutes:02d}:{seconds:02d}"
        )

    def show(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()
        else:
            logger.info("progress: %s", self.line())

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(REFRESH_TTY if self.tty else REFRESH_LOG, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
