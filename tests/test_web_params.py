"""clusterwatch.monitor.web.params: ids and offsets beyond 64 bits are 404 or 400, never 500."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web_builders import add_curator, build_world, login_as, make_app

HUGE = "99999999999999999999999"


@pytest.fixture
def client(sqlite_sessions: sessionmaker[Session], now: datetime) -> FlaskClient:
    build_world(sqlite_sessions, now, clusters=2, runs=3)
    add_curator(sqlite_sessions, "ana", "correct horse battery", now)
    client = make_app(sqlite_sessions, now).test_client()
    login_as(client, "ana")
    return client


@pytest.mark.parametrize(
    ("path", "code"),
    [
        (f"/runs/{HUGE}", 404),
        ("/runs/9223372036854775807", 404),
        ("/runs/-1", 404),
        (f"/queue?offset={HUGE}", 400),
        ("/queue?offset=-5", 400),
        ("/queue?offset=abc", 400),
        (f"/clusters/c0000/page?url=https://cluster0.example.jp/&a={HUGE}", 400),
    ],
)
def test_out_of_range_numbers_are_refused(client: FlaskClient, path: str, code: int) -> None:
    response = client.get(path)
    assert response.status_code == code


def test_huge_review_id_is_not_found(client: FlaskClient) -> None:
    response = client.post(f"/queue/{HUGE}/review", data={"decision": "dismissed"})
    assert response.status_code == 404


def test_valid_numbers_still_work(client: FlaskClient) -> None:
    assert client.get("/queue?offset=0").status_code == 200
    assert client.get("/runs/1").status_code == 200
