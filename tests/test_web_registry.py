"""monitor.web.registry: curators add, edit, retire and restore clusters from the web UI."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster
from clusterwatch.db.store.users import Role
from tests.test_web_roles import client_as
from tests.web_builders import build_world

NEW = {
    "id": "nagoya",
    "name": "Nagoya <b>Cluster</b>",
    "sector": "automotive",
    "urls": "https://nagoya.example.jp/\nhttps://nagoya.example.jp/en/",
}


@pytest.fixture
def curator(sqlite_sessions: sessionmaker[Session], now: datetime) -> FlaskClient:
    build_world(sqlite_sessions, now, clusters=2, runs=2)
    return client_as(sqlite_sessions, now, Role.CURATOR)


def cluster(sessions: sessionmaker[Session], cluster_id: str) -> Cluster | None:
    with sessions() as session:
        return session.get(Cluster, cluster_id)


def test_add_edit_retire_restore(
    curator: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    added = curator.post("/registry/new", data=NEW)
    assert (added.status_code, added.location) == (302, "/clusters/nagoya")
    page = curator.get("/clusters/nagoya").get_data(as_text=True)
    assert "Nagoya &lt;b&gt;Cluster&lt;/b&gt;" in page and "cluster added" in page
    form = curator.get("/registry/nagoya/edit").get_data(as_text=True)
    assert '<option value="automotive" selected>' in form  # the form starts at the current values
    edited = curator.post("/registry/nagoya/edit", data={**NEW, "prefecture": "Aichi"})
    assert edited.status_code == 302
    found = cluster(sqlite_sessions, "nagoya")
    assert found is not None and found.prefecture == "Aichi"
    assert curator.post("/registry/nagoya/retire", data={"note": "merged"}).status_code == 302
    found = cluster(sqlite_sessions, "nagoya")
    assert found is not None and found.retired_at is not None
    assert "Restore" in curator.get("/clusters/nagoya").get_data(as_text=True)
    curator.post("/registry/nagoya/restore")
    found = cluster(sqlite_sessions, "nagoya")
    assert found is not None and found.retired_at is None


def test_a_refused_form_keeps_what_was_typed_and_writes_nothing(
    curator: FlaskClient, sqlite_sessions: sessionmaker[Session]
) -> None:
    refused = curator.post("/registry/new", data={**NEW, "urls": "ftp://nagoya.example.jp/"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "field &#39;urls&#39;" in page or "field 'urls'" in page
    assert 'value="nagoya"' in page
    assert cluster(sqlite_sessions, "nagoya") is None


def test_a_viewer_cannot_change_the_registry(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    build_world(sqlite_sessions, now, clusters=1, runs=1)
    viewer = client_as(sqlite_sessions, now, Role.VIEWER)
    assert viewer.post("/registry/new", data=NEW).status_code == 403
    assert viewer.post("/registry/c0000/retire").status_code == 403
    assert "Add a cluster" not in viewer.get("/clusters").get_data(as_text=True)
