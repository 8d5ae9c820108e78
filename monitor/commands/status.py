"""`clusterwatch status`: every cluster's status and evidence, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.clusters_view import ClusterRow, cluster_rows
from clusterwatch.monitor.report_formats import spreadsheet_safe
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.text_table import render_table

TABLE_HEADERS = (
    "id",
    "status",
    "streak",
    "last update",
    "english",
    "internationalisation",
    "flags",
    "moved to",
    "why",
)
# statuses whose reason the table shows (an active or dormant site's reason is its date)
EXPLAINED = frozenset({"unknown", "unreachable", "parked"})


def _table_row(row: ClusterRow) -> list[object]:
    marked = {name: f"{getattr(row, name)}*" for name in row.overrides if hasattr(row, name)}
    return [
        row.id,
        marked.get("status", row.status),
        row.failing_streak or "",
        row.last_update.isoformat() if row.last_update else "-",
        marked.get("english_site", row.english_site),
        marked.get("internationalisation", row.internationalisation),
        row.open_flags or "",
        marked.get("moved_to", row.moved_to or ""),
        row.why.sentence if row.status in EXPLAINED or row.failing_streak else "",
    ]


@click.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def status(ctx: click.Context, output: str, db: str | None) -> None:
    """Show every current cluster's status, evidence and open flags.

    Curator overrides win and are marked with * in the table; JSON lists them under
    "overrides" with the computed value kept beside each.
    """
    settings = settings_from(ctx, db=db)
    rows = cluster_rows(
        open_store(settings.db), datetime.now(UTC), timeout=settings.download_timeout
    )
    if output == "json":
        click.echo(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
    elif output == "csv":
        click.echo(_csv(rows), nl=False)
    else:
        click.echo(render_table(TABLE_HEADERS, [_table_row(row) for row in rows], wrap="why"))
        if any(row.overrides for row in rows):
            click.echo("* set by a curator (see --format json for the computed value)")


def _csv(rows: list[ClusterRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not rows:
        return ""
    flat = [_flatten(row) for row in rows]
    writer.writerow(flat[0])
    for values in flat:
        writer.writerow([spreadsheet_safe(value) for value in values.values()])
    return out.getvalue()


def _flatten(row: ClusterRow) -> dict[str, object]:
    """The JSON keys as columns; nested values become one readable cell each."""
    data = row.to_json()
    evidence = data.pop("last_update_evidence")
    data["last_update_url"], data["last_update_text"] = evidence["url"], evidence["text"]
    data["eu_signals"] = " | ".join(f"{s['date']} {s['url']}" for s in data["eu_signals"])
    data["overrides"] = ", ".join(f"{k}={v['value']}" for k, v in data["overrides"].items())
    return data
