"""PubMed/MEDLINE exports: the XML of efetch or a PubMed download, and the MEDLINE text format."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from dxatlas.ingest.decoding import decode_text
from dxatlas.ingest.document import Document
from dxatlas.ingest.errors import LoadError
from dxatlas.ingest.pubmed_records import medline_text_documents, xml_documents

_XML_ROOTS = (b"<PubmedArticleSet", b"<MedlineCitationSet", b"<!DOCTYPE PubmedArticleSet")
_MEDLINE_TEXT = re.compile(rb"(?:^|\n)PMID- ?\d+")


class MedlineXmlLoader:
    """XML whose root is `PubmedArticleSet` or `MedlineCitationSet`, parsed with Bio.Entrez."""

    name = "medline-xml"

    def can_load(self, path: Path, head: bytes) -> bool:
        return any(root in head for root in _XML_ROOTS)

    def load(self, path: Path) -> Iterator[Document]:
        yield from xml_documents(path.read_bytes(), path=str(path))


class MedlineTextLoader:
    """MEDLINE text exports (`TAG - value` lines, each record from `PMID-`), via Bio.Medline."""

    name = "medline-text"

    def can_load(self, path: Path, head: bytes) -> bool:
        return _MEDLINE_TEXT.match(head.lstrip(b"\xef\xbb\xbf\r\n ")) is not None

    def load(self, path: Path) -> Iterator[Document]:
        text, _ = decode_text(path.read_bytes())
        found = False
        for document in medline_text_documents(io.StringIO(text), path=str(path)):
            found = True
            yield document
        if not found:
            raise LoadError("no MEDLINE record with a PMID, title or abstract")
