"""The hypothesis settings of the fuzz tests: a few hundred examples per property at most, a
fixed seed (`derandomize`: `make test` explores the same inputs every run; `dxatlas bench fuzz`
explores new ones), a deadline per example that only a hang or a pathological slowdown misses on
a busy machine, and no example database written into the checkout."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

EXAMPLES = 150
"""Examples per property; slow targets (HTML, XML, JSON Lines) use fewer."""


def fuzz_settings(deadline_ms: int, examples: int = EXAMPLES) -> settings:
    """The settings of one fuzz property."""
    return settings(
        max_examples=examples,
        deadline=deadline_ms,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
