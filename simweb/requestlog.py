"""The proxy's request log: what was asked, by whom, and what it was answered, for tests to read."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestRecord:
    """One request the proxy answered. `path` includes the query; CONNECT logs `host:port`."""

    scheme: str
    host: str
    method: str
    path: str
    headers: Mapping[str, str]  # lower-case names
    status: int
    bytes: int  # response body size answered (a client may stop reading early)
    time: float  # epoch seconds when the answer started


class RequestLog:
    """Thread-safe, append-only list of `RequestRecord`s."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def add(
        self,
        scheme: str,
        host: str,
        method: str,
        path: str,
        headers: Mapping[str, str],
        status: int,
        size: int,
    ) -> None:
        record = RequestRecord(
            scheme=scheme,
            host=host,
            method=method,
            path=path,
            headers={k.lower(): v for k, v in headers.items()},
            status=status,
            bytes=size,
            time=time.time(),
        )
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
