"""Copies of the database that a bad migration, a full disk or a mistyped command cannot take.

`backup(url, path)`:
- SQLite: the online backup API (sqlite3.Connection.backup), page by page while crawls and the
  web UI keep using the file; a consistent copy even in WAL mode, unlike copying the file.
- PostgreSQL: `pg_dump --format=custom` (restore with pg_restore), when pg_dump is on PATH;
  otherwise BackupError names it and how to install it.

The copy is written beside its destination under a temporary name and renamed when complete,
so a failed backup leaves nothing that looks like a backup. An existing file is never replaced.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

PG_DUMP = "pg_dump"
# A URL whose connections use one schema (options=-csearch_path=NAME) dumps only that schema.
SEARCH_PATH = re.compile(r"-csearch_path=([A-Za-z0-9_]+)")
PARTIAL_SUFFIX = ".partial"


class BackupError(RuntimeError):
    """No backup was made; the message says why and what to do."""


def backup(url: str, path: Path) -> Path:
    """Write a backup of the database at `url` to `path`; returns `path`."""
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name (a backup never overwrites)")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + PARTIAL_SUFFIX)
    partial.unlink(missing_ok=True)
    parsed = make_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            _sqlite(parsed.database or "", partial)
        elif parsed.get_backend_name() == "postgresql":
            _pg_dump(url, partial)
        else:
            raise BackupError(f"cannot back up a {parsed.get_backend_name()} database")
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _sqlite(database: str, target: Path) -> None:
    if not database or database == ":memory:" or not Path(database).exists():
        raise BackupError(f"no SQLite database at {database or '(memory)'}")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def _pg_dump(url: str, target: Path) -> None:
    program = shutil.which(PG_DUMP)
    if program is None:
        raise BackupError(
            f"{PG_DUMP} is not on PATH; install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client) matching the server's version"
        )
    # pg_dump takes a libpq URL: no SQLAlchemy driver name.
    parsed = make_url(url)
    libpq = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    options = parsed.query.get("options", "")
    schema = SEARCH_PATH.search(options if isinstance(options, str) else " ".join(options))
    only = [f"--schema={schema.group(1)}"] if schema else []
    done = subprocess.run(
        [program, "--format=custom", f"--file={target}", f"--dbname={libpq}", *only],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{PG_DUMP} failed ({done.returncode}): {done.stderr.strip()}")
