"""Ingestion commands: `ingest` (files, folders, globs, PubMed, web pages → documents and
sentences, optionally as JSONL) and `sentences` (split files and show the sentences, timed)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dxatlas.cli.app import app, console, error_console, fail
from dxatlas.ingest.cluster.errors import ClusterError, NotStored
from dxatlas.ingest.document import Document
from dxatlas.ingest.errors import IngestError, SourceError
from dxatlas.ingest.report import IngestReport, Problem
from dxatlas.ingest.sentences import Sentence, split_sentences
from dxatlas.store.errors import StoreError

if TYPE_CHECKING:
    from dxatlas.evidence.extract import Target
    from dxatlas.evidence.pipeline import EvidencePipeline, PipelineTotals
    from dxatlas.ingest.cluster.feeder import ClusterFeeder
    from dxatlas.kb.knowledge import KnowledgeBase
    from dxatlas.store import Store

_URL_PREFIXES = ("http://", "https://")


def document_record(document: Document, sentences: list[Sentence]) -> dict[str, Any]:
    """A document and its sentences as a JSON-ready dict (one line of `--out`)."""
    return {
        "id": document.id,
        "url": document.origin.url,
        "host": document.origin.host,
        "domain": document.origin.domain,
        "path": document.origin.path,
        "title": document.title,
        "date": document.date,
        "content_hash": document.content_hash,
        "text": document.text,
        "sections": [
            {"kind": s.kind, "heading": s.heading, "start": s.start, "end": s.end}
            for s in document.sections
        ],
        "metadata": dict(document.metadata),
        "sentences": [
            {
                "text": sentence.text,
                "start": sentence.start,
                "end": sentence.end,
                "section": _section_kind(document, sentence.start),
            }
            for sentence in sentences
        ],
    }


def _section_kind(document: Document, offset: int) -> str | None:
    section = document.section_at(offset)
    return section.kind if section else None


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=error_console,
        transient=True,
        disable=not error_console.is_terminal,
    )


def _show_problem(problem: Problem) -> None:
    colour = "yellow" if problem.kind == "skipped" else "red"
    error_console.print(
        f"[{colour}]{problem.kind}:[/] {problem.source}: {problem.reason}",
        highlight=False,
        soft_wrap=True,
    )


def _online_outcomes(
    urls: list[str], pubmed: str | None, max_results: int
) -> Iterator[tuple[str, Document | Problem]]:
    """Documents (or problems) from PubMed and from web pages, each tagged with its source."""
    from dxatlas.settings import get_settings

    settings = get_settings()
    if pubmed:
        from dxatlas.ingest.online.pubmed import PubMedClient

        client = PubMedClient.from_settings(settings)
        try:
            for document in client.documents(pubmed, max_results):
                yield f"pubmed:{pubmed}", document
        except IngestError as error:
            yield f"pubmed:{pubmed}", Problem(f"PubMed query {pubmed!r}", str(error))
        finally:
            client.http.close()
    if urls:
        from dxatlas.ingest.online.web import WebClient

        web = WebClient.from_settings(settings)
        try:
            for url in urls:
                try:
                    yield url, web.fetch(url)
                except IngestError as error:
                    yield url, Problem(url, str(error))
        finally:
            web.http.close()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _OutFile:
    """`--out`, written atomically: lines go to a temporary file in the same folder, which
    `commit` moves over `out`; `discard` (also the fate of an unfinished run) deletes it."""

    def __init__(self, out: Path) -> None:
        """Create the temporary file now, so an unwritable folder fails before any work."""
        if out.is_dir():
            fail(f"--out {out} is a folder, not a file")
        try:
            descriptor, name = tempfile.mkstemp(
                dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"
            )
        except OSError as error:
            fail(f"--out {out}: cannot write in {out.parent} ({error.strerror or error})")
        self.out = out
        self.temporary = Path(name)
        self.committed = False
        self.handle: IO[str] = os.fdopen(descriptor, "w", encoding="utf-8")
        with suppress(OSError):  # mkstemp makes the file private; use the mode open() would
            os.chmod(self.temporary, 0o666 & ~_umask())

    def write(self, line: str) -> None:
        """Append one line."""
        self.handle.write(line)

    def commit(self) -> None:
        """Replace `out` by what was written."""
        try:
            self.handle.close()
            os.replace(self.temporary, self.out)
        except OSError as error:
            self.discard()
            fail(f"--out {self.out}: {error.strerror or error}")
        self.committed = True

    def discard(self) -> None:
        """Delete the temporary file (nothing once committed); `out` is left as it was."""
        if self.committed:
            return
        self.handle.close()
        self.temporary.unlink(missing_ok=True)


@app.command("ingest")
def ingest(
    inputs: list[str] = typer.Argument(
        None, help="Files, folders (read recursively), globs, or http(s) URLs to fetch."
    ),
    pubmed: str | None = typer.Option(
        None, "--pubmed", help="Search PubMed (online, NCBI E-utilities) and ingest the abstracts."
    ),
    max_results: int = typer.Option(
        200, "--max", min=1, max=10_000, help="How many PubMed results to fetch."
    ),
    urls: list[str] = typer.Option(
        None, "--url", help="A web page to fetch (online; robots.txt respected). Repeatable."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Write the documents with their sentences to this JSONL file."
    ),
    concepts: list[str] = typer.Option(
        None,
        "--concept",
        help="The concept the documents are about (a name or id; repeatable). Default: the "
        "disease each document names most.",
    ),
    store: bool = typer.Option(
        True,
        "--store/--no-store",
        help="Store documents, sentences and evidence in the evidence store (DXATLAS_DATABASE_URL).",
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Recognise and extract on a local Dask cluster of N worker processes.",
    ),
    scheduler: str | None = typer.Option(
        None,
        "--scheduler",
        help="Recognise and extract on the Dask cluster whose scheduler is at tcp://HOST:PORT.",
    ),
) -> None:
    """Read documents (text, HTML, PDF, MEDLINE, JSONL, PubMed, web pages) and store their evidence.

    Prints a summary of documents read, skipped and failed and of the evidence stored; exit code 1
    only when no document could be read.
    """
    from dxatlas.ingest.pipeline import load_files
    from dxatlas.ingest.registry import default_registry
    from dxatlas.ingest.sources import resolve_inputs
    from dxatlas.settings import get_settings

    if concepts and not store:
        fail("--concept needs the store; drop --no-store")
    if workers is not None and scheduler is not None:
        fail("--workers starts a local cluster, --scheduler uses an existing one: give one of them")
    distributed = workers is not None or scheduler is not None
    if distributed and not store:
        fail(f"{'--workers' if workers else '--scheduler'} needs the store; drop --no-store")
    paths_given = [item for item in inputs or [] if not item.startswith(_URL_PREFIXES)]
    urls = [*(item for item in inputs or [] if item.startswith(_URL_PREFIXES)), *(urls or [])]
    if not paths_given and not urls and not pubmed:
        fail("nothing to ingest: give a file, folder or glob, --pubmed QUERY or --url URL")
    try:
        files = resolve_inputs(paths_given)
    except SourceError as error:
        fail(str(error))
    settings = get_settings()
    report = IngestReport()
    with ExitStack() as resources:
        writer = _OutFile(out) if out is not None else None  # before the store is opened
        if writer is not None:
            resources.callback(writer.discard)
        if not store:
            sink: _Sink = _SplitOnly()
        elif distributed:
            sink = _open_cluster(resources, concepts or [], workers, scheduler)
        else:
            sink = _Serial(_open_pipeline(resources, concepts or []))
        started = time.perf_counter()
        with _progress() as progress:
            total = len(files) + len(urls) + (1 if pubmed else 0)
            task = progress.add_task("ingesting", total=total)
            done = progress.add_task(sink.label, total=None)
            current: str | None = None
            outcomes = load_files(files, default_registry(), settings.max_document_bytes)
            tagged = ((None, outcome) for outcome in outcomes)

            def count(stored: list[tuple[Document, list[Sentence]]]) -> None:
                for document, sentences in stored:
                    report.add_document(len(sentences))
                    progress.advance(done)
                    if writer is not None:
                        record = document_record(document, sentences)
                        writer.write(json.dumps(record, ensure_ascii=False) + "\n")

            try:
                for source, outcome in _chain(tagged, _online_outcomes(urls, pubmed, max_results)):
                    where = source or _where(outcome)
                    if where != current:
                        if current is not None:
                            progress.advance(task)
                        current = where
                        progress.update(task, description=_short(where))
                    if isinstance(outcome, Problem):
                        report.problems.append(outcome)
                        _show_problem(outcome)
                        continue
                    count(sink.put(outcome))
                count(sink.drain())
            except NotStored as error:
                before = sink.stored()
                kept = f"; {before:,} document(s) of this run are stored" if before else ""
                fail(f"{_named(error.document)}: {error.error} (nothing of it stored{kept})")
            except ClusterError as error:
                fail(str(error))
        if writer is not None and report.ok:
            writer.commit()  # a run that read nothing leaves an existing --out file as it was
    elapsed = time.perf_counter() - started
    written = f"; written to {out}" if writer is not None and writer.committed else ""
    console.print(f"{report.summary()} ({elapsed:.1f} s){written}", highlight=False, soft_wrap=True)
    for line in sink.summary():
        console.print(line, highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


class _Sink(Protocol):
    """Where the run's documents go; `put` and `drain` return the ones done (in order)."""

    label: str

    def put(self, document: Document) -> list[tuple[Document, list[Sentence]]]: ...

    def drain(self) -> list[tuple[Document, list[Sentence]]]: ...

    def summary(self) -> list[str]: ...

    def stored(self) -> int:
        """Documents stored so far (or found stored already)."""
        ...


