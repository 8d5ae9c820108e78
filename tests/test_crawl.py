"""A real crawl, over real HTTP, of the simulated web: `clusterwatch crawl` as a user runs it.

Four nights (phases 1 to 4) are crawled once per module and database (a SQLite file, and a
PostgreSQL schema where PostgreSQL runs); the tests then read the database and the proxy's
request log. The crawl runs as a child process, as in production.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import zstandard
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import Body, CrawlRun, PageConfirmation, PageSnapshot, SiteResult
from clusterwatch.monitor.reasons import SENTENCES, outcome_sentence, site_reason
from clusterwatch.simweb import RequestRecord, SimulatedWeb
from clusterwatch.vocabulary import Outcome
from tests.conftest import postgres_schema

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


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def crawl_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The module's database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('crawl')}/cw.sqlite3"
        return
    if not request.getfixturevalue("postgres_ready"):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    with postgres_schema() as url:
        yield url


@pytest.fixture(scope="module")
def crawled(crawl_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("crawl")
    db_url = crawl_db
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


@contextmanager
def database(db_url: str) -> Iterator[Session]:
    """A session on the crawl's database; the engine is disposed (no PostgreSQL connection left)."""
    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def site_results(crawled: Crawled, run_id: int) -> dict[str, SiteResult]:
    with database(crawled.db_url) as session:
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
    with database(crawled.db_url) as session:
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


def test_an_unchanged_page_without_validators_is_a_confirmation(crawled: Crawled) -> None:
    """A 200 with the bytes, status and final URL of the page's last snapshot is one narrow
    confirmation row, not a second snapshot: most sites send no ETag or Last-Modified."""
    with database(crawled.db_url) as session:
        snapshots = session.scalars(select(PageSnapshot).order_by(PageSnapshot.id)).all()
        confirmed_200 = session.scalar(
            select(func.count())
            .select_from(PageConfirmation)
            .join(PageSnapshot, PageConfirmation.snapshot_id == PageSnapshot.id)
            .where(PageSnapshot.etag.is_(None), PageSnapshot.last_modified.is_(None))
        )
    last: dict[tuple[str, str], PageSnapshot] = {}
    repeats = []
    for snap in snapshots:
        before = last.get((snap.cluster_id, snap.url))
        if (
            before is not None
            and before.run_id != snap.run_id
            and (
                (before.content_hash, before.status, before.final_url)
                == (snap.content_hash, snap.status, snap.final_url)
            )
        ):
            repeats.append(snap.url)
        if snap.content_hash is not None:
            last[(snap.cluster_id, snap.url)] = snap
    assert repeats == []
    assert confirmed_200 and confirmed_200 >= 5  # pages without validators were revisited


def test_bodies_are_stored_once_per_hash_and_japanese_text_is_decoded(crawled: Crawled) -> None:
    with database(crawled.db_url) as session:
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
    "last_crawl", "open_flags", "overrides", "why_detail",
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


def test_real_failures_read_as_sentences_without_reprs_or_the_proxy(crawled: Crawled) -> None:
    """What the real crawl stored through the proxy (Twisted failures, CONNECT tunnel errors
    naming 127.0.0.1:port, bytes literals) is shown as a sentence and a clean detail."""
    proxy = crawled.web.proxy_url.removeprefix("http://").rstrip("/")
    leaks = ("Failure", "b'", "<twisted", proxy)
    failures = [r for p in PHASES for r in site_results(crawled, p).values() if r.error]
    assert {r.outcome for r in failures} >= {"dns", "refused", "tls"}  # the test sees real ones
    assert any(proxy in (r.error or "") or "b'" in (r.error or "") for r in failures)  # raw kept
    for result in failures:
        why = site_reason(result.outcome, result.http_status, result.error, timeout=2)
        assert why.sentence in sentences_of(result), (result.outcome, why.sentence)
        assert not [leak for leak in leaks if leak in (why.detail or "")], why.detail
    for phase in PHASES:
        shown = json.dumps(crawled.statuses[phase], ensure_ascii=False)
        assert not [leak for leak in leaks if leak in shown]


def sentences_of(result: SiteResult) -> set[str]:
    """The sentences a stored result may read as: its outcome's (with the crawl's 2 s timeout, or
    the site's time budget), or, for a site that answered, its home page's failure."""
    budget = SENTENCES[Outcome.SLOW]
    if result.outcome in ("ok", "slow"):
        home = (result.error or "").split(": ", 1)[-1].split(" ", 1)[0]
        failed = outcome_sentence(home, seconds=2)
        return {budget, f"the home page failed ({failed}); another of its addresses answered"}
    return {outcome_sentence(result.outcome, http_status=result.http_status, seconds=2), budget}
