"""Run one crawl as a child process and record it, whatever happens to the child.

Used by `clusterwatch crawl` and by the scheduler's nightly job. The crawl covers the registry
(monitor.registry): a seeds file given with --seeds is validated (a bad file stops here, before
anything is written) and imported first, and a fresh database imports the default seeds file.
Then: create the run row, start `python -P -m clusterwatch.crawler` with the run id, wait
(forwarding SIGINT/SIGTERM, enforcing the time limit), repair the run row if the child died
without closing it, then evaluate the run.

The monitor never imports Scrapy: the child does. A crashed or hung crawl cannot take the caller
down, and the Twisted reactor gets a fresh process every time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.options import CrawlOptions
from clusterwatch.crawler.seeds import Seed, SeedHub, load_seed_file
from clusterwatch.db.engine import open_database, resolve_database_url
from clusterwatch.db.models import CrawlRun
from clusterwatch.db.store.clusters import registry_size, registry_specs
from clusterwatch.db.store.runs import close_abandoned_run, create_run, stale_running_runs
from clusterwatch.monitor.actors import cli_actor
from clusterwatch.monitor.evaluate import EvaluationSummary, evaluate
from clusterwatch.monitor.hubs import import_hubs
from clusterwatch.monitor.process_identity import pid_exists
from clusterwatch.monitor.registry import ImportReport, import_seeds
from clusterwatch.monitor.settings import Settings

TERMINATE_GRACE_SECONDS = 30  # after SIGTERM, how long a crawl may take to close its run
STOP_POLL_SECONDS = 0.5  # how quickly a `stop` request reaches the crawl child


class CrawlSetupError(ValueError):
    """The crawl cannot start: bad seeds or arguments. Nothing was written."""


@dataclass(frozen=True)
class CrawlOutcome:
    run_id: int
    state: str
    exit_code: int
    run: CrawlRun
    evaluation: EvaluationSummary
    imported: ImportReport | None = None  # the seeds file imported first, if any


def crawl_options(
    settings: Settings,
    db_url: str,
    run_id: int,
    only: Sequence[str] = (),
    time_limit: float | None = None,
) -> CrawlOptions:
    return CrawlOptions(
        db_url=db_url,
        run_id=run_id,
        only=tuple(only),
        user_agent=settings.resolved_user_agent,
        crawl_delay=settings.crawl_delay,
        page_budget=settings.page_budget,
        crawl_depth=settings.crawl_depth,
        concurrent_sites=settings.concurrent_sites,
        download_timeout=settings.download_timeout,
        max_response_bytes=settings.max_response_bytes,
        retry_times=settings.retry_times,
        degraded_failure_ratio=settings.degraded_failure_ratio,
        allowed_addresses=settings.allowed_addresses,
        site_time_budget=settings.site_time_budget,
        time_limit=time_limit,
        log_file=settings.log_file,
        console=settings.crawl_output,
        discovery_budget=settings.discovery_budget,
    )


@dataclass(frozen=True)
class SeedFile:
    """A seeds file read and validated before the crawl touches the database."""

    path: str
    seeds: list[Seed]
    hubs: list[SeedHub]

    @classmethod
    def read(cls, path: str) -> SeedFile:
        return cls(path, *load_seed_file(Path(path)))


def refuse_unknown(only: Sequence[str], known: Iterable[str], where: str) -> None:
    """--only must name clusters the crawl can see; CrawlSetupError names the others."""
    unknown = sorted(set(only) - set(known))
    if unknown:
        raise CrawlSetupError(
            f"--only: no cluster {', '.join(map(repr, unknown))} in {where}; "
            "see the ids with `clusterwatch status`"
        )


def run_crawl(
    settings: Settings,
    *,
    seed_file: SeedFile | None = None,
    only: Sequence[str] = (),
    time_limit: float | None = None,
    stop: threading.Event | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> CrawlOutcome:
    """Crawl the registry (or `only` those ids) into the settings' database; evaluate the run.

    `seed_file` is a seeds file to import first (curators' values win, conflicts are reported in
    the outcome); without it, a fresh database imports the default seeds file (settings.seeds).

    The caller holds the crawl lock (monitor.locks.crawl_lock): the command and the scheduler
    take it themselves, so that the scheduler's lease covers its whole job. Raises SeedsError /
    CrawlSetupError before writing anything. Setting `stop` (from any thread) sends the crawl
    child SIGTERM once; the run is then recorded as incomplete.
    """
    db_url = resolve_database_url(settings.db)
    sessions = open_database(db_url)
    if seed_file is None:
        with sessions() as session:
            if not registry_size(session):  # a fresh install: the default seeds first
                seed_file = SeedFile.read(settings.seeds)
    with sessions() as session:
        known = [spec.id for spec in registry_specs(session, only)]
    listed = [seed.id for seed in seed_file.seeds] if seed_file else []
    refuse_unknown(only, [*known, *listed], "the registry")  # before anything is written
    imported = None
    if seed_file is not None:
        actor = cli_actor(sessions, None)
        imported = import_seeds(sessions, seed_file.seeds, actor, now(), seed_file.path)
        imported.hubs_added = import_hubs(sessions, seed_file.hubs, actor, now())
    with sessions.begin() as session:
        _repair_dead_runs(session, now())
        selected = registry_specs(session, only)
        run_id = create_run(
            session,
            now(),
            pid=None,
            host=socket.gethostname(),
            seeds_path=seed_file.path if seed_file else None,
            only_ids=list(only),
            sites_total=len(selected),
        ).id
    # every crawl, manual too, has a time limit: the child closes itself gracefully when it is
    # reached, and is terminated here TERMINATE_GRACE_SECONDS later if it has not
    limit = settings.crawl_time_limit if time_limit is None else time_limit
    options = crawl_options(settings, db_url, run_id, only, limit)
    exit_code = _run_child(sessions, options, limit + TERMINATE_GRACE_SECONDS, stop)
    with sessions.begin() as session:
        note = f"crawl process exited with status {exit_code}"
        close_abandoned_run(session, run_id, now(), note)
    evaluation = evaluate(sessions, settings, now(), run_id=run_id)
    with sessions() as session:
        finished = session.get_one(CrawlRun, run_id)
    return CrawlOutcome(run_id, finished.state, exit_code, finished, evaluation, imported)


def _repair_dead_runs(session: Session, now: datetime) -> None:
    """Runs still `running` were left by a dead crawl: the caller holds the crawl lock, which is
    free only once its last holder died (monitor.locks), and the crawl child dies with it.
    They are closed as incomplete with what they wrote, and evaluated with tonight's run."""
    for run in stale_running_runs(session):
        here = run.host == socket.gethostname()
        if here and run.pid is not None and pid_exists(run.pid):
            note = f"crawl command killed; its crawl process {run.pid} was still running"
        else:
            note = "crawl process disappeared (killed) before closing its run"
        close_abandoned_run(session, run.id, now, note)


