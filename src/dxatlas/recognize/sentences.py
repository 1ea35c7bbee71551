"""Sentence boundaries for recognition: the ingest splitter when present, else a simple fallback."""

from __future__ import annotations

import re

from dxatlas.recognize.mention import SentenceSpan

_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[•\-])|\n\s*\n|\n(?=\s*[•\-*]\s)")


def simple_split(text: str) -> list[SentenceSpan]:
    """Split at end punctuation followed by a capital, at blank lines and before bullets."""
    spans = []
    start = 0
    for boundary in [*_BOUNDARY.finditer(text), None]:
        end = boundary.start() if boundary is not None else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + piece.index(stripped)
            spans.append(SentenceSpan(stripped, offset, offset + len(stripped)))
        if boundary is not None:
            start = boundary.end()
    return spans


def split_sentences(text: str) -> list[SentenceSpan]:
    """The sentences of `text` as original-text slices with offsets.

    Uses `dxatlas.ingest.sentences.split_sentences` (which knows abbreviations, bullets and PDF line
    breaks) when that module is installed, and `simple_split` otherwise.
    """
    try:
        from dxatlas.ingest.sentences import split_sentences as ingest_split
    except ImportError:
        return simple_split(text)
    return [
        SentenceSpan(text[s.start : s.end], s.start, s.end)
        for s in ingest_split(text)
        if s.end > s.start
    ]
