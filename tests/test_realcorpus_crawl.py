"""`clusterwatch crawl` over the real corpus pages served as sites (tests/realcorpus/serve.py):
the run completes, every site is stored, and pages with control characters are analysed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import CrawlRun, PageSnapshot, SiteResult
from tests.realcorpus.serve import corpus_bodies, has_control_characters, real_web
from tests.test_crawl import CRAWL_ENV, run_cli

pytestmark = pytest.mark.slow

SITES = 24
PAGE_BUDGET = 6


def test_a_crawl_of_real_pages_completes_with_every_site_stored(tmp_path: Path) -> None:
    bodies = corpus_bodies()
    if not bodies:
        pytest.skip("real corpus pages not built: run python3 tests/realcorpus/build.py")
    controlled = {hashlib.sha256(b).hexdigest() for b in bodies if has_control_characters(b)}
    assert controlled, "the corpus holds a page with control characters"
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    with real_web(SITES) as web:
        seeds = web.write_seeds(tmp_path / "seeds.yaml")
        env = {**CRAWL_ENV, **web.proxy_env(), "CLUSTERWATCH_PAGE_BUDGET": str(PAGE_BUDGET)}
        done = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    with session_factory(make_engine(db_url))() as session:
        run = session.scalars(select(CrawlRun)).one()
        results = list(session.scalars(select(SiteResult)))
        snapshots = list(session.scalars(select(PageSnapshot)))
    assert run.state == "complete" and run.errors == 0
    assert len(results) == SITES
    assert all(r.outcome == "ok" and r.analysis for r in results)
    assert all(r.analysis["main_language"] for r in results)
    analysed = [s for s in snapshots if s.content_hash in controlled]
    assert analysed, "a page with control characters was crawled"
    for snapshot in analysed:
        analysis = snapshot.analysis or {}
        assert "error" not in analysis, json.dumps(analysis)[:300]
        assert analysis["text"] and analysis["language"]["label"]
