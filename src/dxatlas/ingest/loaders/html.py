"""HTML pages: main text, title, canonical URL and date via trafilatura (menus, footers dropped)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura

from dxatlas.ingest.decoding import decode_text
from dxatlas.ingest.document import Document, make_document
from dxatlas.ingest.errors import LoadError

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")


def document_from_html(html: str, *, url: str | None = None, path: str | None = None) -> Document:
    """The main content of an HTML page as a document; `LoadError` if the page has no main text."""
    try:
        extracted = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception as error:  # trafilatura's helpers (htmldate, lxml) assert on odd trees
        detail = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
        raise LoadError(f"unreadable HTML page ({type(error).__name__}: {detail})") from None
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise LoadError("no main text found in the HTML page")
    canonical = getattr(extracted, "url", None) or url
    metadata = {
        "format": "html",
        "sitename": getattr(extracted, "sitename", None),
        "author": getattr(extracted, "author", None),
        "description": getattr(extracted, "description", None),
    }
    if url and canonical != url:
        metadata["fetched_url"] = url
    return make_document(
        text,
        title=getattr(extracted, "title", None),
        url=canonical,
        path=path,
        date=getattr(extracted, "date", None),
        metadata={key: value for key, value in metadata.items() if value},
    )


class HtmlLoader:
    """Files named *.html/*.htm, or whose first bytes are an HTML document."""

    name = "html"

    def can_load(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in _HTML_SUFFIXES:
            return True
        start = head.lstrip()[:512].lower()
        return start.startswith(b"<") and any(marker in start for marker in _HTML_MARKERS)

    def load(self, path: Path) -> Iterator[Document]:
        html, _ = decode_text(path.read_bytes())
        yield document_from_html(html, path=str(path))
