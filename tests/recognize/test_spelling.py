"""Misspelt finding words in case texts (dxatlas.recognize.spelling)."""

from __future__ import annotations

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.case_text import read_case_text
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.spelling import SpellingCorrector, apply_corrections

VOCABULARY = {
    "fever",
    "arthralgias",
    "headache",
    "diarrhea",
    "vomiting",
    "seizure",
    "seizures",
    "rhinitis",
    "glyceric",
    "ependymomal",
}
KNOWN = {"glycemic", "ependymoma"}
ENGLISH = {"weekend", "mildly", "headed"}


def corrector() -> SpellingCorrector:
    return SpellingCorrector(VOCABULARY, english=ENGLISH.__contains__, known=KNOWN)


@pytest.mark.parametrize(
    ("word", "read_as"),
    [
        ("hedache", "headache"),  # one letter missing
        ("diarhea", "diarrhea"),
        ("vomitting", "vomiting"),  # one letter too many
        ("athralgias", "arthralgias"),
        ("Hedache", "headache"),  # capitalised
        ("rhinitus", "rhinitis"),
        ("sezure", "seizure"),  # one edit from "seizure", two from "seizures": the nearer wins
        ("feaver", "fever"),  # a five-letter finding word
    ],
)
def test_a_misspelt_finding_word_is_read_as_the_finding_word(word: str, read_as: str) -> None:
    assert corrector().read_as(word) == read_as


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("headache", "a finding word already"),
        ("weekend", "an English word"),
        ("headed", "an English word near a finding word"),
        ("sezuer", "two edits"),
        ("glycemic", "a known word, one edit from 'glyceric'"),
        ("ependymomas", "the plural of a known word, one edit from 'ependymomal'"),
        ("xeadache", "the first letter differs"),
        ("vomit", "shorter than six letters"),
        ("diarhoeaxx", "three edits away"),
    ],
)
def test_words_that_are_not_corrected(word: str, why: str) -> None:
    assert corrector().read_as(word) is None, why


def test_two_finding_words_as_near_give_no_guess() -> None:
    spelling = SpellingCorrector({"stiffness", "stillness"}, english=lambda _: False)
    assert spelling.read_as("stilfness") is None


def test_corrections_keep_their_place_in_the_text() -> None:
    text = "Fever, hedache and diarhea over the weekend."
    fixes = corrector().corrections(text)
    assert [(f.written, f.read_as) for f in fixes] == [
        ("hedache", "headache"),
        ("diarhea", "diarrhea"),
    ]
    fixed, original = apply_corrections(text, fixes)
    assert fixed == "Fever, headache and diarrhea over the weekend."
    start = fixed.index("diarrhea")
    assert text[original(start) : original(start + len("diarrhea"))] == "diarhea"
    assert original(fixed.index("weekend")) == text.index("weekend")


@pytest.mark.integration
def test_a_case_text_with_misspelt_findings(
    real_kb: KnowledgeBase, real_annotator: Annotator
) -> None:
    """Regression: "athralgias" in a vignette named nothing, so the joint pain was lost."""
    text = "An 8-year-old boy with fever, athralgias and a hedache over the weekend."
    spelling = SpellingCorrector.from_ontology(real_kb.ontology)
    read = read_case_text(text, real_annotator, spelling)
    words = {f.id: f.text for f in read.findings}
    assert words["HP:0002829"] == "athralgias"  # arthralgia, shown as written
    assert words["HP:0002315"] == "hedache"  # headache
    assert [(c.written, c.read_as) for c in read.corrections] == [
        ("athralgias", "arthralgias"),
        ("hedache", "headache"),
    ]
    plain = read_case_text(text, real_annotator)
    assert "HP:0002829" not in plain.present and not plain.corrections


def test_names_and_abbreviations_are_not_corrected() -> None:
    """Regression: "Centor criteria" in a vignette was read as "center"."""
    spelling = SpellingCorrector({"center", "headache"}, english=lambda _: False)
    assert spelling.corrections("She meets three Centor criteria. HEDACHE noted.") == []
    assert spelling.corrections("Amplitudes of 40 headacheV.") == []  # a capital inside
    assert [c.read_as for c in spelling.corrections("Hedache, and three Centor criteria.")] == [
        "headache"
    ]
