"""PDF files via pypdf, with the text's broken lines and end-of-line hyphens joined back."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader

from dxatlas.ingest.document import Document, make_document
from dxatlas.ingest.errors import LoadError

_HYPHENATED = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")
_WRAPPED = re.compile(r"(?<=[^\s.!?:])[ \t]*\n[ \t]*(?=[a-z(\[,;])")
_SPACES = re.compile(r"[ \t]{2,}")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns about every odd object


def join_broken_lines(text: str) -> str:
    """Undo a PDF's line wrapping: `trans-\\nfer` → `transfer`; a line going on in lower case joins.

    Lines that end a sentence or start with a capital are kept: headings and list items stay apart.
    """
    text = _HYPHENATED.sub("", text)
    text = _WRAPPED.sub(" ", text)
    return _SPACES.sub(" ", text)


def _pdf_date(value: object) -> str | None:
    return value.date().isoformat() if isinstance(value, datetime) else None


def document_from_pdf(
    source: BinaryIO, *, url: str | None = None, path: str | None = None
) -> Document:
    """The text of a PDF as one document; `LoadError` for a corrupt, locked or image-only PDF."""
    try:
        reader = PdfReader(source, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except LoadError:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on damaged files
        raise LoadError(f"corrupt or unreadable PDF ({type(error).__name__}: {error})") from None
    text = join_broken_lines("\n\n".join(page.strip() for page in pages))
    if not text.strip():
        raise LoadError("the PDF has no extractable text (scanned images?)")
    title = info.title if info is not None else None
    created = None
    if info is not None:
        try:
            created = _pdf_date(info.creation_date)
        except Exception:  # a malformed date string in the info dictionary
            created = None
    return make_document(
        text,
        title=str(title) if title else None,
        url=url,
        path=path,
        date=created,
        metadata={"format": "pdf", "pages": len(pages)},
    )


class PdfLoader:
    """Files named *.pdf or starting with the `%PDF-` signature (a damaged one is reported)."""

    name = "pdf"

    def can_load(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() == ".pdf" or b"%PDF-" in head[:1024]

    def load(self, path: Path) -> Iterator[Document]:
        yield document_from_pdf(io.BytesIO(path.read_bytes()), path=str(path))
