"""An interrupted crawl (SIGTERM, Ctrl-C, a killed crawl process) is recorded as incomplete.

Nothing half-written is read as "site down": the run is closed `incomplete`, and only sites
whose every request finished have a result.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import CrawlRun, SiteResult, StatusHistory
from clusterwatch.simweb import SimulatedWeb

pytestmark = pytest.mark.slow

SLOW_CRAWL = {
    "CLUSTERWATCH_CRAWL_DELAY": "0.4",  # slow enough to interrupt in the middle
    "CLUSTERWATCH_DOWNLOAD_TIMEOUT": "2",
    "CLUSTERWATCH_RETRY_TIMES": "0",
    "CLUSTERWATCH_CONCURRENT_SITES": "32",
}
DEADLINE_SECONDS = 60

CrawlStarted = tuple[subprocess.Popen[str], str]  # the `clusterwatch crawl` process, its database


@pytest.fixture
def web() -> Iterator[SimulatedWeb]:
    with SimulatedWeb(phase=1, slow_seconds=3) as simulated:
        yield simulated


@pytest.fixture
def start_crawl(web: SimulatedWeb, tmp_path: Path) -> Iterator[Callable[[], CrawlStarted]]:
    """Start `clusterwatch crawl` in a process; whatever the test does, none outlives it."""
    started: list[subprocess.Popen[str]] = []

    def start() -> CrawlStarted:
        crawl, db_url = launch_crawl(web, tmp_path)
        started.append(crawl)
        return crawl, db_url

    yield start
    for crawl in started:
        if crawl.poll() is None:
            crawl.kill()
        crawl.communicate()


def launch_crawl(web: SimulatedWeb, folder: Path, *only: str) -> CrawlStarted:
    seeds = web.write_seeds(folder / "seeds.yaml")
    db_url = f"sqlite:///{folder}/cw.sqlite3"
    crawl = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clusterwatch.monitor.cli",
            "crawl",
            "--seeds",
            str(seeds),
            "--db",
            db_url,
            *(arg for cluster_id in only for arg in ("--only", cluster_id)),
        ],
        env={**os.environ, **SLOW_CRAWL, **web.proxy_env()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return crawl, db_url


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def runs_and_results(db_url: str) -> tuple[list[CrawlRun], list[SiteResult]]:
    with session_factory(make_engine(db_url))() as session:
        return list(session.scalars(select(CrawlRun))), list(session.scalars(select(SiteResult)))


def assert_recorded_incomplete(web: SimulatedWeb, db_url: str) -> None:
    runs, results = runs_and_results(db_url)
    assert [run.state for run in runs] == ["incomplete"]
    assert runs[0].finished_at is not None and runs[0].note
    assert len(results) < len(web.clusters)


def test_sigterm_stops_the_crawl_and_records_it_incomplete(
    web: SimulatedWeb, start_crawl: Callable[[], CrawlStarted]
) -> None:
    crawl, db_url = start_crawl()
    wait_for(lambda: len(web.requests) >= 30, "the crawl to get going")
    crawl.send_signal(signal.SIGTERM)
    _out, err = crawl.communicate(timeout=DEADLINE_SECONDS)
    assert crawl.returncode == 3, err[-2000:]
    assert_recorded_incomplete(web, db_url)


def test_a_killed_crawl_process_is_recorded_incomplete(
    web: SimulatedWeb, start_crawl: Callable[[], CrawlStarted]
) -> None:
    """Also: the killed crawl's analysis worker must not live on holding our output pipes."""
    crawl, db_url = start_crawl()

    wait_for(lambda: len(web.requests) >= 30, "the crawl child to get going")
    runs, _ = runs_and_results(db_url)  # the run row exists: the child is fetching
    pid = runs[0].pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    _out, err = crawl.communicate(timeout=DEADLINE_SECONDS)
    assert crawl.returncode == 3, err[-2000:]
    assert_recorded_incomplete(web, db_url)
    runs, _ = runs_and_results(db_url)
    assert "-9" in (runs[0].note or "")


def descendants(pid: int) -> list[int]:
    """The process and everything it started, from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
            todo.extend(int(child) for child in children.split())
    return found


def gone(pid: int) -> bool:
    """Exited (a zombie waiting for a reaper counts as gone: it runs no code)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_kill_9_of_the_crawl_command_ends_the_crawl_and_frees_the_lock(
    web: SimulatedWeb, tmp_path: Path
) -> None:
    """No crawl process survives its parent, and the next crawl starts at once (not exit 4),
    closes the dead run as incomplete with a note and evaluates it."""
    crawl, db_url = launch_crawl(web, tmp_path)
    try:
        wait_for(lambda: len(web.requests) >= 30, "the crawl child to get going")
        wait_for(lambda: len(descendants(crawl.pid)) >= 3, "the analysis worker to start")
        tree = descendants(crawl.pid)  # the command, the crawl child, its analysis worker
        crawl.send_signal(signal.SIGKILL)
        crawl.communicate(timeout=DEADLINE_SECONDS)
        wait_for(lambda: all(gone(pid) for pid in tree), "every crawl process to end")
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.communicate()
    requests_after_death = len(web.requests)
    one_site = web.clusters[0].id
    second, _ = launch_crawl(web, tmp_path, one_site)
    _out, err = second.communicate(timeout=DEADLINE_SECONDS * 3)
    assert second.returncode in (0, 3), err[-2000:]  # not 4: the dead holder's lock is free
    assert len(web.requests) > requests_after_death
    runs, results = runs_and_results(db_url)
    assert runs[0].state == "incomplete"
    assert "killed" in (runs[0].note or "")
    assert runs[0].sites_ok + runs[0].sites_failed == sum(r.run_id == runs[0].id for r in results)
    with session_factory(make_engine(db_url))() as session:
        evaluated = set(session.scalars(select(StatusHistory.run_id)))
    assert {run.id for run in runs} <= evaluated | {
        run.id for run in runs if not any(r.run_id == run.id for r in results)
    }
