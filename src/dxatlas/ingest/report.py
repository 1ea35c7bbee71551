"""The outcome of an ingestion run: problems as they happen, and the read/skipped/failed summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ProblemKind = Literal["skipped", "failed"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A source that gave no document: where (path, path:line or URL), why, and whether skipped."""

    source: str
    reason: str
    kind: ProblemKind = "failed"

    def __str__(self) -> str:
        return f"{self.kind}: {self.source}: {self.reason}"


@dataclass(slots=True)
class IngestReport:
    """Counts for one run; `ok` is false only when nothing at all could be read."""

    documents: int = 0
    sentences: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Sources not read on purpose (empty, too large, binary, unknown format)."""
        return sum(problem.kind == "skipped" for problem in self.problems)

    @property
    def failed(self) -> int:
        """Sources or records that could not be read (corrupt, undecodable, network error)."""
        return sum(problem.kind == "failed" for problem in self.problems)

    @property
    def ok(self) -> bool:
        """Whether at least one document was read."""
        return self.documents > 0

    def add_document(self, sentences: int) -> None:
        """Count one document read and its sentences."""
        self.documents += 1
        self.sentences += sentences

    def summary(self) -> str:
        """One line: documents read, skipped, failed, sentences."""
        return (
            f"documents read: {self.documents:,}, skipped: {self.skipped:,}, "
            f"failed: {self.failed:,}; sentences: {self.sentences:,}"
        )
