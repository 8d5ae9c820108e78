"""Alembic environment: the URL comes from db.engine, never from an ini file.

Called either from db.migrate (a connection is handed over in `config.attributes`) or from the
`alembic` command line (configured by [tool.alembic] in pyproject.toml, URL from CLUSTERWATCH_DB).
SQLite foreign keys are switched off while migrating: a batch migration recreates a parent table,
and ON DELETE CASCADE would otherwise delete every child row.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from clusterwatch.db.engine import make_engine, resolve_database_url
from clusterwatch.db.models import Base

# APScheduler owns its job table; `alembic check` must not try to drop it.
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name in FOREIGN_TABLES)


def run_with(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    if is_sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if is_sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = make_engine(resolve_database_url())
    with engine.connect() as new_connection:
        run_with(new_connection)
        new_connection.commit()


main()
