"""The units of distributed work: what a worker needs once, what it gets per task, what it returns.

All are frozen dataclasses of plain values, documents and targets, so they pickle cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

from dxatlas.evidence.extract import Target
from dxatlas.evidence.pipeline import DocumentRows
from dxatlas.ingest.document import Document


@dataclass(frozen=True, slots=True)
class AnalysisSetup:
    """What a worker builds its analyser from, once per run: the knowledge base it must have, the
    concepts stored when the run started and the run's `--concept` targets."""

    run: str  # a fresh id per run: a worker never reuses another run's analyser
    lexicon_version: str  # what the client recognises with; a worker must match it
    known: tuple[Target, ...]
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True, slots=True)
class Partition:
    """Consecutive documents of the run, numbered from 0, with what each one's analysis knows.

    `learned` lists the concepts the run made for declared foci, in the order it made them, up to
    this partition's last document; document i is analysed knowing the first `visible[i]` of them
    (those made for it and for the documents before it), exactly as a serial run would.
    """

    number: int
    documents: tuple[Document, ...]
    foci: tuple[Target | None, ...]
    visible: tuple[int, ...]
    learned: tuple[Target, ...] = ()

    def __post_init__(self) -> None:
        if not len(self.documents) == len(self.foci) == len(self.visible):
            raise ValueError("a partition needs one focus and one visible count per document")


@dataclass(frozen=True, slots=True)
class PartitionResult:
    """The rows of a partition's documents, in order, and which worker computed them."""

    number: int
    rows: tuple[DocumentRows, ...]
    worker: str
    resets: int = 0  # times this worker had to rebuild its analyser (tasks out of order)
    seconds: float = 0.0  # spent analysing (the analyser's set-up on a first task included)
    cpu_seconds: float = 0.0  # of which the analysing thread ran on a core
