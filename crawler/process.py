"""The crawl process: one CrawlerProcess per Python process.

Started by `python -P -m clusterwatch.crawler`.

The Twisted reactor cannot be restarted, so every crawl is its own process: the monitor (CLI or
scheduler) creates the run row, starts this process with the run id, and repairs the row if the
process dies. Here: read the registry's clusters and their pages' validators, run the spider,
and let the pipeline close the run. SIGINT/SIGTERM and the time limit stop Scrapy gracefully,
within a deadline (crawler.deadlines); the run is then recorded as incomplete.

Exit status: 0 complete, 3 incomplete (interrupted), 1 crashed before finishing the run.
"""

from __future__ import annotations

from scrapy.crawler import CrawlerProcess
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler import logs
from clusterwatch.crawler.context import CrawlContext
from clusterwatch.crawler.deadlines import EXIT_INCOMPLETE, Deadlines
from clusterwatch.crawler.options import CrawlOptions, scrapy_settings
from clusterwatch.crawler.seeds import Seed
from clusterwatch.crawler.spiders.clusters import ClusterSpider
from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import CrawlRun
from clusterwatch.db.store.clusters import ClusterSpec, registry_specs
from clusterwatch.db.store.runs import COMPLETE
from clusterwatch.db.store.snapshots import latest_validators

EXIT_COMPLETE = 0


def build_context(options: CrawlOptions, sessions: sessionmaker[Session]) -> CrawlContext:
    """The registry's live clusters (or `only` those) as seeds, with their pages' validators."""
    with sessions() as session:
        seeds = [seed_of(spec) for spec in registry_specs(session, options.only)]
        validators = latest_validators(session, [seed.id for seed in seeds])
    return CrawlContext(options=options, seeds=seeds, sessions=sessions, validators=validators)


def seed_of(spec: ClusterSpec) -> Seed:
    return Seed(
        id=spec.id,
        name=spec.name,
        name_ja=spec.name_ja,
        sector=spec.sector,
        prefecture=spec.prefecture,
        urls=spec.urls,
        baseline_2016=spec.baseline_2016,
        source=spec.source,
    )


def run(options: CrawlOptions) -> int:
    engine = make_engine(options.db_url)
    sessions = session_factory(engine)
    context = build_context(options, sessions)
    settings = scrapy_settings(options)
    settings["LOG_INSTALL_ROOT_HANDLER"] = False
    logs.configure(options)  # a rotated file; the terminal gets progress (crawler/progress.py)
    process = CrawlerProcess(settings)
    process.crawl(ClusterSpider, context=context)
    # after crawl(): that installs the asyncio reactor, which Deadlines then uses
    Deadlines(process, options.time_limit).install()
    process.start(install_signal_handlers=False)  # Deadlines handles SIGINT and SIGTERM
    with sessions() as session:
        state = session.get_one(CrawlRun, options.run_id).state
    engine.dispose()
    return EXIT_COMPLETE if state == COMPLETE else EXIT_INCOMPLETE
