"""Sending a finished message: the transport seam and its SMTP implementation.

The digest code talks to a `MailTransport`; tests and the scheduler pass one in (an aiosmtpd
server in tests, `SmtpTransport` from the settings in production). A transport either returns
(the server accepted the message), raises `MailError` (it did not, and nothing was delivered
as far as we can tell: the outbox retries), or raises `DeliveryUncertain` (the whole message
went out after DATA, then the connection dropped before the server's reply: it may well have
been delivered, so the outbox never resends it by itself).

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
from typing import TYPE_CHECKING, Protocol

from clusterwatch.monitor.settings import Settings

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

log = logging.getLogger(__name__)

SMTP_TIMEOUT_S = 30.0  # a hung server must not hold the scheduler's tick for long
END_OF_DATA = b"\r\n.\r\n"  # RFC 5321: the line that ends a message after DATA


class MailError(RuntimeError):
    """The message was not accepted; the text says why (for the outbox's last_error)."""


class DeliveryUncertain(RuntimeError):
    """The server got the whole message but we never heard its verdict (no reply after DATA)."""


class _WatchedSMTP(smtplib.SMTP):
    """smtplib.SMTP that notes when the message's last byte (the final CRLF.CRLF) has gone out:
    from then on, a dropped connection leaves the delivery unknown, not failed."""

    message_sent = False

    def send(self, s: Buffer | str) -> None:
        super().send(s)
        if isinstance(s, bytes) and s.endswith(END_OF_DATA):
            self.message_sent = True


class MailTransport(Protocol):
    def send(self, message: bytes) -> None:
        """Deliver one RFC 5322 message to its From / To / Cc addresses, or raise MailError
        (not delivered) or DeliveryUncertain (maybe delivered)."""


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
        smtp: _WatchedSMTP | None = None
        try:
            with _WatchedSMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.sendmail(envelope.sender, list(envelope.recipients), message)
        except smtplib.SMTPResponseException as exc:  # the server answered: a clear refusal
            raise MailError(f"SMTP {self.host}:{self.port}: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            where = f"SMTP {self.host}:{self.port}"
            if smtp is not None and smtp.message_sent:
                raise DeliveryUncertain(f"{where}: no reply after the message: {exc}") from exc
            raise MailError(f"{where}: {exc}") from exc
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
