"""The key that signs session cookies and CSRF tokens.

CLUSTERWATCH_SECRET_KEY wins when set (Settings.secret_key). Otherwise a random key is generated
once and kept in `web-secret.key` next to the SQLite database file (for a PostgreSQL database: in
the default data folder, $XDG_DATA_HOME/clusterwatch/), created with mode 0600 so only the
server's user can read it. Keeping it in a file rather than regenerating it at each start means
curators stay logged in across restarts; deleting the file logs everybody out.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from clusterwatch.db.engine import default_sqlite_path

SECRET_FILE_NAME = "web-secret.key"
KEY_BYTES = 32


class SecretKeyError(RuntimeError):
    """The stored key cannot be used safely; the message says how to fix it."""


def secret_key_path(database_url: str) -> Path:
    """Where the generated key lives for this database."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(str(parsed.database)).expanduser().resolve().parent / SECRET_FILE_NAME
    return default_sqlite_path().parent / SECRET_FILE_NAME


def load_or_create_secret_key(path: Path) -> str:
    """Read the key at `path`, creating it (0600, never overwriting) when it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = secrets.token_hex(KEY_BYTES)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def _read_key(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretKeyError(
            f"{path} is readable by other users (mode {mode:o}); run `chmod 600 {path}`"
        )
    key = path.read_text(encoding="ascii").strip()
    if len(key) < KEY_BYTES:
        raise SecretKeyError(f"{path} holds no usable key; delete it to generate a new one")
    return key


def resolve_secret_key(configured: str | None, database_url: str) -> str:
    """The configured key, else the generated one stored for this database."""
    if configured:
        return configured
    return load_or_create_secret_key(secret_key_path(database_url))
