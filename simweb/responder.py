"""Decides the answer to one request: which host state, which page, which status and headers.

The proxy (sockets, TLS) asks this module and writes what it says. Failures of a whole host come
back as Squid would send them; see `simweb.proxy` for the signalling contract.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

from clusterwatch.simweb.markup import http_date
from clusterwatch.simweb.model import Outcome, Page, Quirk, SiteState


@dataclass(frozen=True)
class SquidError:
    """How Squid reports one kind of upstream failure."""

    status: int
    reason: str  # HTTP reason for a plain request
    code: str  # X-Squid-Error value; its first word is the CONNECT status line's reason

    @property
    def connect_reason(self) -> str:
        return self.code.split()[0]


SQUID_ERRORS: Mapping[Outcome, SquidError] = {
    Outcome.DNS: SquidError(503, "Service Unavailable", "ERR_DNS_FAIL 0"),
    Outcome.REFUSED: SquidError(503, "Service Unavailable", "ERR_CONNECT_FAIL 111"),
    Outcome.TIMEOUT: SquidError(504, "Gateway Timeout", "ERR_READ_TIMEOUT 0"),
}

NOT_FOUND_HTML = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>"
)


@dataclass
class Reply:
    """What to write back. `hold` is a wait before answering (a slow page, an upstream timeout)."""

    status: int
    reason: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    hold: float = 0.0


def squid_reply(outcome: Outcome, host: str) -> Reply:
    error = SQUID_ERRORS[outcome]
    body = (
        f"<html><head><title>ERROR: The requested URL could not be retrieved</title></head>"
        f"<body><h1>ERROR</h1><p>{error.code.split()[0]} while trying to retrieve {host}</p>"
        f"</body></html>"
    ).encode()
    return Reply(
        status=error.status,
        reason=error.reason,
        headers=[
            ("Content-Type", "text/html;charset=utf-8"),
            ("X-Squid-Error", error.code),
            ("Via", "1.1 simweb (squid/6.6)"),
        ],
        body=body,
    )


def etag(page: Page) -> str:
    return '"' + hashlib.sha1(page.body, usedforsecurity=False).hexdigest()[:16] + '"'


def _not_modified(headers: Mapping[str, str], tag: str | None, modified: str | None) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match wins; If-Modified-Since only without it."""
    if "if-none-match" in headers:
        offered = {t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")}
        return tag is not None and (tag in offered or "*" in offered)
    since = headers.get("if-modified-since")
    if since and modified:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class Responder:
    """Holds the current night's host states; answers requests against them. Thread-safe."""

    def __init__(self, upstream_timeout: float, slow_seconds: float) -> None:
        self.upstream_timeout = upstream_timeout
        self.slow_seconds = slow_seconds
        self._states: Mapping[str, SiteState] = {}
        self._lock = threading.Lock()
        self._seen: set[tuple[str, str]] = set()  # (host, path) asked this phase, for FAIL_FIRST

    def load(self, states: Mapping[str, SiteState]) -> None:
        """Switch to another night: new states, and failing-once pages fail once more."""
        with self._lock:
            self._states = dict(states)
            self._seen.clear()

    def hosts(self) -> list[str]:
        return list(self._states)

    def host_failure(self, host: str) -> Outcome | None:
        """The failure a connection to `host` meets, or None when the host answers."""
        state = self._states.get(host)
        if state is None:
            return Outcome.DNS
        return state.outcome if state.outcome in SQUID_ERRORS else None

    def tls_broken(self, host: str) -> bool:
        """True when `host` accepts a tunnel but fails every TLS handshake."""
        state = self._states.get(host)
        return state is not None and state.outcome is Outcome.TLS

    def answer(self, scheme: str, host: str, target: str, headers: Mapping[str, str]) -> Reply:
        """The reply to `GET target` on `host` (target: path plus query)."""
        failure = self.host_failure(host)
        if failure is not None:
            reply = squid_reply(failure, host)
            if failure is Outcome.TIMEOUT:
                reply.hold = self.upstream_timeout
            return reply
        state = self._states[host]
        if state.redirect_to is not None:
            location = state.redirect_to + target
            return Reply(301, headers=[("Location", location), ("Content-Type", "text/html")])
        path, _, query = target.partition("?")
        page = state.pages.get(target) or state.pages.get(path)
        if page is None and state.dynamic is not None:
            page = state.dynamic(path, query)
        if page is None:
            return Reply(404, headers=[("Content-Type", "text/html")], body=NOT_FOUND_HTML)
        return self._page_reply(host, target, page, headers)

    def _page_reply(self, host: str, target: str, page: Page, headers: Mapping[str, str]) -> Reply:
        if Quirk.FAIL_FIRST in page.quirks:
            with self._lock:
                first = (host, target) not in self._seen
                self._seen.add((host, target))
            if first:
                return Reply(500, headers=[("Content-Type", "text/html")], body=b"<h1>500</h1>")
        out = [("Content-Type", page.content_type), *page.headers]
        tag: str | None = None
        modified: str | None = None
        if Quirk.VOLATILE_LAST_MODIFIED in page.quirks:
            modified = formatdate(time.time(), usegmt=True)
        elif page.modified is not None:
            tag, modified = etag(page), http_date(page.modified)
        if tag:
            out.append(("ETag", tag))
        if modified:
            out.append(("Last-Modified", modified))
        hold = self.slow_seconds if Quirk.SLOW in page.quirks else 0.0
        if page.status == 200 and _not_modified(headers, tag, modified):
            return Reply(304, headers=[h for h in out if h[0] != "Content-Type"], hold=hold)
        return Reply(page.status, headers=out, body=page.body, hold=hold)
