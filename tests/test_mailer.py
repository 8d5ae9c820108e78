"""The SMTP transport against a real server: envelope from the headers, errors as MailError."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

import pytest

from clusterwatch.monitor.mailer import MailError, SmtpTransport, envelope_of, transport_from
from clusterwatch.monitor.settings import Settings
from tests.smtp_server import free_port, smtp_server


def message(to: str = "a@example.org, B <b@example.org>") -> bytes:
    mail = EmailMessage(policy=policy.SMTP)
    mail["Subject"] = "hello"
    mail["From"] = "clusterwatch@example.org"
    mail["To"] = to
    mail.set_content("body\n")
    return mail.as_bytes()


def test_envelope_comes_from_the_headers() -> None:
    envelope = envelope_of(message())
    assert envelope.sender == "clusterwatch@example.org"
    assert envelope.recipients == ("a@example.org", "b@example.org")


def test_no_recipients_is_an_error() -> None:
    with pytest.raises(MailError, match="digest_to"):
        envelope_of(message(to=""))


def test_sends_to_a_real_server() -> None:
    with smtp_server() as (inbox, port):
        SmtpTransport("127.0.0.1", port, starttls=False).send(message())
    (received,) = inbox.messages
    assert received.sender == "clusterwatch@example.org"
    assert received.recipients == ["a@example.org", "b@example.org"]
    assert received.message["Subject"] == "hello"


def test_server_down_raises_mail_error() -> None:
    with pytest.raises(MailError, match=r"127\.0\.0\.1"):
        SmtpTransport("127.0.0.1", free_port(), starttls=False, timeout=2).send(message())


def test_transport_from_settings_and_password_not_in_repr() -> None:
    assert transport_from(Settings()) is None
    transport = transport_from(
        Settings(smtp_host="mail.example.org", smtp_port=2525, smtp_password="s3cret")
    )
    assert transport is not None
    assert (transport.host, transport.port, transport.starttls) == ("mail.example.org", 2525, True)
    assert "s3cret" not in repr(transport)
