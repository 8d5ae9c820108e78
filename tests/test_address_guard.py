"""The address guard: no request reaches a loopback, private or otherwise non-public address.

Unit tests for every literal spelling, then real crawls: through the simulated web's proxy
(internal pages registered under 127.0.0.1, localhost, 127.1, 0x7f000001 ... so that a crawl
without the guard would fetch and store them), and directly against loopback servers with the
seed's own address allowed by the allowed_addresses setting.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from scrapy.resolver import dnscache
from sqlalchemy import select
from twisted.internet.testing import MemoryReactorClock
from twisted.python.failure import Failure

from clusterwatch.crawler.addresses import (
    AddressPolicy,
    AddressSettingError,
    is_local_name,
    literal_address,
)
from clusterwatch.crawler.options import CrawlOptions, scrapy_settings
from clusterwatch.crawler.resolver import GuardedResolver, RefusedAnswer, checked_address
from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.models import Flag, PageSnapshot, SiteResult
from clusterwatch.simweb import SimulatedWeb, markup
from clusterwatch.simweb.model import Expectation, Night, Outcome, Page, Scenario, SiteState
from clusterwatch.vocabulary import FlagKind
from clusterwatch.vocabulary import Outcome as SiteOutcome
from tests.loopback import Route, direct_env, serve, stop, write_seeds
from tests.test_crawl import CRAWL_ENV, run_cli

LOOPBACK_SPELLINGS = (
    "127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0x7f.1", "[::1]",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[64:ff9b::127.0.0.1]",
)  # fmt: skip
REFUSED = (
    "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255", "[fe80::1]", "[fd12::1]", "[ff02::1]", "[::]",
    "[2002:a00:1::]",
)  # fmt: skip
PUBLIC = ("8.8.8.8", "93.184.216.34", "[2606:4700::1111]", "[64:ff9b::808:808]")


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS + REFUSED)
def test_non_public_literals_are_refused(host: str) -> None:
    address = literal_address(host)
    assert address is not None, host
    assert AddressPolicy().refuses(address)


@pytest.mark.parametrize("host", PUBLIC)
def test_public_literals_pass(host: str) -> None:
    address = literal_address(host)
    assert address is not None and not AddressPolicy().refuses(address)


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS[:6])
def test_every_ipv4_spelling_means_loopback(host: str) -> None:
    assert literal_address(host) == ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize("host", ["example.jp", "1.2.3.4.5", "0x1g", "256.1.1.1.1", "1e3"])
def test_names_are_not_literals(host: str) -> None:
    assert literal_address(host) is None


def test_local_names() -> None:
    local = ["localhost", "LOCALHOST.", "a.localhost", "printer.local", "intranet", "x.internal"]
    assert all(is_local_name(name) for name in local)
    assert not is_local_name("www.example.jp")


def test_allowed_networks_are_named_explicitly() -> None:
    policy = AddressPolicy.parse("127.0.0.2/32, 10.9.0.0/16")
    assert not policy.refuses(ipaddress.ip_address("127.0.0.2"))
    assert not policy.refuses(ipaddress.ip_address("10.9.8.7"))
    assert policy.refuses(ipaddress.ip_address("127.0.0.1"))
    with pytest.raises(AddressSettingError, match="'intranet'"):
        AddressPolicy.parse("10.0.0.0/8, intranet")


# --- crawls through the simulated web's proxy --------------------------------------------------

SECRET = "INTERNAL-ADMIN-PAGE-SECRET"
PORT = 8081
# host as the proxy sees it -> how a URL spells it
INTERNAL = {
    "127.0.0.1": "127.0.0.1",
    "localhost": "localhost",
    "127.1": "127.1",
    "0x7f000001": "0x7f000001",
    "2130706433": "2130706433",
    "0177.0.0.1": "0177.0.0.1",
    "::ffff:127.0.0.1": "[::ffff:127.0.0.1]",
}
INTERNAL_PAGE = markup.document(
    "admin", f'<p>{SECRET}</p><a href="/admin/delete-all">delete everything</a>', lang="en"
)


def internal(_night: Night) -> SiteState:
    return SiteState(pages={"/": Page(INTERNAL_PAGE.encode())}, dynamic=_secret)


def _secret(_path: str, _query: str) -> Page:
    return Page(INTERNAL_PAGE.encode())


def html(text: str, status: int = 200, headers: tuple[tuple[str, str], ...] = ()) -> Page:
    body = markup.document("クラスター", f"<p>{text}</p>" + "<p>2026年11月1日 更新</p>")
    return Page(body.encode(), status=status, headers=headers)


def redirecting(location: str) -> SiteState:
    return SiteState(pages={"/": Page(b"", status=302, headers=(("Location", location),))})


def meta_refresh(target: str) -> SiteState:
    head = f'<meta http-equiv="refresh" content="0; url={target}">'
    body = markup.document("移転しました", "<p>移転しました</p>", head=head)
    return SiteState(pages={"/": Page(body.encode())})


def deep_redirect(target: str) -> SiteState:
    home = html('ようこそ <a href="/news/">ニュース</a> <iframe src="http://0177.0.0.1:8081/">')
    return SiteState(
        pages={"/": home, "/news/": Page(b"", status=302, headers=(("Location", target),))}
    )


def scenario(cluster_id: str, state: SiteState) -> Scenario:
    host = f"{cluster_id}.example.jp"

    def expect(_night: Night) -> Expectation:
        return Expectation(outcome=Outcome.OK, status="active")

    return Scenario(
        id=cluster_id,
        name=f"SSRF probe {cluster_id}",
        sector="other",
        urls=(f"http://{host}/",),
        hosts={host: lambda _night: state, **dict.fromkeys(INTERNAL, internal)},
        expect=expect,
    )


HOME_REDIRECTS = {
    "loopback": f"http://127.0.0.1:{PORT}/",
    "localhost": f"http://localhost:{PORT}/",
    "short": f"http://127.1:{PORT}/",
    "hex": f"http://0x7f000001:{PORT}/",
    "mapped": f"http://[::ffff:127.0.0.1]:{PORT}/",
}
REFRESH = f"http://2130706433:{PORT}/"  # a home page's meta refresh is a redirect too
SCENARIOS = (
    *(scenario(name, redirecting(url)) for name, url in HOME_REDIRECTS.items()),
    scenario("refresh", meta_refresh(REFRESH)),
    scenario("deep", deep_redirect(f"http://localhost:{PORT}/admin/")),
)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    folder = tmp_path_factory.mktemp("guard")
    db_url = f"sqlite:///{folder}/cw.sqlite3"
    with SimulatedWeb(scenarios=SCENARIOS, today=date(2026, 11, 20)) as web:
        seeds = web.write_seeds(folder / "seeds.yaml")
        env = {**CRAWL_ENV, **web.proxy_env()}
        for _night in range(2):
            result = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], env)
            assert result.returncode == 0, result.stderr[-3000:]
        hosts = [record.host for record in web.requests]
    yield db_url, hosts


def test_no_request_reaches_an_internal_host(guarded: tuple[str, list[str]]) -> None:
    _db_url, hosts = guarded
    assert hosts, "the crawl went through the proxy"
    assert not set(hosts) & set(INTERNAL)


def test_nothing_of_the_internal_page_is_stored(guarded: tuple[str, list[str]]) -> None:
    with session_factory(make_engine(guarded[0]))() as session:
        snapshots = session.scalars(select(PageSnapshot)).all()
        assert snapshots, "the probe sites' own pages are stored"
        for snapshot in snapshots:
            assert SECRET not in str(snapshot.analysis)
            assert literal_address(_host(snapshot.final_url)) is None
            assert _host(snapshot.final_url).endswith(".example.jp")


def test_a_home_redirect_into_refused_space_is_recorded_and_flagged_not_moved(
    guarded: tuple[str, list[str]],
) -> None:
    with session_factory(make_engine(guarded[0]))() as session:
        results = {r.cluster_id: r for r in session.scalars(select(SiteResult))}
        flags = session.scalars(select(Flag)).all()
    refused = {**HOME_REDIRECTS, "refresh": REFRESH}
    for cluster_id, url in refused.items():
        result = results[cluster_id]
        assert result.outcome == SiteOutcome.BLOCKED_ADDRESS, cluster_id
        assert result.final_url == url and result.moved_to is None
    assert results["deep"].outcome == SiteOutcome.OK
    assert "blocked_address" in (results["deep"].error or "")
    assert f"localhost:{PORT}/admin/" in (results["deep"].error or "")
    assert not [f for f in flags if f.kind == FlagKind.MOVED]
    flagged = [f.cluster_id for f in flags if f.kind == FlagKind.BLOCKED_REDIRECT]
    assert sorted(flagged) == sorted(refused)
    assert len(flagged) == len([f for f in flags if f.kind == FlagKind.BLOCKED_REDIRECT])


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url or "").hostname or ""


# --- direct crawls of loopback servers ---------------------------------------------------------


def test_direct_redirects_to_loopback_are_not_followed(tmp_path: Path) -> None:
    inner = serve({"/": Route(body=SECRET.encode())}, host="127.0.0.1")
    port = inner.server_address[1]
    page = markup.document("probe", "<p>probe</p>", lang="en").encode()
    targets = [
        f"http://127.0.0.1:{port}/",
        f"http://localhost:{port}/",
        f"http://127.1:{port}/",
        f"http://0x7f000001:{port}/",
    ]
    routes = {f"/{i}/": Route(302, headers={"Location": t}) for i, t in enumerate(targets)}
    routes["/robots.txt"] = Route(404)
    routes["/ok/"] = Route(body=page)
    outer = serve(routes)
    base = outer.base
    seeds = write_seeds(
        tmp_path / "seeds.yaml", [f"{base}/{i}/" for i in range(4)] + [f"{base}/ok/"]
    )
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    try:
        result = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], direct_env())
    finally:
        stop(inner, outer)
    assert result.returncode == 0, result.stderr[-3000:]
    assert inner.asked == []
    assert sorted(outer.asked) == sorted(["/robots.txt", "/0/", "/1/", "/2/", "/3/", "/ok/"])
    with session_factory(make_engine(db_url))() as session:
        outcomes = {r.cluster_id: r.outcome for r in session.scalars(select(SiteResult))}
    assert outcomes == {f"probe-{i}": SiteOutcome.BLOCKED_ADDRESS for i in range(4)} | {
        "probe-4": SiteOutcome.OK
    }


def test_without_an_allowance_a_loopback_seed_is_refused(tmp_path: Path) -> None:
    server = serve({"/": Route(body=b"<p>x</p>")})
    url = f"{server.base}/"
    seeds = write_seeds(tmp_path / "seeds.yaml", [url])
    db_url = f"sqlite:///{tmp_path}/cw.sqlite3"
    try:
        result = run_cli(["crawl", "--seeds", str(seeds), "--db", db_url], direct_env(allowed=""))
    finally:
        stop(server)
    assert result.returncode == 0, result.stderr[-3000:]
    assert server.asked == []
    with session_factory(make_engine(db_url))() as session:
        row = session.scalars(select(SiteResult)).one()
    assert (row.outcome, row.final_url) == (SiteOutcome.BLOCKED_ADDRESS, url)
    assert os.environ.get("CLUSTERWATCH_ALLOWED_ADDRESSES") is None


def test_a_bad_allowed_network_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    seeds = write_seeds(tmp_path / "seeds.yaml", ["http://www.example.jp/"])
    db = tmp_path / "cw.sqlite3"
    env = direct_env(allowed="10.0.0.0/8, intranet")
    result = run_cli(["crawl", "--seeds", str(seeds), "--db", f"sqlite:///{db}"], env)
    assert result.returncode == 2
    assert "CLUSTERWATCH_ALLOWED_ADDRESSES" in result.stderr and "'intranet'" in result.stderr
    assert not db.exists()


# --- the resolver: the connection's own answer is checked (DNS rebinding) ----------------------


@pytest.mark.parametrize("answer", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "0.0.0.0"])
def test_an_answer_in_refused_space_fails_the_lookup(answer: str) -> None:
    with pytest.raises(RefusedAnswer, match=f"rebind.example.jp resolves to {answer}"):
        checked_address(answer, "rebind.example.jp", AddressPolicy(), frozenset())


def test_public_allowed_and_proxy_answers_pass() -> None:
    policy = AddressPolicy.parse("127.0.0.2/31")
    assert (
        checked_address("93.184.216.34", "www.example.jp", policy, frozenset()) == "93.184.216.34"
    )
    assert checked_address("127.0.0.2", "test.example.jp", policy, frozenset()) == "127.0.0.2"
    proxy = frozenset({"proxy.example.jp"})
    assert checked_address("10.0.0.8", "Proxy.Example.JP.", policy, proxy) == "10.0.0.8"
    with pytest.raises(RefusedAnswer):
        checked_address("10.0.0.8", "other.example.jp", policy, proxy)


def test_the_resolver_checks_cached_answers_too() -> None:
    """An answer in Scrapy's DNS cache (what a name said a moment ago) is judged again."""
    resolver = GuardedResolver(MemoryReactorClock(), 100, 5.0, AddressPolicy())
    dnscache["rebind.example.jp"] = "10.0.0.5"
    dnscache["www.example.jp"] = "93.184.216.34"
    try:
        outcomes: list[object] = []
        for name in ("rebind.example.jp", "www.example.jp"):
            resolver.getHostByName(name).addBoth(outcomes.append)
    finally:
        del dnscache["rebind.example.jp"], dnscache["www.example.jp"]
    refused, passed = outcomes
    assert isinstance(refused, Failure) and refused.check(RefusedAnswer)
    assert passed == "93.184.216.34"


def test_the_crawl_resolves_names_through_the_guarded_resolver() -> None:
    settings = scrapy_settings(CrawlOptions(db_url="sqlite://", run_id=1))
    assert settings["DNS_RESOLVER"] == f"{GuardedResolver.__module__}.GuardedResolver"
