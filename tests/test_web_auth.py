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
from clusterwatch.monitor.web.throttle import FREE_FAILURES, MAX_DELAY, LoginThrottle
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
    assert b"<strong>ana</strong>" in client.get("/").data
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_answer(client: FlaskClient) -> None:
    wrong = client.post("/login", data={"name": "ana", "password": "nope-nope"})
    unknown = client.post("/login", data={"name": "bob", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert b"Wrong name or password." in wrong.data and b"Wrong name or password." in unknown.data


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\t/evil.example/path",  # /%09/evil.example/path once decoded
        "/\\evil.example",
        "https://evil.example/",
        "evil.example",
        "/runs\r\nSet-Cookie: x=1",
        "/\x00",
        "/" + "a" * 3000,
    ],
)
def test_next_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    response = client.post("/login", data={"name": "ana", "password": PASSWORD, "next": target})
    assert (response.status_code, response.location) == (302, "/")


def test_next_in_the_query_string_is_checked_too(client: FlaskClient) -> None:
    page = client.get("/login?next=/%09/evil.example/path")
    assert page.status_code == 200 and b"evil.example" not in page.data
    assert b'value="/runs?x=1"' in client.get("/login?next=/runs%3Fx%3D1").data


def test_logout_voids_every_copy_of_the_cookie(
    sqlite_sessions: sessionmaker[Session], client: FlaskClient, now: datetime
) -> None:
    client.post("/login", data={"name": "ana", "password": PASSWORD})
    copy = make_app(sqlite_sessions, now).test_client()
    cookie = client.get_cookie("clusterwatch_session")
    assert cookie is not None
    copy.set_cookie("clusterwatch_session", cookie.value)
    assert copy.get("/").status_code == 200
    client.post("/logout")
    assert copy.get("/").status_code == 302


def test_password_change_logs_out_other_sessions(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    add_curator(sqlite_sessions, "ana", PASSWORD, now)
    app = make_app(sqlite_sessions, now)
    here, elsewhere = app.test_client(), app.test_client()
    for client in (here, elsewhere):
        client.post("/login", data={"name": "ana", "password": PASSWORD})
    refused = here.post(
        "/account/password", data={"current": "nope", "new": "n" * 10, "repeat": "n" * 10}
    )
    assert refused.status_code == 401
    changed = here.post(
        "/account/password",
        data={"current": PASSWORD, "new": "new password 1", "repeat": "new password 1"},
    )
    assert changed.status_code == 200 and b"Password changed" in changed.data
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/login", data={"name": "ana", "password": PASSWORD}).status_code == 401
    assert (
        fresh.post("/login", data={"name": "ana", "password": "new password 1"}).status_code == 302
    )


def test_hashing_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterwatch.monitor.web import passwords

    monkeypatch.setattr(passwords, "HASHING_WAIT", 0.05)
    for _ in range(passwords.HASHING_SLOTS):
        assert passwords._SLOTS.acquire(timeout=1)
    try:
        with pytest.raises(passwords.HashingBusy):
            passwords.verify_password(None, "anything")
    finally:
        for _ in range(passwords.HASHING_SLOTS):
            passwords._SLOTS.release()
    assert passwords.verify_password(None, "anything") is False


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


def test_failed_logins_slow_the_name_down_without_locking_it(client: FlaskClient) -> None:
    for _ in range(FREE_FAILURES):
        client.post("/login", data={"name": "ana", "password": "wrong-wrong"})
    response = client.post("/login", data={"name": "ana", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Try again in 2 seconds" in response.data


def test_throttle_waits_grow_to_a_minute_at_most_and_are_forgotten(now: datetime) -> None:
    clock = [now]
    throttle = LoginThrottle(lambda: clock[0])
    for _ in range(FREE_FAILURES - 1):
        throttle.failed("Ana")
    assert throttle.wait("ana") == timedelta(0)
    waits = []
    for _ in range(10):
        throttle.failed("Ana")
        waits.append(throttle.wait("ana"))
    assert waits[0] == timedelta(seconds=2) and waits[1] == timedelta(seconds=4)
    assert max(waits) == MAX_DELAY == waits[-1]
    clock[0] = now + MAX_DELAY
    assert throttle.wait("ana") == timedelta(0)  # the real curator waited a minute, not 15
    assert throttle.wait("bob") == timedelta(0)
    clock[0] = now + timedelta(minutes=16)
    throttle.failed("ana")
    assert throttle.wait("ana") == timedelta(0)  # older failures left the window


def test_login_attempts_are_capped_per_address(client: FlaskClient) -> None:
    codes = [
        client.post("/login", data={"name": f"guess{i}", "password": "x" * 9}).status_code
        for i in range(21)
    ]
    assert codes[:20] == [401] * 20 and codes[20] == 429


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
