"""The audit trail (db.store.audit, written by monitor.review and the user commands)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import audit
from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.review import (
    ReviewError,
    add_note,
    clear_override,
    review_flag,
    set_override,
    undo_review,
)
from tests.test_review import with_flag


def trail(sessions: sessionmaker[Session], cluster_id: str = "kobe") -> list[tuple[object, ...]]:
    with sessions() as session:
        return [
            (e.actor, e.action, e.entity, e.entity_id, e.old, e.new, e.note)
            for e in audit.events_of_cluster(session, cluster_id)
        ]


def test_every_curator_action_is_in_the_trail_with_old_and_new(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    flag_id = with_flag(sessions, now)
    later = now + timedelta(minutes=5)
    set_override(sessions, "kobe", "status", "dormant", "site empty", "ana", now)
    set_override(sessions, "kobe", "status", "active", "news again", "bo", later)
    clear_override(sessions, "kobe", "status", "ana", later)
    review_flag(sessions, flag_id, "confirmed", "right", "bo", later)
    undo_review(sessions, flag_id, "too fast", "ana", later)
    add_note(sessions, "kobe", "met them in Lyon", "bo", later)
    events = trail(sessions)
    assert [e[1] for e in events] == [
        "override_set",
        "override_set",
        "override_lifted",
        "move_accepted",  # the flag is a `moved` one: confirming it moved the home URL
        "flag_confirmed",
        "move_undone",
        "review_undone",
        "note_added",
    ]
    by_action = {e[1]: e for e in events[2:]}
    # replacing an override keeps the replaced value, its author and note
    assert events[1][4] == {"value": "dormant", "note": "site empty", "by": "ana"}
    assert events[1][5] == {"value": "active", "note": "news again", "by": "bo"}
    assert events[2][4] == {"value": "active", "note": "news again", "by": "bo"}
    undone = by_action["review_undone"]
    assert undone[4] == {"state": "confirmed", "reviewer": "bo", "note": "right"}
    assert undone[0] == "ana" and undone[6] == "too fast"


def test_undo_reopens_the_flag_and_refuses_an_open_one(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    flag_id = with_flag(sqlite_sessions, now)
    with pytest.raises(ReviewError, match="no review to undo"):
        undo_review(sqlite_sessions, flag_id, None, "ana", now)
    review_flag(sqlite_sessions, flag_id, "dismissed", None, "ana", now)
    assert undo_review(sqlite_sessions, flag_id, None, "ana", now).state == "open"
    assert review_flag(sqlite_sessions, flag_id, "confirmed", None, "ana", now).state == "confirmed"


def test_account_changes_are_in_the_trail(
    sqlite_url: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    runner = CliRunner()
    args = ["--password-stdin", "--db", sqlite_url]
    runner.invoke(cli, ["user", "add", "ana", "--role", "viewer", *args], input="long-enough\n")
    runner.invoke(cli, ["user", "role", "ana", "curator", "--db", sqlite_url])
    runner.invoke(cli, ["user", "passwd", "ana", *args], input="longer-still\n")
    runner.invoke(cli, ["user", "remove", "ana", "--db", sqlite_url])
    with sqlite_sessions() as session:
        events = audit.recent_events(session)
    events.reverse()
    assert [(e.action, e.entity_id, e.old, e.new) for e in events[:3]] == [
        ("user_added", "ana", None, {"role": "viewer"}),
        ("role_changed", "ana", {"role": "viewer"}, {"role": "curator"}),
        ("password_changed", "ana", None, None),
    ]
    removed = events[3]
    assert (removed.action, removed.new) == ("user_removed", None)
    # the removed account's creation time tells it from a later account of the same name
    assert (
        removed.old is not None and removed.old["role"] == "curator" and removed.old["created_at"]
    )
    assert all(e.actor.endswith(" (shell)") for e in events)
