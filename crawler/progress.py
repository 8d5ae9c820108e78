"""Progress while a crawl runs, for a person: one live line on a terminal, a line per 10 % else.

Counts come from Scrapy signals (items scraped), so the display costs nothing per request. On a
terminal the line (sites done/total, pages, errors, elapsed, time left) is redrawn in place every
REFRESH_TTY seconds and erased at the end, when the monitor prints its summary. Without one (cron,
CI, the scheduler) a plain line is written each time another tenth of the sites is done, so a log
of a night's crawl has about ten lines. console="quiet" shows nothing (the summary still comes).
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
from clusterwatch.crawler.options import CrawlOptions

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)

REFRESH_TTY = 0.5
STEPS = 10  # plain lines: one per tenth of the sites


def clock(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes:02d}:{rest:02d}"


class Progress:
    def __init__(self, crawler: Crawler, stream: TextIO = sys.stderr) -> None:
        self.crawler = crawler
        self.stream = stream
        options: CrawlOptions | None = crawler.settings.get("CLUSTERWATCH_OPTIONS")
        console = options.console if options is not None else "progress"
        self.enabled = console != "quiet"
        self.live = console == "progress" and stream.isatty()
        self.started = time.monotonic()
        self.sites_done = self.pages = self.errors = self.step = 0
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
        elif isinstance(item, FetchFailure):
            self.errors += 1
        elif isinstance(item, SiteDone):
            self.sites_done += 1
            self.maybe_step()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        total, done = self.sites_total, self.sites_done
        if 0 < done < total:
            left = f"about {clock(elapsed * (total - done) / done)} left"
        else:
            left = "time left unknown" if done < total else "done"
        return (
            f"sites {done}/{total} · pages {self.pages} · errors {self.errors} · "
            f"{clock(elapsed)} elapsed · {left}"
        )

    def maybe_step(self) -> None:
        """A plain line each time the share of sites done passes another tenth."""
        total = self.sites_total
        step = self.sites_done * STEPS // total if total else 0
        if step <= self.step:
            return
        self.step = step
        logger.info("progress: %s", self.line())
        if self.enabled and not self.live:
            self.stream.write(f"{self.sites_done * 100 // total:3d}% {self.line()}\n")
            self.stream.flush()

    def redraw(self) -> None:
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()

    def spider_opened(self) -> None:
        if self.live:
            self.loop = task.LoopingCall(self.redraw)
            self.loop.start(REFRESH_TTY, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()
