"""`clusterwatch digest`: compose one week's change digest and send it (once) or write it out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from clusterwatch.monitor.cli import settings_from
from clusterwatch.monitor.digest import IsoWeek
from clusterwatch.monitor.locks import holder_name
from clusterwatch.monitor.mailer import transport_from
from clusterwatch.monitor.outbox import (
    build_message,
    deliver,
    prepare_week,
    report_landscape,
    requeue_uncertain,
)
from clusterwatch.monitor.store_access import open_store

EXIT_NOT_SENT = 1


@click.command()
@click.option(
    "--week",
    "week_text",
    metavar="last|current|YYYY-Www",
    help="The week: last (the default, the last full week), current, or an ISO week.",
)
@click.option("--send", "send", is_flag=True, help="Record in the outbox and send by SMTP.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the message as an .eml file; sends nothing.",
)
@click.option(
    "--requeue", is_flag=True, help="With --send: retry a week whose delivery is uncertain."
)
@click.option("--db", "db", help="Database URL (default: $CLUSTERWATCH_DB or the SQLite file).")
@click.pass_context
def digest(
    ctx: click.Context,
    week_text: str | None,
    send: bool,
    out: Path | None,
    requeue: bool,
    db: str | None,
) -> None:
    """Compose the week's digest: flags grouped by kind, landscape figures, open flags.

    --send records the digest in the outbox (frozen: the same message on every retry) and sends
    it unless it was sent before; if the SMTP server is down it stays in the outbox and the
    scheduler retries it. --out writes an .eml file and sends nothing; it is the default when
    no SMTP host is configured (file digest-YYYY-Www.eml). Exit status: 0 done, 1 not sent,
    2 bad input.
    """
    settings = settings_from(ctx, db=db)
    now = datetime.now(UTC)
    try:
        week = IsoWeek.named(week_text or "last", now, settings.digest_timezone)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from exc
    if out is not None and not out.parent.is_dir():
        raise click.BadParameter(
            f"folder {out.parent} does not exist; create it", param_hint="--out"
        )
    if send and out:
        raise click.UsageError("--send and --out exclude each other")
    if requeue and not send:
        raise click.UsageError("--requeue goes with --send")
    transport = transport_from(settings)
    if send and transport is None:
        raise click.UsageError("--send needs an SMTP host: set CLUSTERWATCH_SMTP_HOST")
    sessions = open_store(settings.db)
    if out or transport is None:
        path = out or Path(f"digest-{week}.eml")
        message = build_message(sessions, settings, week, now, report_landscape)
        path.write_bytes(message.as_bytes())
        click.echo(f"{path}: {message['Subject']}")
        return
    if requeue and requeue_uncertain(sessions, str(week)):
        click.echo(f"{week}: uncertain delivery put back in the queue")
    row = prepare_week(sessions, settings, week, now, report_landscape)
    delivery = deliver(
        sessions, transport, str(week), lambda: datetime.now(UTC), holder_name("cli")
    )
    click.echo(f"{week}: {delivery.outcome}: {row.subject}")
    if delivery.outcome == "uncertain":
        click.echo(
            f"delivery of {week} may or may not have happened ({delivery.error}); check the mail"
            " server's log, then use --send --requeue to send it again",
            err=True,
        )
    if delivery.outcome == "failed":
        click.echo(f"not sent: {delivery.error}; the scheduler will retry", err=True)
    if delivery.outcome not in ("sent", "already sent"):
        ctx.exit(EXIT_NOT_SENT)
