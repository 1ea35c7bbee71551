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
from typing import IO, TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dxatlas.cli.app import app, console, error_console, fail
from dxatlas.ingest.document import Document
from dxatlas.ingest.errors import IngestError, SourceError
from dxatlas.ingest.report import IngestReport, Problem
from dxatlas.ingest.sentences import Sentence, split_sentences
from dxatlas.store.errors import StoreError

if TYPE_CHECKING:
    from dxatlas.evidence.pipeline import EvidencePipeline

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
        pipeline = _open_pipeline(resources, concepts or []) if store else None
        started = time.perf_counter()
        with _progress() as progress:
            total = len(files) + len(urls) + (1 if pubmed else 0)
            task = progress.add_task("ingesting", total=total)
            current: str | None = None
            outcomes = load_files(files, default_registry(), settings.max_document_bytes)
            tagged = ((None, outcome) for outcome in outcomes)
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
                if pipeline is not None:
                    try:
                        sentences = pipeline.process(outcome).sentences
                    except StoreError as error:
                        fail(f"{_where(outcome) or outcome.id}: {error}")
                else:
                    sentences = split_sentences(outcome.text)
                report.add_document(len(sentences))
                if writer is not None:
                    record = document_record(outcome, sentences)
                    writer.write(json.dumps(record, ensure_ascii=False) + "\n")
        if writer is not None and report.ok:
            writer.commit()  # a run that read nothing leaves an existing --out file as it was
    elapsed = time.perf_counter() - started
    written = f"; written to {out}" if writer is not None and writer.committed else ""
    console.print(f"{report.summary()} ({elapsed:.1f} s){written}", highlight=False, soft_wrap=True)
    if pipeline is not None:
        console.print(pipeline.totals.summary(), highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


def _open_pipeline(resources: ExitStack, concepts: list[str]) -> EvidencePipeline:
    """The evidence pipeline over the configured store, for the concepts named (or found).

    The store is opened with `open_store` on `resources`, so it stays open for the whole run and
    is closed when the run ends, however it ends; a `StoreError` meanwhile is a clean exit 2.
    """
    from dxatlas.cli.app import load_kb
    from dxatlas.cli.db import open_store
    from dxatlas.evidence.pipeline import EvidencePipeline
    from dxatlas.evidence.targets import target_of_curated, target_of_state
    from dxatlas.kb.lookup import NameIndex, UnknownNameError
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings
    from dxatlas.store import CuratedNames

    kb = load_kb()
    settings = get_settings()
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
    annotator = Annotator.from_kb(kb, settings.cache_dir)
    return EvidencePipeline(kb, annotator, store, targets)


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
