"""Fuzzing the document loaders through the registry and the pipeline: every generated file
(text in any encoding, HTML soup, damaged PDFs, MEDLINE XML and text with parts missing, JSON
Lines with wrong types, random bytes under every name) gives documents with text, or one-line
problems naming the file; never a loader crash, never a hang."""

from __future__ import annotations

import pytest
from hypothesis import given

from dxatlas.bench import fuzz_targets as targets
from tests.fuzz.budget import fuzz_settings


@fuzz_settings(3000)
@given(targets.text_files())
def test_text_files(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


@fuzz_settings(5000, examples=80)
@given(targets.html_files())
def test_html_files(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


@fuzz_settings(5000)
@given(targets.pdf_files())
def test_pdf_files(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


@fuzz_settings(5000, examples=100)
@given(targets.medline_xml_files())
def test_medline_xml_files(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


@fuzz_settings(3000)
@given(targets.medline_text_files())
def test_medline_text_files(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


@fuzz_settings(3000, examples=100)
@given(targets.jsonl_files())
def test_jsonl_files(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


@fuzz_settings(5000)
@given(targets.any_files())
def test_random_bytes_under_every_name(example: tuple[bytes, str]) -> None:
    targets.check_file(*example)


def test_the_check_rejects_a_crashing_loader(monkeypatch) -> None:
    """A loader raising anything but an ingest error fails the property (not a tautology)."""
    from dxatlas.ingest import registry

    class Crashing:
        name = "crashing"

        def can_load(self, path, head) -> bool:
            return True

        def load(self, path):
            raise KeyError("PMID")

    monkeypatch.setattr(registry, "default_registry", lambda: registry.LoaderRegistry([Crashing()]))
    with pytest.raises(AssertionError, match="a loader crashed: unexpected KeyError"):
        targets.check_file(b"PMID- 1\n", "input.txt")
