"""`clusterwatch db`: the schema's migrations (applied automatically on first use anyway)."""

from __future__ import annotations

import click
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from clusterwatch.db.engine import make_engine
from clusterwatch.db.migrate import (
    MIGRATIONS_DIR,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.exit_codes import BadInput
from clusterwatch.monitor.store_access import checked_url, sqlite_file


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
    _known_revision(revision, "--revision")
    engine = make_engine(_url(ctx, db, create=True))
    try:
        upgrade(engine, revision)
    except CommandError as exc:
        raise BadInput(f"--revision {revision}: {exc}; see `clusterwatch db current`") from None
    click.echo(f"database at revision {current_revision(engine)}")


@db.command("downgrade")
@DB_OPTION
@click.argument("revision")
@click.pass_context
def downgrade_command(ctx: click.Context, db: str | None, revision: str) -> None:
    """Revert migrations down to REVISION ("base" removes every table: data is lost)."""
    _known_revision(revision, "REVISION")
    engine = make_engine(_url(ctx, db, create=False))
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
    revision = current_revision(make_engine(url))
    click.echo(f"{url}: revision {revision or 'none'} (newest: {head_revision()})")
