"""Findings a case text states with a verb ("the leg became swollen"), on a toy lexicon."""

from __future__ import annotations

import pytest

from dxatlas.kb.index import build_knowledge_base
from dxatlas.rank.case_text import read_case_text
from dxatlas.rank.predicates import stated_findings
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.lexicon import Lexicon
from tests.recognize.conftest import write_toy_data


@pytest.fixture(scope="module")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> Annotator:
    kb = build_knowledge_base(write_toy_data(tmp_path_factory.mktemp("toy")))
    found = Annotator(Lexicon.build(kb))
    found.add_concept("USER:swollen-leg", "Swollen leg", kind="finding")
    found.add_concept("USER:sore-throat", "Sore throat", kind="finding")
    found.add_concept("USER:red-eye", "Red eye", kind="finding")
    return found


def _stated(text: str, annotator: Annotator) -> list[tuple[str, str]]:
    return [(f.id, text[f.start : f.end]) for f in stated_findings(text, annotator)]


def test_each_listed_word_said_of_a_noun_is_tried_with_it(annotator: Annotator) -> None:
    """Regression: "the right leg became painful, tender, and swollen" read nothing."""
    text = "On walking, the right leg became painful, tender, and swollen."
    assert _stated(text, annotator) == [("USER:swollen-leg", "swollen")]
    both = "My throat is sore and my eyes are red."
    assert _stated(both, annotator) == [("USER:sore-throat", "sore"), ("USER:red-eye", "red")]


def test_a_denial_or_a_word_that_names_nothing_gives_none(annotator: Annotator) -> None:
    assert _stated("She denies that her throat is sore.", annotator) == []
    assert _stated("The leg is not swollen.", annotator) == []
    assert _stated("The leg is tender.", annotator) == []


def test_a_case_text_reads_them_once(annotator: Annotator) -> None:
    read = read_case_text("A 40-year-old woman. Her left leg became tender and swollen.", annotator)
    assert [(f.id, f.text, f.status) for f in read.findings] == [
        ("USER:swollen-leg", "swollen", "present")
    ]
    again = read_case_text("She has a swollen leg; the leg became swollen.", annotator)
    assert [f.id for f in again.findings] == ["USER:swollen-leg"]
