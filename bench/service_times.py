"""Service time of each kind of load-test call, in one process and one thread (no HTTP, no
queueing): what each call costs the server, and with --profile where that time goes.

    DXATLAS_DATABASE_URL=... python bench/service_times.py search --calls 100 --profile cumulative

Uses the same inputs as `dxatlas bench load` (`dxatlas.bench.load`); see docs/benchmarks.md, "Load".
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from typing import Any

from dxatlas.bench.load import DISCOVERY_WORDS, MIX, Targets, _request
from dxatlas.settings import get_settings
from dxatlas.web.engine import CaseInput, WebEngine


def _case(payload: dict[str, Any]) -> CaseInput:
    return CaseInput(
        tuple(payload["present"]), tuple(payload.get("excluded", ())), payload.get("text", "")
    )


def call(engine: WebEngine, kind: str, path: str, payload: Any) -> None:
    """What the route of one load-test call runs."""
    if kind == "concept":
        engine.page(path.rsplit("/", 1)[1])
    elif kind == "search":
        engine.search(payload["q"])
    elif kind == "diagnose":
        engine.diagnose(_case(payload))
    else:
        engine.next_questions(_case(payload))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=list(MIX))
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", choices=["cumulative", "tottime"], default=None)
    parser.add_argument("--lines", type=int, default=30)
    args = parser.parse_args()

    engine = WebEngine.load(get_settings())
    engine.annotator  # built (or read from the cache) before timing  # noqa: B018
    concepts: list[str] = []
    for word in DISCOVERY_WORDS:
        found = engine.search(word)["results"]
        concepts += [hit["id"] for kind in ("disease", "concept") for hit in found[kind]]
    targets = Targets(list(dict.fromkeys(concepts)))
    rng = random.Random(args.seed)
    calls = [_request(args.kind, targets, rng) for _ in range(args.calls)]
    call(engine, args.kind, calls[0][1], calls[0][2])  # warm caches
    profile = cProfile.Profile()
    times = []
    for _, path, payload in calls:
        started = time.perf_counter()
        if args.profile:
            profile.enable()
        call(engine, args.kind, path, payload)
        if args.profile:
            profile.disable()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    n = len(times)
    print(
        f"{args.kind}: {n} calls, mean {sum(times) / n:.1f} ms, p50 {times[n // 2]:.1f}, "
        f"p95 {times[int(n * 0.95)]:.1f}, p99 {times[min(n - 1, int(n * 0.99))]:.1f}, "
        f"max {times[-1]:.1f} ms ({len(targets.concepts)} concepts to visit)"
    )
    if args.profile:
        pstats.Stats(profile).sort_stats(args.profile).print_stats(args.lines)


if __name__ == "__main__":
    main()
