"""`RateLimiter`: at most N actions per sliding window for each key (a client address, an account).

The app keeps two budgets (limits in the settings): sign-in attempts, counted per client address
and per account name tried; and writes (posts, answers, tickets, comments, moderation), counted
per client address and per signed-in account. An action is allowed only when every one of its
keys has budget left, and then it is counted against all of them; refused actions are not counted.

The counts live in the process's memory: each worker of `dxatlas serve --workers N` keeps its own,
and a restart forgets them. That is enough to slow down password guessing and floods; a shared
limiter (Redis) can replace it behind the same `hit` method.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

MAX_KEYS = 100_000
"""Past this many keys, keys whose actions are all older than a window are forgotten."""


class RateLimiter:
    """Sliding-window counts of recent actions per key; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, keys: Iterable[str], limit: int, window: float) -> int | None:
        """Count one action against each key, unless one of them already has `limit` actions in
        the last `window` seconds: then nothing is counted and the answer is the whole number
        of seconds until that key has room again. None means the action is allowed."""
        now = self._clock()
        wanted = list(dict.fromkeys(keys))
        with self._lock:
            wait = 0.0
            for key in wanted:
                times = self._recent(key, now, window)
                if len(times) >= limit:
                    wait = max(wait, times[0] + window - now)
            if wait > 0:
                return max(1, math.ceil(wait))
            for key in wanted:
                self._hits.setdefault(key, deque()).append(now)
            if len(self._hits) > MAX_KEYS:
                self._forget(now, window)
        return None

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self._hits.clear()

    def _recent(self, key: str, now: float, window: float) -> deque[float]:
        times = self._hits.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - window:
            times.popleft()
        return times

    def _forget(self, now: float, window: float) -> None:
        for key in [k for k, times in self._hits.items() if not times or times[-1] <= now - window]:
            del self._hits[key]
