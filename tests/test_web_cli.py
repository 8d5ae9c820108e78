"""`clusterwatch user add|list|remove|passwd` and `clusterwatch serve --help` (monitor.commands)."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.engine import make_engine
from clusterwatch.db.migrate import upgrade
from clusterwatch.db.store.users import find_user
from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.web.passwords import verify_password


def test_user_add_list_remove(sqlite_url: str, sqlite_sessions: sessionmaker[Session]) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli, ["user", "add", "ana", "--password-stdin", "--db", sqlite_url], input="s3cret-pass\n"
    )
    assert added.exit_code == 0, added.output
    with sqlite_sessions() as session:
        account = find_user(session, "ana")
        assert account is not None
        assert account.password_hash.startswith("$argon2id$")
        assert verify_password(account.password_hash, "s3cret-pass")
    listed = runner.invoke(cli, ["user", "list", "--db", sqlite_url])
    assert listed.output.startswith("ana\t")
    again = runner.invoke(
        cli, ["user", "add", "ana", "--password-stdin", "--db", sqlite_url], input="other-pass\n"
    )
    assert again.exit_code == 2 and "already exists" in again.output
    removed = runner.invoke(cli, ["user", "remove", "ana", "--db", sqlite_url])
    assert removed.exit_code == 0
    missing = runner.invoke(cli, ["user", "remove", "ana", "--db", sqlite_url])
    assert missing.exit_code == 2 and "no user 'ana'" in missing.output


def test_user_add_prompts_twice_and_refuses_short_passwords(sqlite_url: str) -> None:
    runner = CliRunner()
    mismatch = runner.invoke(
        cli, ["user", "add", "bo", "--db", sqlite_url], input="long-enough\nother-thing\n"
    )
    assert "do not match" in mismatch.output
    short = runner.invoke(
        cli, ["user", "add", "bo", "--password-stdin", "--db", sqlite_url], input="abc\n"
    )
    assert short.exit_code == 2 and "at least 8 characters" in short.output


def test_serve_help_names_the_defaults() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "8000" in result.output
    assert "waitress" in result.output and "--threads" in result.output


def test_user_passwd_changes_the_hash_and_voids_sessions(
    sqlite_url: str, sqlite_sessions: sessionmaker[Session]
) -> None:
    runner = CliRunner()
    args = ["--password-stdin", "--db", sqlite_url]
    assert runner.invoke(cli, ["user", "add", "ana", *args], input="s3cret-pass\n").exit_code == 0
    changed = runner.invoke(cli, ["user", "passwd", "ana", *args], input="n3w-secret-pass\n")
    assert changed.exit_code == 0, changed.output
    with sqlite_sessions() as session:
        account = find_user(session, "ana")
        assert account is not None
        assert verify_password(account.password_hash, "n3w-secret-pass")
        assert account.session_version == 1
    unknown = runner.invoke(cli, ["user", "passwd", "bob", *args], input="n3w-secret-pass\n")
    assert unknown.exit_code == 2 and "no user 'bob'" in unknown.output


def test_sqlite_file_and_folder_are_created_private(tmp_path: Path) -> None:
    database = tmp_path / "fresh" / "cw.sqlite3"
    upgrade(make_engine(f"sqlite:///{database}"))
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    wal = database.with_name(database.name + "-wal")
    assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600
