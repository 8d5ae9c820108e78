"""The item pipeline: analyse every page, then store it; write each site's result when it is done.

In:  PageItem, FetchFailure, SiteDone (from crawler.spiders.clusters).
Out: page_snapshots and bodies rows (bodies once per sha256), one site_results row per finished
     site, and at the end the crawl run's state, counts and `degraded` verdict.

Writes are batched: snapshots wait in memory until their site is done (at most a page budget's
worth) and are committed with the site's result in one transaction, so a site is either wholly
recorded for a run or not at all. A 304 is re-analysed from the stored body with today's date
(dates that were future may now be past), and stored as a narrow confirmation of the snapshot
it matched, with no second copy of anything; so is a 200 whose bytes, status and final URL are
the last snapshot's (a site without validators). A site whose write fails is logged and named
in the run's note; the others are still written.

analyze() is pure CPU work, and the crawl process is CPU-bound on the Twisted reactor thread:
pages are analysed in a worker process (another core) while the reactor keeps downloading. Items
then finish out of order, so each site keeps its entries in arrival order and waits for its
pending analyses before its result is written.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clusterwatch.crawler.analysis import PageAnalysis, PageInput, SitePage, analyze, summarize_site
from clusterwatch.crawler.context import CrawlContext, crawl_context
from clusterwatch.crawler.items import FetchFailure, PageItem, SiteDone
from clusterwatch.crawler.outcome import SeedFetch, SiteOutcome, site_outcome
from clusterwatch.crawler.site_rows import confirmation_row, run_note, snapshot_row, unchanged
from clusterwatch.crawler.worker_process import exit_with_parent
from clusterwatch.db.store.runs import (
    COMPLETE,
    INCOMPLETE,
    add_site_result,
    finish_run,
    site_outcomes,
)
from clusterwatch.db.store.snapshots import (
    BodyToStore,
    add_confirmations,
    add_snapshots,
    store_bodies,
)
from clusterwatch.vocabulary import NETWORK_OUTCOMES, Outcome

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)

# A run is "degraded" (our network, not theirs) only with enough sites to tell.
MIN_SITES_FOR_DEGRADED = 5
# refused links and budget notes kept with a site's result, not a whole crawl log
MAX_SITE_ERROR_CHARS = 2000
# One worker process: analysis costs a fraction of what Scrapy spends per page on the reactor
# thread, so one other core keeps up; more workers would only compete with the reactor.
ANALYSIS_WORKERS = 1
# "spawn", not fork: forking a process that runs a reactor and threads can copy a held lock.
WORKER_START_METHOD = "spawn"


@dataclass
class PendingPage:
    """A page whose analysis is running in the worker process."""

    item: PageItem
    analysis: Future[PageAnalysis]


@dataclass
class SiteRecord:
    """What one site produced so far in this run, in arrival order."""

    entries: list[PendingPage | FetchFailure] = field(default_factory=list)
    claimed: bool = False  # a write has begun (it may be waiting for the worker)
    written: bool = False


def _analysis_workers() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        ANALYSIS_WORKERS,
        mp_context=multiprocessing.get_context(WORKER_START_METHOD),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )


class AnalyseAndStore:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sites: dict[str, SiteRecord] = {}
        self.errors = 0
        self.write_failures: dict[str, str] = {}  # cluster id -> why its write failed
        self.workers = _analysis_workers()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def context(self) -> CrawlContext:
        return crawl_context(self.crawler)

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._page(item)
        elif isinstance(item, FetchFailure):
            self.errors += 1
            self._record(item.cluster_id).entries.append(item)
        elif isinstance(item, SiteDone):
            await self._write_site(item.cluster_id)
        return item

    def _record(self, cluster_id: str) -> SiteRecord:
        return self.sites.setdefault(cluster_id, SiteRecord())

    def _page(self, item: PageItem) -> None:
        validators = self.context.validators_for(item.cluster_id, item.url)
        page = PageInput(
            url=item.url,
            final_url=item.final_url,
            status=200 if item.not_modified else item.status,
            headers=item.headers,
            body=item.body,
            fetched_at=item.fetched_at,
            previous_last_modified=validators.last_modified if validators else None,
            previous_text_hash=validators.text_hash if validators else None,
        )
        try:
            future = self.workers.submit(analyze, page)
        except BrokenProcessPool:
            # The worker died on an earlier page (that page records the error): start another.
            self.workers = _analysis_workers()
            future = self.workers.submit(analyze, page)
        pending = PendingPage(item, future)
        self._record(item.cluster_id).entries.append(pending)

    async def _write_site(self, cluster_id: str) -> None:
        record = self._record(cluster_id)
        frontier = getattr(self.crawler.spider, "frontiers", {}).get(cluster_id)
        if record.claimed or (frontier is not None and frontier.abandoned):
            return
        record.claimed = True  # spider_closed may ask again while we wait
        # SiteDone can overtake the site's last pages: they are still in the worker.
        pending = [e.analysis for e in record.entries if isinstance(e, PendingPage)]
        if pending:
            await asyncio.wait(map(asyncio.wrap_future, pending))
        self._store_site(cluster_id, record)

    def _store_site(self, cluster_id: str, record: SiteRecord) -> None:
        """One transaction: the site's bodies, snapshots and result; then free its memory."""
        pages: list[SitePage] = []
        snapshots: list[dict[str, Any]] = []
        confirmations: list[dict[str, Any]] = []
        bodies: list[BodyToStore] = []
        seed_fetches: list[SeedFetch] = []
        refused: list[str] = []  # links refused by the address guard, as evidence
        size = 0
        for entry in record.entries:
            if isinstance(entry, FetchFailure):
                if entry.seed_index is not None:
                    seed_fetches.append(
                        SeedFetch(
                            entry.seed_index,
                            entry.url,
                            failure=entry.kind,
                            message=entry.message,
                            final_url=entry.final_url,
                        )
                    )
                elif entry.kind == Outcome.BLOCKED_ADDRESS:
                    refused.append(entry.message)
                continue
            item, error = entry.item, entry.analysis.exception()
            analysis = None if error is not None else entry.analysis.result()
            if error is not None:
                # The page was fetched: it is stored with the reason its analysis failed, and
                # the site is judged from its other pages.
                logger.error("analysis of %s failed", item.url, exc_info=error)
                self.errors += 1
            else:
                assert analysis is not None
                # An unchanged page (304) is a present page: the site summary sees it as served.
                served_status = 200 if item.not_modified else item.status
                pages.append(SitePage(item.url, served_status, analysis, item.seed_index))
            if item.seed_index is not None:
                seed_fetches.append(
                    SeedFetch(
                        seed_index=item.seed_index,
                        url=item.url,
                        status=item.status,
                        final_url=item.final_url,
                        blocked=analysis is not None and analysis.blocked is not None,
                    )
                )
            run_id = self.context.options.run_id
            last = self.context.validators_for(item.cluster_id, item.url)
            assert last is not None or not item.not_modified, "a 304 is only for a stored page"
            sha = "" if item.not_modified else hashlib.sha256(item.body).hexdigest()
            if last is not None and (item.not_modified or unchanged(last, item, sha)):
                confirmations.append(confirmation_row(run_id, last, item))
            else:
                snapshots.append(snapshot_row(run_id, item, analysis, sha, error))
                size += len(item.body)
                bodies.append(BodyToStore(sha, item.body, analysis.text if analysis else ""))
        if not seed_fetches:
            return
        outcome = self._within_budget(cluster_id, site_outcome(seed_fetches), len(pages))
        if refused:
            notes = [outcome.error or "", f"{Outcome.BLOCKED_ADDRESS}: " + "; ".join(refused)]
            joined = " / ".join(n for n in notes if n)[:MAX_SITE_ERROR_CHARS]
            outcome = replace(outcome, error=joined)
        now = datetime.now(UTC)
        try:
            self._write(cluster_id, bodies, snapshots, confirmations, outcome, pages, size, now)
        except SQLAlchemyError as exc:  # one site's bad row must not cost the others
            logger.error("could not write site %s", cluster_id, exc_info=True)
            cause = getattr(exc, "orig", None) or exc
            self.write_failures[cluster_id] = (str(cause).splitlines() or [type(cause).__name__])[0]
            self.sites[cluster_id] = SiteRecord(claimed=True)  # free its memory all the same
            return
        # Free the bodies and analyses.
        self.sites[cluster_id] = SiteRecord(claimed=True, written=True)

    def _write(
        self,
        cluster_id: str,
        bodies: list[BodyToStore],
        snapshots: list[dict[str, Any]],
        confirmations: list[dict[str, Any]],
        outcome: SiteOutcome,
        pages: list[SitePage],
        size: int,
        now: datetime,
    ) -> None:
        """One transaction: the site's bodies, snapshots, confirmations and result."""
        summary = summarize_site(pages, now.date()) if pages else None
        with self.context.sessions.begin() as session:
            store_bodies(session, bodies, now)
            add_snapshots(session, snapshots)
            add_confirmations(session, confirmations)
            add_site_result(
                session,
                self.context.options.run_id,
                cluster_id,
                outcome=outcome.outcome,
                requested_url=outcome.requested_url,
                final_url=outcome.final_url,
                moved_to=outcome.moved_to,
                http_status=outcome.http_status,
                pages=len(snapshots) + len(confirmations),
                not_modified=len(confirmations),
                bytes=size,
                error=outcome.error,
                analysis=summary.to_json() if summary else None,
                finished_at=now,
            )

    def _within_budget(self, cluster_id: str, outcome: SiteOutcome, pages: int) -> SiteOutcome:
        """A site whose time budget ran out is `slow` when its home page came, with what was
        fetched; otherwise its home page's own failure (a timeout when the budget dropped it)."""
        frontier = getattr(self.crawler.spider, "frontiers", {}).get(cluster_id)
        if frontier is None or not frontier.slow or outcome.outcome != Outcome.OK:
            return outcome
        budget = self.context.options.site_time_budget
        note = f"site time budget of {budget:g} s ran out after {pages} pages"
        error = f"{outcome.error} / {note}" if outcome.error else note
        return replace(outcome, outcome=Outcome.SLOW, error=error)

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Write the sites that finished, then close the run: complete, incomplete, degraded."""
        frontiers = getattr(spider, "frontiers", {})
        finished = reason == "finished"
        try:
            for cluster_id, frontier in frontiers.items():
                if finished or frontier.done:
                    await self._write_site(cluster_id)
        finally:
            self.workers.shutdown(cancel_futures=True)
        written = [r for r in self.sites.values() if r.written]
        state = COMPLETE if finished and len(written) == len(frontiers) else INCOMPLETE
        with self.context.sessions.begin() as session:
            run = finish_run(
                session,
                self.context.options.run_id,
                datetime.now(UTC),
                state=state,
                degraded=self._degraded(session),
                errors=self.errors,
                note=run_note(reason, len(frontiers) - len(written), self.write_failures),
            )
            logger.info("run %s %s (%s sites written)", run.id, state, len(written))

    def _degraded(self, session: Session) -> bool:
        """Nearly every site failed with a network error: our network is down, not theirs."""
        outcomes = site_outcomes(session, self.context.options.run_id)
        if len(outcomes) < MIN_SITES_FOR_DEGRADED:
            return False
        failed = sum(outcome in NETWORK_OUTCOMES for outcome in outcomes)
        return failed / len(outcomes) >= self.context.options.degraded_failure_ratio
