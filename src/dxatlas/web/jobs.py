"""`IngestJobs`: ingestion runs started from the web app, done one at a time in a background
thread, each with an id and a status the pages poll.

A job's state (queued, running, done, failed), its progress and its per-document results live in
the process's memory: each worker of `dxatlas serve --workers N` runs its own jobs, and a restart
forgets them (what they stored stays stored). The most recent `KEPT_JOBS` are kept.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

KEPT_JOBS = 100
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What became of one document or source: read (and stored), skipped or failed, and why."""

    source: str
    status: str  # read, skipped, failed
    stored: str | None = None  # added, linked, unchanged (for a document read)
    title: str | None = None
    reason: str | None = None
    sentences: int = 0
    evidence: int = 0
    patients: int = 0
    concepts: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "stored": self.stored,
            "title": self.title,
            "reason": self.reason,
            "sentences": self.sentences,
            "evidence": self.evidence,
            "patients": self.patients,
            "concepts": list(self.concepts),
        }


@dataclass(frozen=True, slots=True)
class IngestRequest:
    """What an editor asked to ingest: uploaded files (shown name, saved path), URLs, a PubMed
    query, and the concept the documents are about (None: the one each names most)."""

    files: tuple[tuple[str, str], ...] = ()
    urls: tuple[str, ...] = ()
    pubmed: str | None = None
    max_results: int = 20
    concept: Any = None  # an `evidence.extract.Target`
    concept_label: str | None = None

    @property
    def sources(self) -> int:
        """How many sources the job goes through (each file, URL, and the PubMed query)."""
        return len(self.files) + len(self.urls) + (1 if self.pubmed else 0)


@dataclass(eq=False)
class IngestJob:
    """One run: who started it, what it reads, and how far it got (thread-safe snapshots)."""

    id: str
    owner: str
    request: IngestRequest
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    status: str = QUEUED
    step: str = "waiting for the previous job"
    done_sources: int = 0
    results: list[DocumentResult] = field(default_factory=list)
    summary: str | None = None
    error: str | None = None
    finished_at: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _ended: threading.Event = field(default_factory=threading.Event, repr=False)

    def update(self, **changes: Any) -> None:
        """Change fields together (what a reader sees is never half of a change)."""
        with self._lock:
            for name, value in changes.items():
                setattr(self, name, value)

    def add(self, result: DocumentResult) -> None:
        with self._lock:
            self.results.append(result)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (or `timeout` seconds passed); whether it has."""
        return self._ended.wait(timeout)

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    def to_json(self) -> dict[str, Any]:
        with self._lock:
            results = list(self.results)
            payload: dict[str, Any] = {
                "id": self.id,
                "owner": self.owner,
                "status": self.status,
                "finished": self.finished,
                "step": self.step,
                "created_at": self.created_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "sources": self.request.sources,
                "done_sources": self.done_sources,
                "concept": self.request.concept_label,
                "summary": self.summary,
                "error": self.error,
            }
        counts = {
            kind: sum(r.status == kind for r in results) for kind in ("read", "skipped", "failed")
        }
        payload["counts"] = counts | {
            "evidence": sum(r.evidence for r in results),
            "patients": sum(r.patients for r in results),
            "sentences": sum(r.sentences for r in results),
        }
        payload["results"] = [result.to_json() for result in results]
        return payload


Runner = Callable[[IngestJob], None]


class IngestJobs:
    """The app's ingestion jobs: run in submission order by one background thread."""

    def __init__(self, kept: int = KEPT_JOBS) -> None:
        self._kept = kept
        self._jobs: OrderedDict[str, IngestJob] = OrderedDict()
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxatlas-ingest")

    def submit(self, owner: str, request: IngestRequest, runner: Runner) -> IngestJob:
        """Queue a job; `runner` does the work and updates the job as it goes."""
        job = IngestJob(id=secrets.token_urlsafe(9), owner=owner, request=request)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._kept:
                oldest = next(iter(self._jobs.values()))
                if not oldest.finished:
                    break
                self._jobs.popitem(last=False)
        self._executor.submit(self._run, job, runner)
        return job

    def get(self, job_id: str) -> IngestJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, limit: int = 20) -> list[IngestJob]:
        """The latest jobs, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))[:limit]

    def shutdown(self) -> None:
        """Stop taking jobs; the one running finishes (queued ones are dropped)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _run(job: IngestJob, runner: Runner) -> None:
        job.update(status=RUNNING, step="starting")
        try:
            runner(job)
        except Exception as error:  # the job fails with one line; the app goes on
            log.exception("ingest job %s failed", job.id)
            job.update(status=FAILED, error=f"{type(error).__name__}: {error}".splitlines()[0])
        else:
            if job.status == RUNNING:
                job.update(status=DONE)
        finally:
            job.update(step="finished", finished_at=datetime.now(UTC))
            job._ended.set()
