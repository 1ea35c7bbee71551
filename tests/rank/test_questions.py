"""Follow-up questions by expected information gain, on the toy knowledge base and the real one."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.obo import Synonym
from dxatlas.kb.ontology import PHENOTYPIC_ABNORMALITY
from dxatlas.rank import Case, CaseError, Ranker
from dxatlas.rank.questions import (
    Answer,
    Question,
    apply_answer,
    next_questions,
    planner_for,
    question_text,
    read_answer,
)

A, B, C = "OMIM:100001", "OMIM:100002", "OMIM:100003"
ANEMIA, NEUTROPENIA, SEIZURE, TONIC_CLONIC = "HP:0001903", "HP:0001875", "HP:0001250", "HP:0002069"
INTELLECTUAL_DISABILITY, VISUAL_IMPAIRMENT = "HP:0001249", "HP:0000505"


@pytest.fixture
def ranker(toy_kb: KnowledgeBase) -> Ranker:
    return Ranker(toy_kb)


def p_shows(ranker: Ranker, disease: str, term_id: str) -> float:
    """p_d(t) of the model (annotations at or below the term, both sexes)."""
    kb = ranker.kb
    mats = ranker.model.all_sexes
    columns, values = mats.row(mats.propagated, kb.ontology.index[term_id])
    found = dict(zip(columns.tolist(), values.tolist(), strict=True))
    return found.get(kb.disease_index[disease], 0.0)


def probabilities(ranker: Ranker, case: Case) -> dict[str, float]:
    return {c.id: c.probability for c in ranker.rank(case, top=3).candidates}


@pytest.mark.parametrize("sex", [None, "male", "female"])
def test_the_best_question_separates_the_two_leading_diseases(
    ranker: Ranker, sex: str | None
) -> None:
    case = Case.build(ranker.kb, [ANEMIA], sex=sex)
    leading = [c.id for c in ranker.rank(case, top=2).candidates]
    assert leading == [B, C]
    best = next_questions(ranker, case)[0]
    assert best.expected_gain > 0 and 0 < best.p_yes < 1
    # B shows the asked finding and C does not (or the other way round).
    assert abs(p_shows(ranker, B, best.term_id) - p_shows(ranker, C, best.term_id)) > 0.4
    if sex == "male":
        # Poor vision is annotated to B in women only, so for a man neutropenia is the question.
        assert best.term_id == NEUTROPENIA


def test_questions_are_ranked_by_gain_and_say_what_they_ask(ranker: Ranker) -> None:
    questions = next_questions(ranker, Case.build(ranker.kb, [ANEMIA], sex="male"), top=10)
    gains = [q.expected_gain for q in questions]
    assert gains == sorted(gains, reverse=True)
    assert all(isinstance(q, Question) and q.label and q.question_text for q in questions)
    assert len(next_questions(ranker, Case.build(ranker.kb, [ANEMIA]), top=1)) == 1


def test_findings_in_the_case_and_their_relatives_are_never_asked(ranker: Ranker) -> None:
    onto = ranker.kb.ontology
    case = Case.build(ranker.kb, [SEIZURE, ANEMIA], [NEUTROPENIA])
    asked = {q.term_id for q in next_questions(ranker, case, top=50)}
    assert asked  # intellectual disability and poor vision are still open
    assert not asked & {SEIZURE, ANEMIA, NEUTROPENIA}
    assert TONIC_CLONIC not in asked  # a refinement of a present finding
    phenotypes = onto.under(PHENOTYPIC_ABNORMALITY)
    assert all(phenotypes[onto.index[term]] for term in asked)
    skipped = next_questions(ranker, case, top=50, skip=[INTELLECTUAL_DISABILITY])
    assert {q.term_id for q in skipped} == asked - {INTELLECTUAL_DISABILITY}


def test_answering_yes_raises_the_disease_that_has_the_finding(ranker: Ranker) -> None:
    case = Case.build(ranker.kb, [ANEMIA], sex="male")
    best = next_questions(ranker, case)[0]
    holder = max((B, C), key=lambda d: p_shows(ranker, d, best.term_id))
    after = apply_answer(case, best, "yes")
    assert after.present == (ANEMIA, best.term_id) and after.excluded == ()
    assert probabilities(ranker, after)[holder] > probabilities(ranker, case)[holder]
    assert best.term_id not in {q.term_id for q in next_questions(ranker, after, top=50)}


def test_answering_no_excludes_the_finding(ranker: Ranker) -> None:
    case = Case.build(ranker.kb, [ANEMIA], [INTELLECTUAL_DISABILITY])
    after = apply_answer(case, NEUTROPENIA, Answer.NO)
    assert after.present == (ANEMIA,)
    assert after.excluded == (INTELLECTUAL_DISABILITY, NEUTROPENIA)
    # Changing one's mind moves the finding from one list to the other.
    again = apply_answer(after, NEUTROPENIA, "y")
    assert again.present == (ANEMIA, NEUTROPENIA) and again.excluded == (INTELLECTUAL_DISABILITY,)


def test_dont_know_changes_nothing(ranker: Ranker) -> None:
    case = Case.build(ranker.kb, [ANEMIA], age=30, sex="female")
    best = next_questions(ranker, case)[0]
    for reply in ("don't know", "Don\u2019t know", "unknown", "?", Answer.UNKNOWN):
        after = apply_answer(case, best, reply)
        assert after == case
        assert probabilities(ranker, after) == probabilities(ranker, case)
        assert next_questions(ranker, after) == next_questions(ranker, case)


def test_a_reply_must_be_yes_no_or_dont_know() -> None:
    assert read_answer(" YES ") is Answer.YES and read_answer("n") is Answer.NO
    with pytest.raises(CaseError, match="not one of yes, no"):
        read_answer("maybe")


def test_questions_use_the_layperson_synonym(ranker: Ranker) -> None:
    by_term = {
        q.term_id: q.question_text
        for q in next_questions(ranker, Case.build(ranker.kb, [ANEMIA]), top=10)
    }
    assert by_term[NEUTROPENIA] == "Do you have a low neutrophil count?"
    assert by_term[VISUAL_IMPAIRMENT] == "Do you have poor vision?"
    assert by_term[SEIZURE] == "Do you have fits?"
    # No layperson synonym (only a RELATED one): the label, lower-cased.
    assert by_term[INTELLECTUAL_DISABILITY] == "Do you have intellectual disability?"


@pytest.mark.parametrize(
    ("label", "synonyms", "expected"),
    [
        ("Strabismus", [Synonym("Cross-eyed", "EXACT", "layperson")], "Are you cross-eyed?"),
        ("Epistaxis", [Synonym("Nose bleed", "EXACT", "layperson")], "Do you have a nose bleed?"),
        (
            "Pharyngalgia",
            [Synonym("Sore throat", "EXACT", "layperson")],
            "Do you have a sore throat?",
        ),
        (
            "Obesity",
            [
                Synonym("Having too much body fat", "EXACT", "layperson"),
                Synonym("Obesity", "EXACT", "layperson"),
            ],
            "Do you have obesity?",
        ),
        (
            "Hypohidrosis",
            [Synonym("Sweating, decreased", "EXACT", "layperson")],
            "Do you have decreased sweating?",
        ),
        (
            "B lymphocytopenia",
            [Synonym("Low B cell count", "EXACT", "layperson")],
            "Do you have a low B cell count?",
        ),
        ("Tall stature", [Synonym("Giant", "BROAD", "layperson")], "Do you have tall stature?"),
        ("Abnormality of the eye", [], "Do you have an abnormality of the eye?"),
        ("IgA deficiency", [], "Do you have IgA deficiency?"),
    ],
)
def test_question_wording(label: str, synonyms: list[Synonym], expected: str) -> None:
    onto = SimpleNamespace(labels=[label], synonyms=[tuple(synonyms)])
    assert question_text(onto, 0) == expected  # type: ignore[arg-type]


def test_the_planned_ratios_are_the_rankers(toy_kb: KnowledgeBase) -> None:
    """The vectorised likelihood ratios over the top columns equal what the ranker computes once
    the answer is in the case: sex-specific and literature columns included."""
    from dxatlas.rank.literature import LiteratureConcept, LiteratureModel
    from dxatlas.rank.questions import _top_columns

    literature = LiteratureModel.build(
        toy_kb,
        [LiteratureConcept("DXATLAS:lc", "Literature disease", (), {VISUAL_IMPAIRMENT: 3})],
    )
    ranker = Ranker(toy_kb, literature=literature)
    planner = planner_for(ranker)
    for sex in (None, "male", "female"):
        case = Case.build(toy_kb, [ANEMIA], sex=sex)
        columns = _top_columns(ranker.scores(case), 4)
        blocks = planner._blocks(case, columns)
        candidates = planner._candidates(case, blocks["direct"], ())
        floors = ranker.literature_floors(*ranker.finding_lrs(case))
        yes, no = planner._likelihood_ratios(candidates, blocks, columns, floors)
        for i, term in enumerate(candidates.tolist()):
            term_id = toy_kb.ontology.ids[term]
            for status, planned in (("present", yes[i]), ("excluded", no[i])):
                answered = apply_answer(case, term_id, "yes" if status == "present" else "no")
                findings, lrs = ranker.finding_lrs(answered)
                row = findings.index((term, status))
                assert np.allclose(lrs[row, columns], planned), (sex, term_id, status)


@pytest.mark.integration
def test_questions_for_a_marfan_like_case_on_the_real_data(real_kb: KnowledgeBase) -> None:
    onto = real_kb.ontology
    ranker = Ranker(real_kb)
    # Ectopia lentis, aortic root aneurysm, arachnodactyly, tall stature.
    present = ["HP:0001083", "HP:0002616", "HP:0001166", "HP:0000098"]
    case = Case.build(real_kb, present)
    started = time.perf_counter()
    questions = next_questions(ranker, case, top=10)
    assert time.perf_counter() - started < 1.0  # the first call includes the planner's set-up
    assert len(questions) == 10
    phenotypes = onto.under(PHENOTYPIC_ABNORMALITY)
    related: set[int] = set()
    for term_id in present:
        related.update(onto.ancestors_of(onto.index[term_id]).tolist())
        related.update(onto.descendants_of(onto.index[term_id]).tolist())
    for question in questions:
        term = onto.index[question.term_id]
        assert phenotypes[term] and term not in related
        assert question.question_text.endswith("?") and 0 < question.p_yes < 1
    assert questions[0].expected_gain > 0
    started = time.perf_counter()
    next_questions(ranker, apply_answer(case, questions[0], "no"), top=10)
    assert time.perf_counter() - started < 1.0
