"""monitor.web.candidates: the discovery queue in the web UI, accept and reject by role."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Candidate, Cluster
from clusterwatch.db.store.users import Role
from tests.test_digest import add_candidate
from tests.test_web_roles import client_as
from tests.web_builders import build_world

HOSTILE = "<script>alert(1)</script>協議会"


@pytest.fixture
def world(sqlite_sessions: sessionmaker[Session], now: datetime) -> sessionmaker[Session]:
    build_world(sqlite_sessions, now, clusters=2, runs=1)
    with sqlite_sessions.begin() as session:
        add_candidate(session, "www.sendai-ai.jp", "仙台AIコンソーシアム", 9.0, now, by="c0000")
        add_candidate(session, "www.evil.example.jp", HOSTILE, 6.0, now, by="c0001")
        add_candidate(session, "weak.example.jp", "株式会社ウィーク", 1.0, now, by="c0001")
    return sqlite_sessions


def candidate_id(sessions: sessionmaker[Session], host: str) -> int:
    with sessions() as session:
        found = session.query(Candidate).filter_by(host=host).one()
        return found.id


def test_the_queue_shows_evidence_escaped_and_hides_weak_candidates(
    world: sessionmaker[Session], now: datetime
) -> None:
    viewer = client_as(world, now, Role.VIEWER)
    page = viewer.get("/candidates").get_data(as_text=True)
    assert "仙台AIコンソーシアム" in page and "株式会社ウィーク" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;協議会" in page and "<script>alert" not in page
    assert 'action="/candidates/' not in page  # a viewer is offered no form
    target = candidate_id(world, "www.sendai-ai.jp")
    assert viewer.post(f"/candidates/{target}/accept").status_code == 403


def test_a_curator_accepts_one_and_rejects_another(
    world: sessionmaker[Session], now: datetime
) -> None:
    curator = client_as(world, now, Role.CURATOR)
    accepted = candidate_id(world, "www.sendai-ai.jp")
    response = curator.post(f"/candidates/{accepted}/accept", data={"sector": "ict"})
    assert (response.status_code, response.location) == (302, "/clusters/www-sendai-ai")
    with world() as session:
        cluster = session.get(Cluster, "www-sendai-ai")
        assert cluster is not None and cluster.urls == ["https://www.sendai-ai.jp/"]
    rejected = candidate_id(world, "www.evil.example.jp")
    assert curator.post(f"/candidates/{rejected}/reject", data={"note": "spam"}).status_code == 302
    page = curator.get("/candidates").get_data(as_text=True)
    assert "仙台AIコンソーシアム" not in page and "alert(1)" not in page
    again = curator.post(f"/candidates/{rejected}/reject")
    assert again.status_code == 302
    assert "rejected, not open" in curator.get("/candidates").get_data(as_text=True)
