"""A clock-based rate limiter: at most N calls per second; clock and sleep injectable for tests."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Spaces calls at least `1 / per_second` seconds apart (NCBI: 3/s without a key, 10/s with)."""

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> float:
        """Block until the next call is allowed; returns the seconds waited."""
        now = self._clock()
        waited = 0.0
        if self._next is not None and self._next > now:
            waited = self._next - now
            self._sleep(waited)
            now = self._next
        self._next = now + self.interval
        return waited
