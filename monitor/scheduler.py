"""`clusterwatch schedule`: the nightly crawl, the weekly digest and the outbox tick, forever.

Layers of protection, outermost first:
- the single-scheduler guard: a process runs jobs only while it holds the lease "scheduler"
  (monitor.locks); a second process waits in standby and takes over when the first dies;
- APScheduler 3 with its jobs in a SQLAlchemyJobStore in the project's database (table
  `apscheduler_jobs`, times in UTC), `coalesce=True`, `max_instances=1` and the settings'
  `misfire_grace_time`: runs missed while nobody was running collapse into one late run;
- job slots: each run of the crawl or the digest first inserts its (job, slot) row, where the
  slot is the scheduled fire time it belongs to; whoever fails to insert it skips the run;
- the crawl lock, held around every crawl, so a manual `clusterwatch crawl` and a scheduled one
  never overlap;
- the crawl itself runs in a child process, so a crash or a hang (the
  time limit) cannot take the scheduler down; every outcome is logged and kept in `job_slots`
  (monitor.scheduler_jobs).

The job store can only persist a module-level function, so jobs call `run_job(job, runtime)`,
which finds this process's `JobRunner` by the key the scheduler wrote into the job's kwargs at
start-up. Tests inject the crawl callable, the mail transport and the triggers there.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import locks as slot_store
from clusterwatch.monitor.locks import SCHEDULER_LOCK, Clock, LockBusy, holder_name, lease, utc_now
from clusterwatch.monitor.mailer import MailTransport, transport_from
from clusterwatch.monitor.scheduler_jobs import (
    JOB_CRAWL,
    JOB_DIGEST,
    JOB_OUTBOX,
    CrawlCallable,
    JobRunner,
    crawl_in_child,
    slot_name,
)
from clusterwatch.monitor.settings import Settings

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"  # excluded from Alembic in db/migrations/env.py
OUTBOX_TICK = timedelta(minutes=5)  # how soon an unsent digest is retried
SCHEDULER_LEASE_TTL = timedelta(seconds=60)  # a dead scheduler's stand-in takes over after this
TICK_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # fixed, so the stored tick trigger stays equal
STANDBY_POLL_S = 10.0  # how often a standby scheduler asks for the lease
WATCH_POLL_S = 0.5  # how often the active scheduler checks for stop / a lost lease
JOB_FUNC = f"{__name__}:run_job"
CRON_WEEKDAY_FIELD = 4

_RUNTIMES: dict[str, JobRunner] = {}


def run_job(job: str, runtime: str) -> str:
    """The function every stored job calls (APScheduler can persist only a textual reference)."""
    runner = _RUNTIMES.get(runtime)
    if runner is None:
        raise LookupError(f"job {job}: no scheduler runtime {runtime!r} in this process")
    return runner.run(job)


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A trigger from a crontab line; weekdays must be names (APScheduler 3 counts 0 = Monday)."""
    fields = expression.split()
    if len(fields) == CRON_WEEKDAY_FIELD + 1 and any(c.isdigit() for c in fields[-1]):
        raise ValueError(
            f"{expression!r}: write the day of week as names (mon-fri), not numbers: APScheduler 3"
            " numbers Monday 0, crontab numbers Sunday 0"
        )
    return CronTrigger.from_crontab(expression, timezone=ZoneInfo(timezone))


def configured_triggers(settings: Settings) -> dict[str, BaseTrigger]:
    return {
        JOB_CRAWL: cron_trigger(settings.crawl_schedule, settings.crawl_timezone),
        JOB_DIGEST: cron_trigger(settings.digest_schedule, settings.digest_timezone),
        JOB_OUTBOX: IntervalTrigger(
            seconds=OUTBOX_TICK.total_seconds(), start_date=TICK_EPOCH, timezone=UTC
        ),
    }


