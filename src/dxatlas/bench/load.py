"""`dxatlas bench load`: many concurrent clients against a running `dxatlas serve`, each sending
its next request when the last one answered (a closed loop, with an optional think time), mixing
concept pages, search, diagnose and next-question calls. Reports requests/s and, per endpoint, the p50,
p95 and p99 latency and the errors (a status of 400 or more, or no answer).

An asyncio client rather than locust: one process, no gevent monkey-patching, and nothing to
install. The clients speak HTTP/1.1 through `bench.http_client` (a keep-alive connection each),
not httpx: on a 2-core machine the generator's own CPU use is taken from the server it measures,
and httpx spent about 5 ms of CPU per request.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

import httpx
import numpy as np

from dxatlas.bench.http_client import Connection, HttpError, request_bytes

# Words whose search answers give the concept ids the clients visit (diseases and stored
# concepts), and the findings cases are made of (HPO ids of common findings).
DISCOVERY_WORDS = (
    "fever", "seizure", "anemia", "leukemia", "diabetes", "asthma", "cancer", "syndrome",
    "deficiency", "dystrophy", "epilepsy", "hepatitis", "arthritis", "cardiomyopathy", "ataxia",
)  # fmt: skip
SEARCH_QUERIES = (
    "fever", "seiz", "anemai", "brachydactyly", "cleft palate", "leukemia", "diabetes mellitus",
    "short stature", "hearing loss", "ataxia", "HP:0001250", "OMIM:143100", "muscle weakness",
    "abdominal pain", "microcephaly", "retinitis", "asthma", "hypotonia", "cough", "rash",
)  # fmt: skip
FINDINGS = (
    "HP:0001250", "HP:0001945", "HP:0001903", "HP:0002027", "HP:0001263", "HP:0004322",
    "HP:0000365", "HP:0001252", "HP:0000252", "HP:0001251", "HP:0000175", "HP:0001156",
    "HP:0002315", "HP:0012378", "HP:0002019", "HP:0000822", "HP:0001824", "HP:0002094",
)  # fmt: skip
CASE_TEXTS = (
    "A 3-year-old girl with fever and seizures; no rash.",
    "Adult man with chronic cough, shortness of breath and weight loss. No fever.",
    "Short stature, hearing loss and developmental delay in a 6 year old boy.",
    "She has abdominal pain, vomiting and diarrhea; her mother had similar episodes.",
)
T = TypeVar("T")

MIX = {"concept": 3, "search": 3, "diagnose": 3, "next-question": 1}
"""Relative frequency of each kind of call."""


@dataclass(slots=True)
class Targets:
    """What the clients ask about: concept ids found through search, and finding ids."""

    concepts: list[str]
    findings: list[str] = field(default_factory=lambda: list(FINDINGS))


@dataclass(slots=True)
class EndpointFigures:
    """Latencies (seconds) and errors of one kind of call."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def summary(self, seconds: float) -> dict[str, Any]:
        values = np.array(self.latencies) * 1000 if self.latencies else np.zeros(1)
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        return {
            "requests": len(self.latencies),
            "per_second": round(len(self.latencies) / seconds, 1),
            "p50_ms": round(float(p50), 1),
            "p95_ms": round(float(p95), 1),
            "p99_ms": round(float(p99), 1),
            "max_ms": round(float(values.max()), 1),
            "errors": self.errors,
            "statuses": dict(sorted(self.statuses.items())),
        }


@dataclass(slots=True)
class LoadReport:
    """One run: settings, duration, and the figures per endpoint."""

    url: str
    clients: int
    seconds: float
    think: float = 0.0
    mix: dict[str, int] = field(default_factory=lambda: dict(MIX))
    endpoints: dict[str, EndpointFigures] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        total = sum(len(f.latencies) for f in self.endpoints.values())
        return {
            "url": self.url,
            "clients": self.clients,
            "think_seconds": self.think,
            "mix": self.mix,
            "seconds": round(self.seconds, 1),
            "requests": total,
            "per_second": round(total / self.seconds, 1) if self.seconds else 0.0,
            "errors": sum(f.errors for f in self.endpoints.values()),
            "endpoints": {
                name: figures.summary(self.seconds) for name, figures in self.endpoints.items()
            },
            "error_samples": self.error_samples[:10],
        }


class LoadError(Exception):
    """The server cannot be load-tested (unreachable, not dxatlas, nothing to visit)."""


def parse_mix(text: str) -> dict[str, int]:
    """`diagnose=3,concept=1` -> weights; `LoadError` naming an unknown kind or a bad weight."""
    mix: dict[str, int] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        kind, _, weight = part.partition("=")
        if kind not in MIX:
            raise LoadError(f"--mix: {kind!r} is not one of {', '.join(MIX)}")
        if not weight.isdigit():
            raise LoadError(f"--mix: the weight of {kind!r} must be a whole number, not {weight!r}")
        mix[kind] = int(weight)
    if not any(mix.values()):
        raise LoadError(f"--mix {text!r} gives no call a weight")
    return mix


async def discover(client: httpx.AsyncClient, words: tuple[str, ...] = DISCOVERY_WORDS) -> Targets:
    """Concept ids (curated diseases and stored concepts) from searches for common words."""
    concepts: list[str] = []
    for word in words:
        answer = await client.get("/api/v1/search", params={"q": word})
        answer.raise_for_status()
        results = answer.json()["results"]
        concepts += [hit["id"] for kind in ("disease", "concept") for hit in results[kind]]
    concepts = list(dict.fromkeys(concepts))
    if not concepts:
        raise LoadError("the server's search found no concept to visit")
    return Targets(concepts)


