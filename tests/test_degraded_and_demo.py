"""Our network down is not their sites down; and the offline demo works end to end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from clusterwatch.simweb import SimulatedWeb

pytestmark = pytest.mark.slow

FAST = {
    "CLUSTERWATCH_CRAWL_DELAY": "0",
    "CLUSTERWATCH_DOWNLOAD_TIMEOUT": "2",
    "CLUSTERWATCH_RETRY_TIMES": "0",
}
HEALTHY = ["osaka-bio", "kbic", "yrp", "tama", "noastec", "k-rip"]  # ok on every night


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clusterwatch.monitor.cli", *args],
        env={**os.environ, **FAST, **env},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def statuses(db_url: str) -> dict[str, tuple[str, int]]:
    shown = json.loads(cli(["status", "--format", "json", "--db", db_url], {}).stdout)
    return {row["id"]: (row["status"], row["failing_streak"]) for row in shown}


def test_a_run_where_every_site_fails_to_connect_is_degraded_and_changes_nothing(
    tmp_path: Path,
) -> None:
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    only = [arg for cluster_id in HEALTHY for arg in ("--only", cluster_id)]
    with SimulatedWeb(phase=1) as web:
        seeds = web.write_seeds(tmp_path / "seeds.yaml")
        first = cli(["crawl", "--seeds", str(seeds), "--db", db_url, *only], web.proxy_env())
    assert first.returncode == 0, first.stderr[-2000:]
    before = statuses(db_url)  # the whole registry; only HEALTHY was crawled
    assert {before[cluster_id][0] for cluster_id in HEALTHY} == {"active"}

    dead = f"http://127.0.0.1:{closed_port()}"
    for _night in range(3):  # three failed nights would make a site unreachable
        down = cli(
            ["crawl", "--seeds", str(seeds), "--db", db_url, *only],
            {"http_proxy": dead, "https_proxy": dead},
        )
        assert "degraded" in down.stdout, down.stdout + down.stderr[-2000:]
        assert down.returncode == 5 and "nothing was judged" in down.stderr
    assert statuses(db_url) == before


def test_the_demo_runs_offline_and_shows_statuses_and_flags() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clusterwatch.monitor.cli", "demo", "--nights", "2"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "night 1: run 1 complete" in out and "night 2: run 2 complete" in out
    assert "clusters now" in out and "open flags" in out
    for expected in ("fbri-kobe", "moved", "miyagi-nga", "https://namicpa.com/"):
        assert expected in out
    queue = out.split("(clusterwatch candidates):")[1]  # discovery: planted clusters, no distractor
    assert "kansai-cluster:" in queue and "Miyagi" in queue
