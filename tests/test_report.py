"""clusterwatch.monitor.report and its formats: counts against a hand-counted fixture, the 2016 figures."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import ClusterState, Override
from clusterwatch.monitor.report import SCREENING_2016, SCREENING_2016_TOTAL, build_report
from clusterwatch.monitor.report_formats import (
    render_csv,
    render_json,
    render_text,
    spreadsheet_safe,
)
from clusterwatch.monitor.report_xlsx import write_xlsx
from tests.builders import add_cluster

FIXTURES = Path(__file__).parent / "fixtures" / "report"
HOSTILE = '=HYPERLINK("http://evil.example","click")\x1b[31m'


def load_fixture(sessions: sessionmaker[Session], now: datetime) -> None:
    data = json.loads((FIXTURES / "clusters.json").read_text(encoding="utf-8"))
    with sessions.begin() as session:
        for entry in data["clusters"]:
            add_cluster(session, entry["id"], entry["sector"], name=f"{entry['id']} cluster")
        session.flush()
        for entry in data["clusters"]:
            if entry.get("no_state"):
                continue
            day = entry["last_update"]
            session.add(
                ClusterState(
                    cluster_id=entry["id"],
                    status=entry["status"],
                    english_site=entry["english_site"],
                    internationalisation=entry["internationalisation"],
                    last_update=date.fromisoformat(day) if day else None,
                    last_update_evidence={"url": HOSTILE, "text": "2026年 お知らせ"},
                    evaluated_at=now,
                )
            )
            for field, value in entry.get("overrides", {}).items():
                session.add(
                    Override(cluster_id=entry["id"], field=field, value=value, created_at=now)
                )


def test_the_2016_figures_are_the_briefings() -> None:
    assert SCREENING_2016["sector"]["life_science"] == 28
    assert list(SCREENING_2016["internationalisation"].values()) == [13, 8, 10, 7, 9, 4]
    assert SCREENING_2016["activity"] == {"active": 38, "not_so_active": 13}
    assert SCREENING_2016["english_site"] == {"active": 9, "static": 18, "none": 24}
    for section in SCREENING_2016.values():
        assert sum(section.values()) == SCREENING_2016_TOTAL


def test_counts_match_the_hand_counted_fixture(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    load_fixture(sessions, now)
    expected = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    report = build_report(sessions, now)
    for key in ("sector", "internationalisation", "activity", "english_site"):
        assert report.counts(key) == expected[key], key
        assert report.section(key).total_now == 10
    assert report.section("sector").total_2016 == 51
    assert report.section("activity").lines[-1].in_2016 is None  # no "unknown" in 2016


def test_text_shows_both_columns_and_no_escape_sequences(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    load_fixture(sqlite_sessions, now)
    text = render_text(build_report(sqlite_sessions, now))
    assert "\x1b" not in text
    line = next(line for line in text.splitlines() if line.startswith("Life science"))
    assert line.split()[-2:] == ["4", "28"]


def csv_blocks(text: str) -> tuple[list[list[str]], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    split = rows.index([])
    return rows[:split], rows[split + 1 :]


def test_csv_has_the_summary_then_the_clusters_with_formulas_escaped(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    load_fixture(sqlite_sessions, now)
    summary, clusters = csv_blocks(render_csv(build_report(sqlite_sessions, now)))
    assert summary[0] == ["section", "category", "label", "now", "2016"]
    assert ["Website activity", "active", "Active", "5", "38"] in summary
    assert ["Internationalisation", "not_interested"] in [row[:2] for row in summary]
    header, *rows = clusters
    assert len(rows) == 10
    url_column = header.index("last update URL")
    assert all(row[url_column].startswith("'=") for row in rows if row[url_column])


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_spreadsheet_safe(prefix: str) -> None:
    assert spreadsheet_safe(f"{prefix}1+1") == f"'{prefix}1+1"
    assert spreadsheet_safe("1+1") == "1+1"
    assert spreadsheet_safe(-3) == -3


def test_json_keeps_rows_and_sections(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    load_fixture(sqlite_sessions, now)
    data: dict[str, Any] = json.loads(render_json(build_report(sqlite_sessions, now)))
    assert data["clusters_total"] == {"now": 10, "2016": 51}
    activity = next(s for s in data["sections"] if s["key"] == "activity")
    assert activity["lines"][0] == {"key": "active", "label": "Active", "now": 5, "2016": 38}


def test_xlsx_has_styled_frozen_sheets_and_escaped_cells(
    sqlite_sessions: sessionmaker[Session], now: datetime, tmp_path: Path
) -> None:
    load_fixture(sqlite_sessions, now)
    target = tmp_path / "out" / "screening.xlsx"
    write_xlsx(build_report(sqlite_sessions, now), target)
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Clusters"]
    clusters = book["Clusters"]
    assert clusters.freeze_panes == "A2" and book["Summary"].freeze_panes == "A2"
    assert clusters["A1"].font.bold
    assert clusters.column_dimensions["B"].width == 36
    headers = [cell.value for cell in clusters[1]]
    column = headers.index("last update URL") + 1
    values = [clusters.cell(row=r, column=column).value for r in range(2, clusters.max_row + 1)]
    assert values.count(None) == 1 and all(v.startswith("'=") for v in values if v)
    assert [p.name for p in target.parent.iterdir()] == ["screening.xlsx"]  # no temporary left
