"""Sentence boundaries for recognition: the ingest splitter's sentences as `SentenceSpan`s."""

from __future__ import annotations

from dxatlas.ingest.sentences import split_sentences as ingest_split
from dxatlas.recognize.mention import SentenceSpan


def split_sentences(text: str) -> list[SentenceSpan]:
    """The sentences of `text` as original-text slices with offsets.

    Uses `dxatlas.ingest.sentences.split_sentences`, which knows abbreviations, bullets and PDF
    line breaks; empty sentences are dropped.
    """
    return [
        SentenceSpan(text[s.start : s.end], s.start, s.end)
        for s in ingest_split(text)
        if s.end > s.start
    ]
