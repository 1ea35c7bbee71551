"""The client side of distributed ingestion: `ClusterFeeder` ships partitions, stores results.

Documents arrive one by one; their declared foci are resolved here, in document order, so
concepts are made exactly as a serial run makes them. Every `batch_size` documents become a
partition submitted to the cluster; at most `window` partitions are out at once. Results are
stored in partition order (so near-duplicate evidence merges as in a serial run), each document
in its own transaction: a run killed at any point leaves whole documents only, and running it
again stores what is missing (documents already stored are found unchanged by content hash).

One difference from a serial run remains after a kill: the concepts made for documents that
were out on the cluster but not yet stored (at most `window` partitions) are in the store, so
the run that follows knows them from its start. A document among those that names such a
concept (before the document declaring it) is recognised with it, where a clean run would not
yet have known it. (A serial run makes a concept only for the document it stores next, so it
leaves no such difference.)
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dxatlas.evidence.extract import Target
from dxatlas.evidence.pipeline import DocumentRows, EvidenceWriter, Focus, FocusResolver
from dxatlas.ingest.cluster.errors import ClusterError, NotStored
from dxatlas.ingest.cluster.work import AnalysisSetup, Partition, PartitionResult
from dxatlas.ingest.cluster.worker import WorkerSetupError, analyse_partition
from dxatlas.ingest.document import Document
from dxatlas.store.documents import IngestOutcome
from dxatlas.store.errors import StoreError

if TYPE_CHECKING:
    from distributed import Client, Future


@dataclass(frozen=True, slots=True)
class Stored:
    """A document the run stored (or found already stored), with its rows."""

    document: Document
    rows: DocumentRows
    outcome: IngestOutcome


class RunClock:
    """Wall and CPU seconds per stage of a run: `analysis` (summed over the workers), and in
    this process `focus` (finding and making declared foci), `store` and `wait` (for rows)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def add(self, stage: str, wall: float, cpu: float) -> None:
        """Count `wall` and `cpu` seconds to `stage`."""
        self.wall[stage] = self.wall.get(stage, 0.0) + wall
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        """Count the block's time (this thread's CPU time) to `stage`."""
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - wall, time.thread_time() - cpu)

    def summary(self) -> str:
        """One line: each stage's wall time, its CPU time in brackets."""
        names = {
            "analysis": "workers analysed",
            "focus": "found foci",
            "store": "stored",
            "wait": "waited for rows",
        }
        parts = [
            f"{names.get(stage, stage)} {self.wall[stage]:.1f} s (CPU {self.cpu[stage]:.1f} s)"
            for stage in ("analysis", "focus", "store", "wait")
            if stage in self.wall
        ]
        return "time: " + "; ".join(parts)


@dataclass(frozen=True, slots=True)
class _Sent:
    future: Future
    documents: tuple[Document, ...]


class ClusterFeeder:
    """Feeds documents to a Dask cluster in partitions and stores their rows in document order."""

    def __init__(
        self,
        client: Client,
        writer: EvidenceWriter,
        resolver: FocusResolver | None,
        *,
        lexicon_version: str,
        known: tuple[Target, ...],
        targets: tuple[Target, ...] = (),
        batch_size: int = 50,
        window: int | None = None,
    ) -> None:
        """`resolver` finds each document's focus (None with `--concept` targets); `known` are
        the store's concepts at the start; `window` partitions at most are out at once (default:
        two per worker thread)."""
        self.client = client
        self.writer = writer
        self.resolver = resolver
        self.batch_size = batch_size
        nthreads = client.nthreads()
        self.cluster_workers = len(nthreads)
        threads = sum(nthreads.values())
        self.window = window or max(2, 2 * threads)
        setup = AnalysisSetup(uuid.uuid4().hex, lexicon_version, known, targets)
        self._setup = client.scatter(setup, broadcast=True, hash=False)
        self._learned: list[Target] = []
        self._documents: list[Document] = []
        self._foci: list[Target | None] = []
        self._visible: list[int] = []
        self._sent: deque[_Sent] = deque()
        self._numbered = 0
        self.workers: set[str] = set()
        self.resets = 0
        self.clock = RunClock()

    @property
    def in_flight(self) -> int:
        """Partitions submitted and not yet stored."""
        return len(self._sent)

    def put(self, document: Document) -> list[Stored]:
        """Take one document; returns the documents stored meanwhile (waits only when `window`
        partitions are out already)."""
        try:
            with self.clock.timing("focus"):
                focus = self.resolver.resolve(document) if self.resolver is not None else Focus()
        except StoreError as error:
            raise NotStored(document, error) from None
        if focus.new and focus.target is not None:
            self._learned.append(focus.target)
        self._documents.append(document)
        self._foci.append(focus.target)
        self._visible.append(len(self._learned))
        if len(self._documents) >= self.batch_size:
            self._submit()
        stored: list[Stored] = []
        while self._sent and (len(self._sent) >= self.window or self._sent[0].future.done()):
            stored.extend(self._store_oldest())
        return stored

    def drain(self) -> Iterator[Stored]:
        """Submit what is left and store everything still out, in order."""
        if self._documents:
            self._submit()
        while self._sent:
            yield from self._store_oldest()

    def cancel(self) -> None:
        """Give up the partitions still out (the run is stopping)."""
        for sent in self._sent:
            sent.future.cancel()
        self._sent.clear()

    def _submit(self) -> None:
        partition = Partition(
            self._numbered,
            tuple(self._documents),
            tuple(self._foci),
            tuple(self._visible),
            tuple(self._learned),
        )
        future = self.client.submit(analyse_partition, self._setup, partition, pure=False)
        self._sent.append(_Sent(future, partition.documents))
        self._numbered += 1
        self._documents, self._foci, self._visible = [], [], []

    def _store_oldest(self) -> Iterator[Stored]:
        sent = self._sent.popleft()
        with self.clock.timing("wait"):
            result = self._result(sent)
        self.workers.add(result.worker)
        self.resets += result.resets
        self.clock.add("analysis", result.seconds, result.cpu_seconds)
        for document, rows in zip(sent.documents, result.rows, strict=True):
            try:
                with self.clock.timing("store"):
                    outcome = self.writer.record(document, rows)
            except StoreError as error:
                raise NotStored(document, error) from None
            yield Stored(document, rows, outcome)

    @staticmethod
    def _result(sent: _Sent) -> PartitionResult:
        from distributed import KilledWorker

        try:
            result: PartitionResult = sent.future.result()
        except WorkerSetupError as error:
            raise ClusterError(str(error)) from None
        except KilledWorker as error:
            first, last = sent.documents[0], sent.documents[-1]
            raise ClusterError(
                f"the workers analysing documents {first.id} to {last.id} died ({error})"
            ) from None
        return result
