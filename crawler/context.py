"""Everything one crawl process shares: options, seeds, the database, the previous validators.

Built once by crawler.process before Scrapy starts and handed to the spider; the conditional
request middleware and the pipeline reach it through `crawler.spider.context`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.options import CrawlOptions
from clusterwatch.crawler.seeds import Seed
from clusterwatch.db.store.snapshots import Validators, load_body

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


@dataclass
class CrawlContext:
    options: CrawlOptions
    seeds: list[Seed]
    sessions: sessionmaker[Session]
    validators: dict[tuple[str, str], Validators] = field(default_factory=dict)
    interrupted: bool = False  # the crawl is stopping: start no more downloads

    def validators_for(self, cluster_id: str, url: str) -> Validators | None:
        return self.validators.get((cluster_id, url))

    def previous_body(self, cluster_id: str, url: str) -> tuple[Validators, bytes] | None:
        """The stored body a 304 Not Modified confirmed, with its validators."""
        validators = self.validators_for(cluster_id, url)
        if validators is None:
            return None
        with self.sessions() as session:
            body = load_body(session, validators.content_hash)
        return None if body is None else (validators, body)


def crawl_context(crawler: Crawler) -> CrawlContext:
    """The context of the crawl ``crawler`` runs, from its spider (pipelines run while it does)."""
    context: CrawlContext = getattr(crawler.spider, "context")  # noqa: B009
    return context
