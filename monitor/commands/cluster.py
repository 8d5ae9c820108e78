"""`clusterwatch cluster add|edit|retire|restore`: curators change the registry by hand.

Each field is checked exactly as in a seeds file. Every change is kept in the audit trail
(`clusterwatch history ID`) under your system user name, or the account named by --by. A field
set here wins over later seeds imports (they report a conflict instead of overwriting it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from clusterwatch.monitor.actors import UnknownActor, cli_actor
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.registry import (
    RegistryError,
    add_cluster,
    edit_cluster,
    restore_cluster,
    retire_cluster,
    validate,
)
from clusterwatch.monitor.store_access import open_store

db_option = click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")
by_option = click.option("--by", "by", help="Account to record (default: your system user name).")
note_option = click.option("--note", "note", help="Why; kept in the audit trail.")


@contextmanager
def _refusals_named(cluster_id: str) -> Iterator[None]:
    """A registry refusal becomes a usage error (exit 2) naming the cluster."""
    try:
        yield
    except RegistryError as exc:
        raise click.UsageError(f"cluster {cluster_id!r}: {exc}") from exc


def field_options(required: bool) -> list[Callable[[Any], Any]]:
    return [
        click.option("--name", required=required, help="English name."),
        click.option("--name-ja", "name_ja", help="Japanese name."),
        click.option("--sector", required=required, help="One of the seeds file's sectors."),
        click.option("--prefecture", help="Prefecture (English)."),
        click.option(
            "--url",
            "urls",
            multiple=True,
            required=required,
            help="A URL; repeat it. The first is the home page. Editing replaces the list.",
        ),
        click.option("--source", help="Where the information comes from."),
    ]


Command = TypeVar("Command", bound=Callable[..., Any])


def with_options(options: list[Callable[[Any], Any]]) -> Callable[[Command], Command]:
    def decorate(command: Command) -> Command:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@click.group()
def cluster() -> None:
    """Add, edit, retire and restore clusters in the registry."""


def _context(
    ctx: click.Context, db: str | None, by: str | None, *, create: bool = False
) -> tuple[Any, str]:
    sessions = open_store(settings_from(ctx, db=db).db, create=create)
    try:
        return sessions, cli_actor(sessions, by)
    except UnknownActor as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from exc


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {key: value for key, value in fields.items() if value not in (None, ())}
    if "urls" in values:
        values["urls"] = list(values["urls"])
    return values


@cluster.command("add")
@click.argument("cluster_id")
@with_options(field_options(required=True))
@note_option
@by_option
@db_option
@click.pass_context
def add(
    ctx: click.Context,
    /,
    cluster_id: str,
    note: str | None,
    by: str | None,
    db: str | None,
    **fields: Any,
) -> None:
    """Add CLUSTER_ID to the registry; it is crawled from the next run on."""
    values = _values(fields)
    with _refusals_named(cluster_id):
        validate(cluster_id, values)  # refused before the database is opened: nothing written
    sessions, actor = _context(ctx, db, by, create=True)
    with _refusals_named(cluster_id):
        add_cluster(sessions, cluster_id, values, actor, datetime.now(UTC), note)
    click.echo(f"added cluster {cluster_id!r}")


@cluster.command("edit")
@click.argument("cluster_id")
@with_options(field_options(required=False))
@note_option
@by_option
@db_option
@click.pass_context
def edit(
    ctx: click.Context,
    /,
    cluster_id: str,
    note: str | None,
    by: str | None,
    db: str | None,
    **fields: Any,
) -> None:
    """Change CLUSTER_ID's name, Japanese name, sector, prefecture, URLs or source."""
    changes = _values(fields)
    if not changes:
        raise click.UsageError(
            "give at least one of --name, --name-ja, --sector, --prefecture, --url, --source"
        )
    sessions, actor = _context(ctx, db, by)
    with _refusals_named(cluster_id):
        changed = edit_cluster(sessions, cluster_id, changes, actor, datetime.now(UTC), note)
    click.echo(
        f"{cluster_id}: changed {', '.join(changed)}" if changed else f"{cluster_id}: no change"
    )


@cluster.command("retire")
@click.argument("cluster_id")
@note_option
@by_option
@db_option
@click.pass_context
def retire(
    ctx: click.Context, cluster_id: str, note: str | None, by: str | None, db: str | None
) -> None:
    """Stop crawling CLUSTER_ID (merged, ended); its history is kept and it can be restored."""
    _lifecycle(ctx, cluster_id, note, by, db, retire_cluster, "retired")


@cluster.command("restore")
@click.argument("cluster_id")
@note_option
@by_option
@db_option
@click.pass_context
def restore(
    ctx: click.Context, cluster_id: str, note: str | None, by: str | None, db: str | None
) -> None:
    """Crawl a retired CLUSTER_ID again from the next run on."""
    _lifecycle(ctx, cluster_id, note, by, db, restore_cluster, "restored")


def _lifecycle(
    ctx: click.Context,
    cluster_id: str,
    note: str | None,
    by: str | None,
    db: str | None,
    action: Callable[..., None],
    done: str,
) -> None:
    sessions, actor = _context(ctx, db, by)
    try:
        action(sessions, cluster_id, actor, datetime.now(UTC), note)
    except RegistryError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"{done} {cluster_id!r}")
