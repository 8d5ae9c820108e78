"""clusterwatch.monitor.web.auth, passwords, throttle and secret: who may see the curator UI."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.monitor.web.secret import (
    SecretKeyError,
    load_or_create_secret_key,
    secret_key_path,
)
from clusterwatch.monitor.web.throttle import MAX_FAILURES, LoginThrottle
from tests.web_builders import add_curator, build_world, make_app

PASSWORD = "correct horse battery"


@pytest.fixture
def client(sqlite_sessions: sessionmaker[Session], now: datetime) -> FlaskClient:
    build_world(sqlite_sessions, now, clusters=2, runs=3)
    add_curator(sqlite_sessions, "ana", PASSWORD, now)
    return make_app(sqlite_sessions, now).test_client()


@pytest.mark.parametrize(
    "path", ["/", "/queue", "/clusters", "/clusters/c0000", "/runs", "/export"]
)
def test_every_page_needs_a_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_anonymous_post_is_refused(client: FlaskClient) -> None:
    response = client.post("/queue/1/review", data={"decision": "dismissed"})
    assert response.status_code == 401


def test_login_page_and_static_are_public(client: FlaskClient) -> None:
    assert client.get("/login").status_code == 200
    with client.get("/static/style.css") as response:
        assert response.status_code == 200


def test_login_then_logout(client: FlaskClient) -> None:
    response = client.post("/login", data={"name": "ana", "password": PASSWORD, "next": "/runs"})
    assert (response.status_code, response.location) == (302, "/runs")
    assert b"Signed in as <strong>ana</strong>" in client.get("/").data
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_answer(client: FlaskClient) -> None:
    wrong = client.post("/login", data={"name": "ana", "password": "nope-nope"})
    unknown = client.post("/login", data={"name": "bob", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert b"Wrong name or password." in wrong.data and b"Wrong name or password." in unknown.data


def test_next_never_leaves_the_site(client: FlaskClient) -> None:
    response = client.post(
        "/login", data={"name": "ana", "password": PASSWORD, "next": "//evil.example/"}
    )
    assert response.location == "/"


def test_session_cookie_flags(sqlite_sessions: sessionmaker[Session], now: datetime) -> None:
    add_curator(sqlite_sessions, "ana", PASSWORD, now)
    for base_url, secure in (("http://127.0.0.1:8000", False), ("https://cw.example", True)):
        client = make_app(sqlite_sessions, now, base_url=base_url).test_client()
        response = client.post("/login", data={"name": "ana", "password": PASSWORD})
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert ("Secure" in cookie) is secure


def test_removed_user_is_logged_out(
    client: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    client.post("/login", data={"name": "ana", "password": PASSWORD})
    from clusterwatch.db.store.users import remove_user

    with sqlite_sessions.begin() as session:
        remove_user(session, "ana")
    assert client.get("/").status_code == 302


def test_login_is_rate_limited(client: FlaskClient) -> None:
    for _ in range(MAX_FAILURES):
        client.post("/login", data={"name": "ana", "password": "wrong-wrong"})
    response = client.post("/login", data={"name": "ana", "password": PASSWORD})
    assert response.status_code == 429


def test_throttle_forgets_after_the_window(now: datetime) -> None:
    clock = [now]
    throttle = LoginThrottle(lambda: clock[0])
    for _ in range(MAX_FAILURES):
        throttle.failed("127.0.0.1", "Ana")
    assert throttle.blocked("127.0.0.1", "ana")
    assert not throttle.blocked("127.0.0.2", "ana")
    clock[0] = now + timedelta(minutes=16)
    assert not throttle.blocked("127.0.0.1", "ana")


def test_generated_secret_key_is_private_and_stable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = secret_key_path(f"sqlite:///{tmp_path}/cw.sqlite3")
    assert path == tmp_path / "web-secret.key"
    key = load_or_create_secret_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret_key(path) == key
    path.chmod(0o644)
    with pytest.raises(SecretKeyError, match="chmod 600"):
        load_or_create_secret_key(path)


def test_login_upgrades_a_cheap_hash(
    client: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    from clusterwatch.db.store.users import find_user
    from clusterwatch.monitor.web.passwords import needs_rehash

    client.post("/login", data={"name": "ana", "password": PASSWORD})
    with sqlite_sessions() as session:
        account = find_user(session, "ana")
        assert account is not None and not needs_rehash(account.password_hash)
