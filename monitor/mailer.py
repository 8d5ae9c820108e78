"""Sending a finished message: the transport seam and its SMTP implementation.

The digest code talks to a `MailTransport`; tests and the scheduler pass one in (an aiosmtpd
server in tests, `SmtpTransport` from the settings in production). A transport either returns
(the server accepted the message) or raises `MailError` (it did not, and nothing was delivered
as far as we can tell): the outbox retries on MailError.

The envelope comes from the frozen message's own From / To / Cc headers, so a retry a week later
goes to the same people as the first attempt even if the settings changed in between.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Protocol

from clusterwatch.monitor.settings import Settings

log = logging.getLogger(__name__)

SMTP_TIMEOUT_S = 30.0  # a hung server must not hold the scheduler's tick for long


class MailError(RuntimeError):
    """The message was not accepted; the text says why (for the outbox's last_error)."""


class MailTransport(Protocol):
    def send(self, message: bytes) -> None:
        """Deliver one RFC 5322 message to its From / To / Cc addresses, or raise MailError."""


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipients: tuple[str, ...]


def envelope_of(message: bytes) -> Envelope:
    """The SMTP envelope named by the message's headers."""
    headers = BytesParser(policy=policy.SMTP).parsebytes(message, headersonly=True)
    senders = [address for _, address in getaddresses(headers.get_all("From", []))]
    recipients = tuple(
        address
        for _, address in getaddresses([*headers.get_all("To", []), *headers.get_all("Cc", [])])
        if address
    )
    if not senders or not senders[0]:
        raise MailError("the message has no From address")
    if not recipients:
        raise MailError("the message has no recipients; set digest_to")
    return Envelope(senders[0], recipients)


@dataclass(frozen=True)
class SmtpTransport:
    """SMTP with optional STARTTLS and login."""

    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in logs
    starttls: bool = True
    timeout: float = SMTP_TIMEOUT_S

    def send(self, message: bytes) -> None:
        envelope = envelope_of(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.sendmail(envelope.sender, list(envelope.recipients), message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"SMTP {self.host}:{self.port}: {exc}") from exc
        if refused:  # the others got it: a retry would reach them twice, so only report it
            log.warning("SMTP %s refused %s", self.host, ", ".join(sorted(refused)))


def transport_from(settings: Settings) -> SmtpTransport | None:
    """The configured SMTP transport, or None when no SMTP host is set (write .eml instead)."""
    if not settings.smtp_host:
        return None
    return SmtpTransport(
        host=settings.smtp_host,
        port=settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )
