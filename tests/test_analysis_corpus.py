"""Quality floors of crawler.analysis over the labelled corpus (tests/corpus)."""

from __future__ import annotations

import json

import pytest

from clusterwatch.crawler.analysis import (
    PageAnalysis,
    SiteAnalysis,
    SitePage,
    analyze,
    summarize_site,
)
from tests.corpus.loader import load

ROWS = load()
RESULTS = [(gold, page, analyze(page)) for gold, page in ROWS]


def _accuracy(pairs: list[bool]) -> float:
    return sum(pairs) / len(pairs)


def test_corpus_is_big_and_varied() -> None:
    assert len(ROWS) >= 60
    assert {r[0]["language"] for r in ROWS} >= {"ja", "en", "mixed"}
    assert sum(r[0]["parked"] for r in ROWS) >= 5


@pytest.mark.parametrize("group", ["ja", "en"])
def test_newest_date_accuracy_floor(group: str) -> None:
    pairs = [
        (result.newest_date.isoformat() if result.newest_date else None) == gold["newest_date"]
        for gold, _, result in RESULTS
        if not gold["blocked"] and (gold["language"] == "en") == (group == "en")
    ]
    assert _accuracy(pairs) >= 0.95


def test_language_label_accuracy_floor() -> None:
    pairs = [r.language.label == g["language"] for g, _, r in RESULTS if g["language"]]
    assert _accuracy(pairs) >= 0.98


@pytest.mark.parametrize("field", ["eu_signal", "parked", "soft_404", "blocked"])
def test_verdict_accuracy_floor(field: str) -> None:
    attribute = {"eu_signal": "eu_signals"}.get(field, field)
    pairs = [bool(getattr(r, attribute)) == g[field] for g, _, r in RESULTS]
    assert _accuracy(pairs) >= 0.95


def test_every_analysis_round_trips_through_json() -> None:
    for _, _, result in RESULTS:
        data = json.loads(json.dumps(result.to_json()))
        assert PageAnalysis.from_json(data) == result


def test_site_summary_keys_and_round_trip() -> None:
    pages = [
        SitePage(p.url, p.status, r, 0 if i == 0 else None)
        for i, (_, p, r) in enumerate(RESULTS[:12])
    ]
    site = summarize_site(pages, RESULTS[0][2].today)
    data = json.loads(json.dumps(site.to_json()))
    assert set(data) == {
        "main_language", "language_shares", "english_site", "english_evidence", "last_update",
        "last_update_evidence", "internationalisation", "eu_signals", "other_signals", "parked",
        "blocked", "soft_404_urls", "pages_analysed", "home_title",
    }  # fmt: skip
    assert SiteAnalysis.from_json(data) == site
    assert data["pages_analysed"] == 12
