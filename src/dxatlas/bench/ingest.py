"""Ingestion benchmark: documents/s of `dxatlas ingest FILE` serially and with N Dask workers.

Each configuration is one run of the real command in a process of its own, into a new SQLite
store in a temporary folder (deleted afterwards), so every run starts from an empty store and a
cold cluster. The load average before and after each run is kept beside its figures, because
other jobs on the machine slow it down.

A distributed run also reports where its time went (`RunClock`: workers analysing, this process
finding foci and storing); their CPU seconds per sentence give the per-core rates behind a paper
estimate for a larger corpus (`estimate`): analysis spreads over the workers, storing does not
(one writer).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

_CLOCK = re.compile(
    r"(workers analysed|found foci|stored|waited for rows) ([\d.]+) s \(CPU ([\d.]+) s\)"
)
_STAGES = {
    "workers analysed": "analysis",
    "found foci": "focus",
    "stored": "store",
    "waited for rows": "wait",
}


class BenchError(Exception):
    """A benchmark run failed; the message is the run's own last line of error output."""


@dataclass
class IngestRun:
    """One configuration's run: what it stored, how long it took, and the machine's load."""

    workers: int  # 0: serial, in one process
    seconds: float
    documents: int
    sentences: int
    evidence: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    output: list[str]
    wall: dict[str, float] = field(default_factory=dict)  # stage -> seconds (distributed runs)
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.workers == 0:
            return "serial"
        return f"{self.workers} worker{'s' if self.workers > 1 else ''}"

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def parse_workers(text: str) -> list[int]:
    """`"1,2"` -> [1, 2]; 0 means a serial run. `ValueError` for anything else."""
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        raise ValueError(f"--workers {text!r} is not a comma-separated list of numbers") from None
    if not counts or any(count < 0 for count in counts):
        raise ValueError(f"--workers {text!r}: counts are 0 (serial) or more workers")
    return counts


def run_ingest(path: Path, workers: int, folder: Path, batch_size: int | None = None) -> IngestRun:
    """Run `dxatlas ingest path` (with `--workers N` unless 0) into a new store in `folder`."""
    database = folder / f"ingest-{workers}.db"
    env = {**os.environ, "DXATLAS_DATABASE_URL": f"sqlite:///{database}"}
    if batch_size is not None:
        env["DXATLAS_INGEST_BATCH_SIZE"] = str(batch_size)
    command = [sys.executable, "-c", "from dxatlas.cli import main; main()", "ingest", str(path)]
    if workers:
        command += ["--workers", str(workers)]
    load_before = os.getloadavg()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        raise BenchError(f"dxatlas ingest ({workers} workers): {lines[-1]}")
    output = done.stdout.strip().splitlines()
    run = IngestRun(workers, seconds, 0, 0, 0, load_before, load_after, output)
    _read_store(run, database)
    run.wall, run.cpu = parse_clock(output)
    return run


def parse_clock(lines: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """The wall and CPU seconds per stage that a distributed run prints (`RunClock.summary`)."""
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for line in lines:
        for name, seconds, cpu_seconds in _CLOCK.findall(line):
            wall[_STAGES[name]] = float(seconds)
            cpu[_STAGES[name]] = float(cpu_seconds)
    return wall, cpu


def _read_store(run: IngestRun, database: Path) -> None:
    from dxatlas.store import Store

    with Store.open(f"sqlite:///{database}", upgrade=False) as store:
        stats = store.stats()
    run.documents, run.sentences, run.evidence = stats.documents, stats.sentences, stats.evidence


def run_benchmark(
    path: Path,
    workers: list[int],
    batch_size: int | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[IngestRun]:
    """One run per worker count, in the order given, each into its own temporary store."""
    runs = []
    with tempfile.TemporaryDirectory(prefix="dxatlas-bench-ingest-") as folder:
        for count in workers:
            progress(f"ingesting {path.name} ({'serial' if count == 0 else f'{count} workers'})")
            runs.append(run_ingest(path, count, Path(folder), batch_size))
            for leftover in Path(folder).iterdir():
                leftover.unlink()  # the store is counted; free the space before the next run
    return runs


def sentences_per_document(path: Path, id_prefix: str = "PMID:") -> tuple[int, float]:
    """How many records of a JSONL file of abstracts have an id starting with `id_prefix`, and
    their mean number of sentences (`split_sentences` on `title` and `text`)."""
    import json

    from dxatlas.ingest.sentences import split_sentences

    counts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if not str(record.get("id", "")).startswith(id_prefix):
            continue
        text = "\n\n".join(part for part in (record.get("title"), record.get("text")) if part)
        counts.append(len(split_sentences(text)))
    if not counts:
        raise ValueError(f"{path}: no record has an id starting with {id_prefix!r}")
    return len(counts), sum(counts) / len(counts)


@dataclass(frozen=True)
class Estimate:
    """A paper estimate of ingesting `documents` documents of `sentences_each` sentences, from a
    distributed run's CPU seconds per sentence: analysis on `cores` cores, one writer storing."""

    documents: float
    sentences_each: float
    analysis_per_core: float  # sentences/s that one core analyses
    writer: float  # sentences/s that the one writer stores
    cores: int

    @property
    def sentences(self) -> float:
        return self.documents * self.sentences_each

    @property
    def analysis_days(self) -> float:
        return self.sentences / (self.analysis_per_core * self.cores) / 86_400

    @property
    def writer_days(self) -> float:
        return self.sentences / self.writer / 86_400

    @property
    def cores_to_keep_the_writer_busy(self) -> float:
        return self.writer / self.analysis_per_core

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "sentences": self.sentences,
            "analysis_days": self.analysis_days,
            "writer_days": self.writer_days,
            "cores_to_keep_the_writer_busy": self.cores_to_keep_the_writer_busy,
        }


def estimate(
    run: IngestRun, documents: float, sentences_each: float, cores: int
) -> Estimate | None:
    """The estimate from a distributed run's CPU times (None for a serial run, which has none).
    Finding foci (MedQuAD's declared concepts) is left out: abstracts declare none."""
    analysis, store = run.cpu.get("analysis"), run.cpu.get("store")
    if not analysis or not store or not run.sentences:
        return None
    return Estimate(
        documents, sentences_each, run.sentences / analysis, run.sentences / store, cores
    )
