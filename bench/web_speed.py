"""How fast the curator UI answers at full size: 1,000 clusters and a year of nightly runs.

Builds the data once in a SQLite file (tests.web_builders, bulk INSERTs; reused on the next run
unless --rebuild), then requests every page through Flask's test client, logged in, and prints
the median and 95th percentile per page. The target is a median under 200 ms for every page;
the two export downloads are timed too, but held to no target.

    python -m bench.web_speed [--clusters 1000] [--runs 365] [--repeat 20] [--rebuild]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.migrate import upgrade
from tests.web_builders import add_curator, build_world, login_as, make_app

OUT = Path(__file__).parent / "out"
TARGET_MS = 200.0
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def pages(clusters: int, runs: int) -> dict[str, str]:
    middle = f"c{clusters // 2:04d}"
    return {
        "overview": "/",
        "queue": "/queue",
        "queue filtered": "/queue?kind=moved&sector=electronics",
        "clusters index": "/clusters",
        "cluster page": f"/clusters/{middle}",
        "page diff": f"/clusters/{middle}/page?url=https://cluster{clusters // 2}.example.jp/",
        "runs": "/runs",
        "one run": f"/runs/{runs // 2}",
        "export page": "/export",
    }


# File downloads, timed and shown but not held to the page target: the XLSX is built by
# openpyxl (monitor.report_xlsx), about 0.4 s for 1,000 clusters.
DOWNLOADS = {"export csv": "/export/screening.csv", "export xlsx": "/export/screening.xlsx"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    path = OUT / f"web-{args.clusters}x{args.runs}.sqlite3"
    if args.rebuild:
        for stale in OUT.glob(path.name + "*"):
            stale.unlink()
    fresh = not path.exists()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = session_factory(engine)
    if fresh:
        started = time.perf_counter()
        build_world(sessions, NOW, clusters=args.clusters, runs=args.runs)
        add_curator(sessions, "bench", "bench-password", NOW)
        print(
            f"built {args.clusters} clusters x {args.runs} runs in "
            f"{time.perf_counter() - started:.1f} s ({path})"
        )

    client = make_app(sessions, NOW).test_client()
    login_as(client, "bench")
    print(f"{'page':<16} {'median ms':>10} {'p95 ms':>8} {'KB':>7}")
    slow = []
    targets = {**pages(args.clusters, args.runs), **DOWNLOADS}
    for name, url in targets.items():
        timings, size = [], 0
        for attempt in range(args.repeat + 1):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                print(f"{name}: HTTP {response.status_code} for {url}", file=sys.stderr)
                return 1
            size = len(response.data)
            response.close()
            if attempt:  # the first request warms caches and compiles templates
                timings.append(elapsed)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
        print(f"{name:<16} {median:>10.1f} {p95:>8.1f} {size / 1024:>7.0f}")
        if median >= TARGET_MS and name not in DOWNLOADS:
            slow.append(name)
    engine.dispose()
    if slow:
        print(f"over {TARGET_MS:.0f} ms median: {', '.join(slow)}")
        return 1
    print(f"every page under {TARGET_MS:.0f} ms median")
    return 0


if __name__ == "__main__":
    sys.exit(main())
