"""`clusterwatch db upgrade|downgrade|current|backup|prune`: schema migrations and data safety."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import text

from clusterwatch.db.backup import BackupError, backup
from clusterwatch.db.engine import make_engine
from clusterwatch.db.migrate import (
    MIGRATIONS_DIR,
    current_revision,
    downgrade,
    downgrade_drops,
    head_revision,
    upgrade,
)
from clusterwatch.db.store.prune import prune
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.exit_codes import BadInput, Failed
from clusterwatch.monitor.store_access import checked_url, open_store, sqlite_file

DB_OPTION = click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or SQLite).")


def _url(ctx: click.Context, db: str | None, *, create: bool) -> str:
    """The checked URL; a missing SQLite file is refused unless the command creates one."""
    url = checked_url(settings_from(ctx, db=db).db)
    path = sqlite_file(url)
    if not create and path is not None and not path.is_file():
        raise BadInput(f"no database at {path}; give the right --db / CLUSTERWATCH_DB")
    return url.render_as_string(hide_password=False)


def _known_revision(revision: str, hint: str) -> None:
    """Refuse a revision that names no migration before the database is touched."""
    if revision[:1] in "+-" or revision.partition("@")[2]:
        return  # relative revisions are resolved against the database by Alembic
    try:
        ScriptDirectory(str(MIGRATIONS_DIR)).get_revisions(revision)
    except CommandError as exc:
        raise BadInput(f"{hint} {revision}: {exc}; see `clusterwatch db current`") from None


@click.group()
def db() -> None:
    """Inspect and migrate the database schema (Alembic, db/migrations/), back it up, prune it."""


@db.command("upgrade")
@DB_OPTION
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_context
def upgrade_command(ctx: click.Context, db: str | None, revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    _known_revision(revision, "--revision")
    engine = make_engine(_url(ctx, db, create=True))
    ctx.call_on_close(engine.dispose)
    try:
        upgrade(engine, revision)
    except CommandError as exc:
        raise BadInput(f"--revision {revision}: {exc}; see `clusterwatch db current`") from None
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("downgrade")
@DB_OPTION
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Really drop what the downgrade removes.")
@click.pass_context
def downgrade_command(ctx: click.Context, db: str | None, revision: str, yes: bool) -> None:
    """Revert migrations down to REVISION ("base" removes every table: data is lost).

    Without --yes, names the tables and columns it would drop and changes nothing (exit 1).
    """
    _known_revision(revision, "REVISION")
    engine = make_engine(_url(ctx, db, create=False))
    ctx.call_on_close(engine.dispose)
    drops = downgrade_drops(current_revision(engine), revision)
    if not yes:
        click.echo(
            f"downgrade to {revision} would drop: {', '.join(drops) or 'no table or column'}",
            err=True,
        )
        raise Failed("nothing changed; take a backup (clusterwatch db backup PATH), then add --yes")
    try:
        downgrade(engine, revision)
    except CommandError as exc:
        raise BadInput(f"REVISION {revision}: {exc}; see `clusterwatch db current`") from None
    click.echo(f"database at revision {current_revision(engine) or 'base'}")


@db.command("current")
@DB_OPTION
@click.pass_context
def current_command(ctx: click.Context, db: str | None) -> None:
    """Show the database's revision and the newest one available."""
    url = _url(ctx, db, create=False)
    engine = make_engine(url)
    ctx.call_on_close(engine.dispose)
    revision = current_revision(engine)
    click.echo(f"{url}: revision {revision or 'none'} (newest: {head_revision()})")


@db.command("backup")
@DB_OPTION
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def backup_command(ctx: click.Context, db: str | None, path: Path) -> None:
    """Copy the database to PATH while it is in use (SQLite online backup; pg_dump for
    PostgreSQL, restore with pg_restore). Never overwrites a file."""
    url = _url(ctx, db, create=False)
    try:
        written = backup(url, path)
    except BackupError as exc:
        raise Failed(str(exc)) from None
    click.echo(f"backup written to {written} ({written.stat().st_size / 1e6:.1f} MB)")


@db.command("prune")
@DB_OPTION
@click.option(
    "--keep-changes", is_flag=True, help="Required: keep every change, drop only repeats."
)
@click.option(
    "--older-than", "days", type=click.IntRange(min=1, max=100_000), required=True,
    metavar="DAYS", help="Only fetches older than this many days.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.pass_context
def prune_command(
    ctx: click.Context, db: str | None, keep_changes: bool, days: int, dry_run: bool
) -> None:
    """Drop repeated confirmations older than DAYS: every distinct body, every changed page,
    every site result and status change are kept (see README, Backups and retention)."""
    if not keep_changes:
        raise BadInput("say --keep-changes (the only retention there is)")
    sessions = open_store(settings_from(ctx, db=db).db)
    engine = sessions.kw["bind"]
    ctx.call_on_close(engine.dispose)
    cutoff = datetime.now(UTC) - timedelta(days=days)
    with sessions() as session:
        counts = prune(session, cutoff)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    verb = "would drop" if dry_run else "dropped"
    click.echo(
        f"{verb} {counts.repeated_snapshots} repeated snapshots (now confirmations) and "
        f"{counts.repeated_confirmations} repeated confirmations older than {days} days"
    )
    if not dry_run and engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM"))  # give the space back to the file system
