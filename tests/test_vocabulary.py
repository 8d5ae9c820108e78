"""clusterwatch.vocabulary: one spelling of every stored word, and every crawl outcome judged.

The status rules once knew only the outcomes someone had retyped into them: `too_large` fell
through to "answered" and an oversized home page kept a cluster "active, fresh".
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from scrapy.exceptions import DownloadCancelledError

from clusterwatch.crawler.failures import SQUID_ERRORS, classify_exception
from clusterwatch.crawler.outcome import SeedFetch, site_outcome
from clusterwatch.monitor.flag_rules import FLAG_KINDS
from clusterwatch.monitor.status import (
    ANSWERED_OUTCOMES,
    FAILED_OUTCOMES,
    WALLED_OUTCOMES,
    ClusterStateView,
    RunObservation,
    StatusRules,
    next_status,
)
from clusterwatch.vocabulary import FlagKind, Outcome, Status

VOCABULARY = Path(__file__).resolve().parent.parent / "src" / "clusterwatch" / "vocabulary.py"
TODAY = date(2026, 11, 20)


def crawler_outcomes() -> set[str]:
    """Every outcome the crawler's code can write: from fetch kinds, HTTP statuses and walls."""
    produced: set[str] = set(SQUID_ERRORS.values())
    for status in (200, 304, 404, 410, 500, 503):
        produced.add(site_outcome([SeedFetch(0, "https://a.example/", status=status)]).outcome)
    produced.add(
        site_outcome([SeedFetch(0, "https://a.example/", status=200, blocked=True)]).outcome
    )
    for failure in Outcome:  # a FetchFailure's kind is any Outcome the spider classified
        produced.add(site_outcome([SeedFetch(0, "https://a.example/", failure=failure)]).outcome)
    return produced


def test_every_outcome_is_classified_exactly_once() -> None:
    groups = (FAILED_OUTCOMES, WALLED_OUTCOMES, ANSWERED_OUTCOMES)
    for outcome in crawler_outcomes() | set(Outcome):
        assert sum(outcome in group for group in groups) == 1, outcome


@pytest.mark.parametrize("outcome", sorted(crawler_outcomes()))
def test_no_outcome_leaves_a_fresh_cluster_fresh_without_analysis(outcome: str) -> None:
    """A run that analysed nothing never confirms "active, fresh" (rows 10 need a date)."""
    before = ClusterStateView(status=Status.ACTIVE, status_reason="fresh: updated 2026-11-01")
    run = RunObservation(1, datetime(2026, 11, 20, tzinfo=UTC), False, outcome, "https://a.jp/")
    decision = next_status(before, run, StatusRules(), TODAY)
    assert decision.row != 10, outcome


def test_oversized_home_page_counts_as_a_failed_run() -> None:
    home = SeedFetch(0, "https://a.jp/", failure=classify_exception(DownloadCancelledError("x")))
    outcome = site_outcome([home]).outcome
    assert outcome == Outcome.TOO_LARGE
    before = ClusterStateView(status=Status.ACTIVE, failing_streak=2)
    run = RunObservation(1, datetime(2026, 11, 20, tzinfo=UTC), False, outcome, home.url)
    decision = next_status(before, run, StatusRules(unreachable_after=3), TODAY)
    assert (decision.status, decision.row) == (Status.UNREACHABLE, 3)


def test_stored_values_are_unchanged() -> None:
    """These words are rows in existing databases: renaming one orphans them."""
    assert {o.value for o in Outcome} >= {
        "ok", "dns", "refused", "timeout", "tls", "http_4xx", "http_5xx", "robots", "blocked",
        "too_large", "other",
    }  # fmt: skip
    assert [s.value for s in Status] == ["active", "dormant", "unreachable", "parked", "unknown"]


def test_every_flag_kind_is_described() -> None:
    assert set(FLAG_KINDS) == set(FlagKind)


def test_vocabulary_has_no_dependencies() -> None:
    tree = ast.parse(VOCABULARY.read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "enum"}


def test_every_outcome_fits_its_column() -> None:
    """site_results.outcome is String(n): PostgreSQL refuses a longer word (SQLite would not)."""
    from clusterwatch.db.models import SiteResult

    width = SiteResult.__table__.c.outcome.type.length
    assert max(len(outcome) for outcome in Outcome) <= width
