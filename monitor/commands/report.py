"""`clusterwatch report`: the 2016 screening with today's data, as text, CSV, JSON or xlsx."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.report import build_report
from clusterwatch.monitor.report_formats import render_csv, render_json, render_text
from clusterwatch.monitor.report_xlsx import write_xlsx
from clusterwatch.monitor.store_access import open_store

RENDERERS = {"text": render_text, "csv": render_csv, "json": render_json}


@click.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "csv", "json", "xlsx"]),
    default="text",
    show_default=True,
    help="Output format; xlsx needs --out.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def report(ctx: click.Context, output: str, out: Path | None, db: str | None) -> None:
    """The 2016 screening now: counts by sector, internationalisation, website activity and
    English site beside the 2016 figures (51 clusters), and one row per cluster with evidence.
    """
    if output == "xlsx" and out is None:
        raise click.UsageError("--format xlsx writes a workbook: give --out PATH.xlsx")
    if out is not None and out.parent and not out.parent.is_dir():
        raise click.BadParameter(
            f"folder {out.parent} does not exist; create it", param_hint="--out"
        )
    settings = settings_from(ctx, db=db)
    built = build_report(open_store(settings.db), datetime.now(UTC))
    if output == "xlsx":
        assert out is not None
        write_xlsx(built, out)
    elif out is None:
        click.echo(RENDERERS[output](built), nl=False)
    else:
        _write_text(out, RENDERERS[output](built))
    if out is not None:
        click.echo(f"wrote {out} ({len(built.clusters)} clusters)", err=True)


def _write_text(target: Path, text: str) -> None:
    """Write atomically: a temporary file beside the target, then a rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
