"""Login throttling per account name: a growing wait after repeated failures, never a lockout.

Five wrong passwords used to lock an account for 15 minutes, so anyone who knew a curator's name
could keep them out (and behind a reverse proxy every client shared one address). Now, after
FREE_FAILURES failures for a name within WINDOW, each further attempt on that name must wait
FIRST_DELAY, then twice as long after every new failure, up to MAX_DELAY: an attacker gets about
one guess a minute per name, the real curator waits a minute at most. Guessing across many names
from one address is limited per address by Flask-Limiter (see auth.py).

Kept in memory: `clusterwatch serve` is one process, and a restart forgetting the count is an
acceptable price for not writing to the database on every failed login.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 5  # a curator mistyping a few times never waits
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(seconds=60)  # the longest the real curator can be kept waiting
WINDOW = timedelta(minutes=15)  # failures older than this are forgotten


@dataclass
class _Failures:
    count: int
    last: datetime


class LoginThrottle:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._failures: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, name: str) -> timedelta:
        """How long an attempt on `name` must still wait (zero: try now)."""
        with self._lock:
            record = self._current(name.casefold())
            if record is None or record.count < FREE_FAILURES:
                return timedelta(0)
            delay: timedelta = min(FIRST_DELAY * 2 ** (record.count - FREE_FAILURES), MAX_DELAY)
            return max(record.last + delay - self._clock(), timedelta(0))

    def failed(self, name: str) -> None:
        with self._lock:
            key = name.casefold()
            record = self._current(key)
            count = record.count + 1 if record else 1
            self._failures[key] = _Failures(count, self._clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.casefold(), None)

    def _current(self, key: str) -> _Failures | None:
        record = self._failures.get(key)
        if record is not None and self._clock() - record.last > WINDOW:
            del self._failures[key]
            return None
        return record
