"""The simulated web's forward proxy: plain HTTP, CONNECT with TLS, keep-alive, never outbound.

The crawler reaches every simulated host through this proxy (http_proxy / https_proxy), so it sees
real hostnames while no packet leaves 127.0.0.1: a host that is not simulated is a DNS failure.

Failure signalling follows Squid, so the crawler classifies the proxy's answers as it would a real
one's (Squid sends the same X-Squid-Error header codes):

=====================  ====================================  ===================================
upstream failure       absolute-URI request (plain http)     CONNECT (https)
=====================  ====================================  ===================================
DNS (dead domain)      ``503`` + ``X-Squid-Error:            status line ``HTTP/1.1 503
                       ERR_DNS_FAIL 0``                      ERR_DNS_FAIL``
connection refused     ``503`` + ``X-Squid-Error:            ``HTTP/1.1 503 ERR_CONNECT_FAIL``
                       ERR_CONNECT_FAIL 111``
upstream timeout       ``504`` + ``X-Squid-Error:            ``HTTP/1.1 504 ERR_READ_TIMEOUT``
                       ERR_READ_TIMEOUT 0``, after the       after the same delay
                       web's ``upstream_timeout`` seconds
=====================  ====================================  ===================================

CONNECT failure answers also carry the X-Squid-Error header and close the connection.

What Scrapy 2.19 shows the crawler (checked in tests/test_simweb_scrapy.py):

- https, any of the three: ``scrapy.core.downloader.handlers.http11.TunnelError`` with the text
  ``Could not open CONNECT tunnel with proxy 127.0.0.1:PORT [{'status': 503, 'reason':
  b'ERR_DNS_FAIL'}]`` (``b'ERR_CONNECT_FAIL'``; ``504`` and ``b'ERR_READ_TIMEOUT'``). Scrapy
  retries TunnelError (RETRY_EXCEPTIONS) before the errback sees it.
- http: a response 503 / 504 with the X-Squid-Error header. Scrapy retries it (RETRY_HTTP_CODES),
  then HttpErrorMiddleware hands the errback ``scrapy.spidermiddlewares.httperror.HttpError``
  ("Ignoring non-200 response"), whose ``.response`` carries the status and the header.
- A slow page is held for ``slow_seconds``; the crawler's own timeout fires first:
  ``scrapy.exceptions.DownloadTimeoutError`` "Getting URL took longer than 2.0 seconds."
- The 12 MB page: ``scrapy.exceptions.DownloadCancelledError`` "Expected to receive 12582915
  bytes which is larger than download max size (10485760) in request <GET URL>."
- A host with a broken TLS server accepts the tunnel, then answers the ClientHello with a fatal
  handshake_failure alert (plain http to it is redirected to https). Scrapy:
  ``scrapy.exceptions.DownloadFailedError`` "[<twisted.python.failure.Failure OpenSSL.SSL.Error:
  [('SSL routines', '', 'tls alert handshake failure')]>]".
- A bot wall is the site's own 503 (Server: cloudflare, cf-mitigated: challenge), no Squid header.
"""

from __future__ import annotations

import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from clusterwatch.simweb.model import Outcome
from clusterwatch.simweb.requestlog import RequestLog
from clusterwatch.simweb.responder import SQUID_ERRORS, Responder

# A keep-alive connection idle this long is closed (Scrapy reopens one when it needs it).
IDLE_TIMEOUT = 30.0
# Pending connections the listening socket queues: the benchmark opens 100+ at once.
LISTEN_BACKLOG = 1024
# A fatal TLS alert record (TLS 1.2, alert level 2, handshake_failure 40): an old server that
# shares no protocol version or cipher with the client.
HANDSHAKE_FAILURE_ALERT = bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])
# Bytes read from the client's ClientHello before answering it with the alert.
CLIENT_HELLO_READ = 16 * 1024
# Bodies are written in pieces so an aborted 12 MB download stops early.
WRITE_CHUNK = 256 * 1024


class ProxyServer(ThreadingHTTPServer):
    """One thread per client connection; knows its connections so it can close them on stop."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        responder: Responder,
        log: RequestLog,
        tls: ssl.SSLContext,
        latency: float,
    ) -> None:
        super().__init__(address, ProxyHandler)
        self.responder = responder
        self.log = log
        self.tls = tls
        self.latency = latency
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, sock: socket.socket, alive: bool) -> None:
        with self._open_lock:
            if alive:
                self._open.add(sock)
            else:
                self._open.discard(sock)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.track(request, True)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.track(request, False)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-answer are normal for a crawler (max size, timeouts)."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def stop(self) -> None:
        """Stop accepting, wake held answers, and hang up every open connection."""
        self.stopping.set()
        self.shutdown()
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                continue
        self.server_close()


class ProxyHandler(BaseHTTPRequestHandler):
    """Answers one client connection: proxy requests, CONNECT tunnels, requests inside them."""

    protocol_version = "HTTP/1.1"
    server_version = "Apache/2.4.62 (Unix)"  # what the simulated origins claim to run
    sys_version = ""
    server: ProxyServer
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms stall
    tunnel_host: str | None = None
    tls_socket: ssl.SSLSocket | None = None

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.tls_socket is not None:
                self.server.track(self.tls_socket, False)
                self.tls_socket.close()

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._serve(send_body=True)

    def do_CONNECT(self) -> None:
        host = self.path.rpartition(":")[0].strip("[]").lower()
        headers = {k.lower(): v for k, v in self.headers.items()}
        failure = self.server.responder.host_failure(host)
        if failure is not None:
            self._refuse_tunnel(host, failure, headers)
            return
        self.server.log.add("https", host, "CONNECT", self.path, headers, 200, 0)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        if self.server.responder.tls_broken(host):
            self.connection.recv(CLIENT_HELLO_READ)
            self.connection.sendall(HANDSHAKE_FAILURE_ALERT)
            self.close_connection = True
            return
        try:
            tls = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.server.track(tls, True)
        self.tls_socket = tls
        self.tunnel_host = host
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.close_connection = False

    def _refuse_tunnel(self, host: str, failure: Outcome, headers: dict[str, str]) -> None:
        error = SQUID_ERRORS[failure]
        if failure is Outcome.TIMEOUT and self.server.stopping.wait(
            self.server.responder.upstream_timeout
        ):
            self.close_connection = True
            return
        self.server.log.add("https", host, "CONNECT", self.path, headers, error.status, 0)
        self.send_response(error.status, error.connect_reason)
        self.send_header("X-Squid-Error", error.code)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _target(self) -> tuple[str, str, str]:
        """(scheme, host, path+query) of the request, in or out of a tunnel."""
        if self.tunnel_host is not None:
            return "https", self.tunnel_host, self.path
        split = urlsplit(self.path)
        if split.scheme in ("http", "https") and split.hostname:
            target = (split.path or "/") + (f"?{split.query}" if split.query else "")
            return split.scheme, split.hostname.lower(), target
        host = (self.headers.get("Host") or "").rpartition(":")[0] or self.headers.get("Host", "")
        return "http", host.lower(), self.path

    def _serve(self, send_body: bool) -> None:
        scheme, host, target = self._target()
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.responder.answer(scheme, host, target, headers)
        delay = self.server.latency + reply.hold
        if delay > 0 and self.server.stopping.wait(delay):
            self.close_connection = True
            return
        self.send_response(reply.status, reply.reason)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        size = len(reply.body) if send_body else 0
        # Logged before the body goes out, so a client that has its answer finds it in the log.
        self.server.log.add(scheme, host, self.command, target, headers, reply.status, size)
        try:
            for start in range(0, size, WRITE_CHUNK):
                self.wfile.write(reply.body[start : start + WRITE_CHUNK])
        except OSError:
            self.close_connection = True  # the client gave up (size limit, timeout)
