"""Discovery after one night over SimulatedWeb.discovery(): precision and recall of the open
queue against the planted truth, and what discovery cost in requests.

Run: PYTHONPATH=src python3 bench/discovery.py
Requests to candidate hosts are discovery's; all others are the crawl's own (robots.txt
included). Seconds of the same night without discovery are not measured yet: the crawl has no
switch for it outside CrawlOptions.discovery_budget.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from clusterwatch.simweb import SimulatedWeb
from clusterwatch.simweb.discovery import DISTRACTORS, HUB_URL, PLANTED, VIA_HUB

TOP = 20


def main() -> None:
    folder = tempfile.mkdtemp()
    db = f"sqlite:///{folder}/cw.sqlite3"
    cli = [sys.executable, "-m", "clusterwatch.monitor.cli"]
    subprocess.run([*cli, "hub", "add", HUB_URL, "--db", db], check=True, capture_output=True)
    with SimulatedWeb.discovery() as web:
        seeds = web.write_seeds(f"{folder}/seeds.yaml")
        env = {**os.environ, **web.proxy_env(), "CLUSTERWATCH_CRAWL_DELAY": "0"}
        started = time.monotonic()
        subprocess.run([*cli, "crawl", "--seeds", str(seeds), "--db", db], env=env, check=True,
                       capture_output=True)  # fmt: skip
        seconds = time.monotonic() - started
        requests = [r for r in web.requests if r.method != "CONNECT"]
    shown = subprocess.run([*cli, "candidates", "--format", "json", "--db", db], check=True,
                           capture_output=True, text=True)  # fmt: skip
    queue = [row["url"].split("/")[2] for row in json.loads(shown.stdout)][:TOP]
    planted = {org.host for org in (*PLANTED, *VIA_HUB)}
    candidates = planted | {org.host for org in DISTRACTORS}
    found = sum(host in planted for host in queue)
    discovery = sum(r.host in candidates for r in requests)
    crawl = len(requests) - discovery
    print(f"recall    {found / len(planted):.2f} ({found} of {len(planted)} planted clusters)")
    print(f"precision {found / max(len(queue), 1):.2f} in the top {TOP} ({len(queue)} shown)")
    print(f"requests  crawl {crawl}, discovery {discovery} (+{discovery / crawl:.0%})")
    print(f"seconds   {seconds:.1f} for the whole night with discovery (crawl delay 0)")


if __name__ == "__main__":
    main()
