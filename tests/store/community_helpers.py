"""Helpers of the community store tests: a cheap argon2 hasher and a migrated `Community`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from dxatlas.store.community import Community

CHEAP_PASSWORDS = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
"""Still argon2id, with a small cost: the defaults take about 0.3 s per hash on a test machine."""


def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dxatlas.store.accounts.PASSWORDS", CHEAP_PASSWORDS)


def open_community(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Community]:
    cheap_passwords(monkeypatch)
    with Community.open(database_url) as community:
        yield community
