"""Open the database for a command, turning every way it can fail into one clear message.

The checks run before anything is created: a URL that does not parse or names a database other
than SQLite or PostgreSQL (through psycopg 3) is bad input; a read-only command (status, report,
flags, ...) refuses a SQLite file that does not exist instead of silently creating an empty one;
a command that writes checks that the SQLite file's folder can be created and written. Errors
from the server (down, missing database, no permission) become `Failed` or `BadInput`.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.engine import open_database, resolve_database_url
from clusterwatch.monitor.exit_codes import BadInput, Failed

# driver names that work with the installed drivers (`postgresql://` is routed to psycopg 3)
SUPPORTED_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql+psycopg"})
URL_HELP = "use sqlite:///PATH or postgresql://USER@HOST/DBNAME"
# server messages meaning the URL names something that does not exist: the user's to fix
MISSING_MARKERS = ("does not exist", "unable to open database file", "no such")


def checked_url(explicit: str | None) -> URL:
    """The resolved database URL, refused as bad input unless it parses and is supported."""
    try:
        url = make_url(resolve_database_url(explicit))
    except (ArgumentError, ValueError) as exc:
        raise BadInput(f"database URL {explicit!r} does not parse ({exc}); {URL_HELP}") from None
    if url.drivername not in SUPPORTED_DRIVERS:
        raise BadInput(f"database {url.drivername!r} is not supported; {URL_HELP}")
    return url


def sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def open_store(explicit: str | None, *, create: bool = False) -> sessionmaker[Session]:
    """The session factory for the command's database, migrated; refuses with a clear error.

    With create=False (commands that only read or act on existing rows) a missing SQLite file
    is refused; with create=True its folder is created if it can be.
    """
    url = checked_url(explicit)
    path = sqlite_file(url)
    if path is not None:
        if not create and not path.is_file():
            raise BadInput(
                f"no database at {path}; run `clusterwatch crawl` first, or give the right "
                "--db / CLUSTERWATCH_DB"
            )
        _check_folder(path)
    try:
        return open_database(url.render_as_string(hide_password=False))
    except DBAPIError as exc:
        raise database_error(url, exc) from None


def database_error(url: URL | None, exc: DBAPIError) -> BadInput | Failed:
    """A message naming the database (password hidden) and the server's reason, one line."""
    reason = " ".join(str(exc.orig if exc.orig is not None else exc).split())
    where = url.render_as_string(hide_password=True) if url is not None else "(the database)"
    if any(marker in reason for marker in MISSING_MARKERS):
        return BadInput(f"database {where}: {reason}; create it or fix the URL")
    return Failed(f"database {where} cannot be used: {reason}")


def _check_folder(path: Path) -> None:
    """The SQLite file's folder exists (or can be made) and is writable: WAL writes there."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"cannot create the database folder {folder}: {exc.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"the database folder {folder} is not writable; choose another --db")
