"""clusterwatch.crawler.frontier: same-site, dedup, depth, budget and the in-flight count that ends a site."""

from __future__ import annotations

from clusterwatch.crawler.frontier import SiteFrontier, site_host


def frontier(budget: int = 3, depth: int = 2) -> SiteFrontier:
    return SiteFrontier(
        "c", ("http://www.old.example.jp/", "https://old.example.jp/en/"), budget, depth
    )


def test_site_host_ignores_www_and_case() -> None:
    assert site_host("HTTP://WWW.Example.JP/x") == "example.jp"
    assert site_host("https://sub.example.jp/") == "sub.example.jp"


def test_admits_same_site_unseen_within_depth_and_budget() -> None:
    f = frontier()
    assert f.admit("http://old.example.jp/news#top", 1)
    assert not f.admit("http://old.example.jp/news", 1)  # same URL without the fragment
    assert not f.admit("http://other.example.jp/", 1)  # another site
    assert not f.admit("http://old.example.jp/deep", 3)  # beyond the depth limit
    assert f.admit("http://old.example.jp/a", 2)
    assert f.admit("http://old.example.jp/b", 2)
    assert not f.admit("http://old.example.jp/c", 2)  # budget of 3 spent
    assert f.over_budget == 1


def test_seeds_are_admitted_even_on_another_host_and_a_move_extends_the_site() -> None:
    f = frontier()
    assert f.admit("http://elsewhere.example.jp/", 0, is_seed=True)
    assert not f.is_same_site("https://new.example.jp/")
    f.follow_move("https://www.new.example.jp/english/")
    assert f.admit("https://new.example.jp/news", 1)


def test_the_site_is_finished_exactly_once_when_nothing_is_in_flight() -> None:
    f = frontier()
    f.admit("http://old.example.jp/1", 0, is_seed=True)
    f.admit("http://old.example.jp/2", 1)
    assert not f.finish()
    assert f.finish()
    assert f.done and f.reported and f.in_flight == 0
