"""`clusterwatch db`: migrations (applied automatically on first use anyway), backups, retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import text

from clusterwatch.db.backup import BackupError, backup
from clusterwatch.db.engine import make_engine, open_database, resolve_database_url
from clusterwatch.db.migrate import (
    current_revision,
    downgrade,
    downgrade_drops,
    head_revision,
    upgrade,
)
from clusterwatch.db.store.prune import prune
from clusterwatch.monitor.cli import settings_from

EXIT_REFUSED = 1

DB_OPTION = click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or SQLite).")


@click.group()
def db() -> None:
    """Inspect and migrate the database schema (Alembic, db/migrations/)."""


@db.command("upgrade")
@DB_OPTION
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.pass_context
def upgrade_command(ctx: click.Context, db: str | None, revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    engine = make_engine(resolve_database_url(settings_from(ctx, db=db).db))
    try:
        upgrade(engine, revision)
        click.echo(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@db.command("downgrade")
@DB_OPTION
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Really drop what the downgrade removes.")
@click.pass_context
def downgrade_command(ctx: click.Context, db: str | None, revision: str, yes: bool) -> None:
    """Revert migrations down to REVISION ("base" removes every table: data is lost).

    Without --yes, names the tables and columns it would drop and changes nothing.
    """
    engine = make_engine(resolve_database_url(settings_from(ctx, db=db).db))
    ctx.call_on_close(engine.dispose)
    drops = downgrade_drops(current_revision(engine), revision)
    if not yes:
        click.echo(
            f"downgrade to {revision} would drop: {', '.join(drops) or 'no table or column'}",
            err=True,
        )
        click.echo(
            "nothing changed; take a backup (clusterwatch db backup PATH), then add --yes",
            err=True,
        )
        ctx.exit(EXIT_REFUSED)
    downgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine) or 'base'}")


@db.command("current")
@DB_OPTION
@click.pass_context
def current_command(ctx: click.Context, db: str | None) -> None:
    """Show the database's revision and the newest one available."""
    url = resolve_database_url(settings_from(ctx, db=db).db)
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
    finally:
        engine.dispose()
    click.echo(f"{url}: revision {revision or 'none'} (newest: {head_revision()})")


@db.command("backup")
@DB_OPTION
@click.argument("path", type=click.Path(path_type=Path))
@click.pass_context
def backup_command(ctx: click.Context, db: str | None, path: Path) -> None:
    """Copy the database to PATH while it is in use (SQLite online backup; pg_dump for
    PostgreSQL, restore with pg_restore). Never overwrites a file."""
    url = resolve_database_url(settings_from(ctx, db=db).db)
    try:
        written = backup(url, path)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_REFUSED)
    click.echo(f"backup written to {written} ({written.stat().st_size / 1e6:.1f} MB)")


@db.command("prune")
@DB_OPTION
@click.option(
    "--keep-changes", is_flag=True, help="Required: keep every change, drop only repeats."
)
@click.option(
    "--older-than", "days", type=click.IntRange(min=1), required=True, metavar="DAYS",
    help="Only fetches older than this many days.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Count what would go; change nothing.")
@click.pass_context
def prune_command(
    ctx: click.Context, db: str | None, keep_changes: bool, days: int, dry_run: bool
) -> None:
    """Drop repeated confirmations older than DAYS: every distinct body, every changed page,
    every site result and status change are kept (see README, Backups and retention)."""
    if not keep_changes:
        click.echo("error: say --keep-changes (the only retention there is)", err=True)
        ctx.exit(EXIT_REFUSED)
    sessions = open_database(settings_from(ctx, db=db).db)
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
