"""The clusters index: search, filters and sort from the query string (web.queries.cluster_list)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster
from tests.web_builders import add_curator, build_world, login_as, make_app


@pytest.fixture
def client(sqlite_sessions: sessionmaker[Session], now: datetime) -> FlaskClient:
    build_world(sqlite_sessions, now, clusters=6, runs=2)
    with sqlite_sessions.begin() as session:
        for index, cluster in enumerate(session.query(Cluster).order_by(Cluster.id)):
            cluster.prefecture = "Hyogo" if index % 2 else "Osaka"
            cluster.name_ja = f"クラスター{index}"
    add_curator(sqlite_sessions, "ana", "correct horse battery", now)
    client = make_app(sqlite_sessions, now).test_client()
    login_as(client, "ana")
    return client


def names(client: FlaskClient, query: str) -> list[str]:
    page = client.get(f"/clusters{query}")
    assert page.status_code == 200
    return re.findall(r'<a href="/clusters/(c\d+)">', page.get_data(as_text=True))


def test_everything_by_name_by_default(client: FlaskClient) -> None:
    listed = names(client, "")
    assert len(listed) == 6 and listed == sorted(listed)


def test_filters_combine_and_search_reads_japanese_names(client: FlaskClient) -> None:
    assert names(client, "?prefecture=Hyogo") == ["c0001", "c0003", "c0005"]
    assert names(client, "?q=クラスター4") == ["c0004"]
    assert names(client, "?q=hyogo&prefecture=Osaka") == []
    assert names(client, "?prefecture=Atlantis") == names(client, "")  # not offered: ignored


def test_sort_and_order(client: FlaskClient) -> None:
    ascending = names(client, "?sort=prefecture")
    assert ascending[:3] == ["c0001", "c0003", "c0005"]  # Hyogo before Osaka, then by name
    assert names(client, "?sort=name&order=desc") == sorted(ascending, reverse=True)
    assert names(client, "?sort=nonsense") == names(client, "")


def test_filter_controls_start_at_the_chosen_values(client: FlaskClient) -> None:
    page = client.get("/clusters?prefecture=Hyogo&sort=prefecture&order=desc&q=%3Cb%3E")
    html = page.get_data(as_text=True)
    assert '<option value="Hyogo" selected>' in html
    assert '<option value="desc" selected>' in html
    assert 'value="&lt;b&gt;"' in html  # the search text is escaped
