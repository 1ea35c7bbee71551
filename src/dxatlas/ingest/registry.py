"""The loader registry: each loader says which files it can read (`can_load(path, head)`) and
yields `Document`s from them; the first loader that accepts a file reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from dxatlas.ingest.document import Document

HEAD_BYTES = 4096
"""How many leading bytes of a file are shown to `can_load`."""


@runtime_checkable
class Loader(Protocol):
    """A file format: recognises its files and reads them into documents."""

    name: str

    def can_load(self, path: Path, head: bytes) -> bool:
        """Whether this loader reads `path`, judging from its name and first `HEAD_BYTES` bytes."""
        ...

    def load(self, path: Path) -> Iterator[Document]:
        """The documents of `path`; `LoadError` (or `RecordErrors` at the end) on bad data."""
        ...


class LoaderRegistry:
    """Loaders in priority order: specific formats first, the plain-text fallback last."""

    def __init__(self, loaders: Iterable[Loader] = ()) -> None:
        self._loaders: list[Loader] = list(loaders)

    def register(self, loader: Loader, *, first: bool = False) -> Loader:
        """Add a loader (at the end, or before all others with `first=True`) and return it."""
        self._loaders.insert(0 if first else len(self._loaders), loader)
        return loader

    def find(self, path: Path, head: bytes) -> Loader | None:
        """The first loader that can read `path`, or None."""
        return next((loader for loader in self._loaders if loader.can_load(path, head)), None)

    def __iter__(self) -> Iterator[Loader]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)


def default_registry() -> LoaderRegistry:
    """The built-in loaders: JSONL, MEDLINE XML, MEDLINE text, PDF, HTML, then plain text."""
    from dxatlas.ingest.loaders.html import HtmlLoader
    from dxatlas.ingest.loaders.jsonl import JsonlLoader
    from dxatlas.ingest.loaders.medline import MedlineTextLoader, MedlineXmlLoader
    from dxatlas.ingest.loaders.pdf import PdfLoader
    from dxatlas.ingest.loaders.text import TextLoader

    return LoaderRegistry(
        [
            JsonlLoader(),
            MedlineXmlLoader(),
            MedlineTextLoader(),
            PdfLoader(),
            HtmlLoader(),
            TextLoader(),
        ]
    )
