"""clusterwatch.monitor.review: flag reviews, overrides and notes, and the errors curators see."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Flag, Note, Override
from clusterwatch.monitor.clusters_view import cluster_rows
from clusterwatch.monitor.review import (
    ReviewError,
    add_note,
    clear_override,
    review_flag,
    set_override,
    validate_override,
)
from tests.builders import add_cluster


def with_flag(sessions: sessionmaker[Session], now: datetime) -> int:
    with sessions.begin() as session:
        add_cluster(session, "kobe")
        session.flush()
        flag = Flag(
            cluster_id="kobe",
            kind="moved",
            state="open",
            created_at=now,
            evidence=[{"url": "https://x.example/", "text": "moved", "date": "2026-11-24"}],
            evidence_key="k" * 64,
        )
        session.add(flag)
        session.flush()
        return flag.id


def test_a_flag_is_reviewed_once(sessions: sessionmaker[Session], now: datetime) -> None:
    flag_id = with_flag(sessions, now)
    record = review_flag(sessions, flag_id, "dismissed", "  old redirect ", "ana", now)
    assert (record.state, record.note, record.reviewer, record.reviewed_at) == (
        "dismissed",
        "old redirect",
        "ana",
        now,
    )
    with pytest.raises(ReviewError, match=r"already dismissed by ana"):
        review_flag(sessions, flag_id, "confirmed", None, "bo", now)
    with sessions() as session:
        stored = session.get(Flag, flag_id)
        assert stored is not None and stored.state == "dismissed"


def test_review_errors_name_the_problem_and_the_fix(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    flag_id = with_flag(sqlite_sessions, now)
    with pytest.raises(ReviewError, match=r"flag 999 does not exist.*clusterwatch flags"):
        review_flag(sqlite_sessions, 999, "confirmed", None, None, now)
    with pytest.raises(ReviewError, match=r"decision 'maybe': use one of confirmed, dismissed"):
        review_flag(sqlite_sessions, flag_id, "maybe", None, None, now)
    with pytest.raises(ReviewError, match=r"shorten it to 4000"):
        review_flag(sqlite_sessions, flag_id, "confirmed", "x" * 4001, None, now)


def test_overrides_are_set_shown_and_lifted(sessions: sessionmaker[Session], now: datetime) -> None:
    with sessions.begin() as session:
        add_cluster(session, "kobe")
    set_override(sessions, "kobe", "internationalisation", "not_interested", "asked", "ana", now)
    set_override(sessions, "kobe", "status", "dormant", None, "ana", now)
    set_override(sessions, "kobe", "status", "parked", None, "bo", now)  # replaces
    (row,) = cluster_rows(sessions, now)
    assert (row.status, row.internationalisation) == ("parked", "not_interested")
    assert row.overrides["status"]["by"] == "bo"
    assert row.overrides["status"]["computed"] == "unknown"
    clear_override(sessions, "kobe", "status", "ana", now)
    (row,) = cluster_rows(sessions, now)
    assert row.status == "unknown" and set(row.overrides) == {"internationalisation"}
    with sessions() as session:
        notes = list(session.scalars(select(Note.text)))
    assert notes == ["override of status lifted"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "red", r"field 'colour' cannot be overridden"),
        ("status", "sleepy", r"status value 'sleepy': use one of active, dormant"),
        ("english_site", "yes", r"use one of active, static, none"),
        ("moved_to", "javascript:alert(1)", r"give an http\(s\) URL"),
        ("main_language", "french", r"give an ISO 639-1 code"),
        ("main_language", "<b>", r"give an ISO 639-1 code"),
    ],
)
def test_bad_override_values_are_refused(field: str, value: str, message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        validate_override(field, value)


@pytest.mark.parametrize("code", ["ja", "en", "de", "zh", "KO"])
def test_any_language_code_is_a_main_language(code: str) -> None:
    assert validate_override("main_language", code) == code.lower()


def test_refusals_write_nothing(sqlite_sessions: sessionmaker[Session], now: datetime) -> None:
    with sqlite_sessions.begin() as session:
        add_cluster(session, "kobe")
    with pytest.raises(ReviewError, match=r"cluster 'nowhere' does not exist"):
        set_override(sqlite_sessions, "nowhere", "status", "active", None, None, now)
    with pytest.raises(ReviewError, match=r"has no override of status; nothing to clear"):
        clear_override(sqlite_sessions, "kobe", "status", None, now)
    with pytest.raises(ReviewError, match=r"the note is empty"):
        add_note(sqlite_sessions, "kobe", "   ", "ana", now)
    with sqlite_sessions() as session:
        assert list(session.scalars(select(Override))) == []
        assert list(session.scalars(select(Note))) == []
    assert validate_override("moved_to", " https://new.example.com/ ") == "https://new.example.com/"
    note_id = add_note(sqlite_sessions, "kobe", "called them", None, now)
    with sqlite_sessions() as session:
        note = session.get(Note, note_id)
        assert note is not None and (note.author, note.text) == ("curator", "called them")
