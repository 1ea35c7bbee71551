"""The rate limiter: N actions per sliding window per key; every key of an action must have room."""

from __future__ import annotations

import pytest

from dxatlas.web import ratelimit
from dxatlas.web.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_per_window_then_room_again() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    assert [limiter.hit(["ip:1"], limit=3, window=60) for _ in range(3)] == [None] * 3
    assert limiter.hit(["ip:1"], limit=3, window=60) == 60
    clock.now += 45
    assert limiter.hit(["ip:1"], limit=3, window=60) == 15
    assert limiter.hit(["ip:2"], limit=3, window=60) is None  # another client has its own count
    clock.now += 15
    assert limiter.hit(["ip:1"], limit=3, window=60) is None


def test_an_action_needs_room_under_every_key_and_refusals_are_not_counted() -> None:
    clock = Clock()
    limiter = RateLimiter(clock)
    assert limiter.hit(["ip:1", "user:ana"], limit=2, window=10) is None
    assert limiter.hit(["ip:2", "user:ana"], limit=2, window=10) is None
    assert limiter.hit(["ip:3", "user:ana"], limit=2, window=10) == 10  # the account is spent
    assert limiter.hit(["ip:3"], limit=1, window=10) is None  # the refusal did not count ip:3
    limiter.reset()
    assert limiter.hit(["ip:1", "user:ana"], limit=1, window=10) is None


def test_old_keys_are_forgotten_past_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "MAX_KEYS", 3)
    clock = Clock()
    limiter = RateLimiter(clock)
    for number in range(3):
        limiter.hit([f"ip:{number}"], limit=5, window=10)
    clock.now += 11
    limiter.hit(["ip:new"], limit=5, window=10)
    assert set(limiter._hits) == {"ip:new"}
