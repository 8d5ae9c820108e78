"""The crawl's own deadlines: an overall time limit, and a bounded stop on SIGTERM or SIGINT.

Scrapy's graceful stop waits for every download in flight; with slow sites that outlasted the
30 s the parent grants after SIGTERM (monitor.crawl_runner), and the crawl was killed. Here the
first signal (or the time limit) starts Scrapy's graceful stop, which closes the run as
incomplete; if the crawl has not ended STOP_GRACE_SECONDS later, the process exits with
EXIT_INCOMPLETE at once (every finished site is already committed; the parent closes the run
row with a note). A second signal exits at once too.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from types import FrameType
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.ossignal import install_shutdown_handlers

logger = logging.getLogger(__name__)

# Below the parent's TERMINATE_GRACE_SECONDS (30): the crawl ends itself before it is killed.
STOP_GRACE_SECONDS = 15.0
EXIT_INCOMPLETE = 3


class Deadlines:
    """Installed on a CrawlerProcess after `crawl()` (which installs the reactor) and before
    `start(install_signal_handlers=False)`."""

    def __init__(
        self,
        process: CrawlerProcess,
        time_limit: float | None,
        grace: float = STOP_GRACE_SECONDS,
    ) -> None:
        from twisted.internet import reactor

        self.process = process
        self.reactor: Any = reactor
        self.time_limit = time_limit
        self.grace = grace
        self.stopping = False

    def install(self) -> None:
        self.reactor.addSystemEventTrigger("after", "startup", self._started)

    def _started(self) -> None:
        install_shutdown_handlers(self._on_signal)
        if self.time_limit:
            self.reactor.callLater(self.time_limit, self.stop, "time limit reached")

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.stopping:
            self.reactor.callFromThread(self._exit, f"second {name}")
        else:
            self.reactor.callFromThread(self.stop, f"{name} received")

    def stop(self, why: str) -> None:
        """Start Scrapy's graceful stop, with a deadline."""
        if self.stopping:
            return
        self.stopping = True
        logger.warning("stopping the crawl: %s (at most %g s more)", why, self.grace)
        self.reactor.callLater(
            self.grace, self._exit, f"{why}, still running after {self.grace:g} s"
        )
        for crawler in self.process.crawlers:  # the reason becomes the run's note
            context = getattr(crawler.spider, "context", None)
            if context is not None:
                context.interrupted = True  # queued requests are dropped (crawler.budget)
            if crawler.engine is not None and crawler.engine.spider is not None:
                deferred_from_coro(crawler.engine.close_spider_async(reason=why))

    def _exit(self, why: str) -> None:
        logger.error("crawl ended without finishing: %s", why)
        logging.shutdown()
        sys.stderr.flush()
        os._exit(EXIT_INCOMPLETE)
