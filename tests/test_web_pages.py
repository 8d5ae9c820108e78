"""The pages of monitor.web: what they show, escaping of crawled strings, security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.migrate import upgrade
from clusterwatch.monitor.web.filters import http_url
from clusterwatch.monitor.web.headers import CONTENT_SECURITY_POLICY
from clusterwatch.monitor.web.textdiff import diff_texts
from tests.conftest import FIXED_NOW
from tests.web_builders import HOSTILE_TITLE, add_curator, build_world, login_as, make_app

PAGES = [
    "/",
    "/queue",
    "/queue?kind=moved&sector=electronics",
    "/clusters",
    "/clusters/c0000",
    "/clusters/c0000/page?url=https://cluster0.example.jp/",
    "/runs",
    "/runs/2",
    "/export",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """One database for the module: these tests only read."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('web')}/cw.sqlite3")
    upgrade(engine)
    sessions = session_factory(engine)
    build_world(sessions, FIXED_NOW, clusters=7, runs=35, news_title=HOSTILE_TITLE)
    add_curator(sessions, "ana", "correct horse battery", FIXED_NOW)
    client = make_app(sessions, FIXED_NOW).test_client()
    login_as(client, "ana")
    yield client
    engine.dispose()


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_with_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert b"<script" not in response.data  # no inline (or any) script on any page
    assert b'style="' not in response.data  # the CSP would block inline styles anyway


@pytest.mark.parametrize(
    "path", ["/queue", "/clusters/c0000", "/clusters/c0000/page?url=https://cluster0.example.jp/"]
)
def test_crawled_markup_is_escaped(client: FlaskClient, path: str) -> None:
    body = client.get(path).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in body
    assert "<img src=x" not in body
    assert "News &amp; events" in body


def test_only_http_urls_become_links(client: FlaskClient) -> None:
    body = client.get("/clusters/c0000").get_data(as_text=True)
    assert 'href="javascript:' not in body
    assert "javascript:alert(1)" in body  # shown as text, not followed
    assert 'href="https://cluster0.example.jp/" rel="noopener noreferrer nofollow"' in body


def test_http_url_filter() -> None:
    assert http_url("https://a.example/x") == "https://a.example/x"
    assert http_url("HTTP://a.example") == "HTTP://a.example"
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", "//a.example", "", None):
        assert http_url(bad) is None


def test_overview_shows_landscape_flags_and_charts(client: FlaskClient) -> None:
    body = client.get("/").get_data(as_text=True)
    assert "The landscape now and in 2016" in body
    assert '<span class="figure">7</span> open flags' in body
    assert '<svg class="chart"' in body and "Tokyo" in body and "electronics" in body


def test_queue_lists_open_flags_oldest_first_and_filters(client: FlaskClient) -> None:
    body = client.get("/queue").get_data(as_text=True)
    ids = [int(part.split('"')[0]) for part in body.split('id="flag-')[1:]]
    assert ids == [7, 6, 5, 4, 3, 2, 1]  # the builder makes flag 7 the oldest
    filtered = client.get("/queue?kind=moved").get_data(as_text=True)
    assert filtered.count('class="flag"') == 2


def test_cluster_page_shows_status_timeline_and_pages(client: FlaskClient) -> None:
    body = client.get("/clusters/c0003").get_data(as_text=True)
    assert "status-unreachable" in body
    assert "Compare snapshots" in body  # it answered before it became unreachable
    assert "35 runs" in body


def test_cluster_page_says_when_a_field_may_change_after_the_next_run(client: FlaskClient) -> None:
    pending = "the last run saw less; it changes if the next one does too"
    assert pending in client.get("/clusters/c0000").get_data(as_text=True)
    assert pending not in client.get("/clusters/c0001").get_data(as_text=True)


def test_pages_seen_count_304_revisits_as_fetches(client: FlaskClient) -> None:
    """c0000 answered all 35 runs; most revisits were 304s of an unchanged home page."""
    body = client.get("/clusters/c0000").get_data(as_text=True)
    pages = body[body.index('id="pages-h"') :]
    row = re.search(r'<td class="num">(\d+) <span class="muted">\((\d+) not modified\)', pages)
    assert row, pages[:2000]
    assert int(row[1]) == 35 and 0 < int(row[2]) < 35


def test_unknown_cluster_is_404(client: FlaskClient) -> None:
    assert client.get("/clusters/nope").status_code == 404


def test_page_diff_shows_changed_lines(client: FlaskClient) -> None:
    body = client.get("/clusters/c0000/page?url=https://cluster0.example.jp/").get_data(
        as_text=True
    )
    assert '<span class="remove">- Version 0</span>' in body
    assert '<span class="add">+ Version 1</span>' in body


def test_text_diff_of_identical_texts_is_empty() -> None:
    assert diff_texts("a\nb\n", "a\nb\n").identical
    changed = diff_texts("a\nb\n", "a\nc\n")
    assert [(line.kind, line.text) for line in changed.lines if line.kind != "hunk"] == [
        ("context", "a"),
        ("remove", "b"),
        ("add", "c"),
    ]


def test_runs_page_shows_incomplete_and_degraded(client: FlaskClient) -> None:
    body = client.get("/runs").get_data(as_text=True)
    assert body.count("<tr class=") == 35
    assert '<span class="tag state-complete">complete</span>' in body
    assert client.get("/runs/999").status_code == 404