def _request(kind: str, targets: Targets, rng: random.Random) -> tuple[str, str, Any]:
    """(method, path, JSON body or query) of one call of `kind`."""
    if kind == "concept":
        return "GET", f"/api/v1/concepts/{rng.choice(targets.concepts)}", None
    if kind == "search":
        return "GET", "/api/v1/search", {"q": rng.choice(SEARCH_QUERIES)}
    case: dict[str, Any] = {"present": rng.sample(targets.findings, rng.randint(1, 4))}
    if rng.random() < 0.3:
        case["text"] = rng.choice(CASE_TEXTS)
    if rng.random() < 0.3:
        case["excluded"] = [t for t in rng.sample(targets.findings, 2) if t not in case["present"]]
    return "POST", "/api/v1/diagnose" if kind == "diagnose" else "/api/v1/next-question", case


async def _client_loop(
    connection: Connection,
    targets: Targets,
    report: LoadReport,
    stop_at: float,
    rng: random.Random,
    think: float,
    mix: dict[str, int],
) -> None:
    kinds, weights = list(mix), list(mix.values())
    while time.perf_counter() < stop_at:
        if think > 0:  # a user reading the last answer: 0 to 2x `think` seconds
            await asyncio.sleep(min(rng.uniform(0, 2 * think), stop_at - time.perf_counter()))
            if time.perf_counter() >= stop_at:
                break
        kind = rng.choices(kinds, weights)[0]
        method, path, payload = _request(kind, targets, rng)
        if method == "GET":
            raw = request_bytes(connection.netloc, method, path, query=payload)
        else:
            raw = request_bytes(connection.netloc, method, path, body=payload)
        figures = report.endpoints.setdefault(kind, EndpointFigures())
        started = time.perf_counter()
        try:
            answer = await connection.send(raw)
            status = str(answer.status)
            failed = answer.status >= 400
            detail = answer.text[:200] if failed else ""
        except HttpError as error:
            status, failed, detail = "no answer", True, str(error)[:200]
        figures.latencies.append(time.perf_counter() - started)
        figures.statuses[status] = figures.statuses.get(status, 0) + 1
        if failed:
            figures.errors += 1
            if len(report.error_samples) < 50:
                report.error_samples.append(f"{method} {path} {payload!r}: {status} {detail}")


async def run_load(
    url: str,
    clients: int = 50,
    seconds: float = 60.0,
    warmup: float = 5.0,
    seed: int = 0,
    think: float = 0.0,
    mix: dict[str, int] | None = None,
    timeout: float = 30.0,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Discover what to visit, warm the server up for `warmup` seconds, then run `clients`
    clients for `seconds` and return their figures. Each client waits for an answer before its
    next request, after a pause of 0 to 2x `think` seconds (0: none, the server's saturation);
    `mix` weighs the kinds of call (default `MIX`)."""
    mix = mix or MIX
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        try:
            health = await client.get("/healthz")
            health.raise_for_status()
        except httpx.HTTPError as error:
            raise LoadError(f"no dxatlas server answers at {url}: {error}") from None
        targets = await discover(client)
        if progress:
            progress(f"{len(targets.concepts)} concepts to visit; warming up for {warmup:g} s")
    # One keep-alive connection per client (dropped when idle for 3 s, before uvicorn's 5 s
    # keep-alive timeout closes it, so a request never races the server's close).
    connections = [Connection(url, timeout) for _ in range(clients)]
    try:
        if warmup > 0:
            await _run_clients(connections, targets, warmup, seed + 1, think, mix)
        if progress:
            progress(f"{clients} clients for {seconds:g} s (think time {think:g} s)")
        report = await _run_clients(connections, targets, seconds, seed, think, mix)
    finally:
        for connection in connections:
            connection.close()
    report.url = url
    return report


async def _run_clients(
    connections: list[Connection],
    targets: Targets,
    seconds: float,
    seed: int,
    think: float,
    mix: dict[str, int],
) -> LoadReport:
    report = LoadReport("", len(connections), seconds, think, dict(mix))
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(
        *(
            _client_loop(
                connection,
                targets,
                report,
                stop_at,
                random.Random(seed * 1000 + number),
                think,
                mix,
            )
            for number, connection in enumerate(connections)
        )
    )
    report.seconds = time.perf_counter() - started
    return report


def run_event_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the generator on uvloop (installed with uvicorn[standard]) when it is there: its
    loop costs less CPU per request, all taken from the server on a shared machine."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


# --- a server to test -----------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(workers: int, start_timeout: float = 300.0) -> Iterator[str]:
    """`dxatlas serve --workers N` on a free port of 127.0.0.1 (with this process's settings),
    its URL once `/healthz` answers; stopped (SIGTERM, then SIGKILL) on exit."""
    port = free_port()
    command = [
        sys.executable, "-c", "from dxatlas.cli import main; main()", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would stall it
        server = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
        )
        try:
            _wait_healthy(server, url, start_timeout, log)
            yield url
        finally:
            _stop(server)


def _wait_healthy(
    server: subprocess.Popen[bytes], url: str, timeout: float, log: IO[bytes]
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            tail = " | ".join(log.read().decode(errors="replace").strip().splitlines()[-3:])
            raise LoadError(f"dxatlas serve exited with {server.returncode}: {tail}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise LoadError(f"dxatlas serve did not answer at {url} within {timeout:g} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the server and its worker processes
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
