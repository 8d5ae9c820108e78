"""`clusterwatch hub add|list|remove`: pages that list cluster organisations, crawled nightly
for discovery (`clusterwatch candidates`)."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from clusterwatch.db.store.candidates import hubs
from clusterwatch.monitor.actors import UnknownActor, cli_actor
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.hubs import add_hub, check_url, remove_hub
from clusterwatch.monitor.registry import RegistryError
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.text_table import render_table

db_option = click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")
by_option = click.option("--by", "by", help="Account to record (default: your system user name).")


@click.group()
def hub() -> None:
    """Register, list and remove hub pages (lists of cluster organisations)."""


@hub.command("add")
@click.argument("url")
@click.option("--note", help="What the page lists; kept with the hub and in the audit trail.")
@by_option
@db_option
@click.pass_context
def add(ctx: click.Context, url: str, note: str | None, by: str | None, db: str | None) -> None:
    """Add URL as a hub; it is crawled from the next night on."""
    try:
        check_url(url)  # refused before the database is opened: nothing written
    except RegistryError as exc:
        raise click.UsageError(f"hub: {exc}") from exc
    sessions = open_store(settings_from(ctx, db=db).db, create=True)
    try:
        add_hub(sessions, url, cli_actor(sessions, by), datetime.now(UTC), note)
    except UnknownActor as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from exc
    except RegistryError as exc:
        raise click.UsageError(f"hub: {exc}") from exc
    click.echo(f"added hub {url}")


@hub.command("list")
@db_option
@click.pass_context
def list_hubs(ctx: click.Context, db: str | None) -> None:
    """Every hub with who added it and when."""
    sessions = open_store(settings_from(ctx, db=db).db)
    with sessions() as session:
        rows = [(h.url, h.note or "", h.added_by, f"{h.added_at:%Y-%m-%d}") for h in hubs(session)]
    click.echo(render_table(("url", "note", "added by", "added"), rows, wrap="note"))


@hub.command("remove")
@click.argument("url")
@by_option
@db_option
@click.pass_context
def remove(ctx: click.Context, url: str, by: str | None, db: str | None) -> None:
    """Stop crawling the hub URL (what it named stays in the queue)."""
    sessions = open_store(settings_from(ctx, db=db).db)
    try:
        remove_hub(sessions, url, cli_actor(sessions, by), datetime.now(UTC))
    except UnknownActor as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from exc
    except RegistryError as exc:
        raise click.UsageError(f"hub: {exc}") from exc
    click.echo(f"removed hub {url}")
