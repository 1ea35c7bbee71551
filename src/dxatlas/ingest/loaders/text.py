"""Plain-text files: the fallback loader for anything that is text and no other loader claims."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from dxatlas.ingest.decoding import decode_text, looks_binary
from dxatlas.ingest.document import Document, make_document
from dxatlas.ingest.errors import SkipFile

_MAX_TITLE = 120


def first_line_title(text: str) -> str | None:
    """The first line as a title when it reads like one: short and not ending a sentence."""
    line = text.strip().split("\n", 1)[0].strip()
    if line and len(line) <= _MAX_TITLE and line[-1] not in ".,;:" and "\n" in text.strip():
        return line
    return None


class TextLoader:
    """Any non-binary file, decoded as UTF-8 (or Windows-1252/Latin-1 when it is not UTF-8)."""

    name = "text"

    def can_load(self, path: Path, head: bytes) -> bool:
        return not looks_binary(head)

    def load(self, path: Path) -> Iterator[Document]:
        text, encoding = decode_text(path.read_bytes())
        if not text.strip():
            raise SkipFile("empty file (only white space)")
        yield make_document(
            text,
            title=first_line_title(text),
            path=str(path),
            metadata={"format": self.name, "encoding": encoding},
        )
