"""Classify why a fetch failed: dns | refused | timeout | tls | robots | too_large | other
(the words of clusterwatch.vocabulary.Outcome).

Two sources of truth. Direct connections raise Scrapy/Twisted exceptions. Through a forward
proxy the proxy itself answers, so the failure kind comes from the proxy's words: Squid's
`X-Squid-Error` header on a 503/504 for plain http, and the reason phrase of a refused CONNECT
tunnel for https (Scrapy's TunnelError message carries status and reason). The simulated web
speaks the same Squid dialect, so tests exercise the production path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Response
from twisted.internet import error as twisted_errors
from twisted.web._newclient import ResponseNeverReceived

from clusterwatch.vocabulary import Outcome

# Squid error codes (X-Squid-Error header, or CONNECT reason phrase) -> kind.
SQUID_ERRORS: Mapping[str, Outcome] = {
    "ERR_DNS_FAIL": Outcome.DNS,
    "ERR_CONNECT_FAIL": Outcome.REFUSED,
    "ERR_READ_TIMEOUT": Outcome.TIMEOUT,
    "ERR_CONNECT_TIMEOUT": Outcome.TIMEOUT,
    "ERR_LIFETIME_EXP": Outcome.TIMEOUT,
    "ERR_SECURE_CONNECT_FAIL": Outcome.TLS,
}


class KnownFailure(IgnoreRequest):
    """A request the crawler itself refused, knowing why: the address guard, robots.txt per
    RFC 9309, a site's time budget. `kind` is the outcome recorded for it."""

    def __init__(self, kind: Outcome, message: str) -> None:
        super().__init__(message)
        self.kind = kind


MAX_WRAPPED_ERRORS = 8  # how deep to look through wrapped causes
_SQUID_CODE = re.compile(r"ERR_[A-Z_]+")

_BY_EXCEPTION: tuple[tuple[tuple[type[BaseException], ...], Outcome], ...] = (
    ((CannotResolveHostError, twisted_errors.DNSLookupError), Outcome.DNS),
    ((DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError), Outcome.REFUSED),
    (
        (DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError),
        Outcome.TIMEOUT,
    ),
    ((DownloadCancelledError,), Outcome.TOO_LARGE),
)


def classify_exception(exc: BaseException) -> Outcome:
    """The failure kind of an exception raised while fetching."""
    if isinstance(exc, KnownFailure):
        return exc.kind
    if isinstance(exc, IgnoreRequest):
        return Outcome.ROBOTS if "robots.txt" in str(exc) else Outcome.OTHER
    for types, kind in _BY_EXCEPTION:
        if isinstance(exc, types):
            return kind
    if type(exc).__name__ == "TunnelError":
        return squid_kind(str(exc)) or Outcome.OTHER
    if _is_tls_error(exc):
        return Outcome.TLS
    return Outcome.OTHER


def squid_kind(text: str) -> Outcome | None:
    """The kind named by a Squid error code inside `text`, if any."""
    for code in _SQUID_CODE.findall(text):
        if code in SQUID_ERRORS:
            return SQUID_ERRORS[code]
    return None


def proxy_failure(status: int, headers: Mapping[str, str]) -> Outcome | None:
    """A proxy's own error page (not the site's): 5xx with an X-Squid-Error header."""
    if status < 500 or "x-squid-error" not in headers:
        return None
    return squid_kind(headers["x-squid-error"]) or Outcome.OTHER


def _is_tls_error(exc: BaseException) -> bool:
    """An OpenSSL error, possibly wrapped: Scrapy 2.19 raises DownloadFailedError whose cause is a
    ResponseNeverReceived whose reasons hold the SSL failure."""
    candidates: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(candidates) < MAX_WRAPPED_ERRORS:
        current = pending.pop()
        if current is None:
            continue
        candidates.append(current)
        pending.append(current.__cause__)
        if isinstance(current, ResponseNeverReceived):
            pending.extend(reason.value for reason in current.reasons)
    text = " ".join(f"{type(c).__name__} {c}" for c in candidates)
    return "SSL" in text or "TLS" in text or "tls alert" in text


def response_headers(response: Response) -> dict[str, str]:
    """A response's headers as one lower-cased name -> value mapping (repeats joined)."""
    return {
        key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }
