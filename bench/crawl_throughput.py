"""Crawl throughput, memory and revisit cost of `clusterwatch crawl` on a simulated web.

Starts `SimulatedWeb.generated(sites, pages, latency)` (plain, unchanging sites served through a
local proxy on 127.0.0.1) and measures, in the same run:

1. pages per second of the real `clusterwatch crawl` command (a child process: seeds, crawl,
   analysis, storage and the monitor's evaluation included) against a bare Scrapy spider that
   fetches the same pages with the same politeness settings and discards them; the ratio
   should be >= 0.6. Both run with a crawl delay of 0: a per-site delay would make both runs
   delay-bound and the ratio meaningless. Both use the same number of concurrent sites.
2. the peak memory of the crawl: the highest total RSS of `clusterwatch crawl` and its child
   processes (sampled), or of one process (VmHWM, Scrapy's memusage/max): < 600 MB.
3. a second `clusterwatch crawl` of the unchanged web into the same database: bytes answered by
   the proxy <= 10 % of the first run, database growth <= 5 % of its size after the first run.
4. the same two nights on the same web served without ETag or Last-Modified (every page comes
   back whole, as from most Japanese public sites): database growth <= 5 % as well.

    python bench/crawl_throughput.py [--sites 500] [--pages 20] [--latency 0.05]
                                     [--concurrency 64] [--keep DIR]

The bare spider is this file run with `--bare-spider SEEDS` (its own process: the Twisted
reactor cannot be restarted). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TARGET_RATIO = 0.6  # clusterwatch pages/s over bare Scrapy pages/s, at least
TARGET_PEAK_MB = 600.0  # peak RSS of the crawl processes, below
TARGET_REVISIT_BYTES = 0.10  # second run's bytes over the first run's, at most
TARGET_DB_GROWTH = 0.05  # second run's database growth over the size after the first, at most
BUDGET_HEADROOM = 2  # clusterwatch's page budget, in multiples of the pages a site has
MEMORY_POLL_SECONDS = 0.1  # how often the process tree's VmHWM is sampled
CRAWL_TIMEOUT_SECONDS = 1800  # a crawl child that takes longer than this has hung
DOWNLOAD_TIMEOUT_SECONDS = 10  # per request, both crawlers; the simulated web answers in ms
MEMUSAGE_RE = re.compile(r"'memusage/max': (\d+)")  # Scrapy's MemoryUsage stat, in bytes


@dataclass
class Run:
    """One crawler child process as the proxy and /proc saw it."""

    label: str
    seconds: float
    requests: int
    pages: int  # requests other than robots.txt
    bytes: int
    peak_mb: float
    exit_code: int

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


# --- the bare spider (child process) ---------------------------------------------------------


def bare_spider(seeds_path: Path, concurrency: int) -> int:
    """Fetch every seed site's same-site links, as clusterwatch does, and discard the pages."""
    from scrapy import Request, Spider
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response, TextResponse

    from clusterwatch.crawler.seeds import load_seeds

    seeds = load_seeds(seeds_path)

    class BareSpider(Spider):
        name = "bare"

        async def start(self) -> Any:
            for seed in seeds:
                for url in seed.urls:
                    yield Request(url, callback=self.parse)

        def parse(self, response: Response) -> Iterator[Request]:
            if not isinstance(response, TextResponse):
                return
            host = urlsplit(response.url).hostname
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                if urlsplit(url).hostname == host:
                    yield Request(url, callback=self.parse)

    process = CrawlerProcess(
        {
            # The politeness settings crawler.options.scrapy_settings gives clusterwatch.
            "USER_AGENT": "clusterwatch-bench/bare",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "DOWNLOAD_DELAY": 0,
            "RANDOMIZE_DOWNLOAD_DELAY": False,
            "DOWNLOAD_TIMEOUT": DOWNLOAD_TIMEOUT_SECONDS,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "INFO",
        }
    )
    process.crawl(BareSpider)
    process.start()
    return 0


# --- measuring ---------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return found


