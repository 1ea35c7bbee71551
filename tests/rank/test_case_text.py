"""Reading a case written in words: findings present and absent, age and sex."""

from __future__ import annotations

import pytest

from dxatlas.kb.index import build_knowledge_base
from dxatlas.rank.case import Case, CaseError
from dxatlas.rank.case_text import diagnose_text, read_case_text
from dxatlas.rank.ranker import Ranker
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.lexicon import Lexicon
from tests.recognize.conftest import write_toy_data


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    kb = build_knowledge_base(write_toy_data(tmp_path_factory.mktemp("toy")))
    return kb, Annotator(Lexicon.build(kb))


def test_lay_words_and_a_negated_list(annotated) -> None:  # type: ignore[no-untyped-def]
    _, annotator = annotated
    read = read_case_text(
        "61 year old male. Pyrexia and stomach ache for four days. "
        "No weight loss, seizures or anaemia.",
        annotator,
    )
    assert read.present == ["HP:0001945", "HP:0002027"]
    assert read.excluded == ["HP:0001824", "HP:0001250", "HP:0001903"]
    assert (read.age_years, read.sex) == (61.0, "male")
    words = {f.id: f.text for f in read.findings}
    assert words["HP:0001945"] == "Pyrexia" and words["HP:0002027"] == "stomach ache"


def test_a_patient_described_as_a_woman_and_a_child_in_months(annotated) -> None:  # type: ignore[no-untyped-def]
    _, annotator = annotated
    woman = read_case_text("A 48-year-old woman presents with pyrexia.", annotator)
    assert (woman.age_years, woman.sex) == (48.0, "female")
    baby = read_case_text("A 6-month-old baby boy has had seizures since Monday.", annotator)
    assert baby.age_years == pytest.approx(0.5) and baby.sex == "male"


def test_sex_from_pronouns_only_when_they_agree(annotated) -> None:  # type: ignore[no-untyped-def]
    _, annotator = annotated
    assert read_case_text("Fever; he lost weight.", annotator).sex == "male"
    assert read_case_text("Fever. She told him about it.", annotator).sex is None
    assert read_case_text("Fever for two days.", annotator).sex is None


def test_family_history_and_uncertain_mentions_are_not_findings(annotated) -> None:  # type: ignore[no-untyped-def]
    _, annotator = annotated
    read = read_case_text(
        "Fever. Her mother had seizures. Rule out anemia.",
        annotator,
    )
    assert read.present == ["HP:0001945"] and read.excluded == []


def test_diagnose_text_gives_the_json_of_diagnose(annotated) -> None:  # type: ignore[no-untyped-def]
    kb, annotator = annotated
    payload = diagnose_text(Ranker(kb), annotator, "A 30 year old man with pyrexia.")
    assert payload["findings"] == [
        {"id": "HP:0001945", "label": "Fever", "status": "present", "text": "pyrexia"}
    ]
    assert payload["age"] == 30.0 and payload["sex"] == "male"
    assert payload["differential"][0]["id"] == "OMIM:100100"
    with pytest.raises(CaseError, match="no present finding"):
        diagnose_text(Ranker(kb), annotator, "Nothing to report.")


def test_past_history_is_kept_apart_and_only_supports(annotated) -> None:  # type: ignore[no-untyped-def]
    kb, annotator = annotated
    text = "A 40-year-old woman with a history of seizures presents with pyrexia."
    read = read_case_text(text, annotator)
    assert read.present == ["HP:0001945"] and read.history == ["HP:0001250"]
    payload = diagnose_text(Ranker(kb), annotator, text)
    assert {"id": "HP:0001250", "label": "Seizure", "status": "present", "history": True,
            "text": "seizures"} in payload["findings"]  # fmt: skip
    # A past condition never counts against a disease that does not explain it.
    ranker = Ranker(kb)
    with_history = ranker.scores(Case.build(kb, ["HP:0001945"], history=["HP:0001250"]))
    without = ranker.scores(Case.build(kb, ["HP:0001945"]))
    assert (with_history >= without - 1e-12).all()


def test_past_history_alone_is_no_case(annotated) -> None:  # type: ignore[no-untyped-def]
    kb, annotator = annotated
    with pytest.raises(CaseError, match="read as past history only: Seizure"):
        diagnose_text(Ranker(kb), annotator, "A 40-year-old woman with a history of seizures.")


def test_a_past_condition_is_not_asked_about_again(annotated) -> None:  # type: ignore[no-untyped-def]
    from dxatlas.rank.questions import next_questions

    kb, _ = annotated
    ranker = Ranker(kb)
    fever = "HP:0001945"
    assert fever in {q.term_id for q in next_questions(ranker, Case.build(kb, ["HP:0001903"]), 20)}
    case = Case.build(kb, ["HP:0001903"], history=[fever])
    assert fever not in {q.term_id for q in next_questions(ranker, case, 20)}