def _done(totals: PipelineTotals) -> int:
    return totals.added + totals.unchanged + totals.linked


class _SplitOnly:
    """`--no-store`: sentences only."""

    label = "documents read"

    def put(self, document: Document) -> list[tuple[Document, list[Sentence]]]:
        return [(document, split_sentences(document.text))]

    def drain(self) -> list[tuple[Document, list[Sentence]]]:
        return []

    def summary(self) -> list[str]:
        return []

    def stored(self) -> int:
        return 0


class _Serial:
    """Each document analysed and stored as it comes, in this process."""

    label = "documents stored"

    def __init__(self, pipeline: EvidencePipeline) -> None:
        self.pipeline = pipeline

    def put(self, document: Document) -> list[tuple[Document, list[Sentence]]]:
        try:
            return [(document, self.pipeline.process(document).sentences)]
        except StoreError as error:
            raise NotStored(document, error) from None

    def drain(self) -> list[tuple[Document, list[Sentence]]]:
        return []

    def summary(self) -> list[str]:
        return [self.pipeline.totals.summary()]

    def stored(self) -> int:
        return _done(self.pipeline.totals)


class _Distributed:
    """Documents analysed on a Dask cluster, stored here in document order."""

    def __init__(self, feeder: ClusterFeeder, label: str) -> None:
        self.feeder = feeder
        self.label = label

    def put(self, document: Document) -> list[tuple[Document, list[Sentence]]]:
        return [(s.document, s.rows.sentences) for s in self.feeder.put(document)]

    def drain(self) -> list[tuple[Document, list[Sentence]]]:
        return [(s.document, s.rows.sentences) for s in self.feeder.drain()]

    def summary(self) -> list[str]:
        feeder = self.feeder
        return [
            feeder.writer.totals.summary(),
            f"analysed on a Dask cluster of {feeder.cluster_workers} worker(s) "
            f"({len(feeder.workers)} took part), {feeder.batch_size} documents per partition"
            + (f"; {feeder.resets} analyser rebuild(s)" if feeder.resets else ""),
            feeder.clock.summary(),
        ]

    def stored(self) -> int:
        return _done(self.feeder.writer.totals)


