"""The weekly digest: content, escaping, the outbox's exactly-once delivery, and the CLI.

A real SMTP server (aiosmtpd on 127.0.0.1) receives the digest; the tests parse what arrived.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from clusterwatch.db.models import Candidate, CandidateSighting, Flag
from clusterwatch.db.store import outbox as store
from clusterwatch.monitor.cli import cli
from clusterwatch.monitor.digest import IsoWeek
from clusterwatch.monitor.mailer import SmtpTransport
from clusterwatch.monitor.outbox import deliver, deliver_pending, prepare_week, requeue_uncertain
from clusterwatch.monitor.settings import Settings
from tests.builders import add_cluster
from tests.smtp_server import DropsAfterData, free_port, smtp_server

WEEK = IsoWeek(2026, 47)  # Monday 16 to Sunday 22 November 2026
IN_WEEK = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> & <img src=http://evil.example/x.png>"
SETTINGS = Settings(
    digest_from="clusterwatch@example.org",
    digest_to=("curators@example.org", "analyst@example.org"),
    base_url="https://review.example.org/",
    smtp_starttls=False,
)


def clock() -> datetime:
    return datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def evidence(text: str, url: str = "https://kbic.example.jp/news/1") -> list[dict[str, Any]]:
    return [{"url": url, "text": text, "date": "2026-11-17"}]


def add_flag(
    session: Session, cluster: str, kind: str, *, state: str = "open", when: datetime = IN_WEEK
) -> None:
    session.add(
        Flag(
            cluster_id=cluster,
            kind=kind,
            state=state,
            created_at=when,
            evidence=evidence(f"{kind} evidence for {cluster}"),
            evidence_key=f"{cluster}-{kind}-{state}-{when.isoformat()}",
        )
    )


@pytest.fixture
def week_of_flags(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Week 47: 2 dormant, 1 reactivated, 3 new EU signals (one hostile); plus noise."""
    with sessions.begin() as session:
        for cluster in ("kbic", "hokuriku", "tohoku", "kyushu"):
            add_cluster(session, cluster, name=f"{cluster.title()} Cluster")
        session.flush()
        add_flag(session, "hokuriku", "became_dormant")
        add_flag(session, "tohoku", "became_dormant", state="confirmed")
        add_flag(session, "kyushu", "reactivated")
        add_flag(session, "hokuriku", "new_eu_signal")
        add_flag(session, "tohoku", "new_eu_signal")
        add_flag(session, "kyushu", "parked", state="dismissed")  # a curator said no: left out
        add_flag(session, "kyushu", "moved", when=IN_WEEK + timedelta(days=7))  # next week
        session.add(
            Flag(
                cluster_id="kbic",
                kind="new_eu_signal",
                state="open",
                created_at=IN_WEEK,
                evidence=evidence(HOSTILE, url="javascript:alert(2)"),
                evidence_key="hostile",
            )
        )
    return sessions


def parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def test_digest_over_real_smtp(week_of_flags: sessionmaker[Session]) -> None:
    with smtp_server() as (inbox, port):
        row = prepare_week(week_of_flags, SETTINGS, WEEK, clock())
        delivery = deliver(
            week_of_flags, SmtpTransport("127.0.0.1", port, starttls=False), str(WEEK), clock, "t"
        )
    assert delivery.outcome == "sent"
    (received,) = inbox.messages
    subject = (
        "[clusterwatch] Japan clusters, week 47: "
        "6 changes (2 dormant, 1 reactivated, 3 new EU signals), 6 open flags"
    )
    assert received.message["Subject"] == subject == row.subject
    assert received.recipients == ["curators@example.org", "analyst@example.org"]
    text, html = parts(received.message)
    assert "Became dormant (2)" in text and "New EU signals (3)" in text
    assert "Hokuriku Cluster" in text and "2026-11-17" in text
    assert "review: https://review.example.org/clusters/hokuriku" in text
    assert HOSTILE in text  # plain text needs no escaping
    changes, waiting = text.split("Open flags awaiting review: 6")  # open flags of any week
    assert "parked" not in changes.lower() and "moved" not in changes.lower()
    # every open flag is named with its cluster and a link to it in the queue, newest first
    assert "* Kyushu Cluster (moved, raised 2026-11-25, open)" in waiting
    assert waiting.index("moved (1)") < waiting.index("became_dormant (1)")
    assert "review: https://review.example.org/queue?kind=moved#flag-" in waiting
    assert "parked" not in waiting and "Tohoku Cluster (became_dormant" not in waiting
    # the HTML part: hostile text escaped, no script, no image, no javascript: link
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "javascript:" not in html
    assert '<a href="https://review.example.org/clusters/kbic">Kbic Cluster</a>' in html
    assert '<a href="https://kbic.example.jp/news/1">source</a>' in html


