"""The database URL, the engine and the session factory: the one reader of CLUSTERWATCH_DB.

URL precedence: an explicit URL (the `--db` option), else the CLUSTERWATCH_DB environment
variable, else a SQLite file at `default_sqlite_path()`, that is
`$XDG_DATA_HOME/clusterwatch/clusterwatch.sqlite3` (XDG_DATA_HOME defaults to ~/.local/share).

SQLite runs in WAL mode with foreign keys on and a busy timeout, so the crawl process, the monitor
and the web UI can share one file. `postgresql://` URLs are routed to psycopg 3.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DB_ENV_VAR = "CLUSTERWATCH_DB"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a nightly crawl may hold the write lock for a moment


def default_sqlite_path(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "clusterwatch" / "clusterwatch.sqlite3"


def resolve_database_url(explicit: str | None = None, env: Mapping[str, str] = os.environ) -> str:
    """The URL to use, by the precedence in the module docstring."""
    if explicit:
        return normalise_url(explicit)
    if env.get(DB_ENV_VAR):
        return normalise_url(env[DB_ENV_VAR])
    return f"sqlite:///{default_sqlite_path(env)}"


def normalise_url(url: str) -> str:
    """Route bare `postgresql://` URLs to psycopg 3 (SQLAlchemy would pick psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; for SQLite also creates the file's folder and sets the pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        _create_private(Path(parsed.database).expanduser())
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _create_private(path: Path) -> None:
    """Create the SQLite file's folder (0700) and the file itself (0600) if they are missing.

    The file holds password hashes and the curators' notes. SQLite gives its -wal and -shm files
    the main file's permissions, so creating it private keeps all three private.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def open_database(explicit_url: str | None = None) -> sessionmaker[Session]:
    """The session factory for the resolved URL, with the schema migrated to head on first use."""
    from clusterwatch.db.migrate import (
        ensure_schema,  # db.migrate imports alembic: only when a database is opened
    )

    engine = make_engine(resolve_database_url(explicit_url))
    ensure_schema(engine)
    return session_factory(engine)