def _open_targets(
    resources: ExitStack, concepts: list[str]
) -> tuple[KnowledgeBase, Store, list[Target]]:
    """The knowledge base, the configured store and the `--concept` targets.

    The store is opened with `open_store` on `resources`, so it stays open for the whole run and
    is closed when the run ends, however it ends; a `StoreError` meanwhile is a clean exit 2.
    """
    from dxatlas.cli.app import load_kb
    from dxatlas.cli.db import open_store
    from dxatlas.evidence.targets import target_of_curated, target_of_state
    from dxatlas.kb.lookup import NameIndex, UnknownNameError
    from dxatlas.store import CuratedNames

    kb = load_kb()
    store = resources.enter_context(open_store(CuratedNames.from_kb(kb)))
    targets = []
    names: NameIndex | None = None
    for concept in concepts:
        state = store.find_concept(concept)
        if state is not None:
            targets.append(target_of_state(state))
            continue
        names = names or NameIndex.build(kb)
        try:
            target = target_of_curated(kb, kb.disease_ids[names.disease(concept)])
        except UnknownNameError as error:
            fail(
                f"--concept {concept!r}: {error}; add it first with: dxatlas concept add {concept!r}"
            )
        if target is not None:
            targets.append(target)
    return kb, store, targets


def _open_pipeline(resources: ExitStack, concepts: list[str]) -> EvidencePipeline:
    """The evidence pipeline over the configured store, for the concepts named (or found)."""
    from dxatlas.evidence.pipeline import EvidencePipeline
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings

    kb, store, targets = _open_targets(resources, concepts)
    annotator = Annotator.from_kb(kb, get_settings().cache_dir)
    return EvidencePipeline(kb, annotator, store, targets)


