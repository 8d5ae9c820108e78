"""`clusterwatch candidates [accept|reject]`: the discovery queue of organisations not listed yet.

The nightly crawl collects links from cluster sites to hosts the registry does not hold, fetches
a few of their home pages and scores them (crawler/analysis/data/discovery.yaml holds the rules).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import click

from clusterwatch.db.store.candidates import STATES
from clusterwatch.monitor.actors import UnknownActor, cli_actor
from clusterwatch.monitor.candidates import JSON_KEYS, accept, candidate_rows, queue_floor, reject
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.registry import RegistryError
from clusterwatch.monitor.report_formats import spreadsheet_safe
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.text_table import render_table

TABLE_HEADERS = ("id", "score", "name", "sector", "prefecture", "url", "found on")
db_option = click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")
by_option = click.option("--by", "by", help="Account to record (default: your system user name).")


@click.group(invoke_without_command=True)
@click.option("--state", type=click.Choice([*STATES, "all"]), default="open", show_default=True)
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table")
@click.option(
    "--min-score",
    type=float,
    default=None,
    help="Lowest score shown (default: the data file's queue_min_score; 0 for all).",
)
@db_option
@click.pass_context
def candidates(
    ctx: click.Context, state: str, output: str, min_score: float | None, db: str | None
) -> None:
    """Organisations that crawled cluster sites link to and the registry does not hold."""
    if ctx.invoked_subcommand is not None:
        return
    floor = queue_floor() if min_score is None else min_score
    sessions = open_store(settings_from(ctx, db=db).db)
    rows = candidate_rows(sessions, None if state == "all" else state, floor)
    if output == "json":
        click.echo(
            json.dumps([{k: r[k] for k in JSON_KEYS} for r in rows], ensure_ascii=False, indent=2)
        )
    elif output == "csv":
        click.echo(_csv(rows), nl=False)
    else:
        click.echo(render_table(TABLE_HEADERS, [_table_row(r) for r in rows], wrap="found on"))


def _table_row(row: dict[str, Any]) -> list[object]:
    name = row["name_ja"] or row["name"] or ""
    found = "; ".join(
        f"{f.get('cluster_id') or f.get('hub')}: {f['anchor']}" for f in row["found_on"]
    )
    return [
        row["id"],
        row["score"],
        name,
        row["sector"] or "-",
        row["prefecture"] or "-",
        row["url"],
        found,
    ]


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(JSON_KEYS)
    for row in rows:
        flat = {**row, "found_on": " | ".join(f["url"] for f in row["found_on"])}
        writer.writerow([spreadsheet_safe(flat[k]) for k in JSON_KEYS])
    return out.getvalue()


def _store(ctx: click.Context, db: str | None, by: str | None) -> tuple[Any, str]:
    sessions = open_store(settings_from(ctx, db=db).db)
    try:
        return sessions, cli_actor(sessions, by)
    except UnknownActor as exc:
        raise click.BadParameter(str(exc), param_hint="--by") from exc


@candidates.command("accept")
@click.argument("candidate_id", type=int)
@click.option("--id", "new_id", help="The new cluster's id (default: from its host name).")
@click.option("--sector", help="The sector, when the guess is missing or wrong.")
@by_option
@db_option
@click.pass_context
def accept_command(
    ctx: click.Context, candidate_id: int, new_id: str | None, sector: str | None,
    by: str | None, db: str | None,
) -> None:  # fmt: skip
    """Add candidate CANDIDATE_ID to the registry; it is crawled from the next night on."""
    sessions, actor = _store(ctx, db, by)
    try:
        cluster_id = accept(sessions, candidate_id, actor, datetime.now(UTC), new_id, sector)
    except RegistryError as exc:
        raise click.UsageError(f"candidate {candidate_id}: {exc}") from exc
    click.echo(f"candidate {candidate_id} is now cluster {cluster_id!r}")


@candidates.command("reject")
@click.argument("candidate_id", type=int)
@click.option("--note", help="Why; kept in the audit trail.")
@by_option
@db_option
@click.pass_context
def reject_command(
    ctx: click.Context, candidate_id: int, note: str | None, by: str | None, db: str | None
) -> None:
    """Keep CANDIDATE_ID out of the queue until a new page names it."""
    sessions, actor = _store(ctx, db, by)
    try:
        reject(sessions, candidate_id, actor, datetime.now(UTC), note)
    except RegistryError as exc:
        raise click.UsageError(f"candidate {candidate_id}: {exc}") from exc
    click.echo(f"candidate {candidate_id} rejected")
