"""`clusterwatch override`: set or lift a curator's value for one field of one cluster."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from clusterwatch.monitor.actors import UnknownActor, cli_actor
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.review import (
    OVERRIDE_FIELDS,
    ReviewError,
    clear_override,
    set_override,
    validate_override,
)
from clusterwatch.monitor.store_access import open_store


@click.command()
@click.argument("cluster_id")
@click.argument("field", metavar="FIELD")
@click.argument("value", required=False)
@click.option("--clear", "clear", is_flag=True, help="Lift the override of FIELD.")
@click.option("--note", "note", help="Why; shown with the override.")
@click.option("--by", "by", help="Account to record (default: your system user name).")
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def override(
    ctx: click.Context,
    cluster_id: str,
    field: str,
    value: str | None,
    clear: bool,
    note: str | None,
    by: str | None,
    db: str | None,
) -> None:
    """Set FIELD of CLUSTER_ID to VALUE, or lift it with --clear.

    FIELD is one of status, english_site, internationalisation, moved_to, main_language
    (an ISO 639-1 code such as ja, en, de).
    The override wins in everything shown until lifted; the computed value is kept.
    """
    if field not in OVERRIDE_FIELDS:
        raise click.BadParameter(f"use one of {', '.join(OVERRIDE_FIELDS)}", param_hint="FIELD")
    if clear == (value is not None):
        raise click.UsageError("give either VALUE or --clear (not both, not neither)")
    try:
        if value is not None:
            validate_override(field, value)  # refuse before the database is even opened
    except ReviewError as exc:
        raise click.BadParameter(str(exc), param_hint="VALUE") from exc
    settings = settings_from(ctx, db=db)
    sessions, now = open_store(settings.db), datetime.now(UTC)
    try:
        by = cli_actor(sessions, by)
    except UnknownActor as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from exc
    try:
        if value is None:
            clear_override(sessions, cluster_id, field, by, now)
            click.echo(f"{cluster_id}: override of {field} lifted")
        else:
            set_override(sessions, cluster_id, field, value, note, by, now)
            click.echo(f"{cluster_id}: {field} = {value} (override)")
    except ReviewError as exc:
        raise click.UsageError(str(exc)) from exc
