"""Risk factors: read in case texts and pages (with their denials), and what they do to a
ranking (toy knowledge base)."""

from __future__ import annotations

import math

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.risk_factors import RiskVocabulary, load_risk_vocabulary
from dxatlas.rank.case import Case, CaseError
from dxatlas.rank.literature import (
    FindingSupport,
    LiteratureConcept,
    LiteratureModel,
    risk_factor_lrs,
)
from dxatlas.rank.parameters import ModelParameters
from dxatlas.rank.ranker import Ranker
from dxatlas.rank.risk_mentions import page_risk_factors, read_risk_factors
from tests.rank.test_priors import SEIZURE, wide_kb  # noqa: F401 (a fixture)

SMOKING, DAY_CARE, TRAVEL = "RISK:smoking", "RISK:day-care", "RISK:travel"


def read(text: str) -> dict[str, str]:
    return {factor.id: factor.status for factor in read_risk_factors(text)}


def test_the_vocabulary_has_ids_labels_and_words() -> None:
    vocabulary = load_risk_vocabulary()
    assert SMOKING in vocabulary.labels and vocabulary.labels[SMOKING] == "Smoking"
    assert all(factor.id.startswith("RISK:") and factor.label for factor in vocabulary.factors)
    assert all(0 < vocabulary.shares[factor.id] < 1 for factor in vocabulary.factors)
    with pytest.raises(ValueError, match="names no words"):
        RiskVocabulary.from_data({"factors": [{"id": "x", "label": "X", "share": 0.1}]})
    with pytest.raises(ValueError, match="'x': share must be a number in"):
        RiskVocabulary.from_data({"factors": [{"id": "x", "label": "X", "patterns": ["x"]}]})


def test_a_rarer_exposure_says_more_and_none_lowers_the_odds() -> None:
    params = ModelParameters(risk_factor_frequency=0.3)
    lrs = risk_factor_lrs({SMOKING: 0.15, TRAVEL: 0.02, "RISK:common": 0.6}, params)
    assert lrs == {SMOKING: pytest.approx(2.0), TRAVEL: pytest.approx(15.0), "RISK:common": 1.0}
    shipped = risk_factor_lrs(load_risk_vocabulary().shares, ModelParameters())
    assert shipped[TRAVEL] > shipped[SMOKING] > 1


def test_a_case_text_asserts_and_denies_risk_factors() -> None:
    assert read("A 56-year-old woman with a history of smoking presents with cough.") == {
        SMOKING: "present"
    }
    assert read("He smokes 10 cigarettes per day.") == {SMOKING: "present"}
    assert read("The social history includes no tobacco use.") == {SMOKING: "excluded"}
    assert read("She denies any sick contacts.") == {"RISK:sick-contacts": "excluded"}
    assert read("She attends day care.") == {DAY_CARE: "present"}
    assert read("He reports prior exposure to a person who had a runny nose.") == {
        "RISK:sick-contacts": "present"
    }
    assert read("A week ago he underwent a total left hip replacement, then bed rest.") == {
        "RISK:recent-surgery": "present",
        "RISK:immobility": "present",
    }
    assert read("He had been traveling in Central America and was bitten by mosquitoes.") == {
        "RISK:travel": "present",
        "RISK:mosquito-bites": "present",
    }


def test_another_persons_habit_is_an_exposure_not_the_patients_own() -> None:
    # The toddler's parents smoke: secondhand smoke, not the toddler's smoking.
    assert read("She attends day care and both parents smoke.") == {
        DAY_CARE: "present",
        "RISK:secondhand-smoke": "present",
    }


def test_words_inside_other_words_name_nothing() -> None:
    assert read("A non-smoker with a nonalcoholic fatty liver.") == {}
    assert read("Clots can travel to the lungs.") == {}  # a clot travels; no one travelled


