"""`clusterwatch demo`: the whole pipeline, offline, in one command.

Starts the simulated web (simweb: realistic Japanese cluster sites behind a local proxy, so each
keeps its real hostname), crawls it for a few nights into a throwaway SQLite file, and prints
what the monitor concluded: statuses, moves, dormant and parked sites, flags. No traffic leaves
127.0.0.1: the proxy never connects anywhere.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.commands.candidates import candidates
from clusterwatch.monitor.commands.flags import flags
from clusterwatch.monitor.commands.status import status
from clusterwatch.monitor.crawl_runner import run_crawl
from clusterwatch.monitor.exit_codes import Failed

# Local sites answer in milliseconds: a short delay and timeout keep the demo to about a minute.
DEMO_CRAWL = {
    "crawl_delay": 0.05,
    "download_timeout": 2.0,
    "retry_times": 1,
    "concurrent_sites": 32,
    "page_budget": 20,
}
DEMO_SLOW_SECONDS = 3.0  # the "slow site" outlasts the demo's 2 s timeout
PHASES = 4  # nights the simulated web knows


@click.command()
@click.option(
    "--nights", default=PHASES, show_default=True, type=click.IntRange(1, PHASES),
    help="How many nights to crawl (each is a later state of the simulated web).",
)  # fmt: skip
@click.option(
    "--keep", type=click.Path(dir_okay=False, path_type=Path),
    help="Keep the demo database at this path (default: a temporary file, deleted).",
)  # fmt: skip
@click.pass_context
def demo(ctx: click.Context, nights: int, keep: Path | None) -> None:
    """Crawl a simulated web of Japanese cluster sites and show what clusterwatch finds.

    Needs the demo extra (pip install 'clusterwatch[demo]'; the README's install has it).
    """
    try:
        from clusterwatch.simweb import SimulatedWeb  # test tooling: only the demo needs it
    except ImportError as exc:
        raise Failed(
            f"the demo needs the simulated web's packages ({exc.name} is missing): "
            "pip install 'clusterwatch[demo]'"
        ) from None
    with tempfile.TemporaryDirectory(prefix="clusterwatch-demo-") as folder:
        db_path = keep or Path(folder) / "demo.sqlite3"
        db_url = f"sqlite:///{db_path.resolve()}"
        with SimulatedWeb.with_discovery(phase=1, slow_seconds=DEMO_SLOW_SECONDS) as web:
            seeds = web.write_seeds(Path(folder) / "seeds.yaml")
            os.environ.update(web.proxy_env())  # the crawl child inherits the proxy
            log_file = db_path.with_suffix(".log") if keep else Path(folder) / "crawl.log"
            settings = settings_from(
                ctx,
                db=db_url,
                seeds=str(seeds),
                log_file=str(log_file.resolve()),
                crawl_output="quiet",  # a line per night here instead of a progress line
                **DEMO_CRAWL,
            )
            click.echo(f"simulated web: {len(web.clusters)} cluster sites behind {web.proxy_url}")
            for night in range(1, nights + 1):
                web.set_phase(night)
                outcome = run_crawl(settings)
                run = outcome.run
                raised = ", ".join(f"{k} {n}" for k, n in outcome.evaluation.flags_raised.items())
                click.echo(
                    f"night {night}: run {run.id} {run.state}, sites ok {run.sites_ok} / "
                    f"failed {run.sites_failed} / moved {run.sites_moved}, pages {run.pages}"
                    + (f"; new flags: {raised}" if raised else "")
                )
        click.echo("\nclusters now (clusterwatch status):")
        ctx.invoke(status, output="table", db=db_url)
        click.echo("\nopen flags for curators (clusterwatch flags):")
        ctx.invoke(flags, state="open", output="table", db=db_url)
        click.echo("\norganisations the known sites link to (clusterwatch candidates):")
        ctx.invoke(candidates, state="open", output="table", min_score=None, db=db_url)
        if keep:
            click.echo(f"\ndatabase kept at {db_path}: try `clusterwatch status --db {db_url}`")
            click.echo(f"the crawls' log: {db_path.with_suffix('.log')}")
