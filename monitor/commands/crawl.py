"""`clusterwatch crawl`: one crawl run over the seeds, then the monitor's evaluation."""

from __future__ import annotations

from pathlib import Path

import click

from clusterwatch.crawler.seeds import SeedsError
from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.commands.seeds import summary as import_summary
from clusterwatch.monitor.crawl_runner import CrawlSetupError, SeedFile, refuse_unknown, run_crawl
from clusterwatch.monitor.exit_codes import ExitCode
from clusterwatch.monitor.locks import LockBusy, crawl_lock, holder_name
from clusterwatch.monitor.settings import SettingsError
from clusterwatch.monitor.store_access import checked_url, open_store, sqlite_file

EXIT_BAD_INPUT = ExitCode.BAD_INPUT
EXIT_INCOMPLETE = ExitCode.INCOMPLETE
EXIT_FAILED = ExitCode.FAILED
EXIT_BUSY = ExitCode.BUSY
EXIT_DEGRADED = ExitCode.DEGRADED


@click.command()
@click.option(
    "--seeds",
    "seeds",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A seeds file to import into the registry first, relative to the current folder "
    "(a fresh database imports the seeds shipped with the package).",
)
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.option("--only", "only", multiple=True, metavar="ID", help="Crawl only this cluster id.")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scrapy's detailed log, rotated (default: $XDG_DATA_HOME/clusterwatch/logs/crawl.log).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the detailed log on the terminal too.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary and errors.")
@click.pass_context
def crawl(
    ctx: click.Context,
    seeds: Path | None,
    db: str | None,
    only: tuple[str, ...],
    log_file: Path | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Crawl every cluster site in the registry once and record what was found.

    --seeds PATH imports that seeds file into the registry first (a field a curator set is kept
    and reported as a conflict); on a fresh database the default seeds file is imported.

    Obeys robots.txt, one request at a time per site with a delay, within a page budget per
    site, and sends conditional requests for pages seen before. A run where the network looked
    down is recorded as degraded, judges nothing and exits 5. On a terminal one progress line
    is redrawn (sites done, pages, errors, elapsed, time left); otherwise a line per 10 % of
    the sites. Expected network failures go to the log file, one line each.
    """
    if verbose and quiet:
        raise click.UsageError("--verbose and --quiet exclude each other")
    output = "verbose" if verbose else "quiet" if quiet else None
    try:
        settings = settings_from(
            ctx,
            db=db,
            seeds=str(seeds.absolute()) if seeds else None,
            log_file=str(log_file.absolute()) if log_file else None,
            crawl_output=output,
        )
        # bad input is refused before the database is touched (or created)
        seed_file = SeedFile.read(settings.seeds) if seeds is not None else None
        database = sqlite_file(checked_url(settings.db))
        if only and database is not None and not database.exists():
            fresh = seed_file or SeedFile.read(settings.seeds)  # what a fresh crawl imports
            refuse_unknown(only, [seed.id for seed in fresh.seeds], fresh.path)
        with crawl_lock(open_store(settings.db, create=True), holder_name("cli")):
            outcome = run_crawl(settings, seed_file=seed_file, only=only)
    except (SeedsError, CrawlSetupError, SettingsError) as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    except LockBusy as exc:
        click.echo(f"error: another crawl is running ({exc}); try again when it ends", err=True)
        ctx.exit(EXIT_BUSY)
    if outcome.imported is not None:
        click.echo(import_summary(outcome.imported, str(outcome.run.seeds_path)))
        for conflict in outcome.imported.conflicts:
            click.echo(f"conflict: {conflict}")
    run = outcome.run
    elapsed = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    click.echo(
        f"run {run.id} {run.state}{' (degraded: network down?)' if run.degraded else ''}: "
        f"sites ok {run.sites_ok} / failed {run.sites_failed} / moved {run.sites_moved} "
        f"of {run.sites_total}, pages {run.pages}, {run.bytes / 1e6:.1f} MB, "
        f"errors {run.errors}, {elapsed:.0f} s"
    )
    click.echo(f"log: {settings.log_file}", err=settings.crawl_output == "quiet")
    flags = outcome.evaluation.flags_raised
    if flags:
        click.echo("new flags: " + ", ".join(f"{kind} {count}" for kind, count in flags.items()))
    if run.state == "complete" and run.degraded:
        click.echo("error: the network looked down: nothing was judged (exit 5)", err=True)
        ctx.exit(EXIT_DEGRADED)
    if run.state != "complete":
        # An interrupted crawl (signal, time limit) exits 3; a crawl process that crashed, 1.
        interrupted = outcome.exit_code in (EXIT_INCOMPLETE, 0) or outcome.exit_code < 0
        ctx.exit(EXIT_INCOMPLETE if interrupted else EXIT_FAILED)
