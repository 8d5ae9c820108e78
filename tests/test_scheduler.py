"""The scheduler on a real database with short intervals and tiny crawl child processes.

The crawl callable is injected (Scheduler(crawl=...)): each test's crawl runs a small Python
child that exits, crashes or sleeps, the way run_crawl runs the real crawler.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import locks as store
from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.locks import crawl_lock
from clusterwatch.monitor.scheduler import JOB_CRAWL, JOB_FUNC, JOB_TABLE, Scheduler
from clusterwatch.monitor.scheduler_jobs import CrawlResult, slot_name
from clusterwatch.monitor.settings import Settings

DEADLINE_S = 8.0
SETTINGS = Settings(misfire_grace_time=3600)
CHILD_POLL_S = 0.05


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(CHILD_POLL_S)


class ChildCrawls:
    """A crawl callable running `python -c code`; counts runs and the most at once."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.started = 0
        self.running = 0
        self.most_at_once = 0
        self.guard = threading.Lock()

    def __call__(self, settings: Settings, stop: threading.Event) -> CrawlResult:
        with self.guard:
            self.started += 1
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            child = subprocess.Popen([sys.executable, "-c", self.code])
            while child.poll() is None:
                if stop.wait(CHILD_POLL_S):
                    child.terminate()  # what run_crawl does: the crawler records incomplete
                    child.wait()
            code = child.returncode
            return CrawlResult("complete" if code == 0 else "failed", code)
        finally:
            with self.guard:
                self.running -= 1


def every(seconds: float) -> IntervalTrigger:
    return IntervalTrigger(seconds=seconds, start_date=datetime(2026, 1, 1, tzinfo=UTC))


def crawl_slots(sessions: sessionmaker[Session]) -> list[store.SlotRow]:
    with sessions() as session:
        return store.slots(session, JOB_CRAWL)


def finished_slots(sessions: sessionmaker[Session]) -> list[store.SlotRow]:
    return [row for row in crawl_slots(sessions) if row.finished_at is not None]


@contextmanager
def running(scheduler: Scheduler) -> Iterator[threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run, args=(stop,))
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(DEADLINE_S)
        assert not thread.is_alive(), "the scheduler did not stop"


def make(
    sessions: sessionmaker[Session], crawl: ChildCrawls, seconds: float = 1.0, **kw: object
) -> Scheduler:
    return Scheduler(
        SETTINGS,
        sessions,
        crawl=crawl,
        triggers={JOB_CRAWL: every(seconds)},
        standby_poll=0.1,
        **kw,  # type: ignore[arg-type]
    )