@dataclass
class Scheduler:
    """One scheduler process: standby until it holds the guard lease, then runs the jobs."""

    settings: Settings
    sessions: sessionmaker[Session]
    crawl: CrawlCallable = crawl_in_child
    transport: MailTransport | None = None  # default: from the settings (None: no SMTP host)
    triggers: Mapping[str, BaseTrigger] | None = None  # default: from the settings
    clock: Clock = utc_now
    lease_ttl: timedelta = SCHEDULER_LEASE_TTL
    standby_poll: float = STANDBY_POLL_S
    holder: str = field(default_factory=lambda: holder_name("scheduler"))
    active: threading.Event = field(default_factory=threading.Event)  # set while running jobs

    def run(self, stop: threading.Event) -> None:
        """Run until `stop` is set; blocks. Safe to call from the main thread or any other."""
        waiting_reported = False
        while not stop.is_set():
            try:
                with lease(self.sessions, SCHEDULER_LOCK, self.holder, self.lease_ttl) as held:
                    waiting_reported = False
                    self._run_jobs(stop, held.lost)
            except LockBusy as busy:
                if not waiting_reported:
                    log.info("standby: %s", busy)
                    waiting_reported = True
                stop.wait(self.standby_poll)

    def _run_jobs(self, stop: threading.Event, lost: threading.Event) -> None:
        runtime = uuid.uuid4().hex
        crawl_stop = threading.Event()
        triggers = dict(self.triggers or configured_triggers(self.settings))
        _RUNTIMES[runtime] = JobRunner(
            settings=self.settings,
            sessions=self.sessions,
            crawl=self.crawl,
            transport=self.transport or transport_from(self.settings),
            triggers=triggers,
            clock=self.clock,
            holder=self.holder,
            crawl_stop=crawl_stop,
        )
        scheduler = build_scheduler(_engine(self.sessions), self.settings)
        scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)
        try:
            scheduler.start(paused=True)
            install_jobs(scheduler, triggers, runtime, self.settings.misfire_grace_time)
            scheduler.resume()
            self.active.set()
            log.info("scheduler %s running: %s", self.holder, ", ".join(triggers))
            while not stop.wait(WATCH_POLL_S) and not lost.is_set():
                pass
            if lost.is_set():
                log.error("scheduler lease lost; stopping jobs and going back to standby")
        finally:
            self.active.clear()
            crawl_stop.set()  # a running crawl child gets SIGTERM and records itself incomplete
            if scheduler.running:
                scheduler.shutdown(wait=True)
            del _RUNTIMES[runtime]
            log.info("scheduler %s stopped", self.holder)

    def _on_missed(self, event: JobExecutionEvent) -> None:
        """A run later than misfire_grace_time is skipped by APScheduler: keep that on record."""
        if event.job_id == JOB_OUTBOX:
            return
        slot = slot_name(event.scheduled_run_time)
        now = self.clock()
        with self.sessions.begin() as session:
            if slot_store.claim_slot(session, event.job_id, slot, now):
                outcome = "missed: the scheduler was not running within the grace time"
                slot_store.finish_slot(session, event.job_id, slot, now, outcome)


def build_scheduler(engine: Engine, settings: Settings) -> BackgroundScheduler:
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=len((JOB_CRAWL, JOB_DIGEST)) + 1)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.misfire_grace_time,
        },
        timezone=UTC,
    )


def install_jobs(
    scheduler: BackgroundScheduler,
    triggers: Mapping[str, BaseTrigger],
    runtime: str,
    misfire_grace_time: int,
) -> None:
    """Put the jobs in the store, keeping a stored job's next run time if its trigger is unchanged
    (so runs missed while the scheduler was down still fire, coalesced into one)."""
    for job_id, trigger in triggers.items():
        kwargs = {"job": job_id, "runtime": runtime}
        stored = scheduler.get_job(job_id)
        if stored is not None and repr(stored.trigger) == repr(trigger):
            scheduler.modify_job(job_id, kwargs=kwargs, misfire_grace_time=misfire_grace_time)
        else:
            scheduler.add_job(
                JOB_FUNC, trigger, id=job_id, name=job_id, kwargs=kwargs, replace_existing=True
            )
    for job in scheduler.get_jobs():
        if job.id not in triggers:
            log.info("removing job %s: no longer configured", job.id)
            job.remove()


@dataclass(frozen=True)
class JobInfo:
    id: str
    trigger: str
    next_run: datetime | None
    scheduled: bool  # False: not in the job store yet (or its schedule changed)
    last_outcome: str | None


def list_jobs(
    settings: Settings,
    sessions: sessionmaker[Session],
    triggers: Mapping[str, BaseTrigger] | None = None,
    clock: Clock = utc_now,
) -> list[JobInfo]:
    """The configured jobs with their next run times, read from the job store; starts nothing."""
    triggers = triggers or configured_triggers(settings)
    store = SQLAlchemyJobStore(engine=_engine(sessions), tablename=JOB_TABLE)
    store.start(BackgroundScheduler(timezone=UTC), "default")  # creates the table if missing
    stored = {job.id: job for job in store.get_all_jobs()}
    with sessions() as session:
        last = {row.job: row.outcome for row in slot_store.slots(session)}
    infos = []
    for job_id, trigger in triggers.items():
        job = stored.get(job_id)
        scheduled = job is not None and repr(job.trigger) == repr(trigger)
        next_run = (
            job.next_run_time
            if job is not None and scheduled
            else trigger.get_next_fire_time(None, clock())
        )
        infos.append(JobInfo(job_id, str(trigger), next_run, scheduled, last.get(job_id)))
    return infos


def _engine(sessions: sessionmaker[Session]) -> Engine:
    bind = sessions.kw["bind"]
    assert isinstance(bind, Engine)
    return bind
