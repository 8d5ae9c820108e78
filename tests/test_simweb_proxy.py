"""The simulated web's proxy, driven by plain HTTP clients: plain, CONNECT+TLS, failures, 304."""

from __future__ import annotations

import http.client
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from clusterwatch.simweb import SimulatedWeb

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def web() -> Iterator[SimulatedWeb]:
    with SimulatedWeb(today=TODAY, upstream_timeout=0.2, slow_seconds=2.0) as running:
        yield running


@pytest.fixture(autouse=True)
def phase_one(web: SimulatedWeb) -> Iterator[None]:
    web.set_phase(1)
    web.clear_requests()
    yield
    web.set_phase(1)


def proxy_port(web: SimulatedWeb) -> int:
    return int(web.proxy_url.rsplit(":", 1)[1])


def opener(web: SimulatedWeb) -> urllib.request.OpenerDirector:
    handler = urllib.request.ProxyHandler({"http": web.proxy_url, "https": web.proxy_url})
    return urllib.request.build_opener(handler)


def tunnel(web: SimulatedWeb, host: str) -> http.client.HTTPSConnection:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", proxy_port(web), context=context, timeout=5
    )
    connection.set_tunnel(host, 443)
    return connection


def get(
    web: SimulatedWeb, url: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener(web).open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_absolute_uri_request_serves_the_site_under_its_hostname(web: SimulatedWeb) -> None:
    status, headers, body = get(web, "http://osaka-bio.jp/")
    assert status == 200
    assert "大阪バイオ・ヘッドクオーター" in body.decode("utf-8")
    assert headers["ETag"] and headers["Last-Modified"]


def test_connect_then_tls_serves_https_pages(web: SimulatedWeb) -> None:
    connection = tunnel(web, "osaka-bio.jp")
    connection.request("GET", "/news/")
    response = connection.getresponse()
    body = response.read()
    connection.request("GET", "/feed/")  # same connection: keep-alive inside the tunnel
    feed = connection.getresponse().read()
    connection.close()
    assert response.status == 200
    assert "令和8年11月5日" in body.decode("utf-8")
    assert b"<rss" in feed
    methods = [(r.method, r.scheme, r.host) for r in web.requests]
    assert methods[0] == ("CONNECT", "https", "osaka-bio.jp")
    assert methods.count(("GET", "https", "osaka-bio.jp")) == 2


def test_unknown_host_is_a_squid_dns_failure(web: SimulatedWeb) -> None:
    status, headers, _ = get(web, "http://www.example.com/")
    assert status == 503
    assert headers["X-Squid-Error"] == "ERR_DNS_FAIL 0"


def test_connect_to_dead_domain_gets_squid_status_line(web: SimulatedWeb) -> None:
    connection = tunnel(web, "www.miyagicar-en.com")
    with pytest.raises(OSError, match="503 ERR_DNS_FAIL"):
        connection.request("GET", "/")
    connection.close()


def test_refused_and_timeout_are_signalled_like_squid(web: SimulatedWeb) -> None:
    refused = get(web, "http://sendai-cyber.icr-eq.co.jp/cluster/")
    timeout = get(web, "http://www.bio-sss.jp/")
    assert (refused[0], refused[1]["X-Squid-Error"]) == (503, "ERR_CONNECT_FAIL 111")
    assert (timeout[0], timeout[1]["X-Squid-Error"]) == (504, "ERR_READ_TIMEOUT 0")


def test_conditional_requests_get_304(web: SimulatedWeb) -> None:
    _, headers, _ = get(web, "http://osaka-bio.jp/news/")
    by_tag = get(web, "http://osaka-bio.jp/news/", {"If-None-Match": headers["ETag"]})
    by_date = get(web, "http://osaka-bio.jp/news/", {"If-Modified-Since": headers["Last-Modified"]})
    stale = get(web, "http://osaka-bio.jp/news/", {"If-None-Match": '"other"'})
    assert [by_tag[0], by_date[0], stale[0]] == [304, 304, 200]
    assert by_tag[2] == b""


def test_request_log_records_lower_case_headers(web: SimulatedWeb) -> None:
    get(web, "http://osaka-bio.jp/robots.txt", {"User-Agent": "clusterwatch-test", "X-Probe": "1"})
    (record,) = web.requests
    assert (record.scheme, record.host, record.method, record.path) == (
        "http",
        "osaka-bio.jp",
        "GET",
        "/robots.txt",
    )
    assert record.headers["user-agent"] == "clusterwatch-test"
    assert record.headers["x-probe"] == "1"
    assert record.status == 200 and record.bytes > 0


def test_proxy_env_names_the_proxy_for_both_schemes(web: SimulatedWeb) -> None:
    env = web.proxy_env()
    assert env["http_proxy"] == env["HTTPS_PROXY"] == web.proxy_url
    assert web.proxy_url.startswith("http://127.0.0.1:")
    assert env["no_proxy"] == ""


def test_cli_serves_until_interrupted(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds.yaml"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clusterwatch.simweb",
            "serve",
            "--port",
            "0",
            "--phase",
            "2",
            "--seeds",
            str(seeds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first)
        assert url, first
        handler = urllib.request.ProxyHandler({"http": url[0]})
        with urllib.request.build_opener(handler).open("http://osaka-bio.jp/", timeout=5) as page:
            assert page.status == 200
        assert "osaka-bio" in seeds.read_text("utf-8")
    finally:
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=10) == 0
        if child.stdout is not None:
            child.stdout.close()


def test_latency_applies_per_response_and_connections_run_in_parallel() -> None:
    latency, clients = 0.2, 60
    with SimulatedWeb.generated(sites=clients, pages_per_site=2, latency=latency) as web:
        port = proxy_port(web)
        elapsed: list[float] = []

        def fetch_one(site: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            started = time.monotonic()
            connection.request("GET", f"http://www.gen{site:04d}.example.jp/p/1.html")
            assert connection.getresponse().read()
            elapsed.append(time.monotonic() - started)
            connection.close()

        started = time.monotonic()
        threads = [threading.Thread(target=fetch_one, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = time.monotonic() - started
    assert len(elapsed) == clients and min(elapsed) >= latency
    assert total < clients * latency / 4  # served side by side, not one after another
