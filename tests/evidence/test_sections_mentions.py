"""The section classifier with recognised mentions (hand-made tuples) and the newer word rules."""

from __future__ import annotations

import pytest

from dxatlas.evidence.sections import (
    SectionClassifier,
    SentenceMention,
    classify_sentence,
    parse_cues,
)

# Three findings whose names are in no word cue, so only the mentions can speak for them.
FINGERS = (
    SentenceMention("finding", "asserted", "HP:0001156", "brachydactyly"),
    SentenceMention("finding", "asserted", "HP:0100490", "camptodactyly"),
    SentenceMention("finding", "uncertain", "HP:0030084", "clinodactyly"),
)


def test_several_findings_make_a_list_of_signs() -> None:
    sentence = "Brachydactyly, camptodactyly and clinodactyly occur in most cases."
    assert classify_sentence(sentence).section is None
    result = classify_sentence(sentence, mentions=FINGERS)
    assert result.section == "presentation"
    assert "mentions: several findings" in result.cues
    assert "mentions: a finding" in result.cues


def test_negated_and_family_findings_are_not_signs() -> None:
    sentence = "Brachydactyly, camptodactyly and clinodactyly occur in most cases."
    denied = [m._replace(assertion="negated") for m in FINGERS]
    assert classify_sentence(sentence, mentions=denied).section is None
    family = [m._replace(assertion="family") for m in FINGERS]
    assert classify_sentence(sentence, mentions=family).section is None


def test_a_test_points_to_workup() -> None:
    # A test whose name no word cue knows ("spirometry" is now a word cue, and so is any word
    # ending in -metry or -scopy), so only the mention speaks.
    sentence = "The Quellung reaction is often the first step."
    assert classify_sentence(sentence).section is None
    mention = ("test", "asserted", "test:quellung", "Quellung reaction")
    result = classify_sentence(sentence, mentions=[mention])
    assert result.section == "workup"
    assert result.cues == ("mentions: a test",)


def test_a_drug_points_to_treatment_and_plain_three_tuples_are_accepted() -> None:
    sentence = "Zorbazil works for most."
    assert classify_sentence(sentence).section is None
    result = classify_sentence(sentence, mentions=[("drug", "asserted", "drug:zorbazil")])
    assert result.section == "treatment"


def test_vaccination_is_prevention_not_treatment() -> None:
    sentence = "It is offered to all infants."
    mention = ("procedure", "asserted", "procedure:vaccination", "vaccination")
    assert classify_sentence(sentence, mentions=[mention]).section == "prevention"


def test_a_mode_of_inheritance_points_to_etiology() -> None:
    # ("families" is now a word cue of inheritance; "kindreds" is not.)
    sentence = "Both forms follow this pattern in most kindreds."
    mention = ("modifier", "asserted", "HP:0000007", "autosomal recessive")
    result = classify_sentence(sentence, mentions=[mention])
    assert result.section == "etiology"
    assert "mentions: a mode of inheritance" in result.cues
    # Other modifiers (onset, severity, "affects") are not evidence for any section.
    other = ("modifier", "asserted", "HP:0032320", "affects")
    assert classify_sentence(sentence, mentions=[other]).section is None


def test_mentions_override_weak_cues() -> None:
    sentence = "At an older age: brachydactyly, camptodactyly and clinodactyly."
    assert classify_sentence(sentence).section == "etiology"  # "older", "age": weak hints
    assert classify_sentence(sentence, mentions=FINGERS).section == "presentation"


@pytest.mark.parametrize(
    ("sentence", "section"),
    [
        ("Brachydactyly, camptodactyly and clinodactyly are treated with splints.", "treatment"),
        ("Brachydactyly, camptodactyly and clinodactyly are caused by a gene change.", "etiology"),
        ("Brachydactyly, camptodactyly and clinodactyly are diagnosed by X-ray.", "workup"),
    ],
)
def test_mentions_do_not_override_strong_contrary_cues(sentence: str, section: str) -> None:
    assert classify_sentence(sentence).section == section
    result = classify_sentence(sentence, mentions=FINGERS)
    assert result.section == section
    assert result.scores["presentation"] > 0  # the findings did vote, and lost


def test_mentions_named_by_the_concept_itself_do_not_count() -> None:
    sentence = "Cleft palate syndrome was first described in Spain."
    mention = ("finding", "asserted", "HP:0000175", "cleft palate")
    result = classify_sentence(sentence, concept="Cleft palate syndrome", mentions=[mention])
    assert result.section is None
    assert classify_sentence(sentence, mentions=[mention]).section == "presentation"


def test_without_mention_cues_mentions_change_nothing() -> None:
    data = {"sections": {"treatment": {"cues": [{"terms": ["treat*"], "weight": 2}]}}}
    classifier = SectionClassifier(parse_cues(data))
    sentence = "Brachydactyly, camptodactyly and clinodactyly occur in most cases."
    assert classifier.classify(sentence, mentions=FINGERS).section is None


def test_mention_cue_with_an_unknown_section_is_refused() -> None:
    data = {
        "sections": {},
        "mention_cues": {
            "cues": [{"name": "x", "section": "diet", "kinds": ["drug"], "weight": 1}]
        },
    }
    with pytest.raises(ValueError, match="unknown section"):
        parse_cues(data)


def test_mention_cue_weight_grows_with_distinct_concepts_up_to_its_cap() -> None:
    data = {
        "sections": {},
        "mention_cues": {
            "cues": [
                {
                    "name": "findings",
                    "section": "presentation",
                    "kinds": ["finding"],
                    "min_count": 2,
                    "weight": 1.0,
                    "per_extra": 0.5,
                    "max_weight": 1.5,
                }
            ]
        },
    }
    classifier = SectionClassifier(parse_cues(data))
    one = [("finding", "asserted", "HP:1")]
    same_twice = [("finding", "asserted", "HP:1"), ("finding", "asserted", "HP:1")]
    many = [("finding", "asserted", f"HP:{n}") for n in range(6)]
    assert classifier.classify("x y z", mentions=one).section is None
    assert classifier.classify("x y z", mentions=same_twice).section is None
    assert classifier.classify("x y z", mentions=many).score == 1.5


NEW_RULES = [
    ("This condition is inherited in an autosomal dominant pattern.", "etiology"),
    ("It is caused by mutations in the GJB2 gene.", "etiology"),
    ("The FBN1 gene provides instructions for making a protein called fibrillin-1.", "etiology"),
    ("A shortage of this enzyme causes the features of the disorder.", "etiology"),
    ("The disorder can cause seizures and problems with balance.", "presentation"),
    (
        "People with this condition may have seizures, hearing loss and short stature.",
        "presentation",
    ),
    ("Imatinib and dasatinib are given by mouth.", "treatment"),
    ("Hearing aids and wheelchairs can help.", "treatment"),
    ("There is no known way to prevent this condition.", "prevention"),
    ("Most people recover completely.", "prognosis"),
    ("The diagnosis is based on a physical exam and the medical history.", "workup"),
    ("The condition affects about 1 in 20,000 people worldwide.", "epidemiology"),
]


@pytest.mark.parametrize(("sentence", "section"), NEW_RULES)
def test_general_patterns(sentence: str, section: str) -> None:
    assert classify_sentence(sentence).section == section


def test_enzyme_and_disease_words_are_not_drug_names() -> None:
    result = classify_sentence("The enzyme lipoprotein lipase breaks down fats in the disease.")
    assert "a drug name (INN stem)" not in result.cues
