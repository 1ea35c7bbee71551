"""Small statistics shared by the benchmarks: top-k, reciprocal rank, percentiles, dataset split."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


def bucket(record_id: str) -> int:
    """The split bucket of a record, as the shared data defines it: sha256(id) mod 10."""
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % 10


def topk_summary(ranks: Sequence[int | None]) -> dict[str, float | int]:
    """n, top-1/3/10 fractions and mean reciprocal rank; None (not ranked) counts as a miss."""
    n = len(ranks)
    if n == 0:
        return {"n": 0, "top1": 0.0, "top3": 0.0, "top10": 0.0, "mrr": 0.0}

    def share(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    return {
        "n": n,
        "top1": share(1),
        "top3": share(3),
        "top10": share(10),
        "mrr": sum(1.0 / r for r in ranks if r is not None) / n,
    }


def percentiles_ms(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p95 of durations given in seconds, in milliseconds."""
    if not seconds:
        return {"p50": 0.0, "p95": 0.0}
    values = np.asarray(seconds) * 1000
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95))}
