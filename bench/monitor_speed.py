"""How fast the monitor evaluates: 1,000 clusters with a year of nightly runs, in SQLite.

Builds the database (clusters, 365 runs, one site result per cluster and run with a realistic
site-analysis dict, a mix of active, dormant, failing, parked and walled sites), then times:
- the nightly pass: evaluate() of the newest run after the year before it was evaluated
  (what the scheduler does every night; target < 5 s),
- the nightly pass of the night after a cluster was added to the seeds (target < 5 s),
- the first pass: evaluate() of the whole year at once (a fresh database or a rebuild),
- cluster_rows() and build_report() over the result.

    python bench/monitor_speed.py [--clusters 1000] [--runs 365] [--keep PATH]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.migrate import upgrade
from clusterwatch.db.models import Cluster, CrawlRun, SiteResult
from clusterwatch.monitor.clusters_view import cluster_rows
from clusterwatch.monitor.evaluate import evaluate
from clusterwatch.monitor.report import build_report
from clusterwatch.monitor.settings import Settings

START = datetime(2025, 11, 25, 2, 0, tzinfo=UTC)
SECTORS = ("life_science", "ict", "energy_environment", "automotive", "electronics", "other")
SEED = 20161  # deterministic data: the same database on every machine


def site_analysis(profile: dict[str, Any], day: date, kind: str) -> dict[str, Any]:
    """One night's analysis: stable per cluster (sites change rarely), dates move on."""
    fresh = day - timedelta(days=profile["age"]) if kind == "active" else profile["stale"]
    return {
        "main_language": "ja",
        "language_shares": {"ja": 0.85, "en": 0.15},
        "english_site": profile["english_site"],
        "english_evidence": [],
        "last_update": fresh.isoformat(),
        "last_update_evidence": {"url": "https://x.example.jp/news/", "text": f"{fresh} お知らせ"},
        "internationalisation": "eu_recent" if profile["signals"] else "no_info",
        "eu_signals": profile["signals"],
        "other_signals": [],
        "parked": {"kind": "parked", "url": "http://x.example.jp/", "text": "for sale"}
        if kind == "parked" and day > profile["parked_from"]
        else None,
        "blocked": None,
        "soft_404_urls": [],
        "pages_analysed": 25,
    }


def profile_of(rng: random.Random) -> dict[str, Any]:
    signal_day = (START.date() - timedelta(days=rng.randrange(0, 900))).isoformat()
    signal = {
        "date": signal_day,
        "url": f"https://x.example.jp/news/{signal_day}",
        "text": "ドイツのクラスターと覚書を締結しました",
        "entities": ["ドイツ"],
        "cooperation": ["覚書", "締結"],
    }
    return {
        "age": rng.randrange(1, 30),
        "stale": START.date() - timedelta(days=rng.randrange(400, 2000)),
        "english_site": rng.choice(("active", "static", "none", "none")),
        "signals": [signal] if rng.random() < 0.4 else [],
        "parked_from": START.date() + timedelta(days=rng.randrange(0, 365)),
    }


def build(url: str, clusters: int, runs: int) -> None:
    rng = random.Random(SEED)
    engine = make_engine(url)
    upgrade(engine)
    kinds = [
        rng.choice(("active",) * 6 + ("dormant", "dormant", "flaky", "parked"))
        for _ in range(clusters)
    ]
    ids = [f"c{n:04d}" for n in range(clusters)]
    profiles = [profile_of(rng) for _ in ids]
    with engine.begin() as connection:
        connection.execute(
            insert(Cluster),
            [
                {
                    "id": cid,
                    "name": f"Cluster {cid}",
                    "sector": SECTORS[n % len(SECTORS)],
                    "urls": [f"https://{cid}.example.jp/"],
                    "first_seen": START,
                    "updated_at": START,
                }
                for n, cid in enumerate(ids)
            ],
        )
        for night in range(runs):
            at = START + timedelta(days=night)
            run_id = connection.execute(
                insert(CrawlRun).returning(CrawlRun.id),
                {
                    "started_at": at,
                    "finished_at": at + timedelta(hours=2),
                    "state": "complete",
                    "degraded": night % 60 == 59,
                },
            ).scalar_one()
            rows = []
            for cid, kind, profile in zip(ids, kinds, profiles, strict=True):
                failing = kind == "flaky" and rng.random() < 0.3
                rows.append(
                    {
                        "run_id": run_id,
                        "cluster_id": cid,
                        "outcome": "timeout" if failing else "ok",
                        "requested_url": f"https://{cid}.example.jp/",
                        "final_url": None if failing else f"https://{cid}.example.jp/",
                        "analysis": None if failing else site_analysis(profile, at.date(), kind),
                        "finished_at": at + timedelta(hours=1),
                    }
                )
            connection.execute(insert(SiteResult), rows)
    engine.dispose()


def add_cluster_and_night(url: str, runs: int) -> None:
    """A new seed and one more night for every cluster: the night after a seeds change."""
    rng = random.Random(SEED + 1)
    engine = make_engine(url)
    at = START + timedelta(days=runs)
    with engine.begin() as connection:
        connection.execute(
            insert(Cluster),
            {
                "id": "newcomer",
                "name": "New",
                "sector": "food",
                "urls": [],
                "first_seen": at,
                "updated_at": at,
            },
        )
        ids = [row[0] for row in connection.execute(select(Cluster.id))]
        run_id = connection.execute(
            insert(CrawlRun).returning(CrawlRun.id),
            {"started_at": at, "finished_at": at + timedelta(hours=2), "state": "complete"},
        ).scalar_one()
        profile = profile_of(rng)
        connection.execute(
            insert(SiteResult),
            [
                {
                    "run_id": run_id,
                    "cluster_id": cid,
                    "outcome": "ok" if cid == "newcomer" else "timeout",
                    "requested_url": f"https://{cid}.example.jp/",
                    "analysis": site_analysis(profile, at.date(), "active"),
                    "finished_at": at + timedelta(hours=1),
                }
                for cid in ids
            ],
        )
    engine.dispose()


def timed(label: str, action: Any) -> Any:
    started = time.perf_counter()
    result = action()
    print(f"{label:<48} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=365)
    parser.add_argument("--keep", type=Path, help="write the database here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.sqlite3"
        url = f"sqlite:///{path}"
        timed(
            f"build {args.clusters} clusters x {args.runs} runs",
            lambda: build(url, args.clusters, args.runs),
        )
        engine = make_engine(url)
        sessions = session_factory(engine)
        settings = Settings()
        now = START + timedelta(days=args.runs)
        last_run = args.runs
        year = timed(
            f"first pass: runs 1..{last_run - 1}",
            lambda: evaluate(sessions, settings, now, last_run - 1),
        )
        nightly = timed(
            f"nightly pass: run {last_run} (target < 5 s)",
            lambda: evaluate(sessions, settings, now),
        )
        add_cluster_and_night(url, args.runs)
        seeded = timed(
            "nightly pass after a new seed (target < 5 s)",
            lambda: evaluate(sessions, settings, now),
        )
        passes = (("first pass", year), ("nightly pass", nightly), ("after a new seed", seeded))
        for name, summary in passes:
            flags = sum(summary.flags_raised.values())
            print(f"  {name}: {summary.observations} observations, {flags} flags raised")
        rows = timed("cluster_rows()", lambda: cluster_rows(sessions, now))
        timed("build_report()", lambda: build_report(sessions, now))
        print(f"  {len(rows)} rows")
        engine.dispose()


if __name__ == "__main__":
    main()