def _open_cluster(
    resources: ExitStack, concepts: list[str], workers: int | None, scheduler: str | None
) -> _Distributed:
    """The store, then the cluster (a local one of `workers` processes, or `scheduler`'s), and
    the feeder that ships documents to it; all closed when the run ends."""
    from dxatlas.evidence.pipeline import EvidenceWriter, FocusResolver, stored_targets
    from dxatlas.ingest.cluster.connect import cluster_client, probe_scheduler
    from dxatlas.ingest.cluster.feeder import ClusterFeeder
    from dxatlas.recognize.lexicon import lexicon_version
    from dxatlas.settings import get_settings

    settings = get_settings()
    if scheduler:
        try:  # before the slower set-up: a wrong address is told at once
            probe_scheduler(scheduler, settings.dask_connect_timeout_seconds)
        except ClusterError as error:
            fail(str(error))
    kb, store, targets = _open_targets(resources, concepts)
    known = stored_targets(store)
    try:
        client = resources.enter_context(
            cluster_client(workers, scheduler, timeout=settings.dask_connect_timeout_seconds)
        )
        feeder = ClusterFeeder(
            client,
            EvidenceWriter(store),
            None if targets else FocusResolver(kb, store, known),
            lexicon_version=lexicon_version(kb),
            known=tuple(known.values()),
            targets=tuple(targets),
            batch_size=settings.ingest_batch_size,
        )
    except ClusterError as error:
        fail(str(error))
    resources.callback(feeder.cancel)
    where = scheduler or f"{workers} local worker(s)"
    return _Distributed(feeder, f"documents stored (analysed on {where})")


def _chain(
    *streams: Iterator[tuple[str | None, Document | Problem]],
) -> Iterator[tuple[str | None, Document | Problem]]:
    for stream in streams:
        yield from stream


def _where(outcome: Document | Problem) -> str | None:
    """The file (or source) an outcome comes from, to advance the progress bar per file."""
    if isinstance(outcome, Document):
        return outcome.path
    return outcome.source.rsplit(":", 1)[0] if outcome.source[-1:].isdigit() else outcome.source


def _named(document: Document) -> str:
    """A document as an error names it: its file or URL, and its own id when it has one."""
    where = _where(document) or document.origin.url
    if where is None:
        return document.id
    return where if document.id.startswith("sha256:") else f"{where} ({document.id})"


def _short(where: str | None, width: int = 40) -> str:
    text = where or ""
    return text if len(text) <= width else "..." + text[-(width - 3) :]


@app.command("sentences")
def sentences(
    inputs: list[str] = typer.Argument(..., help="Files, folders or globs to split."),
    show: bool = typer.Option(False, "--show", help="Print every sentence, to eyeball the splits."),
    repeat: int = typer.Option(20, "--repeat", min=1, help="Split each text N times for timing."),
) -> None:
    """Split documents into sentences: the count per document, sentences/s, and the sentences."""
    from dxatlas.ingest.pipeline import load_files
    from dxatlas.ingest.registry import default_registry
    from dxatlas.ingest.sources import resolve_inputs
    from dxatlas.settings import get_settings

    try:
        files = resolve_inputs(inputs)
    except SourceError as error:
        fail(str(error))
    documents: list[Document] = []
    for outcome in load_files(files, default_registry(), get_settings().max_document_bytes):
        if isinstance(outcome, Problem):
            _show_problem(outcome)
        else:
            documents.append(outcome)
    if not documents:
        fail("no document could be read", 1)
    total, elapsed = 0, 0.0
    for document in documents:
        started = time.perf_counter()
        for _ in range(repeat):
            split = split_sentences(document.text)
        elapsed += time.perf_counter() - started
        total += len(split)
        console.print(
            f"[bold]{document.path or document.id}[/]: {len(split)} sentences",
            highlight=False,
            soft_wrap=True,
        )
        if show:
            for number, sentence in enumerate(split, start=1):
                console.print(
                    f"  {number:>3} [{sentence.start}:{sentence.end}] {sentence.text}",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
    speed = total * repeat / elapsed if elapsed else float("inf")
    console.print(
        f"{len(documents)} documents, {total:,} sentences; {speed:,.0f} sentences/s",
        highlight=False,
    )