def test_crashing_crawl_child_is_recorded_and_the_scheduler_goes_on(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    crawls = ChildCrawls("import os; os.abort()")
    with running(make(sqlite_sessions, crawls)):
        wait_for(lambda: len(finished_slots(sqlite_sessions)) >= 2, "two crashed crawls")
    outcomes = [row.outcome or "" for row in finished_slots(sqlite_sessions)]
    assert all(outcome.startswith("failed: crawl failed (exit -6)") for outcome in outcomes)


def test_a_raising_crawl_is_an_error_outcome_not_a_dead_scheduler(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    def broken(settings: Settings, stop: threading.Event) -> CrawlResult:
        raise RuntimeError("seeds file vanished")

    scheduler = Scheduler(SETTINGS, sqlite_sessions, crawl=broken, triggers={JOB_CRAWL: every(1)})
    with running(scheduler):
        wait_for(lambda: len(finished_slots(sqlite_sessions)) >= 2, "two broken crawls")
        assert scheduler.active.is_set()
    assert finished_slots(sqlite_sessions)[0].outcome == "error: RuntimeError: seeds file vanished"


def test_two_schedulers_one_crawl_at_a_time_and_takeover(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    crawls = ChildCrawls("import time; time.sleep(0.3)")
    first, second = make(sqlite_sessions, crawls), make(sqlite_sessions, crawls)
    with running(first) as stop_first:
        wait_for(first.active.is_set, "the first scheduler to run")
        with running(second):
            wait_for(lambda: len(finished_slots(sqlite_sessions)) >= 2, "two crawls")
            assert not second.active.is_set()  # standby: the first holds the lease
            stop_first.set()
            wait_for(second.active.is_set, "the standby to take over")
            before = len(finished_slots(sqlite_sessions))
            wait_for(lambda: len(finished_slots(sqlite_sessions)) > before, "its first crawl")
    assert crawls.most_at_once == 1
    slots = [row.slot for row in crawl_slots(sqlite_sessions)]
    assert len(slots) == len(set(slots)) == crawls.started


def test_scheduled_crawl_skips_while_a_manual_crawl_holds_the_lock(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    crawls = ChildCrawls("pass")
    with crawl_lock(sqlite_sessions, "cli@laptop:42"), running(make(sqlite_sessions, crawls)):
        wait_for(lambda: len(finished_slots(sqlite_sessions)) >= 1, "a skipped crawl")
    assert crawls.started == 0
    outcome = finished_slots(sqlite_sessions)[0].outcome or ""
    assert outcome.startswith("skipped: lock 'crawl' is held by cli@laptop:42")


def test_missed_runs_coalesce_into_one(sqlite_sessions: sessionmaker[Session]) -> None:
    now = datetime.now(UTC)
    trigger = IntervalTrigger(seconds=30, start_date=now - timedelta(seconds=95), timezone=UTC)
    # the scheduler was down: the stored job's next run is four fire times ago
    # (written straight to the job store: a started-then-stopped APScheduler 3 may still
    # process due jobs between setting STATE_STOPPED and joining its thread)
    nobody = BackgroundScheduler(timezone=UTC)
    jobstore = SQLAlchemyJobStore(engine=sqlite_sessions.kw["bind"], tablename=JOB_TABLE)
    jobstore.start(nobody, "default")
    jobstore.add_job(
        Job(
            nobody,
            id=JOB_CRAWL,
            func=JOB_FUNC,
            trigger=trigger,
            executor="default",
            args=(),
            kwargs={"job": JOB_CRAWL, "runtime": "from the previous process"},
            name=JOB_CRAWL,
            misfire_grace_time=SETTINGS.misfire_grace_time,
            coalesce=True,
            max_instances=1,
            next_run_time=now - timedelta(seconds=95),
        )
    )
    crawls = ChildCrawls("pass")
    scheduler = Scheduler(SETTINGS, sqlite_sessions, crawl=crawls, triggers={JOB_CRAWL: trigger})
    with running(scheduler):
        wait_for(lambda: len(finished_slots(sqlite_sessions)) >= 1, "the late crawl")
    (only,) = crawl_slots(sqlite_sessions)
    assert crawls.started == 1
    assert only.slot == slot_name(now - timedelta(seconds=5))  # the latest missed fire time
    assert only.outcome == "ok: crawl complete (exit 0)"


def test_stop_terminates_the_running_crawl_child(sqlite_sessions: sessionmaker[Session]) -> None:
    crawls = ChildCrawls("import time; time.sleep(60)")
    started = time.monotonic()
    with running(make(sqlite_sessions, crawls)):
        wait_for(lambda: crawls.running == 1, "the crawl to start")
    assert time.monotonic() - started < DEADLINE_S
    (row,) = finished_slots(sqlite_sessions)
    assert row.outcome == "failed: crawl failed (exit -15)"
    with sqlite_sessions() as session:
        assert store.current(session, "scheduler") is None  # the guard lease was released


def test_list_shows_jobs_and_starts_nothing(sqlite_url: str) -> None:
    result = CliRunner().invoke(cli, ["schedule", "--list", "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith('crawl   cron "0 2 * * *" Asia/Tokyo')
    assert "JST)" in lines[0] and "next run" in lines[0]
    assert lines[1].startswith('digest  cron "0 8 * * mon" Europe/Brussels')
    assert lines[2].startswith("outbox")


def test_numeric_weekday_is_refused(sqlite_url: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["schedule", "--list", "--db", sqlite_url],
        env={"CLUSTERWATCH_DIGEST_SCHEDULE": "0 8 * * 1"},
    )
    assert result.exit_code == 2
    assert "names" in result.output
