"""Shared fixtures: a fresh migrated database (SQLite, and PostgreSQL where marked), a fixed today.

`db_url` is parametrised over SQLite and PostgreSQL; a test that takes it runs on both. Each
PostgreSQL test gets its own schema in the `test` database (fast, and no test sees another's
rows). PostgreSQL tests are skipped when the server is down, except under CI, where a missing
server must fail the run instead of silently testing less.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.engine import make_engine, session_factory
from clusterwatch.db.migrate import upgrade

POSTGRES_URL = os.environ.get(
    "CLUSTERWATCH_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FIXED_NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def _postgres_available() -> bool:
    probe = make_engine(POSTGRES_URL)
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        probe.dispose()


@pytest.fixture(scope="session", autouse=True)
def private_xdg_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the machine's clusterwatch config nor write logs into its data folder."""
    base = tmp_path_factory.mktemp("xdg")
    os.environ["XDG_DATA_HOME"] = str(base / "data")
    os.environ["XDG_CONFIG_HOME"] = str(base / "config")


@pytest.fixture(scope="session")
def postgres_ready() -> bool:
    available = _postgres_available()
    if not available and os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} under CI")
    return available


@pytest.fixture
def sqlite_url(tmp_path: os.PathLike[str]) -> str:
    return f"sqlite:///{tmp_path}/clusterwatch.sqlite3"


@pytest.fixture
def postgres_url(postgres_ready: bool) -> Iterator[str]:
    if not postgres_ready:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh, empty database URL: SQLite, then PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on `db_url`."""
    migrated = make_engine(db_url)
    upgrade(migrated)
    yield migrated
    migrated.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def sqlite_sessions(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """A migrated SQLite database only, for tests that do not need both backends."""
    migrated = make_engine(sqlite_url)
    upgrade(migrated)
    yield session_factory(migrated)
    migrated.dispose()


@pytest.fixture
def now() -> datetime:
    """The fixed "now" of the tests: 2026-11-25 03:00 UTC (noon in Tokyo)."""
    return FIXED_NOW
