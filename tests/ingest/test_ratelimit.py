"""The rate limiter, with a fake clock and sleep (no real waiting)."""

from __future__ import annotations

import pytest

from dxatlas.ingest.online.ratelimit import RateLimiter
from tests.ingest.conftest import FakeClock


def test_calls_are_spaced_by_the_rate() -> None:
    clock = FakeClock(100.0)
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        limiter.wait()
    assert clock.sleeps == pytest.approx([1 / 3] * 3)
    assert clock.now == pytest.approx(101.0)


def test_no_wait_when_calls_are_slow_enough() -> None:
    clock = FakeClock(100.0)
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 0.5
    assert limiter.wait() == 0.0
    assert clock.sleeps == []


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
