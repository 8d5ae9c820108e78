"""`clusterwatch history`: one cluster's runs, statuses, flags, notes and audit trail.

A run's outcome is a sentence ("the domain does not resolve"), last in its row so it can wrap.
"""

from __future__ import annotations

from typing import Any

import click

from clusterwatch.db.models import AuditEvent
from clusterwatch.db.store import audit
from clusterwatch.db.store import flags as flag_store
from clusterwatch.db.store import states as state_store
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.reasons import site_reason
from clusterwatch.monitor.store_access import open_store
from clusterwatch.monitor.text_table import render_table

RUN_HEADERS = ("run", "started", "run state", "status", "failing streak", "outcome")
FLAG_HEADERS = ("flag", "created", "kind", "state", "reviewer", "note")
TRAIL_HEADERS = ("when", "by", "action", "on", "before", "after", "note")


@click.command()
@click.argument("cluster_id")
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def history(ctx: click.Context, cluster_id: str, db: str | None) -> None:
    """Show CLUSTER_ID's evaluated runs with its status after each, its flags and notes."""
    settings = settings_from(ctx, db=db)
    with open_store(settings.db)() as session:
        if not state_store.cluster_ids(session, [cluster_id]):
            raise click.BadParameter(
                f"no cluster {cluster_id!r}; see the ids with `clusterwatch status`",
                param_hint="CLUSTER_ID",
            )
        runs = state_store.history_of(session, cluster_id)
        flags = state_store.flags_of(session, cluster_id)
        notes = flag_store.notes_of(session, cluster_id)
        trail = audit.events_of_cluster(session, cluster_id)
    run_rows = [
        [
            run_id,
            started.strftime("%Y-%m-%d %H:%M"),
            f"{state}{' degraded' if degraded else ''}",
            status,
            streak or "",
            _outcome(outcome, http_status, error, settings.download_timeout),
        ]
        for run_id, started, state, degraded, outcome, status, streak, http_status, error in runs
    ]
    click.echo(f"Runs of {cluster_id}")
    table = render_table(RUN_HEADERS, run_rows, wrap="outcome") if run_rows else None
    click.echo(table or "(no evaluated run)")
    flag_rows = [
        [
            f.id,
            f.created_at.strftime("%Y-%m-%d %H:%M"),
            f.kind,
            f.state,
            f.reviewer or "",
            f.note or "",
        ]
        for f in flags
    ]
    click.echo(f"\nFlags of {cluster_id}")
    click.echo(render_table(FLAG_HEADERS, flag_rows, wrap="note") if flag_rows else "(no flag)")
    if notes:
        note_rows = [[n.created_at.strftime("%Y-%m-%d %H:%M"), n.author, n.text] for n in notes]
        click.echo(f"\nNotes on {cluster_id}")
        click.echo(render_table(("when", "by", "note"), note_rows, wrap="note"))
    if trail:
        click.echo(f"\nAudit trail of {cluster_id}")
        rows = [trail_row(event) for event in trail]
        click.echo(render_table(TRAIL_HEADERS, rows, wrap="note"))


def _outcome(
    outcome: str | None, http_status: int | None, error: str | None, timeout: float
) -> str:
    """How the site answered in one run, as a sentence (monitor.reasons); no technical detail."""
    if outcome is None:
        return "-"
    return site_reason(outcome, http_status, error, timeout=timeout).sentence


def trail_row(event: AuditEvent) -> list[str]:
    """One audit event as a table row: when, who, what changed on which thing, old -> new."""
    return [
        event.at.strftime("%Y-%m-%d %H:%M"),
        event.actor,
        event.action,
        f"{event.entity} {event.entity_id}",
        _values(event.old),
        _values(event.new),
        event.note or "",
    ]


def _values(values: dict[str, Any] | None) -> str:
    if not values:
        return "-"
    return ", ".join(f"{key}={value}" for key, value in values.items() if value is not None)