def _run_child(
    sessions: sessionmaker[Session],
    options: CrawlOptions,
    time_limit: float | None,
    stop: threading.Event | None,
) -> int:
    # -P: the working folder is not put on sys.path, so a ./db.py there cannot shadow the package.
    command = [
        *(sys.executable, "-P", "-m", "clusterwatch.crawler"),
        *("--options", options.to_json(), "--parent-pid", str(os.getpid())),
    ]
    # Its own session: a terminal's Ctrl-C reaches only us, and we forward it exactly once
    # (a second SIGINT would make Scrapy stop without closing the run). Its own process group
    # too, which it kills when we die (crawler.worker_process), so no crawl outlives us.
    child = subprocess.Popen(command, start_new_session=True)
    with sessions.begin() as session:
        session.get_one(CrawlRun, options.run_id).pid = child.pid

    def forward(signum: int, _frame: FrameType | None) -> None:
        child.send_signal(signum)

    in_main_thread = threading.current_thread() is threading.main_thread()
    signals = (signal.SIGINT, signal.SIGTERM) if in_main_thread else ()
    previous = {sig: signal.signal(sig, forward) for sig in signals}
    try:
        return _wait(child, time_limit, stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait(
    child: subprocess.Popen[bytes], time_limit: float | None, stop: threading.Event | None
) -> int:
    """Wait for the child; on the time limit or `stop`: SIGTERM, a grace period, then SIGKILL."""
    deadline = None if time_limit is None else time.monotonic() + time_limit
    while True:
        remaining = None if deadline is None else max(deadline - time.monotonic(), 0.0)
        step = STOP_POLL_SECONDS if remaining is None else min(STOP_POLL_SECONDS, remaining)
        try:
            return child.wait(timeout=step)
        except subprocess.TimeoutExpired:
            stopping = stop is not None and stop.is_set()
            if not stopping and (deadline is None or time.monotonic() < deadline):
                continue
        child.terminate()
        try:
            return child.wait(timeout=TERMINATE_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # the analysis worker too
            return child.wait()
