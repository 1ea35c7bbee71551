"""Read files through the loader registry; every failure becomes a `Problem` and the run goes on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from dxatlas.ingest.document import Document
from dxatlas.ingest.errors import IngestError, LoadError, RecordErrors, SkipFile
from dxatlas.ingest.registry import HEAD_BYTES, LoaderRegistry
from dxatlas.ingest.report import Problem

Outcome = Document | Problem


def read_file(path: Path, registry: LoaderRegistry, max_bytes: int) -> Iterator[Document]:
    """The documents of one file; raises `SkipFile` for an empty, too large or unknown file."""
    size = path.stat().st_size
    if size == 0:
        raise SkipFile("empty file")
    if size > max_bytes:
        raise SkipFile(
            f"{size:,} bytes is over the size limit of {max_bytes:,} (DXATLAS_MAX_DOCUMENT_BYTES)"
        )
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    loader = registry.find(path, head)
    if loader is None:
        raise SkipFile("binary or unsupported file format")
    yield from loader.load(path)


def load_files(
    paths: Iterable[Path], registry: LoaderRegistry, max_bytes: int
) -> Iterator[Outcome]:
    """Each file's documents, or a `Problem` naming the file (or record) and the reason."""
    for path in paths:
        yielded = 0
        try:
            for document in read_file(path, registry, max_bytes):
                yielded += 1
                yield document
        except RecordErrors as error:
            for where, reason in error.problems:
                yield Problem(f"{path}:{where}", reason, "failed")
            continue
        except SkipFile as error:
            yield Problem(str(path), str(error), "skipped")
            continue
        except LoadError as error:
            yield Problem(str(path), str(error), "failed")
            continue
        except OSError as error:
            yield Problem(str(path), error.strerror or str(error), "failed")
            continue
        except IngestError as error:
            yield Problem(str(path), str(error), "failed")
            continue
        except Exception as error:  # a loader bug or a library crash must not stop the run
            yield Problem(str(path), f"unexpected {type(error).__name__}: {error}", "failed")
            continue
        if yielded == 0:
            yield Problem(str(path), "no document found in the file", "skipped")
