"""Alembic, driven from code: no alembic.ini needed, the URL comes from db.engine.

`ensure_schema()` is called on first use by every command, so a fresh machine needs no separate
migration step; `clusterwatch db upgrade` does the same explicitly. On PostgreSQL the upgrade runs
under an advisory lock so two processes starting at once cannot both migrate; on SQLite the
database file's write lock serialises them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

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
