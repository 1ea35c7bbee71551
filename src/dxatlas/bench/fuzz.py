"""`dxatlas bench fuzz`: the fuzz properties of `fuzz_targets` run with many examples each, with
a time budget per target; the report says per target how many examples ran, how long it took and
which failures hypothesis found (shrunk, with the falsifying example)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

from dxatlas.bench.fuzz_targets import Target


@dataclass(slots=True)
class TargetReport:
    """What one target's run found."""

    name: str
    examples: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    stopped_by_time: bool = False

    @property
    def per_second(self) -> float:
        return self.examples / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "per_second": round(self.per_second, 1)}


class _OutOfTime(BaseException):
    """Ends a target's run when its time budget is spent (a BaseException: hypothesis passes it
    through instead of treating it as a failure to shrink)."""


def describe(error: BaseException) -> list[str]:
    """One entry per distinct failure: its type, message and hypothesis's falsifying example."""
    if isinstance(error, BaseExceptionGroup):
        return [entry for inner in error.exceptions for entry in describe(inner)]
    notes = [note for note in getattr(error, "__notes__", []) if note.strip()]
    message = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
    example = " | ".join(note.strip()[:600] for note in notes)
    return [f"{type(error).__name__}: {message}" + (f" -- {example}" if example else "")]


def run_target(
    target: Target, examples: int, seconds: float, random_seed: int | None = None
) -> TargetReport:
    """Run one target with up to `examples` examples or `seconds` seconds, whichever ends first
    (a failure found is shrunk even past the budget)."""
    report = TargetReport(target.name)
    stop_at = time.monotonic() + seconds
    failed = False

    def body(example: Any) -> None:
        nonlocal failed
        if not failed and time.monotonic() > stop_at:
            raise _OutOfTime
        report.examples += 1
        try:
            target.check(example)
        except Exception:
            failed = True
            raise

    test = settings(
        max_examples=examples,
        deadline=target.deadline_ms,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=True,
        print_blob=False,
    )(given(target.strategy())(body))
    if random_seed is not None:
        test = seed(random_seed)(test)
    started = time.perf_counter()
    try:
        test()
    except _OutOfTime:
        report.stopped_by_time = True
    except Exception as error:
        report.failures = describe(error)
    report.seconds = time.perf_counter() - started
    return report


def run_all(
    targets: list[Target],
    examples: int,
    seconds: float,
    random_seed: int | None = None,
    progress: Callable[[TargetReport], None] | None = None,
) -> list[TargetReport]:
    """Every target in turn; `progress` is called with each finished report."""
    reports = []
    for target in targets:
        report = run_target(target, examples, seconds, random_seed)
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports
