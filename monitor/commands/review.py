"""`clusterwatch review`: confirm or dismiss one open flag."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.review import ReviewError, review_flag
from clusterwatch.monitor.store_access import open_store

MAX_ID = 2**63 - 1  # the largest id a database column holds


@click.command()
@click.argument("flag_id", type=click.IntRange(1, MAX_ID))
@click.option("--confirm", "confirm", is_flag=True, help="The flag is right.")
@click.option("--dismiss", "dismiss", is_flag=True, help="The flag is wrong.")
@click.option("--note", "note", help="Why; shown with the flag.")
@click.option("--by", "by", help="Reviewer name (default: curator).")
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def review(
    ctx: click.Context,
    flag_id: int,
    confirm: bool,
    dismiss: bool,
    note: str | None,
    by: str | None,
    db: str | None,
) -> None:
    """Confirm or dismiss open flag FLAG_ID.

    A dismissed flag is not raised again for the same evidence.
    """
    if confirm == dismiss:
        raise click.UsageError("give exactly one of --confirm or --dismiss")
    decision = "confirmed" if confirm else "dismissed"
    settings = settings_from(ctx, db=db)
    try:
        flag = review_flag(open_store(settings.db), flag_id, decision, note, by, datetime.now(UTC))
    except ReviewError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"flag {flag.id} ({flag.kind} on {flag.cluster_id}) {flag.state} by {flag.reviewer}")
