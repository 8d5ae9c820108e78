"""Every surface that shows a failure shows its sentence, never a Python repr or the proxy.

Three clusters fail as the crawler really stores it (a Twisted TLS failure repr, a refused
CONNECT tunnel naming the proxy's loopback address and a bytes literal, a 503), over three
nights, and are evaluated: the raw text lands in site_results.error, cluster_states.status_reason
and the unreachable flags' evidence. Then the web pages, the digest, `status` in its three
formats, `history` and `flags` are read as a curator would.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.digest import IsoWeek
from clusterwatch.monitor.evaluate import evaluate
from clusterwatch.monitor.outbox import build_message
from clusterwatch.monitor.settings import Settings
from tests.builders import World, failed
from tests.conftest import FIXED_NOW
from tests.web_builders import add_curator, login_as, make_app

PROXY = "127.0.0.1:39127"
TLS_ERROR = (
    "home page https://tlsfail.example.jp/: tls ([<twisted.python.failure.Failure "
    "OpenSSL.SSL.Error: [('SSL routines', '', 'certificate verify failed')]>])"
)
DNS_ERROR = (
    "home page https://nodns.example.jp/: dns (Could not open CONNECT tunnel with proxy "
    f"{PROXY} [{{'status': 503, 'reason': b'ERR_DNS_FAIL'}}])"
)
HTTP_ERROR = "home page https://down.example.jp/: http_5xx"
TLS_WHY = "unreachable: failed 3 runs in a row, last: TLS handshake failed"
DNS_WHY = "unreachable: failed 3 runs in a row, last: the domain does not resolve"
LEAKS = ("Failure", "b'", "<twisted", PROXY, "OpenSSL.SSL.Error: [(")
SETTINGS = Settings(
    digest_from="clusterwatch@example.org",
    digest_to=("curators@example.org",),
    base_url="https://review.example.org/",
    smtp_starttls=False,
)


def assert_readable(text: str) -> None:
    shown = html.unescape(text)
    for leak in LEAKS:
        assert leak not in shown, f"{leak!r} shown: …{shown[shown.find(leak) - 200 :][:400]}…"


@pytest.fixture
def failing(sqlite_url: str, sqlite_sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    world = World(sqlite_sessions)
    world.clusters("tlsfail", "nodns", "down")
    for _ in range(3):
        world.night(
            {
                "tlsfail": failed("tls", TLS_ERROR),
                "nodns": failed("dns", DNS_ERROR),
                "down": {**failed("http_5xx", HTTP_ERROR), "http_status": 503},
            }
        )
    evaluate(sqlite_sessions, SETTINGS, FIXED_NOW)
    return sqlite_sessions


def run(*args: str) -> Result:
    env = {"CLUSTERWATCH_DB": "", "COLUMNS": "250"}
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def client(failing: sessionmaker[Session]) -> Iterator[FlaskClient]:
    add_curator(failing, "ana", "correct horse battery", FIXED_NOW)
    client = make_app(failing, FIXED_NOW).test_client()
    login_as(client, "ana")
    yield client


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.get_data(as_text=True)
    assert_readable(body)
    return html.unescape(body)


def test_the_review_queue_shows_sentences_with_the_detail_apart(client: FlaskClient) -> None:
    body = page(client, "/queue")
    assert TLS_WHY in body and DNS_WHY in body
    assert "<summary>Technical detail</summary>" in body
    assert "SSL routines: certificate verify failed" in body  # the detail, one click away
    assert "the proxy could not open a tunnel: 503 ERR_DNS_FAIL" in body


def test_the_run_page_shows_each_failed_site_as_a_sentence(client: FlaskClient) -> None:
    body = page(client, "/runs/3")
    assert "TLS handshake failed" in body and "the domain does not resolve" in body
    assert "the server answered 503" in body


def test_the_cluster_page_shows_why_and_each_crawl_as_sentences(client: FlaskClient) -> None:
    body = page(client, "/clusters/nodns")
    assert DNS_WHY in body
    assert body.count("<details") >= 4  # the status, 3 crawls, the flag's evidence


def test_the_digest_names_the_failure_in_text_and_html(failing: sessionmaker[Session]) -> None:
    week = IsoWeek(*FIXED_NOW.isocalendar()[:2])
    message = build_message(failing, SETTINGS, week, FIXED_NOW)
    plain, rich = (message.get_body((kind,)) for kind in ("plain", "html"))
    assert plain is not None and rich is not None
    for part in (plain.get_content(), rich.get_content()):
        assert_readable(part)
        assert TLS_WHY in html.unescape(part) and DNS_WHY in html.unescape(part)


def test_status_json_csv_and_table(failing: sessionmaker[Session], sqlite_url: str) -> None:
    rows = {row["id"]: row for row in json.loads(run("status", "--format", "json", "--db",
                                                     sqlite_url).output)}  # fmt: skip
    assert rows["tlsfail"]["why"] == TLS_WHY
    assert "certificate verify failed" in rows["tlsfail"]["why_detail"]
    assert rows["nodns"]["why"] == DNS_WHY
    assert rows["down"]["why"].endswith("last: the server answered with a 5xx error")
    for row in rows.values():
        assert_readable(json.dumps(row, ensure_ascii=False))
    csv = run("status", "--format", "csv", "--db", sqlite_url).output
    assert_readable(csv)
    assert TLS_WHY in csv and "why_detail" in csv.splitlines()[0]
    table = run("status", "--db", sqlite_url).output
    assert_readable(table)
    assert TLS_WHY in table and DNS_WHY in table
    assert "certificate verify failed" not in table  # the table has the sentence only


def test_history_shows_each_run_as_a_sentence(
    failing: sessionmaker[Session], sqlite_url: str
) -> None:
    for cluster, sentence in (
        ("tlsfail", "TLS handshake failed"),
        ("nodns", "the domain does not resolve"),
        ("down", "the server answered 503"),
    ):
        output = run("history", cluster, "--db", sqlite_url).output
        assert_readable(output)
        assert output.count(sentence) == 3


def test_flags_json_has_the_sentence_and_a_clean_detail(
    failing: sessionmaker[Session], sqlite_url: str
) -> None:
    flags = json.loads(run("flags", "--format", "json", "--db", sqlite_url).output)
    evidence = {flag["cluster_id"]: flag["evidence"][0] for flag in flags}
    assert evidence["tlsfail"]["text"] == TLS_WHY
    assert "certificate verify failed" in evidence["tlsfail"]["detail"]
    assert_readable(json.dumps(flags, ensure_ascii=False))
    assert_readable(run("flags", "--db", sqlite_url).output)
