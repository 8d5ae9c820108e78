"""The monitor's commands through click's CliRunner: exact JSON keys, refusals with exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Cluster, Override
from clusterwatch.monitor.cli import cli
from tests.builders import World, eu_signal, failed, ok

STATUS_KEYS = [
    "id", "name", "sector", "status", "why", "moved_to", "last_update", "last_update_evidence",
    "main_language", "english_site", "internationalisation", "eu_signals", "failing_streak",
    "last_crawl", "open_flags", "overrides", "why_detail",
]  # fmt: skip
FLAG_KEYS = [
    "id", "cluster_id", "kind", "state", "created_at", "run_id", "evidence", "note", "reviewer",
    "reviewed_at",
]  # fmt: skip
HOSTILE_NAME = "Evil\x1b[2J\x1b]0;pwned\x07 Cluster"


@pytest.fixture
def crawled(sqlite_url: str, sqlite_sessions: sessionmaker[Session]) -> str:
    """Two clusters over three nights: kobe gains an EU signal, dead goes unreachable."""
    world = World(sqlite_sessions)
    world.clusters("kobe", "dead")
    with sqlite_sessions.begin() as session:
        cluster = session.get(Cluster, "dead")
        assert cluster is not None
        cluster.name = HOSTILE_NAME
    signal = eu_signal("2026-01-01", "https://kobe.example.jp/n/1", "Medicon Valley AllianceとMoU")
    world.night({"kobe": ok(), "dead": ok()})
    world.night({"kobe": ok(eu_signals=[signal]), "dead": failed()})
    world.night({"kobe": ok(eu_signals=[signal]), "dead": failed("refused")})
    world.night({"kobe": ok(eu_signals=[signal]), "dead": failed("timeout")})
    return sqlite_url


def run(*args: str) -> Result:
    env = {"CLUSTERWATCH_DB": "", "COLUMNS": "250"}  # wide enough that no cell wraps
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_evaluate_then_status_json_has_exactly_the_issue_keys(crawled: str) -> None:
    assert "evaluated 4 runs" in run("evaluate", "--db", crawled).output
    rows = as_json(run("status", "--format", "json", "--db", crawled))
    assert [list(row) for row in rows] == [STATUS_KEYS, STATUS_KEYS]
    dead, kobe = rows
    assert (dead["status"], dead["failing_streak"]) == ("unreachable", 3)
    assert dead["why"].startswith("unreachable: failed 3 runs in a row")
    assert kobe["eu_signals"] == [
        {
            "date": "2026-01-01",
            "url": "https://kobe.example.jp/n/1",
            "text": "Medicon Valley AllianceとMoU",
        }
    ]
    assert list(kobe["last_update_evidence"]) == ["url", "text"]
    assert kobe["last_update"] == "2026-10-01" and kobe["last_crawl"].startswith("2026-01-05")


def test_status_table_and_csv_strip_terminal_escapes(crawled: str) -> None:
    run("evaluate", "--db", crawled)
    run("override", "kobe", "status", "dormant", "--db", crawled)
    table = run("status", "--db", crawled).output
    assert "\x1b" not in table and "\x07" not in table
    assert "dormant*" in table
    assert "unreachable: failed 3 runs in a row, last: timed out after 30 s" in table
    lines = run("status", "--format", "csv", "--db", crawled).output.splitlines()
    assert lines[0].startswith("id,name,sector,status,why,moved_to,last_update,")
    assert "unreachable: failed 3 runs in a row" in "".join(lines)
    assert "\x1b" not in "".join(lines)


@pytest.mark.parametrize("columns", [80, 120])
def test_the_status_table_fits_columns_and_wraps_the_why(crawled: str, columns: int) -> None:
    run("evaluate", "--db", crawled)
    result = CliRunner().invoke(
        cli, ["status", "--db", crawled], env={"CLUSTERWATCH_DB": "", "COLUMNS": str(columns)}
    )
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns, result.output
    why_at = lines[0].index("why")
    why = " ".join(line[why_at:].strip() for line in lines[2:] if line[why_at:].strip())
    assert "unreachable: failed 3 runs in a row, last: timed out after 30 s" in why


def test_flags_json_keys_review_and_refusals(crawled: str) -> None:
    run("evaluate", "--db", crawled)
    flags = as_json(run("flags", "--format", "json", "--db", crawled))
    assert [list(flag) for flag in flags] == [FLAG_KEYS] * len(flags)
    kinds = {flag["kind"]: flag for flag in flags}
    assert set(kinds) == {"new_eu_signal", "unreachable"}
    target = kinds["unreachable"]["id"]
    nobody = run("review", str(target), "--dismiss", "--by", "ana", "--db", crawled)
    assert nobody.exit_code == 2 and "names no account" in nobody.output
    added = CliRunner().invoke(
        cli, ["user", "add", "ana", "--password-stdin", "--db", crawled], input="long-enough\n"
    )
    assert added.exit_code == 0, added.output
    reviewed = run("review", str(target), "--dismiss", "--note", "our DNS", "--by", "ana", "--db",
                   crawled)  # fmt: skip
    assert reviewed.exit_code == 0 and "dismissed by ana" in reviewed.output
    dismissed = as_json(run("flags", "--state", "dismissed", "--format", "json", "--db", crawled))
    assert [(f["id"], f["note"], f["reviewer"]) for f in dismissed] == [(target, "our DNS", "ana")]
    assert len(as_json(run("flags", "--state", "all", "--format", "json", "--db", crawled))) == 2
    again = run("review", str(target), "--confirm", "--db", crawled)
    assert again.exit_code == 2 and "already dismissed" in again.output
    neither = run("review", str(target), "--db", crawled)
    assert (
        neither.exit_code == 2 and "exactly one of --confirm, --dismiss or --undo" in neither.output
    )
    undone = run(
        "review", str(target), "--undo", "--note", "was our DNS after all?", "--db", crawled
    )
    assert undone.exit_code == 0 and "reopened by" in undone.output
    assert "(shell)" in undone.output  # no --by: the system user is recorded
    trail = run("history", kinds["unreachable"]["cluster_id"], "--db", crawled).output
    assert "flag_dismissed" in trail and "review_undone" in trail and "ana" in trail
    both = run("review", str(kinds["new_eu_signal"]["id"]), "--confirm", "--dismiss", "--db",
               crawled)  # fmt: skip
    assert both.exit_code == 2
    assert run("flags", "--state", "closed", "--db", crawled).exit_code == 2


def test_override_refuses_bad_input_and_writes_nothing(
    crawled: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    bad_value = run("override", "kobe", "status", "sleepy", "--db", crawled)
    assert bad_value.exit_code == 2 and "use one of active, dormant" in bad_value.output
    bad_field = run("override", "kobe", "colour", "red", "--db", crawled)
    assert bad_field.exit_code == 2 and "FIELD" in bad_field.output
    unknown = run("override", "nowhere", "status", "active", "--db", crawled)
    assert unknown.exit_code == 2 and "cluster 'nowhere' does not exist" in unknown.output
    both = run("override", "kobe", "status", "active", "--clear", "--db", crawled)
    assert both.exit_code == 2
    with sqlite_sessions() as session:
        assert list(session.scalars(select(Override))) == []
    assert run("override", "kobe", "internationalisation", "not_interested", "--note", "said so",
               "--db", crawled).exit_code == 0  # fmt: skip
    (kobe,) = [r for r in as_json(run("status", "--format", "json", "--db", crawled))
               if r["id"] == "kobe"]  # fmt: skip
    assert kobe["internationalisation"] == "not_interested"
    assert kobe["overrides"]["internationalisation"]["note"] == "said so"
    assert (
        run("override", "kobe", "internationalisation", "--clear", "--db", crawled).exit_code == 0
    )


def test_history_shows_runs_statuses_and_flags(crawled: str) -> None:
    run("evaluate", "--db", crawled)
    output = run("history", "dead", "--db", crawled).output
    assert output.count("refused") == 1 and "unreachable" in output
    assert "Flags of dead" in output
    missing = run("history", "nowhere", "--db", crawled)
    assert missing.exit_code == 2 and "no cluster 'nowhere'" in missing.output


def test_report_formats_and_xlsx_needs_out(crawled: str, tmp_path: Path) -> None:
    run("evaluate", "--db", crawled)
    refused = run("report", "--format", "xlsx", "--db", crawled)
    assert refused.exit_code == 2 and "--out" in refused.output
    target = tmp_path / "screening.xlsx"
    assert run("report", "--format", "xlsx", "--out", str(target), "--db", crawled).exit_code == 0
    assert load_workbook(target).sheetnames == ["Summary", "Clusters"]
    data = as_json(run("report", "--format", "json", "--db", crawled))
    assert data["clusters_total"] == {"now": 2, "2016": 51}
    text = run("report", "--db", crawled).output
    assert "Internationalisation" in text and "\x1b" not in text
    csv_out = tmp_path / "screening.csv"
    assert run("report", "--format", "csv", "--out", str(csv_out), "--db", crawled).exit_code == 0
    assert csv_out.read_text(encoding="utf-8").startswith("section,category,label,now,2016")
    nowhere = run("report", "--out", str(tmp_path / "no" / "r.txt"), "--db", crawled)
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.output


def test_evaluate_waits_for_a_running_crawl(
    crawled: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    from clusterwatch.monitor.locks import crawl_lock

    with crawl_lock(sqlite_sessions, "crawl@test"):
        busy = CliRunner().invoke(cli, ["evaluate", "--db", crawled])
    assert busy.exit_code == 4 and "a crawl is running" in busy.output
    done = CliRunner().invoke(cli, ["evaluate", "--db", crawled])
    assert done.exit_code == 0 and "evaluated 4 runs" in done.output


def test_a_narrow_table_never_cuts_the_id_column() -> None:
    from clusterwatch.monitor.text_table import render_table

    rows = [["a-rather-long-cluster-id", "active", "x" * 60], ["b", "dormant", "y" * 60]]
    table = render_table(("id", "status", "why"), rows, wrap="why", width=50)
    assert "a-rather-long-cluster-id" in table
    assert all(len(line) <= 50 for line in table.splitlines())  # the others gave way
