"""`clusterwatch db`: the schema's migrations (applied automatically on first use anyway)."""

from __future__ import annotations

import click

from clusterwatch.db.engine import make_engine, resolve_database_url
from clusterwatch.db.migrate import current_revision, downgrade, head_revision, upgrade
from clusterwatch.monitor.cli import settings_from

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
    upgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("downgrade")
@DB_OPTION
@click.argument("revision")
@click.pass_context
def downgrade_command(ctx: click.Context, db: str | None, revision: str) -> None:
    """Revert migrations down to REVISION ("base" removes every table: data is lost)."""
    engine = make_engine(resolve_database_url(settings_from(ctx, db=db).db))
    downgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine) or 'base'}")


@db.command("current")
@DB_OPTION
@click.pass_context
def current_command(ctx: click.Context, db: str | None) -> None:
    """Show the database's revision and the newest one available."""
    url = resolve_database_url(settings_from(ctx, db=db).db)
    revision = current_revision(make_engine(url))
    click.echo(f"{url}: revision {revision or 'none'} (newest: {head_revision()})")
