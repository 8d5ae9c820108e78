"""Time bounds and leftovers of a crawl, against deliberately slow loopback servers.

- a site that answers every page slowly is cut at its time budget and recorded `slow` with
  what was fetched, while a fast site in the same crawl finishes;
- every crawl, manual too, stops at the crawl time limit and is recorded incomplete;
- SIGTERM during a download that would outlast the parent's grace period: the crawl ends itself
  in time (exit 3), it is not killed;
- Scrapy's remote-control server never listens, and no job file with its token is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import CrawlRun, SiteResult
from clusterwatch.vocabulary import Outcome
from tests.loopback import (
    OTHER_HOST,
    Route,
    Server,
    direct_env,
    serve,
    stop,
    wait_until,
    write_seeds,
)
from tests.test_crawl import run_cli

pytestmark = pytest.mark.slow

PAGES = 12
HOME = (
    "<html><body><p>home</p>"
    + "".join(f'<a href="/p/{i}">{i}</a>' for i in range(PAGES))
    + "</body></html>"
).encode()
PAGE = b"<html><body><p>a page</p></body></html>"
LISTEN = "0A"  # TCP state in /proc/net/tcp


def site(delay: float) -> dict[str, Route]:
    return {"/robots.txt": Route(404), "/": Route(body=HOME), "*": Route(body=PAGE, delay=delay)}


def results(db_url: str) -> tuple[list[CrawlRun], dict[str, SiteResult]]:
    with session_factory(make_engine(db_url))() as session:
        runs = list(session.scalars(select(CrawlRun)))
        rows = {row.cluster_id: row for row in session.scalars(select(SiteResult))}
    return runs, rows


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    stop(*started)


def test_a_slow_site_is_cut_at_its_time_budget(tmp_path: Path, servers: list[Server]) -> None:
    servers += [serve(site(delay=0.5)), serve(site(delay=0), host=OTHER_HOST)]
    seeds = write_seeds(tmp_path / "seeds.yaml", [f"{s.base}/" for s in servers])
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    env = direct_env(CLUSTERWATCH_SITE_TIME_BUDGET="2", CLUSTERWATCH_PAGE_BUDGET="40")
    result = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], env)
    assert result.returncode == 0, result.stderr[-3000:]
    runs, rows = results(db_url)
    slow, fast = rows["probe-0"], rows["probe-1"]
    assert slow.outcome == Outcome.SLOW and "time budget of 2 s" in (slow.error or "")
    assert 1 <= slow.pages < PAGES + 1  # the home page and what came within the budget
    assert len(servers[0].asked) < PAGES + 2  # the rest was never requested
    assert (fast.outcome, fast.pages) == (Outcome.OK, PAGES + 1)
    assert runs[0].state == "complete"


def test_every_crawl_stops_at_the_time_limit(tmp_path: Path, servers: list[Server]) -> None:
    servers.append(serve(site(delay=1)))
    seeds = write_seeds(tmp_path / "seeds.yaml", [f"{servers[0].base}/"])
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    env = direct_env(CLUSTERWATCH_CRAWL_TIME_LIMIT="3", CLUSTERWATCH_PAGE_BUDGET="40")
    result = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], env)
    assert result.returncode == 3, result.stderr[-3000:]
    runs, _rows = results(db_url)
    assert runs[0].state == "incomplete"
    assert "time limit" in (runs[0].note or "")
    assert len(servers[0].asked) < PAGES + 2


def test_sigterm_ends_the_crawl_before_the_parent_must_kill_it(
    tmp_path: Path, servers: list[Server]
) -> None:
    """A download held longer than the parent's 30 s grace: Scrapy alone would wait for it."""
    servers.append(serve(site(delay=120)))
    seeds = write_seeds(tmp_path / "seeds.yaml", [f"{servers[0].base}/"])
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    env = direct_env(CLUSTERWATCH_DOWNLOAD_TIMEOUT="180", XDG_STATE_HOME=str(tmp_path / "state"))
    crawl = start(["crawl", "--seeds", str(seeds), "--db", db_url], env)
    try:
        assert wait_until(lambda: any(p.startswith("/p/") for p in servers[0].asked))
        assert listening_sockets(crawl.pid) == set(), "nothing of the crawl listens"
        assert not list((tmp_path / "state").rglob("*")), "no remote-control job file"
        crawl.send_signal(signal.SIGTERM)
        _out, err = crawl.communicate(timeout=120)
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.communicate()
    assert crawl.returncode == 3, err[-3000:]
    runs, _rows = results(db_url)
    assert runs[0].state == "incomplete"
    assert "status 3" in (runs[0].note or "")  # ended itself; killed would say -9
    assert not list((tmp_path / "state").rglob("*"))


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "clusterwatch.monitor.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def listening_sockets(root: int) -> set[str]:
    """Local addresses of the TCP sockets in LISTEN state held by `root` or its descendants."""
    inodes = {inode for pid in descendants(root) for inode in socket_inodes(pid)}
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == LISTEN and fields[9] in inodes:
                found.add(fields[1])
    return found


def descendants(pid: int) -> list[int]:
    children_file = Path(f"/proc/{pid}/task/{pid}/children")
    children = [int(c) for c in children_file.read_text().split()] if children_file.exists() else []
    return [pid, *(d for child in children for d in descendants(child))]


def socket_inodes(pid: int) -> set[str]:
    inodes: set[str] = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes
