"""Loopback HTTP servers for crawl tests that need no simulated web: a table of routes, a log.

Each route answers with a status, headers and a body, optionally after a delay (a slow site) or
in chunks (a body larger than the crawler wants). Crawls reach them directly (no proxy) with
their address allowed by CLUSTERWATCH_ALLOWED_ADDRESSES, as an operator would for a test host.
"""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.test_crawl import CRAWL_ENV

SEED_HOST = "127.0.0.2"  # allowed in the tests; 127.0.0.1 stays refused
OTHER_HOST = "127.0.0.3"  # a second allowed host: its own download slot
ALLOWED = "127.0.0.2/31"
# Scrapy 2.19 with DOWNLOAD_DELAY 0 starts every queued request of a host at once (its slot
# loop schedules the transfers before counting them): a small delay keeps one at a time.
POLITE = {"CLUSTERWATCH_CRAWL_DELAY": "0.05"}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    delay: float = 0.0  # seconds before answering


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: Server = self.server  # type: ignore[assignment]
        server.asked.append(self.path)
        route = server.routes.get(self.path) or server.routes.get("*") or Route(404, b"no")
        if route.delay and server.closing.wait(route.delay):
            return
        try:
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            for start in range(0, len(route.body), CHUNK):
                self.wfile.write(route.body[start : start + CHUNK])
        except (BrokenPipeError, ConnectionResetError):
            return  # the crawler stopped reading, as it should

    def log_message(self, format: str, *args: object) -> None:
        return


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, routes: dict[str, Route]) -> None:
        super().__init__((host, 0), Handler)
        self.routes = routes
        self.asked: list[str] = []
        self.closing = threading.Event()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def serve(routes: dict[str, Route], host: str = SEED_HOST) -> Server:
    server = Server(host, routes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(*servers: Server) -> None:
    for server in servers:
        server.closing.set()
        server.shutdown()
        server.server_close()


def direct_env(allowed: str = ALLOWED, **settings: str) -> dict[str, str]:
    """No proxy: the crawler resolves and connects itself, to `allowed` networks only."""
    env = {**CRAWL_ENV, "CLUSTERWATCH_ALLOWED_ADDRESSES": allowed, **POLITE, **settings}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env[name] = ""
    return env


def write_seeds(path: Path, urls: list[str]) -> Path:
    lines = ["clusters:"]
    for index, url in enumerate(urls):
        lines += [
            f"  - id: probe-{index}",
            f"    name: Probe {index}",
            "    sector: other",
            f"    urls: [{url}]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_until(condition: object, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.1)
    return False
