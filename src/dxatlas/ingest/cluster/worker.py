"""The worker side: `analyse_partition`, the Dask task, and the analyser each process builds once.

A worker process keeps one `WorkerAnalyser` per run (the knowledge base, the annotator with the
store's concepts, and a pickled copy of its lexicon's state). The concepts a run makes for
declared foci are learned as partitions ask for them; a partition that asks for fewer than the
analyser already knows (tasks taken out of order) first puts the lexicon back to the pickled
state, so every document is recognised with exactly the vocabulary a serial run would have had.
The lexicon is restored in place: its matcher's automaton of the knowledge base's names (a
second to build) stays valid, and the store's concepts stay in the matcher's separate automaton
of added names, as in a serial run.
"""

from __future__ import annotations

import os
import pickle
import socket
import threading
import time
from dataclasses import replace

from dxatlas.evidence.extract import Target
from dxatlas.evidence.pipeline import DocumentAnalyser
from dxatlas.ingest.cluster.work import AnalysisSetup, Partition, PartitionResult
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize.annotator import Annotator


class WorkerSetupError(RuntimeError):
    """A worker cannot analyse for this run (no knowledge base, or another one than the client's);
    the message is one line for the user."""


class WorkerAnalyser:
    """One run's analyser in one worker process, kept in step with the concepts the run made."""

    def __init__(self, setup: AnalysisSetup, kb: KnowledgeBase, annotator: Annotator) -> None:
        """`annotator` recognises the knowledge base's names; it learns `setup.known` here."""
        if annotator.version != setup.lexicon_version:
            raise WorkerSetupError(
                f"worker {worker_name()} recognises with {annotator.version}, the client with "
                f"{setup.lexicon_version}: install the same dxatlas and HPO data on every worker"
            )
        self.setup = setup
        self.kb = kb
        self.analyser = DocumentAnalyser.teaching(kb, annotator, setup.known, setup.targets)
        self._pristine = pickle.dumps(annotator.lexicon.__getstate__(), pickle.HIGHEST_PROTOCOL)
        self.learned = 0  # how many of the run's made concepts the annotator knows
        self.resets = 0

    @classmethod
    def build(cls, setup: AnalysisSetup) -> WorkerAnalyser:
        """Open the knowledge base and annotator this process's settings point at."""
        from dxatlas.kb.index import open_knowledge_base
        from dxatlas.settings import get_settings

        settings = get_settings()
        try:
            kb = open_knowledge_base(settings)
            annotator = Annotator.from_kb(kb, settings.cache_dir)
        except Exception as error:  # any failure here is the worker's set-up, told in one line
            raise WorkerSetupError(
                f"worker {worker_name()} cannot load the knowledge base: "
                f"{type(error).__name__}: {error}"
            ) from None
        return cls(setup, kb, annotator)

    def catch_up(self, learned: tuple[Target, ...], visible: int) -> None:
        """Know exactly the first `visible` of the concepts the run made."""
        if visible < self.learned:
            lexicon = self.analyser.annotator.lexicon
            lexicon.__setstate__(pickle.loads(self._pristine))
            known = {target.id: target for target in self.setup.known}
            self.analyser = DocumentAnalyser(self.kb, Annotator(lexicon), known, self.setup.targets)
            self.learned = 0
            self.resets += 1
        for target in learned[self.learned : visible]:
            self.analyser.learn(target)
        self.learned = visible

    def analyse(self, partition: Partition) -> PartitionResult:
        """The rows of every document of the partition, in order."""
        resets = self.resets
        rows = []
        for document, focus, visible in zip(
            partition.documents, partition.foci, partition.visible, strict=True
        ):
            self.catch_up(partition.learned, visible)
            rows.append(self.analyser.analyse(document, focus).rows())
        return PartitionResult(partition.number, tuple(rows), worker_name(), self.resets - resets)


_lock = threading.Lock()  # a worker with several threads analyses one partition at a time
_current: WorkerAnalyser | None = None


def worker_name() -> str:
    """This process, as `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def analyse_partition(setup: AnalysisSetup, partition: Partition) -> PartitionResult:
    """The Dask task: analyse a partition with this process's analyser for the run (built on the
    first task of the run, then reused)."""
    global _current
    with _lock:
        started, cpu = time.perf_counter(), time.thread_time()
        if _current is None or _current.setup.run != setup.run:
            _current = None  # let the previous run's analyser go before building the next
            _current = WorkerAnalyser.build(setup)
        result = _current.analyse(partition)
        return replace(
            result,
            seconds=time.perf_counter() - started,
            cpu_seconds=time.thread_time() - cpu,
        )
