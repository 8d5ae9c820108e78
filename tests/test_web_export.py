"""clusterwatch.monitor.web.exports: the screening downloads parse as CSV and as an XLSX workbook."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from tests.web_builders import HOSTILE_TITLE, add_curator, build_world, login_as, make_app


@pytest.fixture
def client(sqlite_sessions: sessionmaker[Session], now: datetime) -> FlaskClient:
    build_world(sqlite_sessions, now, clusters=4, runs=2, news_title="=HYPERLINK(" + HOSTILE_TITLE)
    add_curator(sqlite_sessions, "ana", "correct horse battery", now)
    client = make_app(sqlite_sessions, now).test_client()
    login_as(client, "ana")
    return client


def test_csv_download_parses_and_lists_every_cluster(client: FlaskClient) -> None:
    response = client.get("/export/screening.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        'filename="clusterwatch-screening-2026-11-25.csv"'
        in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    flat = [cell for row in rows for cell in row]
    for index in range(4):
        assert f"c000{index}" in flat
    assert not any(cell.startswith("=") for cell in flat)  # formula injection neutralised


def test_xlsx_download_opens_in_openpyxl(client: FlaskClient) -> None:
    response = client.get("/export/screening.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    values = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    book.close()
    assert "c0003" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_export_page_links_both_files(client: FlaskClient) -> None:
    body = client.get("/export").get_data(as_text=True)
    assert 'href="/export/screening.xlsx"' in body and 'href="/export/screening.csv"' in body
