"""`clusterwatch seeds import [PATH]` and `seeds export [PATH]`: the registry's file form.

Import validates the whole file first (every problem as file:line: cluster: field: ..., exit 2,
nothing written), then adds, updates, restores and retires clusters; a field a curator set is
kept and reported as a conflict. Export writes the live clusters in the same schema; importing
that file back changes nothing.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click

from clusterwatch.crawler.seeds import SeedsError, load_seed_file
from clusterwatch.monitor.actors import cli_actor
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.hubs import import_hubs
from clusterwatch.monitor.registry import ImportReport, export_seeds, import_seeds
from clusterwatch.monitor.store_access import open_store

db_option = click.option("--db", "db", help="Database URL (default: CLUSTERWATCH_DB or SQLite).")


@click.group()
def seeds() -> None:
    """Import a seeds file into the registry, or export the registry as one."""


@seeds.command("import")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.pass_context
def import_command(ctx: click.Context, path: Path | None, db: str | None) -> None:
    """Bring PATH (default: the seeds setting) into the registry."""
    settings = settings_from(ctx, db=db)
    source = path or Path(settings.seeds)
    try:
        listed, hubs = load_seed_file(source)
    except SeedsError as exc:
        click.echo(str(exc), err=True)
        ctx.exit(2)
    sessions = open_store(settings.db, create=True)
    actor, now = cli_actor(sessions, None), datetime.now(UTC)
    report = import_seeds(sessions, listed, actor, now, str(source))
    report.hubs_added = import_hubs(sessions, hubs, actor, now)
    click.echo(summary(report, str(source)))
    for conflict in report.conflicts:
        click.echo(f"conflict: {conflict}")


def summary(report: ImportReport, source: str) -> str:
    parts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.restored)} restored",
        f"{len(report.retired)} retired",
        f"{len(report.conflicts)} conflicts",
        *([f"{len(report.hubs_added)} hubs added"] if report.hubs_added else []),
    ]
    text = f"{source}: {', '.join(parts)}"
    if report.kept:
        text += f"; kept {len(report.kept)} added by curators: {', '.join(report.kept)}"
    return text


@seeds.command("export")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.pass_context
def export_command(ctx: click.Context, path: Path | None, db: str | None) -> None:
    """Write the registry's live clusters to PATH (default: standard output)."""
    if path is not None and not path.parent.is_dir():
        message = f"folder {path.parent} does not exist; create it first"
        raise click.BadParameter(message, param_hint="PATH")
    settings = settings_from(ctx, db=db)
    text = export_seeds(open_store(settings.db), datetime.now(UTC))
    if path is None:
        click.echo(text, nl=False)
        return
    # written whole or not at all: a temporary file in the same folder, then renamed over PATH
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    Path(temporary).replace(path)
    click.echo(f"wrote {path}")
