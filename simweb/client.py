"""A minimal client for the simulated web: one request through the proxy, no redirects followed.

For tests and the demo: plain http goes to the proxy as an absolute URI; https opens a CONNECT
tunnel and verifies the proxy's own certificate (so the certificate's names are checked too).
"""

from __future__ import annotations

import http.client
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Fetched:
    """A response as the client saw it; header names lower-case."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def fetch(
    proxy_url: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    timeout: float = 10.0,
    cadata: bytes = b"",
) -> Fetched:
    """Send one request for `url` through the proxy at `proxy_url`.

    Raises OSError when a CONNECT is refused (its message carries the proxy's status line) or the
    answer does not come within `timeout`.
    """
    proxy = urlsplit(proxy_url)
    target = urlsplit(url)
    host = target.hostname or ""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        context = ssl.create_default_context(cadata=cadata.decode() or None)
        if not cadata:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(
            proxy.hostname or "127.0.0.1", proxy.port, timeout=timeout, context=context
        )
        connection.set_tunnel(host, target.port or 443)
        path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    else:
        connection = http.client.HTTPConnection(
            proxy.hostname or "127.0.0.1", proxy.port, timeout=timeout
        )
        path = url
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        found = {k.lower(): v for k, v in response.getheaders()}
        return Fetched(response.status, response.reason, found, body)
    finally:
        connection.close()
