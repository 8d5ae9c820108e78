"""The discovery pipeline: keep tonight's links to unknown hosts, judge the candidates fetched.

In: CandidateSeen and CandidatePage items (crawler/discovery.py); everything else passes by.
Out, when the spider closes, in one transaction: candidate and candidate_sightings rows, and
for each candidate whose home page came tonight (or that was never judged) its score, names,
guessed sector and prefecture, English-site grade and languages, with the evidence. A candidate
page is analysed with crawler.analysis.analyze(), exactly as a cluster's page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import Crawler
from sqlalchemy.exc import SQLAlchemyError

from clusterwatch.crawler.analysis import PageAnalysis, PageInput, SitePage, analyze, summarize_site
from clusterwatch.crawler.analysis.discovery_score import HomePage, Sighting, judge
from clusterwatch.crawler.context import CrawlContext, crawl_context
from clusterwatch.crawler.discovery import CandidatePage, CandidateSeen
from clusterwatch.db.models import Candidate
from clusterwatch.db.store.candidates import SeenLink, add_sightings, sightings_of

if TYPE_CHECKING:
    from typing import Self

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchedHome:
    page: CandidatePage
    analysis: PageAnalysis | None


class DiscoveryStore:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: list[SeenLink] = []
        self.homes: dict[str, FetchedHome] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def context(self) -> CrawlContext:
        return crawl_context(self.crawler)

    async def process_item(self, item: Any) -> Any:
        if isinstance(item, CandidateSeen):
            self.seen.append(item.link)
        elif isinstance(item, CandidatePage):
            self.homes[item.host] = FetchedHome(item, _analyse(item))
        return item

    def spider_closed(self) -> None:
        if not self.seen and not self.homes:
            return
        now = datetime.now(UTC)
        try:
            with self.context.sessions.begin() as session:
                touched = add_sightings(session, self.seen, self.context.options.run_id, now)
                for host, candidate in touched.items():
                    home = self.homes.get(host)
                    if home is None and candidate.judged_at is not None:
                        continue  # judged on an earlier night; its page was not fetched tonight
                    sightings = [
                        Sighting(s.source, s.url, s.anchor, s.snippet)
                        for s in sightings_of(session, candidate.id)
                    ]
                    _apply(candidate, host, home, sightings, now)
        except SQLAlchemyError:  # discovery must never cost the night's crawl record
            logger.error("could not write discovery candidates", exc_info=True)
        logger.info("discovery: %s links, %s home pages", len(self.seen), len(self.homes))


def _analyse(page: CandidatePage) -> PageAnalysis | None:
    if page.failure is not None or page.status is None or page.status >= 400:
        return None
    return analyze(
        PageInput(
            url=page.url,
            final_url=page.final_url,
            status=page.status,
            headers=page.headers,
            body=page.body,
            fetched_at=page.fetched_at,
        )
    )


def _apply(
    candidate: Candidate,
    host: str,
    fetched: FetchedHome | None,
    sightings: list[Sighting],
    now: datetime,
) -> None:
    analysis = fetched.analysis if fetched else None
    home = HomePage(analysis.url, analysis.title, analysis.text) if analysis else None
    judgement = judge(host, home, sightings)
    candidate.score = judgement.score
    candidate.name, candidate.name_ja = judgement.name, judgement.name_ja
    candidate.sector, candidate.prefecture = judgement.sector, judgement.prefecture
    evidence = list(judgement.evidence)
    if fetched is not None:
        candidate.judged_at = now
        page = fetched.page
        evidence.append({"rule": "fetched", "url": page.final_url, "status": page.status,
                         "failure": page.failure})  # fmt: skip
    if analysis is not None:
        site = summarize_site([SitePage(analysis.url, 200, analysis, 0)], now.date())
        candidate.english_site = site.english_site
        candidate.languages = dict(site.language_shares)
    candidate.evidence = evidence