def test_a_page_names_risk_factors_it_does_not_deny() -> None:
    assert page_risk_factors("Smoking raises your risk for pneumonia.") == {SMOKING}
    assert page_risk_factors("Smoking may increase the risk.") == {SMOKING}  # a page's hedge
    assert page_risk_factors("It is spread from person to person; it is very contagious.") == {
        "RISK:sick-contacts"
    }
    assert page_risk_factors("Pink eye can easily spread from one person to another.") == {
        "RISK:sick-contacts"
    }
    assert page_risk_factors("Sickle cell disease is not contagious.") == set()
    assert page_risk_factors("It is not spread from one person to another.") == set()
    assert page_risk_factors("Canker sores aren't contagious.") == set()
    assert page_risk_factors("It cannot be spread from one person to another.") == set()
    assert page_risk_factors("NASH occurs in people who drink little or no alcohol.") == set()
    # Treatment after an operation is no risk of a recent one.
    assert page_risk_factors("Treatment given after surgery is called adjuvant therapy.") == set()
    assert page_risk_factors("It may happen after major surgery or a long flight.") == {
        "RISK:recent-surgery",
        "RISK:immobility",
    }


def test_a_case_names_known_risk_factors_only(wide_kb: KnowledgeBase) -> None:  # noqa: F811
    case = Case.build(wide_kb, [SEIZURE], risk_factors=["risk:Smoking", SMOKING])
    assert case.risk_factors == (SMOKING,)
    with pytest.raises(CaseError, match="'RISK:gardening' is not a risk factor"):
        Case.build(wide_kb, [SEIZURE], risk_factors=["RISK:gardening"])


def _fits(concept_id: str, risks: frozenset[str] = frozenset()) -> LiteratureConcept:
    return LiteratureConcept(
        concept_id,
        concept_id.partition(":")[2],
        (),
        {SEIZURE: FindingSupport(3, (0.6,))},
        prevalence=1e-2,
        risk_factors=risks,
    )


def test_a_risk_factor_the_patient_has_raises_the_diseases_that_name_it(
    wide_kb: KnowledgeBase,  # noqa: F811
) -> None:
    literature = LiteratureModel.build(
        wide_kb, [_fits("DXATLAS:plain-fits"), _fits("DXATLAS:smokers-fits", frozenset({SMOKING}))]
    )
    ranker = Ranker(wide_kb, literature=literature)
    without = ranker.rank(Case.build(wide_kb, [SEIZURE]), top=2).candidates
    assert without[0].probability == pytest.approx(without[1].probability)
    smoker = ranker.rank(Case.build(wide_kb, [SEIZURE], risk_factors=[SMOKING]), top=2)
    first, second = smoker.candidates
    assert first.id == "DXATLAS:smokers-fits" and second.id == "DXATLAS:plain-fits"
    lr = ranker.params.risk_factor_frequency / load_risk_vocabulary().shares[SMOKING]
    assert first.probability / second.probability == pytest.approx(lr)
    assert first.risk_factors == ((SMOKING, "Smoking", lr),) and second.risk_factors == ()
    # A risk factor no concept names changes nothing.
    other = ranker.rank(Case.build(wide_kb, [SEIZURE], risk_factors=[DAY_CARE]), top=2)
    assert other.candidates[0].probability == pytest.approx(other.candidates[1].probability)


def test_a_merged_concepts_risk_factor_counts_for_its_curated_disease(
    wide_kb: KnowledgeBase,  # noqa: F811
) -> None:
    disease = wide_kb.disease_index["OMIM:100001"]
    merged = LiteratureConcept(
        "OMIM:100001", "Seizure disorder A", (), {SEIZURE: FindingSupport(2)},
        curated=disease, prevalence=1e-3, risk_factors=frozenset({SMOKING}),
    )  # fmt: skip
    ranker = Ranker(wide_kb, literature=LiteratureModel.build(wide_kb, [merged, merged]))
    n = wide_kb.n_diseases  # (merged literature columns score -inf: they rank as the disease)
    plain = ranker.scores(Case.build(wide_kb, [SEIZURE]))[:n]
    smoker = ranker.scores(Case.build(wide_kb, [SEIZURE], risk_factors=[SMOKING]))[:n]
    lift = smoker - plain
    # Once for the disease, however many of its concepts name the factor; nothing elsewhere.
    lr = ranker.params.risk_factor_frequency / load_risk_vocabulary().shares[SMOKING]
    assert lift[disease] == pytest.approx(math.log10(lr))
    assert lift[wide_kb.disease_index["OMIM:100002"]] == 0
