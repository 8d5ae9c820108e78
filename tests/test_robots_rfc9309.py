"""robots.txt per RFC 9309 (crawler.robots): real crawls of loopback servers.

4xx: everything allowed. 5xx, a timeout: nothing fetched, the failure recorded as the site's
outcome. A large file: its first 500 KiB parsed, whatever its size (a 6 MB one used to be read
as "allow all").
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from clusterwatch.crawler.robots import ROBOTS_MAX_BYTES
from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import SiteResult
from clusterwatch.vocabulary import Outcome
from tests.loopback import Route, Server, direct_env, serve, stop, write_seeds
from tests.test_crawl import run_cli

pytestmark = pytest.mark.slow

HOME = (
    b'<html><body><p>home</p><a href="/private/a">p</a> <a href="/late/a">l</a> '
    b'<a href="/open/a">o</a></body></html>'
)
PAGE = b"<html><body><p>a page</p></body></html>"
RULES = b"User-agent: *\nDisallow: /private/\n"


def padded(size: int, tail: bytes = b"") -> bytes:
    """RULES, comment lines up to `size` bytes, then `tail`."""
    line = b"# " + b"x" * 97 + b"\n"
    return RULES + line * ((size - len(RULES)) // len(line)) + tail


def site(robots: Route) -> dict[str, Route]:
    return {"/robots.txt": robots, "/": Route(body=HOME), "*": Route(body=PAGE)}


SITES = {
    "missing": Route(404, b"not found"),
    "error": Route(503, b"busy"),
    "hanging": Route(body=RULES, delay=30),
    "large": Route(body=padded(600 * 1024, b"Disallow: /late/\n"), headers={}),
    "huge": Route(body=padded(6_000_000), headers={}),
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Server], dict]]:
    folder = tmp_path_factory.mktemp("robots")
    servers = {name: serve(site(robots)) for name, robots in SITES.items()}
    seeds = write_seeds(folder / "seeds.yaml", [f"{s.base}/" for s in servers.values()])
    db_url = f"sqlite:///{folder}/cw.sqlite3"
    try:
        result = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], direct_env())
    finally:
        stop(*servers.values())
    assert result.returncode == 0, result.stderr[-3000:]
    with session_factory(make_engine(db_url))() as session:
        rows = session.scalars(select(SiteResult)).all()
        ids = {f"probe-{i}": name for i, name in enumerate(SITES)}
        outcomes = {ids[row.cluster_id]: (row.outcome, row.error) for row in rows}
    yield servers, outcomes


def test_a_missing_robots_txt_allows_everything(crawled: tuple[dict[str, Server], dict]) -> None:
    servers, outcomes = crawled
    assert outcomes["missing"][0] == Outcome.OK
    assert {"/", "/private/a", "/late/a", "/open/a"} <= set(servers["missing"].asked)


@pytest.mark.parametrize(
    ("name", "outcome"), [("error", Outcome.ROBOTS_ERROR), ("hanging", Outcome.TIMEOUT)]
)
def test_an_unreadable_robots_txt_disallows_everything(
    crawled: tuple[dict[str, Server], dict], name: str, outcome: Outcome
) -> None:
    servers, outcomes = crawled
    assert set(servers[name].asked) == {"/robots.txt"}
    assert outcomes[name][0] == outcome
    assert "robots.txt unavailable" in (outcomes[name][1] or "")


def test_the_first_500_kib_of_a_large_robots_txt_are_obeyed(
    crawled: tuple[dict[str, Server], dict],
) -> None:
    servers, outcomes = crawled
    assert len(SITES["large"].body) > ROBOTS_MAX_BYTES
    assert outcomes["large"][0] == Outcome.OK
    asked = set(servers["large"].asked)
    assert "/private/a" not in asked
    assert {"/late/a", "/open/a"} <= asked  # its rule lies past the first 500 KiB


def test_a_robots_txt_over_the_response_limit_is_still_obeyed(
    crawled: tuple[dict[str, Server], dict],
) -> None:
    servers, outcomes = crawled
    assert outcomes["huge"][0] == Outcome.OK
    asked = set(servers["huge"].asked)
    assert "/private/a" not in asked and "/open/a" in asked
