"""One web ingestion job's work: read the uploaded files, fetch the URLs and the PubMed query
through the online clients, and store each document's evidence with the same pipeline as
`dxatlas ingest` (serial), recording what became of every document.

Uploaded files are saved in a temporary folder for the job and deleted when it ends; a stored
document names the file as the editor uploaded it, not the temporary path.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from dxatlas.ingest.document import Document
from dxatlas.ingest.errors import IngestError
from dxatlas.ingest.report import Problem
from dxatlas.settings import Settings
from dxatlas.store.errors import DatabaseUnavailable, StoreError
from dxatlas.web.jobs import FAILED, DocumentResult, IngestJob

if TYPE_CHECKING:
    from dxatlas.evidence.pipeline import EvidencePipeline
    from dxatlas.ingest.online.web import WebClient
    from dxatlas.web.engine import WebEngine


def run_ingest(job: IngestJob, engine: WebEngine, settings: Settings, folder: Path | None) -> None:
    """Ingest what `job` asks for, adding one result per document or problem; the temporary
    `folder` of its uploads is deleted at the end."""
    try:
        _run(job, engine, settings)
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(job: IngestJob, engine: WebEngine, settings: Settings) -> None:
    from dxatlas.evidence.pipeline import EvidencePipeline
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.store import Store

    request = job.request
    job.update(step="loading the recogniser")
    annotator = Annotator.from_kb(engine.kb, settings.cache_dir)
    store = Store.open(settings.database_url, curated=engine.curated, upgrade=False)
    try:
        targets = [request.concept] if request.concept is not None else []
        pipeline = EvidencePipeline(engine.kb, annotator, store, targets)
        for source, outcomes in _sources(job, settings):
            job.update(step=f"reading {source}")
            for outcome in outcomes:
                if isinstance(outcome, Problem):
                    job.add(_problem(source, outcome))
                    continue
                try:
                    job.add(_store(pipeline, source, outcome))
                except DatabaseUnavailable as error:
                    job.add(DocumentResult(source, "failed", reason=f"not stored: {error}"))
                    job.update(status=FAILED, error=f"the store failed: {error}")
                    return
            job.update(done_sources=job.done_sources + 1)
        job.update(summary=pipeline.totals.summary())
    finally:
        store.close()


def _store(pipeline: EvidencePipeline, source: str, document: Document) -> DocumentResult:
    """Analyse and store one document; what was stored."""
    title = document.title
    try:
        analysis = pipeline.analyse(document)
        outcome = pipeline.writer.record(document, analysis.rows())
    except DatabaseUnavailable:
        raise
    except StoreError as error:
        return DocumentResult(source, "failed", title=title, reason=f"not stored: {error}")
    evidence = analysis.evidence
    fresh = outcome.status != "unchanged"
    return DocumentResult(
        source,
        "read",
        stored=outcome.status,
        title=title,
        reason=None if fresh else "already stored: the same text was ingested before",
        sentences=len(analysis.sentences),
        evidence=len(evidence.items) if fresh else 0,
        patients=len(evidence.patients) if fresh else 0,
        concepts=tuple(target.name for target in evidence.targets),
    )


def _problem(source: str, problem: Problem) -> DocumentResult:
    """A problem as a result; its own place (a record's line, the query) leads its reason."""
    where = "" if problem.source == source else f"{problem.source}: "
    return DocumentResult(source, problem.kind, reason=where + problem.reason)


Outcomes = Iterator[Document | Problem]


def _sources(job: IngestJob, settings: Settings) -> Iterator[tuple[str, Outcomes]]:
    """(source as shown, its documents or problems) for each file, URL and the PubMed query."""
    request = job.request
    for name, saved in request.files:
        yield name, _file(name, Path(saved), settings)
    if request.urls:
        from dxatlas.ingest.online.web import WebClient

        web = WebClient.from_settings(settings)
        try:
            for url in request.urls:
                yield url, _url(web, url)
        finally:
            web.http.close()
    if request.pubmed:
        yield f"PubMed: {request.pubmed}", _pubmed(request.pubmed, request.max_results, settings)


def _file(name: str, saved: Path, settings: Settings) -> Outcomes:
    from dxatlas.ingest.pipeline import load_files
    from dxatlas.ingest.registry import default_registry

    for outcome in load_files([saved], default_registry(), settings.max_document_bytes):
        if isinstance(outcome, Problem):
            yield replace(outcome, source=outcome.source.replace(str(saved), name, 1))
        elif outcome.origin.path == str(saved):
            yield replace(outcome, origin=replace(outcome.origin, path=name))
        else:
            yield outcome


def _url(web: WebClient, url: str) -> Outcomes:
    try:
        yield web.fetch(url)
    except IngestError as error:
        yield Problem(url, str(error))


def _pubmed(query: str, max_results: int, settings: Settings) -> Outcomes:
    from dxatlas.ingest.online.pubmed import PubMedClient

    client = PubMedClient.from_settings(settings)
    try:
        yield from client.documents(query, max_results)
    except IngestError as error:
        yield Problem(f"PubMed query {query!r}", str(error))
    finally:
        client.http.close()
