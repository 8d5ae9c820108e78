"""A real crawl, over real HTTP, of the simulated web: `clusterwatch crawl` as a user runs it.

Two nights (phases 1 and 2) are crawled once per module into a SQLite file; the tests then read
the database and the proxy's request log. The crawl runs as a child process, as in production.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import zstandard
from sqlalchemy import func, select

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import Body, CrawlRun, PageConfirmation, PageSnapshot, SiteResult
from clusterwatch.simweb import RequestRecord, SimulatedWeb

pytestmark = pytest.mark.slow

PAGE_BUDGET = 12
PHASES = (1, 2, 3, 4)  # four nights of the simulated web
CRAWL_ENV = {
    "CLUSTERWATCH_CRAWL_DELAY": "0",
    "CLUSTERWATCH_DOWNLOAD_TIMEOUT": "2",
    "CLUSTERWATCH_RETRY_TIMES": "1",
    "CLUSTERWATCH_CONCURRENT_SITES": "32",
    "CLUSTERWATCH_PAGE_BUDGET": str(PAGE_BUDGET),
}


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clusterwatch.monitor.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Crawled:
    web: SimulatedWeb
    db_url: str
    seeds: Path
    requests: dict[int, list[RequestRecord]]
    outputs: dict[int, subprocess.CompletedProcess[str]]
    statuses: dict[
        int, list[dict[str, Any]]
    ]  # `clusterwatch status --format json` after each night


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("crawl")
    db_url = f"sqlite:///{folder}/cw.sqlite3"
    with SimulatedWeb(phase=1, slow_seconds=4) as web:
        seeds = web.write_seeds(folder / "seeds.yaml")
        env = {**CRAWL_ENV, **web.proxy_env()}
        requests, outputs, statuses = {}, {}, {}
        for phase in PHASES:
            web.set_phase(phase)
            web.clear_requests()
            outputs[phase] = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], env)
            requests[phase] = web.requests
            shown = run_cli(["status", "--format", "json", "--db", db_url], {})
            statuses[phase] = json.loads(shown.stdout)
        yield Crawled(web, db_url, seeds, requests, outputs, statuses)


def site_results(crawled: Crawled, run_id: int) -> dict[str, SiteResult]:
    with session_factory(make_engine(crawled.db_url))() as session:
        rows = session.scalars(select(SiteResult).where(SiteResult.run_id == run_id))
        return {row.cluster_id: row for row in rows}


def test_each_run_completes_and_prints_a_summary(crawled: Crawled) -> None:
    for phase, output in crawled.outputs.items():
        assert output.returncode == 0, output.stderr[-3000:]
        assert f"run {phase} complete" in output.stdout, output.stdout
        assert "sites ok" in output.stdout and "pages" in output.stdout


def test_one_result_per_site_with_the_expected_outcome(crawled: Crawled) -> None:
    for phase in (1, 2):
        results = site_results(crawled, phase)
        assert set(results) == {cluster.id for cluster in crawled.web.clusters}
        for cluster in crawled.web.clusters:
            expected = cluster.expect[phase]
            assert results[cluster.id].outcome == (
                "blocked" if expected.blocked else str(expected.outcome)
            ), cluster.id


def test_a_home_page_redirect_to_another_domain_is_recorded_as_a_move(crawled: Crawled) -> None:
    results = site_results(crawled, 1)
    for cluster in crawled.web.clusters:
        moved_to = cluster.expect[1].moved_to
        actual = results[cluster.id].moved_to
        if moved_to is None:
            assert actual is None, cluster.id
        else:
            assert actual is not None and moved_to in actual, cluster.id


def test_the_site_summary_names_the_home_page_title(crawled: Crawled) -> None:
    titles = {
        cid: (r.analysis or {}).get("home_title") for cid, r in site_results(crawled, 1).items()
    }
    names = {cluster.id: cluster.name_ja for cluster in crawled.web.clusters}
    named = [cid for cid, title in titles.items() if title and names[cid] and names[cid] in title]
    assert len(named) >= len(titles) // 2, titles


def test_robots_txt_is_obeyed(crawled: Crawled) -> None:
    forbidden = {
        (host, path)
        for cluster in crawled.web.clusters
        for host in cluster.hosts
        for path in cluster.expect[1].forbidden_paths
    }
    assert forbidden, "the simulated web should close at least one folder"
    for records in crawled.requests.values():
        for record in records:
            assert not any(
                record.host == host and record.path.startswith(path) for host, path in forbidden
            ), record


def test_robots_txt_is_fetched_once_per_host_and_its_sitemaps_followed(crawled: Crawled) -> None:
    # A moved site's old host redirects its robots.txt to the new host's, which is then asked
    # for two hosts; a failing host's robots.txt is retried: count the other hosts' answers.
    new_hosts = {c.expect[phase].moved_to for c in crawled.web.clusters for phase in (1, 2)}
    for phase in (1, 2):
        answered = Counter(
            r.host
            for r in crawled.requests[phase]
            if r.method == "GET" and r.path == "/robots.txt" and r.status == 200
            and r.host not in new_hosts
        )  # fmt: skip
        assert answered and max(answered.values()) == 1, answered.most_common(3)
        paths = {(r.host, r.path) for r in crawled.requests[phase] if r.method == "GET"}
        assert ("osaka-bio.jp", "/sitemap.xml") in paths, sorted(paths)[:20]


def test_the_page_budget_holds_even_in_a_calendar_trap(crawled: Crawled) -> None:
    for phase in (1, 2):
        for cluster_id, result in site_results(crawled, phase).items():
            assert result.pages <= PAGE_BUDGET, cluster_id
        per_host = Counter(
            r.host
            for r in crawled.requests[phase]
            if r.method == "GET" and "robots.txt" not in r.path
        )
        # one request per admitted page, plus at most one retry each for transient failures
        assert max(per_host.values()) <= 2 * PAGE_BUDGET


def test_requests_name_clusterwatch_in_the_user_agent(crawled: Crawled) -> None:
    agents = {r.headers.get("user-agent", "") for r in crawled.requests[1] if r.method == "GET"}
    assert agents and all("clusterwatch" in agent and "+http" in agent for agent in agents)


def test_the_second_run_sends_conditional_requests_and_stores_304s(crawled: Crawled) -> None:
    conditional = [
        r
        for r in crawled.requests[2]
        if "if-none-match" in r.headers or "if-modified-since" in r.headers
    ]
    assert len(conditional) >= 20
    assert sum(r.status == 304 for r in conditional) >= 15
    assert not any("if-none-match" in r.headers for r in crawled.requests[1])
    with session_factory(make_engine(crawled.db_url))() as session:
        confirmed = session.scalars(
            select(PageConfirmation).where(PageConfirmation.run_id == 2)
        ).all()
        assert len(confirmed) >= 15
        for confirmation in confirmed:
            snapshot = session.get_one(PageSnapshot, confirmation.snapshot_id)
            assert snapshot.run_id == 1 and snapshot.content_hash and snapshot.analysis
        assert session.scalar(
            select(func.count()).select_from(PageSnapshot).where(PageSnapshot.status == 304)
        ) == 0  # fmt: skip
        run1, run2 = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()[:2]
        assert run2.bytes < run1.bytes / 2


def test_bodies_are_stored_once_per_hash_and_japanese_text_is_decoded(crawled: Crawled) -> None:
    with session_factory(make_engine(crawled.db_url))() as session:
        hashes = session.scalars(select(PageSnapshot.content_hash)).all()
        bodies = session.scalars(select(Body)).all()
        assert len(bodies) == len({h for h in hashes if h})
        texts = [
            zstandard.ZstdDecompressor().decompress(body.text_zstd).decode()
            for body in bodies
            if body.text_zstd
        ]
    japanese = [t for t in texts if any("\u3040" <= ch <= "\u30ff" for ch in t)]
    assert len(japanese) >= 10
    mojibake = [t for t in texts if t.count("\ufffd") > 3 or "ƒ" in t or "Ã" in t]
    assert mojibake == []


def test_a_bad_seeds_file_is_refused_with_its_line_and_nothing_is_written(
    tmp_path: Path, crawled: Crawled
) -> None:
    bad = tmp_path / "seeds.yaml"
    bad.write_text(
        "clusters:\n  - id: ok-one\n    name: A\n    sector: ict\n    urls: [http://a.example/]\n"
        "  - id: bad\n    name: B\n    sector: telecom\n    urls: [http://b.example/]\n",
        encoding="utf-8",
    )
    db_file = tmp_path / "never.sqlite3"
    result = run_cli(["crawl", "--seeds", str(bad), "--db", f"sqlite:///{db_file}"], {})
    assert result.returncode == 2
    assert f"{bad}:8" in result.stderr and "'bad'" in result.stderr and "sector" in result.stderr
    assert not db_file.exists()


def test_an_unknown_only_id_is_refused(tmp_path: Path, crawled: Crawled) -> None:
    db_file = tmp_path / "never.sqlite3"
    result = run_cli(
        ["crawl", "--seeds", str(crawled.seeds), "--db", f"sqlite:///{db_file}", "--only", "nope"],
        {},
    )
    assert result.returncode == 2 and "'nope'" in result.stderr
    assert not db_file.exists()


@pytest.mark.parametrize("phase", [1, 2])
def test_site_conclusions_match_the_simulated_web(crawled: Crawled, phase: int) -> None:
    """Language, English site and internationalisation per site, on a fresh and a 304 night."""
    results = site_results(crawled, phase)
    mismatches = []
    for cluster in crawled.web.clusters:
        expected = cluster.expect[phase]
        analysis = results[cluster.id].analysis or {}
        for key in ("main_language", "english_site", "internationalisation"):
            wanted = getattr(expected, key)
            if wanted is not None and analysis.get(key) != wanted:
                mismatches.append(f"{cluster.id}.{key}: {analysis.get(key)!r} != {wanted!r}")
        if expected.last_update is not None and expected.outcome == "ok":
            got = analysis.get("last_update")
            if got != expected.last_update.isoformat():
                mismatches.append(f"{cluster.id}.last_update: {got!r} != {expected.last_update}")
    assert mismatches == [], "\n".join(mismatches)


STATUS_KEYS = {
    "id", "name", "sector", "status", "why", "moved_to", "last_update", "last_update_evidence",
    "main_language", "english_site", "internationalisation", "eu_signals", "failing_streak",
    "last_crawl", "open_flags", "overrides",
}  # fmt: skip


@pytest.mark.parametrize("phase", PHASES)
def test_statuses_after_each_night_match_the_simulated_web(crawled: Crawled, phase: int) -> None:
    """The monitor over real runs: dormant, reactivated, unreachable after 3, parked after 2."""
    shown = {row["id"]: row for row in crawled.statuses[phase]}
    assert all(set(row) == STATUS_KEYS for row in shown.values())
    wrong = [
        f"{cluster.id}: {shown[cluster.id]['status']} != {cluster.expect[phase].status}"
        for cluster in crawled.web.clusters
        if shown[cluster.id]["status"] != cluster.expect[phase].status
    ]
    assert wrong == [], "\n".join(wrong)


def test_moves_are_shown_and_streaks_count_failing_nights(crawled: Crawled) -> None:
    final = {row["id"]: row for row in crawled.statuses[PHASES[-1]]}
    for cluster in crawled.web.clusters:
        expected = cluster.expect[PHASES[-1]]
        if expected.moved_to:
            assert expected.moved_to in (final[cluster.id]["moved_to"] or ""), cluster.id
        failing = [p for p in PHASES if cluster.expect[p].outcome != "ok"]
        if failing == list(PHASES):
            assert final[cluster.id]["failing_streak"] == len(PHASES), cluster.id
