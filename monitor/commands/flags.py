"""`clusterwatch flags`: the flags curators review, by state."""

from __future__ import annotations

import json

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.flags_view import FLAG_STATE_CHOICES, FlagRecord, flag_rows
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.text_table import render_table

TABLE_HEADERS = ("id", "cluster", "kind", "state", "created", "evidence")


def _table_row(flag: FlagRecord) -> list[object]:
    first = flag.evidence[0] if flag.evidence else {}
    evidence = " ".join(str(first.get(k)) for k in ("date", "url", "text") if first.get(k))
    return [
        flag.id,
        flag.cluster_id,
        flag.kind,
        flag.state,
        flag.created_at.strftime("%Y-%m-%d %H:%M"),
        evidence,
    ]


@click.command()
@click.option(
    "--state",
    "state",
    type=click.Choice(FLAG_STATE_CHOICES),
    default="open",
    show_default=True,
    help="Which flags to list.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def flags(ctx: click.Context, state: str, output: str, db: str | None) -> None:
    """List flags (open by default), oldest first; review them with `clusterwatch review`."""
    settings = settings_from(ctx, db=db)
    found = flag_rows(open_store(settings.db), state)
    if output == "json":
        click.echo(json.dumps([flag.to_json() for flag in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"no {state if state != 'all' else ''} flags".replace("  ", " "))
        return
    click.echo(render_table(TABLE_HEADERS, [_table_row(flag) for flag in found], wrap="evidence"))
