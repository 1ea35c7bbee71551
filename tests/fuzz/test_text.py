"""Fuzzing what reads text: the sentence splitter (offsets inside the text, in order), the
recogniser (mentions inside their sentence), the markdown renderer (only its own tags, well
nested, the input's `<` escaped) and the phenopacket reader (a case or one `PhenopacketError`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from dxatlas.bench import fuzz_inputs as inputs
from dxatlas.bench import fuzz_targets as targets
from dxatlas.kb.index import build_knowledge_base
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.lexicon import Lexicon
from tests.fuzz.budget import fuzz_settings
from tests.recognize.conftest import write_toy_data


@pytest.fixture(scope="module")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> Annotator:
    """An annotator over the ~20-term toy knowledge base of the recogniser tests (module-scoped:
    hypothesis calls the test many times with one fixture value)."""
    folder: Path = tmp_path_factory.mktemp("fuzz-hpo")
    return Annotator(Lexicon.build(build_knowledge_base(write_toy_data(folder))))


@fuzz_settings(2000, examples=200)
@given(inputs.texts())
def test_sentences(text: str) -> None:
    targets.check_sentences(text)


@fuzz_settings(3000, examples=200)
@given(text=inputs.texts())
def test_recogniser(annotator: Annotator, text: str) -> None:
    targets.check_annotation(annotator, text)


@fuzz_settings(2000, examples=200)
@given(targets.markdown_inputs())
def test_markdown(example: tuple[str, int]) -> None:
    targets.check_markdown(*example)


@fuzz_settings(2000, examples=200)
@given(inputs.phenopacket_texts())
def test_phenopacket(text: str) -> None:
    targets.check_phenopacket(text)


def test_the_checks_can_fail() -> None:
    """Each check rejects a broken output: the properties are not tautologies."""
    from dxatlas.ingest.sentences import Sentence

    with pytest.raises(AssertionError, match="outside"):
        targets.check_sentences_of("abc", [Sentence("abcd", 0, 4)])
    with pytest.raises(AssertionError, match="not made by the renderer"):
        targets.check_markdown_html("<b>", '<p><a href="x">x</a></p>')
