"""`clusterwatch evaluate`: judge the crawl runs not yet evaluated and raise flags."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.evaluate import evaluate as evaluate_runs
from clusterwatch.monitor.locks import LockBusy, crawl_lock, holder_name
from clusterwatch.monitor.store_access import open_store

EXIT_BUSY = 4


@click.command()
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def evaluate(ctx: click.Context, db: str | None) -> None:
    """Evaluate every crawl run not yet evaluated: statuses, history and flags.

    Safe to repeat: a run already evaluated changes nothing. A crawl runs this itself at its end,
    under the crawl lock; this command takes the same lock so the two never write at once.
    """
    settings = settings_from(ctx, db=db)
    sessions = open_store(settings.db)
    try:
        with crawl_lock(sessions, holder_name("evaluate")):
            summary = evaluate_runs(sessions, settings, datetime.now(UTC))
    except LockBusy as exc:
        click.echo(f"error: a crawl is running and evaluates itself ({exc})", err=True)
        ctx.exit(EXIT_BUSY)
    raised = sum(summary.flags_raised.values())
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(summary.flags_raised.items()))
    click.echo(
        f"evaluated {len(summary.runs)} runs, {summary.observations} site results of"
        f" {summary.clusters} clusters: {summary.status_changes} status changes,"
        f" {raised} flags raised{f' ({kinds})' if kinds else ''}"
    )
