"""`clusterwatch schedule`: run the nightly crawl and the weekly digest until stopped."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from zoneinfo import ZoneInfo

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.scheduler import JobInfo, Scheduler, configured_triggers, list_jobs
from clusterwatch.monitor.settings import Settings
from clusterwatch.monitor.store_access import open_store

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@click.command()
@click.option("--list", "show", is_flag=True, help="Show the jobs and their next run times.")
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def schedule(ctx: click.Context, show: bool, db: str | None) -> None:
    """Run the scheduled jobs until SIGTERM or Ctrl-C: the nightly crawl, the weekly digest,
    and a tick that retries unsent digests.

    Times come from crawl_schedule / crawl_timezone and digest_schedule / digest_timezone (see
    docs/scheduling.md). Only one scheduler runs jobs per database; a second one waits and takes
    over when the first stops. On SIGTERM a running crawl is stopped and recorded incomplete.
    """
    settings = settings_from(ctx, db=db)
    try:
        triggers = configured_triggers(settings)
    except ValueError as exc:
        raise click.UsageError(f"schedule settings: {exc}") from exc
    sessions = open_store(settings.db, create=True)
    if show:
        for info in list_jobs(settings, sessions, triggers):
            click.echo(format_job(info, settings))
        return
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("%s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    Scheduler(settings, sessions, triggers=triggers).run(stop)


def format_job(info: JobInfo, settings: Settings) -> str:
    """One line per job: id, trigger, next run (UTC and the job's local time), last outcome."""
    zones = {"crawl": settings.crawl_timezone, "digest": settings.digest_timezone}
    crons = {"crawl": settings.crawl_schedule, "digest": settings.digest_schedule}
    trigger = f'cron "{crons[info.id]}" {zones[info.id]}' if info.id in crons else info.trigger
    if info.next_run is None:
        when = "no next run"
    else:
        utc = info.next_run.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M UTC")
        zone = zones.get(info.id)
        local = (
            info.next_run.astimezone(ZoneInfo(zone)).strftime(" (%Y-%m-%d %H:%M %Z)")
            if zone
            else ""
        )
        when = f"next run {utc}{local}"
    pending = "" if info.scheduled else " [not yet in the job store: set when the scheduler starts]"
    last = f"; last: {info.last_outcome}" if info.last_outcome else ""
    return f"{info.id:<7} {trigger:<34} {when}{pending}{last}"