def _memory_kb(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` figure in kB (VmRSS now, VmHWM the peak); 0 once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


class PeakMemory:
    """Samples a process tree until stopped: the highest total RSS of the tree (the crawl child
    and its analysis worker count together) and the highest VmHWM of any one process."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(MEMORY_POLL_SECONDS):
            tree = _descendants(self.pid)
            total = sum(_memory_kb(pid, "VmRSS") for pid in tree)
            single = max(_memory_kb(pid, "VmHWM") for pid in tree)
            self.peak_kb = max(self.peak_kb, total, single)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def run_child(label: str, command: list[str], env: dict[str, str], web: Any, log: Path) -> Run:
    """Run one crawler child; its wall time, its requests from the proxy log, its peak memory."""
    web.clear_requests()
    started = time.perf_counter()
    with log.open("wb") as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        memory = PeakMemory(child.pid)
        exit_code = child.wait(timeout=CRAWL_TIMEOUT_SECONDS)
        peak_mb = memory.stop()
    seconds = time.perf_counter() - started
    stat = MEMUSAGE_RE.search(log.read_text(errors="replace"))
    if stat:  # exact, where the sampling may miss the last moments of a process
        peak_mb = max(peak_mb, int(stat.group(1)) / 2**20)
    records = web.requests
    pages = sum(not r.path.endswith("/robots.txt") for r in records)
    return Run(
        label, seconds, len(records), pages, sum(r.bytes for r in records), peak_mb, exit_code
    )


@dataclass
class Nights:
    """Two crawls of the unchanged web into one database, and its size after each."""

    first: Run
    second: Run
    size_first: int
    size_second: int

    @property
    def growth(self) -> float:
        return (self.size_second - self.size_first) / self.size_first if self.size_first else 1.0


def database_size(path: Path) -> int:
    """Bytes on disk of the SQLite database, with its WAL checkpointed into the main file."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def memory_only(command: list[str], env: dict[str, str], web: Any, folder: Path, sites: int) -> int:
    """One crawl of the generated web: the peak memory of its process tree."""
    crawl = run_child("crawl", command, env, web, folder / "memory.log")
    ok = crawl.exit_code == 0 and crawl.peak_mb < TARGET_PEAK_MB
    print(
        f"{verdict(ok)}  peak memory of a crawl of {sites} seeds: {crawl.peak_mb:.0f} MB "
        f"(< {TARGET_PEAK_MB:.0f} MB; exit {crawl.exit_code}, {crawl.pages} pages in "
        f"{crawl.seconds:.0f} s)"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--pages", type=int, default=20, help="pages per site, home included")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=64, help="sites crawled at once")
    parser.add_argument("--keep", type=Path, help="keep the database and logs in this folder")
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="one crawl, its peak memory only (for --sites 10000 --pages 3)",
    )
    parser.add_argument("--bare-spider", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_spider:
        return bare_spider(args.bare_spider, args.concurrency)

    from clusterwatch.simweb import SimulatedWeb

    folder = args.keep or Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(
        f"{args.sites} sites x {args.pages} pages, {args.latency * 1000:.0f} ms latency, "
        f"{args.concurrency} sites at once, crawl delay 0 for both crawlers "
        "(a fixed delay would make both delay-bound)"
    )
    nights: dict[bool, Nights] = {}
    for validators in (True, False):
        label = "" if validators else " (no validators)"
        db_path = folder / ("bench.sqlite3" if validators else "bench-novalidators.sqlite3")
        for stale in folder.glob(db_path.name + "*"):
            stale.unlink()
        with SimulatedWeb.generated(
            sites=args.sites,
            pages_per_site=args.pages,
            latency=args.latency,
            validators=validators,
        ) as web:
            seeds = web.write_seeds(folder / "seeds.yaml")
            env = {
                **os.environ,
                **web.proxy_env(),
                "CLUSTERWATCH_CRAWL_DELAY": "0",
                "CLUSTERWATCH_CONCURRENT_SITES": str(args.concurrency),
                # Above a site's size (the spider's own robots.txt request counts too), so that
                # both crawlers fetch every page.
                "CLUSTERWATCH_PAGE_BUDGET": str(args.pages * BUDGET_HEADROOM),
                "CLUSTERWATCH_DOWNLOAD_TIMEOUT": str(DOWNLOAD_TIMEOUT_SECONDS),
            }
            crawl_command = [
                *(sys.executable, "-m", "clusterwatch.monitor.cli", "crawl"),
                *("--seeds", str(seeds), "--db", f"sqlite:///{db_path}"),
            ]
            if args.memory_only:
                return memory_only(crawl_command, env, web, folder, args.sites)
            if validators:  # the bare spider once: the same pages either way
                bare_command = [
                    *(sys.executable, __file__, "--bare-spider", str(seeds)),
                    *("--concurrency", str(args.concurrency)),
                ]
                bare = run_child("bare scrapy", bare_command, env, web, folder / "bare.log")
            tag = "" if validators else "-novalidators"
            first = run_child("crawl 1" + label, crawl_command, env, web, folder / f"c1{tag}.log")
            size_first = database_size(db_path)
            second = run_child("crawl 2" + label, crawl_command, env, web, folder / f"c2{tag}.log")
            nights[validators] = Nights(first, second, size_first, database_size(db_path))
    first, second = nights[True].first, nights[True].second
    plain = nights[False]

    runs = (bare, first, second, plain.first, plain.second)
    print(
        f"\n{'run':<28} {'exit':>4} {'requests':>9} {'pages':>7} {'seconds':>8} "
        f"{'pages/s':>8} {'MB down':>8} {'peak MB':>8}"
    )
    for run in runs:
        print(
            f"{run.label:<28} {run.exit_code:>4} {run.requests:>9} {run.pages:>7} "
            f"{run.seconds:>8.1f} {run.pages_per_second:>8.1f} {run.bytes / 1e6:>8.2f} "
            f"{run.peak_mb:>8.0f}"
        )
    ratio = first.pages_per_second / bare.pages_per_second if bare.pages_per_second else 0.0
    peak = max(run.peak_mb for run in runs[1:])
    revisit = second.bytes / first.bytes if first.bytes else 1.0
    growth, plain_growth = nights[True].growth, plain.growth
    for validators, measured in nights.items():
        print(
            f"database{'' if validators else ' (no validators)'}: "
            f"{measured.size_first / 1e6:.2f} MB after crawl 1, "
            f"{measured.size_second / 1e6:.2f} MB after 2"
        )
    checks = [
        ("throughput ratio crawl 1 / bare", f"{ratio:.2f}", f">= {TARGET_RATIO}",
         ratio >= TARGET_RATIO),
        ("peak memory of a crawl", f"{peak:.0f} MB", f"< {TARGET_PEAK_MB:.0f} MB",
         peak < TARGET_PEAK_MB),
        ("bytes crawl 2 / crawl 1", f"{revisit:.1%}", f"<= {TARGET_REVISIT_BYTES:.0%}",
         revisit <= TARGET_REVISIT_BYTES),
        ("database growth in crawl 2", f"{growth:.1%}", f"<= {TARGET_DB_GROWTH:.0%}",
         growth <= TARGET_DB_GROWTH),
        ("growth in crawl 2, no validators", f"{plain_growth:.1%}",
         f"<= {TARGET_DB_GROWTH:.0%}", plain_growth <= TARGET_DB_GROWTH),
        ("same pages fetched (crawl 1, bare)", f"{first.pages}, {bare.pages}", "equal",
         first.pages == bare.pages),
        ("every child exited 0", "", "", all(run.exit_code == 0 for run in runs)),
    ]  # fmt: skip
    print()
    for name, value, target, ok in checks:
        print(f"{verdict(ok)}  {name:<36} {value:>12}  {target}")
    print(f"peak memory = the highest of the four crawls ({args.sites} seeds)")
    print(f"(database and logs in {folder})")
    return 0 if all(ok for *_, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
