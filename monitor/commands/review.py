"""`clusterwatch review`: confirm or dismiss one open flag, or undo a review."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from clusterwatch.monitor.actors import UnknownActor, cli_actor
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.review import ReviewError, review_flag, undo_review
from clusterwatch.monitor.store_access import open_store

MAX_ID = 2**63 - 1  # the largest id a database column holds


@click.command()
@click.argument("flag_id", type=click.IntRange(1, MAX_ID))
@click.option("--confirm", "confirm", is_flag=True, help="The flag is right.")
@click.option("--dismiss", "dismiss", is_flag=True, help="The flag is wrong.")
@click.option("--undo", "undo", is_flag=True, help="Reopen a reviewed flag (kept in the trail).")
@click.option("--note", "note", help="Why; shown with the flag.")
@click.option("--by", "by", help="Account to record (default: your system user name).")
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def review(
    ctx: click.Context,
    flag_id: int,
    confirm: bool,
    dismiss: bool,
    undo: bool,
    note: str | None,
    by: str | None,
    db: str | None,
) -> None:
    """Confirm or dismiss open flag FLAG_ID, or reopen a reviewed one with --undo.

    A dismissed flag is not raised again for the same evidence. Every review and undo is kept in
    the audit trail (`clusterwatch history`). Confirming a `moved` flag makes its new URL the
    cluster's home from the next crawl on.
    """
    if confirm + dismiss + undo != 1:
        raise click.UsageError("give exactly one of --confirm, --dismiss or --undo")
    decision = "confirmed" if confirm else "dismissed"
    sessions = open_store(settings_from(ctx, db=db).db)
    try:
        by = cli_actor(sessions, by)
    except UnknownActor as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from exc
    try:
        if undo:
            flag = undo_review(sessions, flag_id, note, by, datetime.now(UTC))
            click.echo(f"flag {flag.id} ({flag.kind} on {flag.cluster_id}) reopened by {by}")
            return
        flag = review_flag(sessions, flag_id, decision, note, by, datetime.now(UTC))
    except ReviewError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"flag {flag.id} ({flag.kind} on {flag.cluster_id}) {flag.state} by {flag.reviewer}")
