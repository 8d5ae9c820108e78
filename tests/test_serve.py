"""`clusterwatch serve` runs the UI on waitress: real HTTP on 127.0.0.1, no development server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

STARTUP_TRIES = 100  # 0.1 s apart


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_waitress_with_the_threads_asked_for(
    sqlite_url: str, sqlite_sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "CLUSTERWATCH_SECRET_KEY": "test-secret-key-0123456789abcdef"}
    server = subprocess.Popen(
        [sys.executable, "-m", "clusterwatch.monitor.cli", "serve", "--port", str(port),
         "--workers", "3", "--db", sqlite_url],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(STARTUP_TRIES):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as response:
                    status, server_header = response.status, response.headers["Server"]
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert status == 200
    assert server_header == "clusterwatch"
    assert "3 threads" in out
    assert "development server" not in out + err and "Traceback" not in err
