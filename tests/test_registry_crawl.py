"""The crawl follows the registry: an accepted move, an added and a retired cluster take effect
at the next crawl, over real HTTP through the simulated web (the curator's side of issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clusterwatch.simweb import SimulatedWeb
from tests.test_crawl import CRAWL_ENV, run_cli

pytestmark = pytest.mark.slow

MOVED = "fbri-kobe"  # www.ibri-kobe.org redirects to www.fbri-kobe.org in the simulated web
OLD_HOST, NEW_HOST = "www.ibri-kobe.org", "www.fbri-kobe.org"
RETIRED = "namicpa"


def test_a_confirmed_move_and_a_retirement_shape_the_next_crawl(tmp_path: Path) -> None:
    db = ("--db", f"sqlite:///{tmp_path}/cw.sqlite3")
    with SimulatedWeb(phase=1) as web:
        seeds = web.write_seeds(tmp_path / "seeds.yaml")
        env = {**CRAWL_ENV, **web.proxy_env()}
        first = run_cli(["crawl", "--seeds", str(seeds), *db], env)
        assert first.returncode == 0, first.stderr[-2000:]
        assert f"{seeds}: {len(web.clusters)} added" in first.stdout
        assert any(r.host == OLD_HOST for r in web.requests)
        flags = json.loads(run_cli(["flags", "--format", "json", *db], {}).stdout)
        (move,) = [f for f in flags if f["kind"] == "moved" and f["cluster_id"] == MOVED]
        confirmed = run_cli(["review", str(move["id"]), "--confirm", *db], {})
        assert confirmed.returncode == 0, confirmed.stderr
        retired = run_cli(["cluster", "retire", RETIRED, "--note", "merged", *db], {})
        assert retired.returncode == 0, retired.stderr
        retired_hosts = {r.host for r in web.requests if RETIRED in r.host}

        web.clear_requests()
        second = run_cli(["crawl", *db], env)  # no --seeds: the registry as curators left it
        assert second.returncode == 0, second.stderr[-2000:]
        hosts = {r.host for r in web.requests}
        assert NEW_HOST in hosts and OLD_HOST not in hosts
        assert not hosts & retired_hosts
        assert "added" not in second.stdout  # nothing was imported

        # the old seeds file comes back: the curator's URLs and retirement stay, reported
        web.clear_requests()
        third = run_cli(["crawl", "--seeds", str(seeds), *db], env)
        assert third.returncode == 0, third.stderr[-2000:]
        assert f"conflict: cluster '{MOVED}': field 'urls'" in third.stdout
        assert f"conflict: cluster '{RETIRED}': field 'retired'" in third.stdout
        assert OLD_HOST not in {r.host for r in web.requests}
    history = run_cli(["history", MOVED, *db], {"COLUMNS": "250"}).stdout
    assert "move_accepted" in history and OLD_HOST in history
