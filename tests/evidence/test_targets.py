"""Extraction targets of curated diseases (dxatlas.evidence.targets)."""

from __future__ import annotations

from typing import Any, cast

from dxatlas.evidence.relevance import names_concept
from dxatlas.evidence.targets import target_of_curated


class _StandIn:
    """An object to hang a knowledge base's attributes on (hashable, as a KnowledgeBase is)."""


def test_a_curated_target_knows_the_other_sources_names_and_ids() -> None:
    """Regression: MedQuAD's page on neurofibromatosis type 1, read for OMIM:162200
    ("Neurofibromatosis, type 1"), lost "Neurofibromatosis type 1 occurs in 1 in 3,000 to 4,000
    people": the recogniser named it ORPHA:636, another disease to the topic rule, and the name
    with its comma never matched, so the prevalence of the disease was dropped."""
    ids = ["OMIM:162200", "ORPHA:636", "OMIM:101000"]
    names = ["Neurofibromatosis, type 1", "Neurofibromatosis type 1", "Neurofibromatosis, type II"]
    kb = cast(Any, _StandIn())  # what target_of_curated reads of a KnowledgeBase
    kb.disease_ids, kb.disease_names = ids, names
    kb.disease_index = {disease_id: i for i, disease_id in enumerate(ids)}
    target = target_of_curated(kb, "OMIM:162200")
    assert target is not None
    assert target.related == ("ORPHA:636",)
    assert target.names == ("Neurofibromatosis, type 1", "Neurofibromatosis type 1")
    other = target_of_curated(kb, "OMIM:101000")
    assert other is not None and other.related == ()


def test_punctuation_between_the_words_of_a_name_is_optional() -> None:
    sentence = "Neurofibromatosis type 1 occurs in 1 in 3,000 to 4,000 people worldwide."
    assert names_concept(sentence, ["Neurofibromatosis, type 1"])
    assert names_concept("The 5q- syndrome is rare.", ["5q- syndrome"])
    assert not names_concept("Neurofibromatosis type 2 is rarer.", ["Neurofibromatosis, type 1"])
    assert names_concept("Type 1.5 diabetes is slow.", ["Type 1.5 diabetes"])
    assert names_concept("46,XY DSD was found.", ["46,XY DSD"])
