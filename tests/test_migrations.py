"""Migrations go up and down on SQLite and PostgreSQL, and the models match the migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from clusterwatch.db.engine import make_engine
from clusterwatch.db.migrate import (
    current_revision,
    downgrade,
    ensure_schema,
    head_revision,
    upgrade,
)
from clusterwatch.db.models import Base


def test_upgrade_creates_every_table_and_downgrade_removes_them(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_agree(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_schema(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    engine.dispose()


def test_ensure_schema_is_idempotent(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    ensure_schema(engine)
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_0002_turns_304_snapshot_rows_into_confirmations_and_back(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    now = "2026-11-25 03:00:00"
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO clusters (id, name, sector, urls, first_seen, updated_at) "
            "VALUES ('a', 'A', 'ict', '[]', :now, :now)"), {"now": now})  # fmt: skip
        for run in (1, 2):
            connection.execute(text(
                "INSERT INTO crawl_runs (id, started_at, state, degraded, sites_total, sites_ok,"
                " sites_failed, sites_moved, pages, bytes, errors) "
                "VALUES (:id, :now, 'complete', false, 1, 1, 0, 0, 1, 0, 0)"),
                {"id": run, "now": now})  # fmt: skip
        for run, status, modified in ((1, 200, False), (2, 304, True)):
            connection.execute(text(
                "INSERT INTO page_snapshots (run_id, cluster_id, url, final_url, status,"
                " fetched_at, depth, not_modified, size) "
                "VALUES (:run, 'a', 'http://a.jp/', 'http://a.jp/', :status, :now, 0, :nm, 0)"),
                {"run": run, "status": status, "now": now, "nm": modified})  # fmt: skip
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM page_snapshots")).scalar() == 1
        confirmed = connection.execute(
            text("SELECT run_id, snapshot_id FROM page_confirmations")
        ).all()
        full_id = connection.execute(text("SELECT id FROM page_snapshots")).scalar()
    assert [tuple(row) for row in confirmed] == [(2, full_id)]
    downgrade(engine, "0001")
    with engine.connect() as connection:
        statuses = connection.execute(
            text("SELECT status, not_modified FROM page_snapshots ORDER BY run_id")
        ).all()
    assert [(s, bool(n)) for s, n in statuses] == [(200, False), (304, True)]
    engine.dispose()
