"""Discovery after one night over SimulatedWeb.discovery(): precision and recall of the open
queue against the planted truth, and what discovery cost in requests and seconds.

Run: PYTHONPATH=src python3 bench/discovery.py
Both nights are the same crawl child (python -m clusterwatch.crawler) on the same web, one with
CrawlOptions(discovery_budget=0) (no setting switches discovery off yet), crawl delay 0.
Requests are GETs seen by the simulated web's proxy, robots.txt included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime

from clusterwatch.crawler.options import CrawlOptions
from clusterwatch.crawler.seeds import load_seeds
from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.migrate import upgrade
from clusterwatch.db.store.runs import create_run
from clusterwatch.monitor.hubs import add_hub
from clusterwatch.monitor.registry import import_seeds
from clusterwatch.simweb import SimulatedWeb
from clusterwatch.simweb.discovery import HUB_URL, PLANTED, VIA_HUB

TOP = 20
CLI = (sys.executable, "-m", "clusterwatch.monitor.cli")


def night(folder: str, name: str, budget: int | None) -> tuple[str, int, float]:
    """(database URL, requests, seconds) of one night; budget 0: discovery off."""
    db = f"sqlite:///{folder}/{name}.sqlite3"
    engine = make_engine(db)
    upgrade(engine)
    sessions = session_factory(engine)
    with SimulatedWeb.discovery() as web:
        seeds = web.write_seeds(f"{folder}/{name}-seeds.yaml")
        now = datetime.now(UTC)
        import_seeds(sessions, load_seeds(seeds), "bench", now, str(seeds))
        add_hub(sessions, HUB_URL, "bench", now, None)
        with sessions.begin() as session:
            run = create_run(session, now, pid=None, host=None, seeds_path=str(seeds),
                             only_ids=None, sites_total=2)  # fmt: skip
            run_id = run.id
        engine.dispose()
        options = CrawlOptions(db_url=db, seeds_path=str(seeds), run_id=run_id, crawl_delay=0,
                               discovery_budget=budget, console="quiet")  # fmt: skip
        env = {**os.environ, **web.proxy_env()}
        started = time.monotonic()
        subprocess.run([sys.executable, "-P", "-m", "clusterwatch.crawler", "--options",
                        options.to_json()], env=env, check=True, capture_output=True)  # fmt: skip
        seconds = time.monotonic() - started
        return db, len([r for r in web.requests if r.method != "CONNECT"]), seconds


def main() -> None:
    folder = tempfile.mkdtemp()
    db, requests, seconds = night(folder, "with", None)
    _, base_requests, base_seconds = night(folder, "without", 0)
    shown = subprocess.run([*CLI, "candidates", "--format", "json", "--db", db], check=True,
                           capture_output=True, text=True)  # fmt: skip
    queue = [row["url"].split("/")[2] for row in json.loads(shown.stdout)][:TOP]
    planted = {org.host for org in (*PLANTED, *VIA_HUB)}
    found = sum(host in planted for host in queue)
    print(f"recall    {found / len(planted):.2f} ({found} of {len(planted)} planted clusters)")
    print(f"precision {found / max(len(queue), 1):.2f} in the top {TOP} ({len(queue)} shown)")
    print(f"requests  {base_requests} without discovery, {requests} with "
          f"(+{requests / base_requests - 1:.0%})")  # fmt: skip
    print(f"seconds   {base_seconds:.1f} without, {seconds:.1f} with")


if __name__ == "__main__":
    main()
