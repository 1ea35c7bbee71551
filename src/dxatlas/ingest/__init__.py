"""Document ingestion: load text, HTML, PDF, MEDLINE and JSONL documents (and, on request,
PubMed and web pages) into typed `Document`s, and split their text into sentences."""

from dxatlas.ingest.document import Document, Origin, Section
from dxatlas.ingest.sentences import Sentence, split_sentences

__all__ = ["Document", "Origin", "Section", "Sentence", "split_sentences"]
