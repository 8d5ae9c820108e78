"""clusterwatch.crawler.outcome: a site's outcome from its seed fetches."""

from __future__ import annotations

from clusterwatch.crawler.outcome import SeedFetch, site_outcome

HOME = "http://www.ibri-kobe.org/english/cluster/"


def test_home_page_ok_is_ok_and_an_off_site_redirect_is_a_move() -> None:
    moved = site_outcome([SeedFetch(0, HOME, 200, "https://www.fbri-kobe.org/english/cluster/")])
    assert moved.outcome == "ok" and moved.moved_to == "https://www.fbri-kobe.org/english/cluster/"
    same = site_outcome([SeedFetch(0, HOME, 200, "https://ibri-kobe.org/english/cluster/")])
    assert same.moved_to is None  # http -> https and www -> bare host are not moves


def test_not_modified_counts_as_reachable() -> None:
    assert site_outcome([SeedFetch(0, HOME, 304, HOME)]).outcome == "ok"


def test_failures_are_classified_from_the_home_page() -> None:
    assert site_outcome([SeedFetch(0, HOME, failure="dns", message="x")]).outcome == "dns"
    assert site_outcome([SeedFetch(0, HOME, 404, HOME)]).outcome == "http_4xx"
    assert site_outcome([SeedFetch(0, HOME, 500, HOME)]).outcome == "http_5xx"
    walled = site_outcome([SeedFetch(0, HOME, 503, HOME, blocked=True)])
    assert walled.outcome == "blocked" and walled.error and "blocked" in walled.error


def test_a_known_new_address_that_answers_keeps_the_organisation_reachable() -> None:
    result = site_outcome([
        SeedFetch(1, "https://namicpa.com/", 200, "https://namicpa.com/"),
        SeedFetch(0, "http://namicpa.jp/", failure="dns", message="ERR_DNS_FAIL"),
    ])  # fmt: skip
    assert result.outcome == "ok" and result.requested_url == "http://namicpa.jp/"
    assert result.moved_to is None and result.error and "dns" in result.error
