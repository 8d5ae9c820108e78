"""Curator writes through the web UI (monitor.web.queue and clusters): reviews, overrides, notes,
and the CSRF protection every form has."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Flag, Note, Override
from tests.web_builders import add_curator, build_world, login_as, make_app


@pytest.fixture
def client(sqlite_sessions: sessionmaker[Session], now: datetime) -> FlaskClient:
    build_world(sqlite_sessions, now, clusters=3, runs=3)
    add_curator(sqlite_sessions, "ana", "correct horse battery", now)
    client = make_app(sqlite_sessions, now).test_client()
    login_as(client, "ana")
    return client


def test_dismiss_records_reviewer_and_note_and_leaves_the_queue(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    build_world(sessions, now, clusters=3, runs=2)
    add_curator(sessions, "ana", "correct horse battery", now)
    client = make_app(sessions, now).test_client()
    login_as(client, "ana")
    response = client.post(
        "/queue/2/review",
        data={"decision": "dismissed", "note": "site redesign, not a move", "kind": "moved"},
    )
    assert (response.status_code, response.location) == (302, "/queue?kind=moved")
    with sessions() as session:
        flag = session.get(Flag, 2)
        assert flag is not None
        assert (flag.state, flag.reviewer, flag.note, flag.reviewed_at) == (
            "dismissed",
            "ana",
            "site redesign, not a move",
            now,
        )
    queue = client.get("/queue").get_data(as_text=True)
    assert 'id="flag-2"' not in queue and 'id="flag-1"' in queue
    assert "Flag 2 dismissed." in queue


def test_confirm_without_note(client: FlaskClient, sqlite_sessions: sessionmaker[Session]) -> None:
    client.post("/queue/1/review", data={"decision": "confirmed"})
    with sqlite_sessions() as session:
        flag = session.get(Flag, 1)
        assert flag is not None and (flag.state, flag.reviewer, flag.note) == (
            "confirmed",
            "ana",
            None,
        )


def test_reviewing_twice_shows_the_reason(client: FlaskClient) -> None:
    client.post("/queue/1/review", data={"decision": "confirmed"})
    page = client.post("/queue/1/review", data={"decision": "dismissed"}, follow_redirects=True)
    assert "already confirmed by ana" in page.get_data(as_text=True)


def test_override_set_then_cleared(
    client: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    client.post(
        "/clusters/c0001/overrides",
        data={"field": "internationalisation", "value": "not_interested", "note": "said so"},
    )
    with sqlite_sessions() as session:
        override = session.get(Override, ("c0001", "internationalisation"))
        assert override is not None
        assert (override.value, override.created_by, override.note) == (
            "not_interested",
            "ana",
            "said so",
        )
    page = client.get("/clusters/c0001").get_data(as_text=True)
    assert "Lift the override of internationalisation" in page
    client.post(
        "/clusters/c0001/overrides", data={"field": "internationalisation", "action": "clear"}
    )
    with sqlite_sessions() as session:
        assert session.get(Override, ("c0001", "internationalisation")) is None


def test_invalid_override_is_refused_with_its_reason(client: FlaskClient) -> None:
    page = client.post(
        "/clusters/c0001/overrides",
        data={"field": "moved_to", "value": "javascript:alert(1)"},
        follow_redirects=True,
    )
    assert "give an http(s) URL" in page.get_data(as_text=True)


def test_note_is_added_with_author(
    client: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    client.post("/clusters/c0000/notes", data={"text": "<b>called them</b>"})
    with sqlite_sessions() as session:
        note = session.scalars(select(Note)).one()
        assert (note.author, note.text) == ("ana", "<b>called them</b>")
    page = client.get("/clusters/c0000").get_data(as_text=True)
    assert "&lt;b&gt;called them&lt;/b&gt;" in page


def test_post_without_csrf_token_is_refused(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    build_world(sqlite_sessions, now, clusters=1, runs=1)
    add_curator(sqlite_sessions, "ana", "correct horse battery", now)
    client = make_app(sqlite_sessions, now, csrf=True).test_client()
    login_as(client, "ana")
    refused = client.post("/queue/1/review", data={"decision": "dismissed"})
    assert refused.status_code == 400
    assert "The form was refused" in refused.get_data(as_text=True)
    with sqlite_sessions() as session:
        flag = session.get(Flag, 1)
        assert flag is not None and flag.state == "open"
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/queue").get_data(True))
    assert token is not None
    accepted = client.post(
        "/queue/1/review", data={"decision": "dismissed", "csrf_token": token.group(1)}
    )
    assert accepted.status_code == 302


def open_flag_ids(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return sorted(session.scalars(select(Flag.id).where(Flag.state == "open")))


def test_bulk_review_then_undo_from_the_cluster_page(
    client: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    before = open_flag_ids(sqlite_sessions)
    assert len(before) >= 2
    queue = client.get("/queue").get_data(as_text=True)
    assert f'name="flag" value="{before[0]}" form="bulk"' in queue
    ticked = before[:2]
    response = client.post(
        "/queue/bulk",
        data={"decision": "dismissed", "note": "same cause", "flag": [str(i) for i in ticked]},
    )
    assert response.status_code == 302
    assert open_flag_ids(sqlite_sessions) == before[2:]
    with sqlite_sessions() as session:
        flag = session.get(Flag, ticked[0])
        assert flag is not None and (flag.state, flag.note, flag.reviewer) == (
            "dismissed",
            "same cause",
            "ana",
        )
        cluster_id = flag.cluster_id
    page = client.get(f"/clusters/{cluster_id}").get_data(as_text=True)
    assert f'action="/queue/{ticked[0]}/undo"' in page
    assert "flag dismissed" in page[page.index('id="trail"') :]
    undone = client.post(f"/queue/{ticked[0]}/undo")
    assert undone.status_code == 302 and undone.location.endswith(f"/clusters/{cluster_id}#flags")
    assert ticked[0] in open_flag_ids(sqlite_sessions)
    trail = client.get(f"/clusters/{cluster_id}").get_data(as_text=True)
    trail = trail[trail.index('id="trail"') :]
    assert trail.index("review undone") < trail.index("flag dismissed")  # newest first
    assert "same cause" in trail


def test_bulk_review_ignores_junk_ids(
    client: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    before = open_flag_ids(sqlite_sessions)
    response = client.post(
        "/queue/bulk", data={"decision": "confirmed", "flag": ["abc", "99999999999999999999999"]}
    )
    assert response.status_code == 302
    assert open_flag_ids(sqlite_sessions) == before
