"""Exactly-once delivery of the weekly digest, through one outbox row per ISO week.

`prepare_week` composes the week's digest and freezes it in `digest_outbox` (the first caller
wins; later calls get the frozen message back, so a retry sends the very bytes, Message-ID
included, that were composed first). `deliver` sends one week's row by claim, send, mark:

1. claim  (one transaction): `sent_at` is set with an in-flight marker, only if it was NULL, so
   two senders (the scheduler's tick and a manual `clusterwatch digest --send`) never both send;
2. send   (no transaction open): the SMTP conversation;
3. mark   (one transaction): delivered (marker cleared), or on MailError back to unsent with the
   error, for the next tick to retry.

A crash between 1 and 3 leaves the row claimed and in flight, and so does a server that took
the whole message and dropped the connection before its reply (DeliveryUncertain). We choose
at most once: such a row is never retried by itself, because we cannot tell whether the server
took the message, and a digest must never be sent twice. `clusterwatch digest` reports the row
as "delivery uncertain" and `--send --requeue` puts it back in the queue once a person has
checked the mail server's log. The window is a few milliseconds per week; a down SMTP server, the
common failure, is a MailError and is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.store import outbox as store
from clusterwatch.monitor.candidates import candidate_rows, queue_floor
from clusterwatch.monitor.digest import (
    NEW_CANDIDATES_SHOWN,
    DigestContent,
    IsoWeek,
    LandscapeRow,
    NewCandidate,
    compose,
    group_flags,
    group_open_flags,
    landscape_from_report,
    new_candidate,
)
from clusterwatch.monitor.locks import Clock
from clusterwatch.monitor.mailer import DeliveryUncertain, MailError, MailTransport
from clusterwatch.monitor.report import build_report
from clusterwatch.monitor.settings import Settings

log = logging.getLogger(__name__)

LandscapeSource = Callable[[sessionmaker[Session], datetime], tuple[LandscapeRow, ...]]


def no_landscape(_sessions: sessionmaker[Session], _now: datetime) -> tuple[LandscapeRow, ...]:
    """For digests (and tests) about flags only."""
    return ()


def report_landscape(sessions: sessionmaker[Session], now: datetime) -> tuple[LandscapeRow, ...]:
    """The landscape figures of monitor.report, against the 2016 screening."""
    return landscape_from_report(build_report(sessions, now))


def load_content(
    sessions: sessionmaker[Session],
    settings: Settings,
    week: IsoWeek,
    now: datetime,
    landscape: LandscapeSource = no_landscape,
) -> DigestContent:
    start, end = week.bounds(settings.digest_timezone)
    with sessions() as session:
        flags = store.week_flags(session, start, end)
        waiting = store.open_flags(session)
    return DigestContent(
        week,
        group_flags(flags, settings),
        len(waiting),
        landscape(sessions, now),
        open_groups=group_open_flags(waiting, settings),
        new_candidates=week_candidates(sessions, start, end),
    )


def week_candidates(
    sessions: sessionmaker[Session], start: datetime, end: datetime
) -> tuple[NewCandidate, ...]:
    """The open candidates first seen in [start, end), above the queue's floor, strongest first."""
    floor = queue_floor()
    rows = [
        row
        for row in candidate_rows(sessions, "open", floor)
        if start <= datetime.fromisoformat(row["first_seen"]) < end
    ]
    return tuple(new_candidate(row) for row in rows[:NEW_CANDIDATES_SHOWN])


def build_message(
    sessions: sessionmaker[Session],
    settings: Settings,
    week: IsoWeek,
    now: datetime,
    landscape: LandscapeSource = no_landscape,
) -> EmailMessage:
    """A fresh digest for `week`, not recorded anywhere (a preview)."""
    return compose(load_content(sessions, settings, week, now, landscape), settings, now)


def prepare_week(
    sessions: sessionmaker[Session],
    settings: Settings,
    week: IsoWeek,
    now: datetime,
    landscape: LandscapeSource = no_landscape,
) -> store.OutboxRow:
    """The week's frozen outbox row, composing and recording it first if there is none."""
    with sessions() as session:
        existing = store.get(session, str(week))
    if existing is not None:
        return existing
    message = build_message(sessions, settings, week, now, landscape)
    with sessions.begin() as session:
        if store.add(session, str(week), str(message["Subject"]), message.as_bytes(), now):
            log.info("digest for %s recorded in the outbox", week)
        row = store.get(session, str(week))
    assert row is not None  # just added, by us or by a concurrent caller
    return row


@dataclass(frozen=True)
class Delivery:
    week: str
    outcome: str  # sent | failed | already sent | uncertain | missing
    error: str | None = None


def deliver(
    sessions: sessionmaker[Session],
    transport: MailTransport,
    week: str,
    clock: Clock,
    claimant: str,
) -> Delivery:
    """Send the week's digest unless it was sent (or may have been): claim, send, mark."""
    with sessions.begin() as session:
        claimed = store.claim(session, week, clock(), claimant)
        row = store.get(session, week)
    if row is None:
        return Delivery(week, "missing")
    if not claimed:
        return Delivery(week, "uncertain" if row.in_flight else "already sent", row.last_error)
    try:
        transport.send(row.message)
    except DeliveryUncertain as exc:  # maybe delivered: stays in flight until --requeue
        with sessions.begin() as session:
            store.mark_uncertain(session, week, str(exc))
        log.error("digest %s may or may not have been delivered: %s", week, exc)
        return Delivery(week, "uncertain", str(exc))
    except MailError as exc:
        with sessions.begin() as session:
            store.mark_failed(session, week, str(exc))
        log.warning("digest %s not sent, will retry: %s", week, exc)
        return Delivery(week, "failed", str(exc))
    with sessions.begin() as session:
        store.mark_delivered(session, week, clock())
    log.info("digest %s sent", week)
    return Delivery(week, "sent")


def deliver_pending(
    sessions: sessionmaker[Session], transport: MailTransport, clock: Clock, claimant: str
) -> list[Delivery]:
    """Try every unsent week once, oldest first (the scheduler's tick)."""
    with sessions() as session:
        weeks = store.unsent_weeks(session)
    return [deliver(sessions, transport, week, clock, claimant) for week in weeks]


def requeue_uncertain(sessions: sessionmaker[Session], week: str) -> bool:
    """Put an in-flight (uncertain) row back in the queue; for a person who checked the logs."""
    with sessions.begin() as session:
        row = store.get(session, week)
        if row is None or not row.in_flight:
            return False
        store.mark_failed(session, week, "requeued by hand after an uncertain delivery")
    return True
