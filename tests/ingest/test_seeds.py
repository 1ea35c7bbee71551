"""The four seed documents in the shared folder: they load and split into sensible sentences.

Only counts and properties are asserted; no text of the shared folder is copied here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.ingest.pipeline import load_files
from dxatlas.ingest.registry import default_registry
from dxatlas.ingest.report import Problem
from dxatlas.ingest.sentences import split_sentences
from tests.conftest import shared_folder

pytestmark = pytest.mark.shared
BULLETS = "\u2022-*"


def seeds_folder() -> Path:
    return shared_folder("seeds")


def test_seeds_load_and_split() -> None:
    files = sorted(seeds_folder().glob("*.txt"))
    assert len(files) == 4
    outcomes = list(load_files(files, default_registry(), 10_000_000))
    assert not [o for o in outcomes if isinstance(o, Problem)]
    for document in outcomes:
        sentences = split_sentences(document.text)
        assert len(sentences) >= 10
        for sentence in sentences:
            assert sentence.text
            assert "\n" not in sentence.text
            assert document.text[
                sentence.start : sentence.end
            ].split() == sentence.text.split() or (
                "-" in document.text[sentence.start : sentence.end]  # a hyphenated break joined
            )
            # No sentence starts in the middle of a word; lower case only for a bullet item.
            assert not document.text[sentence.start - 1 : sentence.start].isalnum()
            before = document.text[: sentence.start].rstrip()[-1:]
            if sentence.text[0].islower():
                assert before in BULLETS, sentence.text[:40]


def test_pdf_extracted_seed_has_no_sentence_cut_by_a_line_break() -> None:
    (case,) = sorted(seeds_folder().glob("002_*.txt"))
    (document,) = load_files([case], default_registry(), 10_000_000)
    sentences = split_sentences(document.text)
    long_ones = [s for s in sentences if len(s.text) > 60]
    # Every long sentence of the case report ends with end punctuation or a citation bracket.
    assert all(s.text.endswith((".", "?", "!", "]", ")")) for s in long_ones)
    assert len(sentences) >= 40
