"""What the scheduler's jobs do: the nightly crawl, the weekly digest and the outbox tick.

`JobRunner.run(job)` is the process boundary of every scheduled job: it claims the job's slot
(the scheduled fire time the run belongs to, so two schedulers, or a restart, never run one slot
twice), runs the job, and records the outcome in `job_slots`. Outcomes start with a word that
says how it went: `ok`, `failed` (the crawl exited non-zero, the mail was not sent), `skipped`
(another crawl holds the lock, the slot was taken), `error` (the job raised; the traceback is
logged).

The crawl is a `CrawlCallable`: `crawl_in_child` in production (monitor.crawl_runner.run_crawl,
which runs `python -P -m clusterwatch.crawler` as a child process), a tiny child process that
crashes or sleeps in tests. It gets an Event that is set when the scheduler stops; it must then
stop the child.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import locks as slot_store
from clusterwatch.monitor.digest import IsoWeek
from clusterwatch.monitor.locks import CRAWL_LOCK_TTL, Clock, LockBusy, crawl_lock
from clusterwatch.monitor.mailer import MailTransport
from clusterwatch.monitor.outbox import deliver, deliver_pending, prepare_week, report_landscape
from clusterwatch.monitor.settings import Settings

log = logging.getLogger(__name__)

JOB_CRAWL = "crawl"
JOB_DIGEST = "digest"
JOB_OUTBOX = "outbox"  # retries unsent digests; not slotted (it is idempotent and frequent)
OUTCOME_MAX_CHARS = 2000  # job_slots.outcome keeps the gist; the log keeps the whole traceback


@dataclass(frozen=True)
class CrawlResult:
    state: str  # complete | incomplete | failed, as recorded on the crawl run
    exit_code: int | None
    run_id: int | None = None

    def outcome(self) -> str:
        verdict = "ok" if self.exit_code == 0 else "failed"
        run = f"run {self.run_id} " if self.run_id is not None else ""
        return f"{verdict}: crawl {run}{self.state} (exit {self.exit_code})"


CrawlCallable = Callable[[Settings, threading.Event], CrawlResult]


def crawl_in_child(settings: Settings, stop: threading.Event) -> CrawlResult:
    """The production crawl: run_crawl with the time limit; `stop` sends the child SIGTERM."""
    from clusterwatch.monitor.crawl_runner import (
        run_crawl,  # the crawl runner pulls in the seeds loader
    )

    outcome = run_crawl(settings, time_limit=settings.crawl_time_limit, stop=stop)
    return CrawlResult(outcome.state, outcome.exit_code, outcome.run_id)


def slot_for(trigger: BaseTrigger, now: datetime, grace: timedelta) -> datetime:
    """The scheduled fire time a run starting at `now` belongs to: the latest one within grace.

    With coalescing, APScheduler runs only the latest of several missed fire times, which is this
    one. A run with no fire time in the window (started by hand) gets `now`.
    """
    latest = None
    fire = trigger.get_next_fire_time(None, now - grace)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest or now


def slot_name(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class JobRunner:
    """Everything a scheduled job needs, injected by the scheduler (and by tests)."""

    settings: Settings
    sessions: sessionmaker[Session]
    crawl: CrawlCallable
    transport: MailTransport | None
    triggers: Mapping[str, BaseTrigger]
    clock: Clock
    holder: str
    crawl_stop: threading.Event

    def run(self, job: str) -> str:
        actions: dict[str, Callable[[], str]] = {
            JOB_CRAWL: self.crawl_job,
            JOB_DIGEST: self.digest_job,
            JOB_OUTBOX: self.outbox_job,
        }
        if job == JOB_OUTBOX:
            return self._guarded(job, actions[job])
        now = self.clock()
        grace = timedelta(seconds=self.settings.misfire_grace_time)
        slot = slot_name(slot_for(self.triggers[job], now, grace))
        with self.sessions.begin() as session:
            claimed = slot_store.claim_slot(session, job, slot, now)
        if not claimed:
            log.info("job %s slot %s already claimed: skipped", job, slot)
            return f"skipped: slot {slot} already claimed"
        outcome = self._guarded(job, actions[job])
        with self.sessions.begin() as session:
            slot_store.finish_slot(session, job, slot, self.clock(), outcome[:OUTCOME_MAX_CHARS])
        log.info("job %s slot %s: %s", job, slot, outcome)
        return outcome

    def _guarded(self, job: str, action: Callable[[], str]) -> str:
        try:
            return action()
        except Exception as exc:  # the scheduler's process boundary: log, record, keep running
            log.exception("job %s crashed", job)
            return f"error: {type(exc).__name__}: {exc}"

    def crawl_job(self) -> str:
        try:
            with crawl_lock(self.sessions, self.holder, CRAWL_LOCK_TTL):
                return self.crawl(self.settings, self.crawl_stop).outcome()
        except LockBusy as busy:
            return f"skipped: {busy}"

    def digest_job(self) -> str:
        now = self.clock()
        week = IsoWeek.last_complete(now, self.settings.digest_timezone)
        prepare_week(self.sessions, self.settings, week, now, report_landscape)
        if self.transport is None:
            return f"ok: digest {week} in the outbox; no SMTP host configured, not sent"
        delivery = deliver(self.sessions, self.transport, str(week), self.clock, self.holder)
        verdict = "ok" if delivery.outcome in ("sent", "already sent") else "failed"
        return f"{verdict}: digest {week} {delivery.outcome}" + (
            f": {delivery.error}" if verdict == "failed" and delivery.error else ""
        )

    def outbox_job(self) -> str:
        if self.transport is None:
            return "ok: no SMTP host configured"
        deliveries = deliver_pending(self.sessions, self.transport, self.clock, self.holder)
        return "ok: " + (", ".join(f"{d.week} {d.outcome}" for d in deliveries) or "nothing due")
