"""The unchanged night on real pages: database growth of a second crawl over the same real pages.

Run from the repository root: python -m bench.real_revisit [--sites 36]
The real corpus (tests/realcorpus, built with tests/realcorpus/build.py) is served as sites
through the simulated web's proxy, once with validators (ETag, Last-Modified) and once without
(as most Japanese public sites send none). Each way, `clusterwatch crawl` runs twice into a new
SQLite file; the second night changes nothing on the web, so it should add only confirmations.
Target (issue 10): the second night grows the database by at most 5 %.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.realcorpus.serve import SITES, real_web

TARGET = 0.05
CRAWL_ENV = {
    "CLUSTERWATCH_CRAWL_DELAY": "0",
    "CLUSTERWATCH_PAGE_BUDGET": "60",
    "CLUSTERWATCH_CONCURRENT_SITES": "16",
}


def database_bytes(path: Path) -> int:
    """The SQLite file with its WAL, checkpointed: what the night really added."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def two_nights(sites: int, validators: bool) -> tuple[int, int, int]:
    with tempfile.TemporaryDirectory() as folder, real_web(sites, validators=validators) as web:
        seeds = web.write_seeds(Path(folder) / "seeds.yaml")
        db = Path(folder) / "cw.sqlite3"
        env = {**os.environ, **CRAWL_ENV, **web.proxy_env()}
        env["XDG_DATA_HOME"] = folder
        sizes = []
        for _night in range(2):
            subprocess.run(
                [sys.executable, "-m", "clusterwatch.monitor.cli", "crawl", "--quiet",
                 "--seeds", str(seeds), "--db", f"sqlite:///{db}"],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
            sizes.append(database_bytes(db))
        return sizes[0], sizes[1], len(web.requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=SITES)
    args = parser.parse_args()
    for validators in (True, False):
        first, second, _ = two_nights(args.sites, validators)
        growth = (second - first) / first
        verdict = "PASS" if growth <= TARGET else "FAIL"
        print(
            f"{verdict}  {'with' if validators else 'without'} validators: "
            f"{first / 1e6:.1f} MB after night 1, {second / 1e6:.1f} MB after night 2: "
            f"growth {growth:.1%} (target <= {TARGET:.0%})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