def test_smtp_down_then_up_delivers_exactly_once(week_of_flags: sessionmaker[Session]) -> None:
    port = free_port()
    transport = SmtpTransport("127.0.0.1", port, starttls=False, timeout=2)
    frozen = prepare_week(week_of_flags, SETTINGS, WEEK, clock()).message
    (down,) = deliver_pending(week_of_flags, transport, clock, "tick")
    assert down.outcome == "failed"
    with week_of_flags() as session:
        row = store.get(session, str(WEEK))
    assert row is not None and row.sent_at is None and row.attempts == 1 and row.last_error
    with smtp_server(port) as (inbox, _):
        assert [d.outcome for d in deliver_pending(week_of_flags, transport, clock, "tick")] == [
            "sent"
        ]
        assert deliver_pending(week_of_flags, transport, clock, "tick") == []
        assert deliver(week_of_flags, transport, str(WEEK), clock, "cli").outcome == "already sent"
        # composing the week again returns the frozen message, not a new one
        assert prepare_week(week_of_flags, SETTINGS, WEEK, clock()).message == frozen
    assert len(inbox.messages) == 1
    with week_of_flags() as session:
        row = store.get(session, str(WEEK))
    assert row is not None and row.delivered and row.attempts == 2


def test_racing_senders_send_once(week_of_flags: sessionmaker[Session]) -> None:
    prepare_week(week_of_flags, SETTINGS, WEEK, clock())
    with smtp_server() as (inbox, port):
        transport = SmtpTransport("127.0.0.1", port, starttls=False)
        start = threading.Barrier(3)

        def send(name: str) -> None:
            start.wait()
            deliver(week_of_flags, transport, str(WEEK), clock, name)

        threads = [threading.Thread(target=send, args=(f"s{i}",)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(inbox.messages) == 1


def test_crash_between_claim_and_mark_is_not_resent(sessions: sessionmaker[Session]) -> None:
    prepare_week(sessions, SETTINGS, WEEK, clock())
    with sessions.begin() as session:  # a sender claimed it, then died before marking
        assert store.claim(session, str(WEEK), clock(), "crashed")
    with smtp_server() as (inbox, port):
        transport = SmtpTransport("127.0.0.1", port, starttls=False)
        assert deliver_pending(sessions, transport, clock, "tick") == []
        assert deliver(sessions, transport, str(WEEK), clock, "cli").outcome == "uncertain"
        assert inbox.messages == []
        assert requeue_uncertain(sessions, str(WEEK))  # a person checked the mail log
        assert deliver(sessions, transport, str(WEEK), clock, "cli").outcome == "sent"
    assert len(inbox.messages) == 1


def test_a_connection_dropped_after_data_leaves_the_digest_uncertain(
    sessions: sessionmaker[Session],
) -> None:
    """The server took the message and hung up before its 250: never resent by itself."""
    prepare_week(sessions, SETTINGS, WEEK, clock())
    with smtp_server(inbox=DropsAfterData()) as (inbox, port):
        transport = SmtpTransport("127.0.0.1", port, starttls=False, timeout=5)
        delivery = deliver(sessions, transport, str(WEEK), clock, "tick")
        assert delivery.outcome == "uncertain" and "no reply" in (delivery.error or "")
        assert deliver_pending(sessions, transport, clock, "tick") == []
        assert deliver(sessions, transport, str(WEEK), clock, "cli").outcome == "uncertain"
    assert len(inbox.messages) == 1
    with sessions() as session:
        row = store.get(session, str(WEEK))
    assert row is not None and row.in_flight and row.attempts == 1
    assert requeue_uncertain(sessions, str(WEEK))  # only a person puts it back


def test_empty_week_says_no_changes_and_headers_lose_newlines(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    sneaky = Settings(digest_to=("curators@example.org\r\nBcc: spy@example.org",))
    row = prepare_week(sqlite_sessions, sneaky, WEEK, clock())
    assert row.subject == "[clusterwatch] Japan clusters, week 47: no changes, 0 open flags"
    head = row.message.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head
    assert b"To: curators@example.org Bcc: spy@example.org" in head


def test_iso_weeks() -> None:
    assert str(IsoWeek.parse("2026-W47")) == "2026-W47"
    assert IsoWeek.parse("2026-W53") == IsoWeek(2026, 53)  # 2026 has 53 ISO weeks
    for bad in ("2026-47", "2025-W53", "2026-W00", "W47"):
        with pytest.raises(ValueError):
            IsoWeek.parse(bad)
    monday_morning = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 08:00 in Brussels
    assert IsoWeek.last_complete(monday_morning, "Europe/Brussels") == WEEK
    start, end = WEEK.bounds("Europe/Brussels")
    assert start.astimezone(UTC) == datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    assert end - start == timedelta(days=7)


def test_cli_bad_week_exits_2(sqlite_url: str) -> None:
    result = CliRunner().invoke(cli, ["digest", "--week", "2026-47", "--db", sqlite_url])
    assert result.exit_code == 2
    assert "2026-W47" in result.output  # the message shows the right form


def test_cli_writes_eml_without_smtp_host(
    sqlite_url: str, sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    out = tmp_path / "week.eml"
    result = CliRunner().invoke(
        cli, ["digest", "--week", "2026-W47", "--db", sqlite_url, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert b"Subject: [clusterwatch] Japan clusters, week 47: no changes" in out.read_bytes()
    assert b"2016" in out.read_bytes()  # the landscape figures against the 2016 screening


def test_cli_send_is_exactly_once(sqlite_url: str, sqlite_sessions: sessionmaker[Session]) -> None:
    with smtp_server() as (inbox, port):
        env = {
            "CLUSTERWATCH_SMTP_HOST": "127.0.0.1",
            "CLUSTERWATCH_SMTP_PORT": str(port),
            "CLUSTERWATCH_SMTP_STARTTLS": "false",
            "CLUSTERWATCH_DIGEST_TO": "a@example.org, b@example.org",
        }
        args = ["digest", "--week", "2026-W47", "--send", "--db", sqlite_url]
        first = CliRunner().invoke(cli, args, env=env)
        second = CliRunner().invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert "sent" in first.output and "already sent" in second.output
    assert len(inbox.messages) == 1
    assert inbox.messages[0].recipients == ["a@example.org", "b@example.org"]


def test_week_words_and_their_errors() -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a Wednesday in week 49
    assert str(IsoWeek.named("current", now, "Europe/Brussels")) == "2026-W49"
    assert str(IsoWeek.named("last", now, "Europe/Brussels")) == "2026-W48"
    assert str(IsoWeek.named(" 2026-W47 ", now, "Europe/Brussels")) == "2026-W47"
    with pytest.raises(ValueError, match="current, last or like 2026-W47"):
        IsoWeek.named("yesterday", now, "Europe/Brussels")


def add_candidate(
    session: Session, host: str, name: str, score: float, seen: datetime, by: str = "kbic"
) -> None:
    candidate = Candidate(
        host=host, url=f"https://{host}/", name=name, score=score, sector="ict",
        prefecture="Miyagi", state="open", first_seen=seen, last_seen=seen,
    )  # fmt: skip
    session.add(candidate)
    session.flush()
    session.add(
        CandidateSighting(
            candidate_id=candidate.id, source=by, cluster_id=by, url=f"https://{by}.example.jp/",
            link=f"https://{host}/", anchor=name, snippet=f"連携先: {name}",
            first_seen=seen, last_seen=seen,
        )
    )  # fmt: skip


def test_the_digest_names_the_weeks_strongest_new_candidates(
    week_of_flags: sessionmaker[Session],
) -> None:
    with week_of_flags.begin() as session:
        add_candidate(session, "www.sendai-ai.jp", "仙台AIコンソーシアム", 9.0, IN_WEEK)
        add_candidate(session, "weak.example.jp", "株式会社ウィーク", 1.0, IN_WEEK)  # below floor
        add_candidate(session, "old.example.jp", "旧協議会", 8.0, IN_WEEK - timedelta(days=8))
    row = prepare_week(week_of_flags, SETTINGS, WEEK, clock())
    text, html = parts(message_from_bytes(row.message, policy=default))
    found = text.split("New organisations found this week")[1]
    assert "仙台AIコンソーシアム (score 9, ict, Miyagi)" in found and "named by kbic" in found
    assert "株式会社ウィーク" not in text and "旧協議会" not in text
    assert '<a href="https://www.sendai-ai.jp/">仙台AIコンソーシアム</a>' in html
