"""`clusterwatch db backup | downgrade | prune`: data safety, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.engine import make_engine
from clusterwatch.db.migrate import current_revision, downgrade_drops, head_revision
from clusterwatch.db.models import Body, PageConfirmation, PageSnapshot
from clusterwatch.db.store.prune import prune
from clusterwatch.db.store.runs import create_run
from clusterwatch.db.store.snapshots import BodyToStore, add_confirmations, store_bodies
from clusterwatch.monitor.cli import cli
from tests.builders import add_cluster


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env={"CLUSTERWATCH_DB": ""})


def test_backup_copies_a_database_in_use_and_never_overwrites(
    sqlite_url: str, sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    target = tmp_path / "copies" / "night.sqlite3"
    with sqlite_sessions() as busy:  # a reader holds the file open meanwhile
        busy.execute(select(1))
        result = run("db", "backup", str(target), "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        (revision,) = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == head_revision()
    again = run("db", "backup", str(target), "--db", sqlite_url)
    assert again.exit_code == 1 and "exists" in again.output
    assert not list(target.parent.glob("*.partial"))


def test_backup_of_postgresql_uses_pg_dump(postgres_url: str, tmp_path: Path) -> None:
    make_engine(postgres_url).dispose()
    run("db", "upgrade", "--db", postgres_url)
    result = run("db", "backup", str(tmp_path / "cw.dump"), "--db", postgres_url)
    if "not on PATH" in result.output:  # the message names pg_dump and how to get it
        assert "pg_dump" in result.output and result.exit_code == 1
        return
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cw.dump").read_bytes().startswith(b"PGDMP")


def test_downgrade_refuses_without_yes_and_names_what_it_would_drop(db_url: str) -> None:
    run("db", "upgrade", "--db", db_url)
    refused = run("db", "downgrade", "0004", "--db", db_url)
    assert refused.exit_code == 1
    assert "column locks.pid" in refused.output and "--yes" in refused.output
    engine = make_engine(db_url)
    assert current_revision(engine) == head_revision()
    everything = run("db", "downgrade", "base", "--db", db_url)
    assert everything.exit_code == 1 and "table page_snapshots" in everything.output
    assert current_revision(engine) == head_revision()
    done = run("db", "downgrade", "0004", "--yes", "--db", db_url)
    assert done.exit_code == 0, done.output
    assert current_revision(engine) == "0004"
    engine.dispose()


def test_downgrade_drops_are_computed_from_the_migrations() -> None:
    assert downgrade_drops("0003", "0002") == [
        "column cluster_states.home_title",
        "column cluster_states.pending_changes",
    ]
    assert "table page_confirmations" in downgrade_drops("0002", "0001")


def _snapshot(run_id: int, sha: str, at: datetime, **extra: Any) -> dict[str, Any]:
    url = "http://a.example.jp/"
    return {
        "run_id": run_id, "cluster_id": "a", "url": url, "final_url": url, "status": 200,
        "fetched_at": at, "content_hash": sha, **extra,
    }  # fmt: skip


def test_prune_keeps_every_change_and_drops_repeats(
    sessions: sessionmaker[Session], now: datetime
) -> None:
    """Nights 0-9 ago: body A, A again (stored whole), B, then A; a confirmation each night."""
    old = now - timedelta(days=100)
    with sessions.begin() as session:
        add_cluster(session, "a")
        session.flush()
        runs = [
            create_run(session, old + timedelta(days=d), pid=1, host="h", seeds_path=None,
                       only_ids=None, sites_total=1).id
            for d in range(10)
        ]  # fmt: skip
        store_bodies(session, [BodyToStore("a" * 64, b"A", "A"), BodyToStore("b" * 64, b"B", "B")],
                     old)  # fmt: skip
        ids = []
        for night, sha in ((0, "a"), (1, "a"), (2, "b"), (3, "a")):
            row = _snapshot(runs[night], sha * 64, old + timedelta(days=night))
            ids.append(session.execute(
                PageSnapshot.__table__.insert().values(**row).returning(PageSnapshot.id)
            ).scalar_one())  # fmt: skip
        add_confirmations(session, [
            {"run_id": runs[d], "snapshot_id": ids[3], "fetched_at": old + timedelta(days=d)}
            for d in range(4, 10)
        ] + [{"run_id": runs[1], "snapshot_id": ids[1], "fetched_at": old + timedelta(days=1)}])  # fmt: skip
    with sessions.begin() as session:
        counts = prune(session, now - timedelta(days=30))
    assert (counts.repeated_snapshots, counts.repeated_confirmations) == (1, 6)
    with sessions() as session:
        kept = session.scalars(select(PageSnapshot.content_hash).order_by(PageSnapshot.id)).all()
        assert [sha[0] for sha in kept if sha] == ["a", "b", "a"]  # every change
        assert session.scalar(select(func.count()).select_from(Body)) == 2
        confirmations = session.scalars(select(PageConfirmation)).all()
        # the newest confirmation of each remaining snapshot: night 1's repeat, night 9
        assert sorted((c.snapshot_id, c.fetched_at) for c in confirmations) == [
            (ids[0], old + timedelta(days=1)),
            (ids[3], old + timedelta(days=9)),
        ]


def test_prune_command_dry_run_changes_nothing(sqlite_url: str) -> None:
    run("db", "upgrade", "--db", sqlite_url)
    refused = run("db", "prune", "--older-than", "30", "--db", sqlite_url)
    assert refused.exit_code == 2 and "--keep-changes" in refused.output
    dry = run(
        "db", "prune", "--keep-changes", "--older-than", "30", "--dry-run", "--db", sqlite_url
    )
    assert dry.exit_code == 0 and "would drop 0 repeated snapshots" in dry.output
