"""monitor.registry and `clusterwatch cluster|seeds`: the registry, its imports and curators' edits."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.crawler.seeds import Seed, parse_seeds
from clusterwatch.db.models import Cluster, Flag
from clusterwatch.db.store import audit
from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.registry import (
    RegistryError,
    add_cluster,
    edit_cluster,
    export_seeds,
    import_seeds,
    retire_cluster,
)
from clusterwatch.monitor.review import review_flag, undo_review

SEEDS = """\
clusters:
  - id: kobe
    name: Kobe Cluster
    name_ja: 神戸クラスター
    sector: life_science
    prefecture: Hyogo
    urls: [https://old.kobe.example.jp/, https://old.kobe.example.jp/en/, https://new.kobe.example.jp/]
    baseline_2016: {english_site: true, eu_partners: [Flanders Bio]}
  - id: sendai
    name: Sendai Cluster
    sector: ict
    urls: [https://sendai.example.jp/]
"""


def load(text: str = SEEDS) -> list[Seed]:
    return parse_seeds(text, "seeds.yaml")


def row(sessions: sessionmaker[Session], cluster_id: str) -> Cluster:
    with sessions() as session:
        found = session.get(Cluster, cluster_id)
        assert found is not None
        return found


def test_first_import_adds_and_export_round_trips(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    first = import_seeds(sessions, load(), "ana", now, "seeds.yaml")
    assert first.added == ["kobe", "sendai"] and not first.conflicts
    exported = export_seeds(sessions, now)
    again = import_seeds(sessions, parse_seeds(exported, "export.yaml"), "ana", now, "export.yaml")
    assert not again.changed and not again.conflicts and not again.kept
    assert export_seeds(sessions, now) == exported
    assert "神戸クラスター" in exported and "Flanders Bio" in exported


def test_import_keeps_what_curators_did_and_reports_conflicts(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    import_seeds(sqlite_sessions, load(), "ana", now, "seeds.yaml")
    edit_cluster(sqlite_sessions, "kobe", {"name": "Kobe Biomedical Cluster"}, "ana", now)
    retire_cluster(sqlite_sessions, "sendai", "bo", now, "merged into tohoku")
    add_cluster(
        sqlite_sessions,
        "nagoya",
        {"name": "Nagoya", "sector": "automotive", "urls": ["https://n.example.jp/"]},
        "bo",
        now,
    )
    changed_file = SEEDS.replace("Hyogo", "Hyōgo").replace("Kobe Cluster", "Kobe Cluster (KBIC)")
    report = import_seeds(
        sqlite_sessions, load(changed_file), "ci", now + timedelta(1), "seeds.yaml"
    )
    kobe = row(sqlite_sessions, "kobe")
    assert kobe.name == "Kobe Biomedical Cluster"  # the curator's value stays
    assert kobe.prefecture == "Hyōgo"  # a field nobody curated follows the file
    assert report.updated == ["kobe"] and report.kept == ["nagoya"]
    conflicts = {(c.cluster_id, c.field) for c in report.conflicts}
    assert conflicts == {("sendai", "retired"), ("kobe", "name")}
    message = str(next(c for c in report.conflicts if c.field == "name"))
    assert (
        "Kobe Cluster (KBIC)" in message
        and "ana" in message
        and "kept the curator's value" in message
    )
    assert row(sqlite_sessions, "sendai").retired_at is not None
    assert row(sqlite_sessions, "nagoya").retired_at is None


def test_a_cluster_dropped_from_the_file_is_retired_then_restored(
    sqlite_sessions: sessionmaker[Session], now: datetime
) -> None:
    import_seeds(sqlite_sessions, load(), "ana", now, "seeds.yaml")
    only_kobe = SEEDS.split("  - id: sendai")[0]
    assert import_seeds(sqlite_sessions, load(only_kobe), "ana", now, "s").retired == ["sendai"]
    assert import_seeds(sqlite_sessions, load(), "ana", now, "s").restored == ["sendai"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"name": "X", "sector": "toys", "urls": ["https://x.example.jp/"]}, "sector"),
        ({"name": "X", "sector": "ict", "urls": ["ftp://x.example.jp/"]}, "urls"),
        ({"name": "X", "sector": "ict"}, "urls"),
    ],
)
def test_added_clusters_get_the_seeds_checks(
    sqlite_sessions: sessionmaker[Session], now: datetime, values: dict[str, object], field: str
) -> None:
    with pytest.raises(RegistryError, match=f"field '{field}'"):
        add_cluster(sqlite_sessions, "x", values, "ana", now)
    with pytest.raises(RegistryError, match="field 'id'"):
        add_cluster(
            sqlite_sessions,
            "Bad Id",
            {"name": "X", "sector": "ict", "urls": ["https://x.jp/"]},
            "ana",
            now,
        )


def test_confirming_a_move_moves_the_home_and_undo_puts_it_back(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    import_seeds(sessions, load(), "ana", now, "seeds.yaml")
    with sessions.begin() as session:
        flag = Flag(
            cluster_id="kobe",
            kind="moved",
            state="open",
            created_at=now,
            evidence=[{"url": "https://new.kobe.example.jp/", "text": "redirects", "date": None}],
            evidence_key="m" * 64,
        )
        session.add(flag)
        session.flush()
        flag_id = flag.id
    review_flag(sessions, flag_id, "confirmed", None, "ana", now)
    assert row(sessions, "kobe").urls == ["https://new.kobe.example.jp/"]
    # the old seeds file no longer brings the old home back
    report = import_seeds(sessions, load(), "ci", now, "seeds.yaml")
    assert [(c.cluster_id, c.field) for c in report.conflicts] == [("kobe", "urls")]
    assert row(sessions, "kobe").urls == ["https://new.kobe.example.jp/"]
    undo_review(sessions, flag_id, "wrong", "ana", now)
    assert row(sessions, "kobe").urls[0] == "https://old.kobe.example.jp/"
    with sessions() as session:
        actions = [e.action for e in audit.events_of_cluster(session, "kobe")]
    assert "move_accepted" in actions and "move_undone" in actions


def test_cli_import_export_and_cluster_commands(
    tmp_path: Path, sqlite_url: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text(SEEDS, encoding="utf-8")
    db = ("--db", sqlite_url)
    imported = CliRunner().invoke(cli, ["seeds", "import", str(seeds), *db])
    assert imported.exit_code == 0 and "2 added" in imported.output
    added = CliRunner().invoke(
        cli,
        [
            "cluster",
            "add",
            "nagoya",
            "--name",
            "Nagoya",
            "--sector",
            "automotive",
            "--url",
            "https://n.example.jp/",
            *db,
        ],
    )
    assert added.exit_code == 0, added.output
    edited = CliRunner().invoke(cli, ["cluster", "edit", "nagoya", "--prefecture", "Aichi", *db])
    assert edited.exit_code == 0 and "changed prefecture" in edited.output
    bad = CliRunner().invoke(cli, ["cluster", "edit", "nagoya", "--sector", "toys", *db])
    assert bad.exit_code == 2 and "field 'sector'" in bad.output
    assert (
        CliRunner().invoke(cli, ["cluster", "retire", "nagoya", "--note", "merged", *db]).exit_code
        == 0
    )
    assert CliRunner().invoke(cli, ["cluster", "retire", "nagoya", *db]).exit_code == 2
    assert CliRunner().invoke(cli, ["cluster", "restore", "nagoya", *db]).exit_code == 0
    out = tmp_path / "export.yaml"
    exported = CliRunner().invoke(cli, ["seeds", "export", str(out), *db])
    assert exported.exit_code == 0 and "id: nagoya" in out.read_text("utf-8")
    reimported = CliRunner().invoke(cli, ["seeds", "import", str(out), *db])
    assert "0 added, 0 updated, 0 restored, 0 retired, 0 conflicts" in reimported.output
    missing = CliRunner().invoke(cli, ["seeds", "export", str(tmp_path / "no" / "x.yaml"), *db])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    wide = {"COLUMNS": "250"}  # no cell shortened
    history = CliRunner().invoke(cli, ["history", "nagoya", *db], env=wide).output
    assert "cluster_added" in history and "cluster_retired" in history and "merged" in history


def test_cli_import_of_a_bad_file_writes_nothing(
    tmp_path: Path, sqlite_url: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text(SEEDS.replace("sector: ict", "sector: toys"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["seeds", "import", str(seeds), "--db", sqlite_url])
    assert result.exit_code == 2
    assert f"{seeds}:" in result.output and "cluster 'sendai': field 'sector'" in result.output
    with sqlite_sessions() as session:
        assert session.query(Cluster).count() == 0


def test_hubs_travel_with_the_seeds_file(
    tmp_path: Path, sqlite_url: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    db = ("--db", sqlite_url)
    hub = "https://www.pref.miyagi.jp/list-of-councils.html"
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text(SEEDS + f"hubs:\n  - url: {hub}\n    note: 宮城県の協議会一覧\n", "utf-8")
    imported = CliRunner().invoke(cli, ["seeds", "import", str(seeds), *db])
    assert imported.exit_code == 0 and "1 hubs added" in imported.output, imported.output
    listed = CliRunner().invoke(cli, ["hub", "list", *db])
    assert hub in listed.output
    out = tmp_path / "export.yaml"
    assert CliRunner().invoke(cli, ["seeds", "export", str(out), *db]).exit_code == 0
    assert f"url: {hub}" in out.read_text("utf-8") and "宮城県の協議会一覧" in out.read_text(
        "utf-8"
    )
    again = CliRunner().invoke(cli, ["seeds", "import", str(out), *db])
    assert "0 added, 0 updated, 0 restored, 0 retired, 0 conflicts" in again.output
    assert "hubs added" not in again.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(SEEDS + "hubs:\n  - url: ftp://x.example.jp/\n    colour: red\n", "utf-8")
    refused = CliRunner().invoke(cli, ["seeds", "import", str(bad), *db])
    assert refused.exit_code == 2
    assert "hub #1: field 'url'" in refused.output and "unknown key 'colour'" in refused.output
