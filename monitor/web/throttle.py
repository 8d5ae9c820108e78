"""Login rate limiting: after MAX_FAILURES wrong passwords for one name from one address within
WINDOW, further attempts are refused (HTTP 429) until the oldest failure leaves the window.

Kept in memory: `clusterwatch serve` is one process, and a restart forgetting the count is an
acceptable price for not writing to the database on every failed login.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

MAX_FAILURES = 5  # a curator mistyping a few times is never locked out
WINDOW = timedelta(minutes=15)


class LoginThrottle:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._failures: dict[tuple[str, str], deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[datetime]:
        failures = self._failures.setdefault(key, deque())
        horizon = self._clock() - WINDOW
        while failures and failures[0] <= horizon:
            failures.popleft()
        return failures

    def blocked(self, address: str, name: str) -> bool:
        with self._lock:
            return len(self._recent((address, name.casefold()))) >= MAX_FAILURES

    def failed(self, address: str, name: str) -> None:
        with self._lock:
            self._recent((address, name.casefold())).append(self._clock())

    def succeeded(self, address: str, name: str) -> None:
        with self._lock:
            self._failures.pop((address, name.casefold()), None)
