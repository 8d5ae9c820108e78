"""clusterwatch.crawler.failures: exceptions and proxy answers become dns | refused | timeout | tls | ..."""

from __future__ import annotations

import pytest
from OpenSSL import SSL
from scrapy.core.downloader.handlers.http11 import TunnelError
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from clusterwatch.crawler.failures import classify_exception, proxy_failure
from clusterwatch.vocabulary import Outcome as FailureKind


def tunnel(status: int, reason: bytes) -> TunnelError:
    return TunnelError(
        f"Could not open CONNECT tunnel with proxy 127.0.0.1:1 [{{'status': {status}, "
        f"'reason': {reason!r}}}]"
    )


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (CannotResolveHostError("x"), FailureKind.DNS),
        (DownloadConnectionRefusedError("x"), FailureKind.REFUSED),
        (DownloadTimeoutError("took longer than 2.0 seconds"), FailureKind.TIMEOUT),
        (DownloadCancelledError("larger than download max size"), FailureKind.TOO_LARGE),
        (IgnoreRequest("Forbidden by robots.txt"), FailureKind.ROBOTS),
        (IgnoreRequest("something else"), FailureKind.OTHER),
        (tunnel(503, b"ERR_DNS_FAIL"), FailureKind.DNS),
        (tunnel(503, b"ERR_CONNECT_FAIL"), FailureKind.REFUSED),
        (tunnel(504, b"ERR_READ_TIMEOUT"), FailureKind.TIMEOUT),
        (tunnel(502, b"Bad Gateway"), FailureKind.OTHER),
        (ValueError("boom"), FailureKind.OTHER),
    ],
)
def test_exceptions_are_classified(error: BaseException, kind: FailureKind) -> None:
    assert classify_exception(error) == kind


def test_a_tls_failure_wrapped_the_way_scrapy_2_19_wraps_it() -> None:
    handshake = SSL.Error([("SSL routines", "", "tls alert handshake failure")])
    never = ResponseNeverReceived([Failure(handshake)])
    wrapped = DownloadFailedError(str(never))
    wrapped.__cause__ = never
    assert classify_exception(wrapped) == FailureKind.TLS


def test_a_squid_error_page_is_a_proxy_failure_not_the_sites_page() -> None:
    assert proxy_failure(503, {"x-squid-error": "ERR_DNS_FAIL 0"}) == FailureKind.DNS
    assert proxy_failure(503, {"x-squid-error": "ERR_CONNECT_FAIL 111"}) == FailureKind.REFUSED
    assert proxy_failure(504, {"x-squid-error": "ERR_READ_TIMEOUT 0"}) == FailureKind.TIMEOUT
    assert proxy_failure(503, {"server": "cloudflare"}) is None  # the site's own 503 (bot wall)
    assert proxy_failure(404, {"x-squid-error": "ERR_DNS_FAIL 0"}) is None
