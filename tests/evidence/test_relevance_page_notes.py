"""Notes on how to read a page's table and where its data come from are never evidence."""

from __future__ import annotations

import pytest

from dxatlas.evidence.relevance import Reason, judge_sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "When it is known, the table below gives how often each feature occurs.",
        "The registry provides the following list of features for this disorder.",
        "A percentage may also be listed as a ratio of two counts.",
        "The first number in the fraction is the count of patients with the finding.",
        "For instance, 3/10 means that three of ten people examined had it.",
        "These frequencies are based on one small series and may differ elsewhere.",
        "Occasionally no information on the frequency of a feature exists.",
        "In such cases the sign or symptom may be rare or common.",
    ],
)
def test_table_notes_are_boilerplate(sentence: str) -> None:
    verdict = judge_sentence(sentence)
    assert verdict.reason == Reason.BOILERPLATE
    assert verdict.cues == ("table notes",)


@pytest.mark.parametrize(
    "sentence",
    [
        "Readers can use an online medical dictionary to look up unfamiliar words.",
        "Most of this information comes from a national registry of rare diseases.",
    ],
)
def test_dictionary_and_source_notes_are_boilerplate(sentence: str) -> None:
    assert judge_sentence(sentence).cues == ("dictionary and data-source notes",)


@pytest.mark.parametrize(
    "sentence",
    [
        # a long list of findings that runs into a note about the list is still evidence
        "The features vary but can include short stature, a small jaw, widely spaced eyes, "
        "hearing loss and heart defects, and a public ontology provides the following list.",
        "Fever was listed as the first complaint in most patients.",
        "The frequency of seizures decreased after treatment.",
    ],
)
def test_sentences_about_the_disease_are_kept(sentence: str) -> None:
    assert judge_sentence(sentence).keep
