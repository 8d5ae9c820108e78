"""clusterwatch.monitor.web.roles: viewers read, curators act; the server refuses, the UI hides."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store.users import Role, UserError, add_user, find_user, parse_role
from clusterwatch.monitor.cli import cli
from tests.web_builders import CHEAP_HASHER, build_world, login_as, make_app

WRITES = [
    ("/queue/1/review", {"decision": "dismissed"}),
    ("/clusters/c0000/overrides", {"field": "status", "action": "set", "value": "active"}),
    ("/clusters/c0000/notes", {"text": "seen at a fair"}),
]


def client_as(sessions: sessionmaker[Session], now: datetime, role: Role) -> FlaskClient:
    with sessions.begin() as session:
        add_user(session, role.value, CHEAP_HASHER.hash("irrelevant"), now, role)
    client = make_app(sessions, now).test_client()
    login_as(client, role.value)
    return client


@pytest.fixture
def world(sqlite_sessions: sessionmaker[Session], now: datetime) -> sessionmaker[Session]:
    build_world(sqlite_sessions, now, clusters=2, runs=3)
    return sqlite_sessions


@pytest.mark.parametrize(("path", "form"), WRITES)
def test_a_viewer_is_refused_every_change(
    world: sessionmaker[Session], now: datetime, path: str, form: dict[str, str]
) -> None:
    viewer = client_as(world, now, Role.VIEWER)
    response = viewer.post(path, data=form)
    assert response.status_code == 403
    assert b"needs the curator role" in response.data


@pytest.mark.parametrize(("path", "form"), WRITES)
def test_a_curator_may_make_each_change(
    world: sessionmaker[Session], now: datetime, path: str, form: dict[str, str]
) -> None:
    curator = client_as(world, now, Role.CURATOR)
    assert curator.post(path, data=form).status_code == 302


def test_a_viewer_sees_no_forms_a_curator_does(world: sessionmaker[Session], now: datetime) -> None:
    viewer = client_as(world, now, Role.VIEWER)
    curator = client_as(world, now, Role.CURATOR)
    for path in ("/queue", "/clusters/c0000"):
        assert viewer.get(path).status_code == 200
        assert b'method="post" action="/queue/' not in viewer.get(path).data
        assert b'action="/clusters/c0000/notes"' not in viewer.get(path).data
    assert b'action="/clusters/c0000/notes"' in curator.get("/clusters/c0000").data


def test_override_form_starts_at_the_current_value(
    world: sessionmaker[Session], now: datetime
) -> None:
    curator = client_as(world, now, Role.CURATOR)
    page = curator.get("/clusters/c0000").get_data(as_text=True)
    start = page.index('id="ov-status"')
    select = page[start : page.index("</select>", start)]
    assert select.count(" selected") == 1


def test_roles_order_and_parsing() -> None:
    assert Role.ADMIN.allows(Role.CURATOR) and Role.CURATOR.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.CURATOR) and not Role.CURATOR.allows(Role.ADMIN)
    assert parse_role(" Admin ") is Role.ADMIN
    with pytest.raises(UserError, match="viewer, curator, admin"):
        parse_role("root")


def test_cli_sets_and_changes_roles(
    sqlite_url: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli,
        ["user", "add", "vi", "--role", "viewer", "--password-stdin", "--db", sqlite_url],
        input="long-enough\n",
    )
    assert added.exit_code == 0, added.output
    changed = runner.invoke(cli, ["user", "role", "vi", "admin", "--db", sqlite_url])
    assert changed.exit_code == 0, changed.output
    with sqlite_sessions() as session:
        account = find_user(session, "vi")
        assert account is not None and account.role == "admin"
    listed = runner.invoke(cli, ["user", "list", "--db", sqlite_url])
    assert listed.output.strip().endswith("\tadmin")
    bad = runner.invoke(cli, ["user", "role", "vi", "root", "--db", sqlite_url])
    assert bad.exit_code == 2 and "root" in bad.output
