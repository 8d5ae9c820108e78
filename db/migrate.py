"""Alembic, driven from code: no alembic.ini needed, the URL comes from db.engine.

`ensure_schema()` is called on first use by every command, so a fresh machine needs no separate
migration step; `clusterwatch db upgrade` does the same explicitly. On PostgreSQL the upgrade runs
under an advisory lock so two processes starting at once cannot both migrate; on SQLite the
database file's write lock serialises them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK_ID = 0x636C7573  # "clus": the PostgreSQL advisory lock key for migrations


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None, "db/migrations/versions holds no migration"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, lambda cfg: command.downgrade(cfg, revision))


def downgrade_drops(from_revision: str | None, to_revision: str) -> list[str]:
    """What downgrading from `from_revision` to `to_revision` removes: 'table T' and 'column
    T.C', found by running the same migrations on a scratch SQLite database (no data touched)."""
    if from_revision is None:
        return []
    with tempfile.TemporaryDirectory(prefix="clusterwatch-downgrade-") as folder:
        scratch = create_engine(f"sqlite:///{folder}/scratch.sqlite3")
        try:
            upgrade(scratch, from_revision)
            before = _columns(scratch)
            downgrade(scratch, to_revision)
            after = _columns(scratch)
        finally:
            scratch.dispose()
    drops = [f"table {table}" for table in sorted(set(before) - set(after))]
    for table in sorted(set(before) & set(after)):
        drops += [f"column {table}.{column}" for column in sorted(before[table] - after[table])]
    return drops


def _columns(engine: Engine) -> dict[str, set[str]]:
    schema = inspect(engine)
    return {
        table: {column["name"] for column in schema.get_columns(table)}
        for table in schema.get_table_names()
        if table != "alembic_version"
    }


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the head revision if it is not there yet (cheap when it is)."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def _run(engine: Engine, action: Callable[[Config], None]) -> None:
    with engine.connect() as connection:
        is_postgres = connection.dialect.name == "postgresql"
        if is_postgres:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_ID})
            connection.commit()
        try:
            action(alembic_config(connection))
            connection.commit()
        finally:
            if is_postgres:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_ID})
                connection.commit()
