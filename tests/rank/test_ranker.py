"""The ranking's behaviour on the toy knowledge base: each rule the model promises."""

from __future__ import annotations

import numpy as np
import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank import Case, CaseError, ModelParameters, Ranker

A, B, C = "OMIM:100001", "OMIM:100002", "OMIM:100003"


@pytest.fixture
def ranker(toy_kb: KnowledgeBase) -> Ranker:
    return Ranker(toy_kb)


def order(
    ranker: Ranker,
    present: list[str],
    excluded: list[str] | None = None,
    age: str | None = None,
    sex: str | None = None,
) -> list[str]:
    case = Case.build(ranker.kb, present, excluded, age, sex)
    return [c.id for c in ranker.rank(case, top=3).candidates]


def contribution(ranker: Ranker, disease: str, present: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    case = Case.build(ranker.kb, present, **kwargs)  # type: ignore[arg-type]
    ranked = ranker.rank(case, top=3)
    return next(c for c in ranked.candidates if c.id == disease)


def test_exact_match_ranks_first(ranker: Ranker) -> None:
    assert order(ranker, ["HP:0002069"])[0] == A


def test_more_specific_finding_matches_an_annotated_ancestor(ranker: Ranker) -> None:
    # C is annotated with Seizure; A with a sibling of the patient's focal seizure.
    assert order(ranker, ["HP:0007359"])[0] == C
    explained = contribution(ranker, C, ["HP:0007359"])
    assert explained.contributions[0].match == "annotated-ancestor"
    assert explained.contributions[0].annotation_id == "HP:0001250"
    # A sibling match through the shared ancestor counts, discounted by `inexact_weight` (the
    # toy ontology is so small that the default weight leaves it below the unexplained floor).
    lenient = Ranker(ranker.kb, ModelParameters(inexact_weight=0.5))
    sibling = contribution(lenient, A, ["HP:0007359"]).contributions[0]
    assert sibling.match == "shared-ancestor" and sibling.annotation_id == "HP:0002069"
    assert ranker.params.unexplained_lr < sibling.likelihood_ratio
    assert (
        sibling.likelihood_ratio
        < contribution(lenient, C, ["HP:0007359"]).contributions[0].likelihood_ratio
    )
    strict = contribution(ranker, A, ["HP:0007359"]).contributions[0]
    assert strict.match == "unexplained"
    assert strict.likelihood_ratio == ranker.params.unexplained_lr


def test_more_general_finding_matches_annotated_descendants(ranker: Ranker) -> None:
    explained = contribution(ranker, A, ["HP:0001250"])
    assert explained.contributions[0].match == "exact"
    assert explained.contributions[0].annotation_id == "HP:0002069"
    assert explained.contributions[0].likelihood_ratio > 1


def test_frequent_annotations_weigh_more(ranker: Ranker) -> None:
    # B has anemia very frequently, C occasionally; A is annotated NOT to have it.
    assert order(ranker, ["HP:0001903"]) == [B, C, A]
    b = contribution(ranker, B, ["HP:0001903"]).contributions[0]
    assert b.frequency == "Very frequent (80-99%)"


def test_not_annotation_counts_against(ranker: Ranker) -> None:
    not_a = contribution(ranker, A, ["HP:0001903"]).contributions[0]
    assert not_a.match == "not-annotated"
    assert not_a.likelihood_ratio == pytest.approx(ranker.params.not_annotation_lr)


def test_excluded_findings_count_against_diseases_that_usually_have_them(ranker: Ranker) -> None:
    # With intellectual disability excluded, C (9/10) drops below A (1/10) for a generalized seizure.
    plain = Case.build(ranker.kb, ["HP:0001250"])
    with_exclusion = Case.build(ranker.kb, ["HP:0001250"], ["HP:0001249"])
    index = ranker.kb.disease_index
    before, after = ranker.scores(plain), ranker.scores(with_exclusion)
    assert after[index[C]] < before[index[C]]
    assert (after[index[C]] - before[index[C]]) < (after[index[A]] - before[index[A]])
    explained = contribution(ranker, C, ["HP:0001250"], excluded=["HP:0001249"])
    assert explained.contributions[1].match == "absent-expected"
    assert explained.contributions[1].likelihood_ratio < 1


def test_excluding_a_finding_the_disease_is_annotated_not_to_have_supports_it(
    ranker: Ranker,
) -> None:
    explained = contribution(ranker, A, ["HP:0002069"], excluded=["HP:0001903"])
    assert explained.contributions[1].match == "not-annotated"
    assert explained.contributions[1].likelihood_ratio > 1


def test_onset_later_than_the_patient_age_counts_against(ranker: Ranker) -> None:
    index = ranker.kb.disease_index[B]
    child = ranker.scores(Case.build(ranker.kb, ["HP:0001903", "HP:0001875"], age="P2Y"))
    adult = ranker.scores(Case.build(ranker.kb, ["HP:0001903", "HP:0001875"], age="P40Y"))
    assert child[index] == pytest.approx(adult[index] + np.log10(ranker.params.onset_mismatch_lr))
    congenital = ranker.kb.disease_index[A]
    assert child[congenital] == pytest.approx(adult[congenital])


def test_sex_specific_annotations_apply_to_that_sex_only(ranker: Ranker) -> None:
    female = contribution(ranker, B, ["HP:0000505"], sex="female").contributions[0]
    male = contribution(ranker, B, ["HP:0000505"], sex="male").contributions[0]
    assert female.match == "exact" and female.likelihood_ratio > 1
    assert male.match == "unexplained" and male.likelihood_ratio < 1


def test_an_unexplained_finding_does_not_wipe_out_the_right_disease(ranker: Ranker) -> None:
    # Poor vision in a man is unexplained by every disease: B still leads on its blood findings.
    assert order(ranker, ["HP:0001903", "HP:0001875", "HP:0000505"], sex="male")[0] == B


def test_redundant_ancestors_count_once(ranker: Ranker) -> None:
    once = ranker.scores(Case.build(ranker.kb, ["HP:0002069"]))
    twice = ranker.scores(Case.build(ranker.kb, ["HP:0002069", "HP:0001250", "HP:0000707"]))
    assert np.allclose(once, twice)


def test_probabilities_are_normalised(ranker: Ranker) -> None:
    ranked = ranker.rank(Case.build(ranker.kb, ["HP:0001903"]), top=3)
    assert sum(c.probability for c in ranked.candidates) == pytest.approx(1.0)
    assert [c.rank for c in ranked.candidates] == [1, 2, 3]
    scores = [c.score for c in ranked.candidates]
    assert scores == sorted(scores, reverse=True)
    assert ranked.kb_version == "HPO 2099-01-01"


def test_parameters_change_the_model(toy_kb: KnowledgeBase) -> None:
    strict = Ranker(toy_kb, ModelParameters(not_annotation_lr=0.001))
    explained = contribution(strict, A, ["HP:0001903"]).contributions[0]
    assert explained.likelihood_ratio == pytest.approx(0.001)


def test_case_validation(toy_kb: KnowledgeBase) -> None:
    case = Case.build(toy_kb, ["HP:0009999", "HP:0001903"], ["HP:0001903", "HP:0001875"])
    assert case.present == ("HP:0001903",)  # alt id resolved, duplicate dropped
    assert case.excluded == ("HP:0001875",)  # a finding both present and excluded stays present
    with pytest.raises(CaseError, match="not a term"):
        Case.build(toy_kb, ["HP:7777777"])
    # An excluded finding a present one implies (a focal seizure is a seizure) is dropped; an
    # excluded subtype of a present finding stays.
    implied = Case.build(toy_kb, ["HP:0007359"], ["HP:0001250", "HP:0001875"])
    assert implied.excluded == ("HP:0001875",)
    assert Case.build(toy_kb, ["HP:0001250"], ["HP:0007359"]).excluded == ("HP:0007359",)
    with pytest.raises(CaseError, match="impossible"):
        Case.build(toy_kb, ["HP:0001903"], age="P300Y")
    with pytest.raises(CaseError, match="sex"):
        Case.build(toy_kb, ["HP:0001903"], sex="yes")
    skipped = Case.build(toy_kb, ["HP:7777777", "HP:0001903"], skip_unknown=True)
    assert skipped.unknown_ids == ("HP:7777777",)


def test_literature_concepts_rank_beside_curated_diseases(toy_kb: KnowledgeBase) -> None:
    from dxatlas.rank.literature import LiteratureConcept, LiteratureModel

    literature = LiteratureModel.build(
        toy_kb,
        [
            LiteratureConcept(
                "DXATLAS:lc",
                "Literature disease",
                ("lit synonym",),
                {"HP:0000505": 3, "HP:0001875": 1},
            ),
            LiteratureConcept("DXATLAS:empty", "No findings", (), {"HP:7777777": 2}),
        ],
    )
    assert [c.id for c in literature.concepts] == ["DXATLAS:lc"]  # unknown findings dropped
    ranker = Ranker(toy_kb, literature=literature)
    case = Case.build(toy_kb, ["HP:0000505", "HP:0001875"], sex="male")
    ranked = ranker.rank(case, top=4)
    first = ranked.candidates[0]
    assert (first.id, first.source, first.synonyms) == (
        "DXATLAS:lc",
        "literature",
        ("lit synonym",),
    )
    vision = first.contributions[0]
    assert vision.source == "literature" and vision.match == "exact"
    assert vision.frequency == "3 source(s), ~75%"
    assert ranked.n_ranked == 4
    assert sum(c.probability for c in ranked.candidates) == pytest.approx(1.0)
    # The curated disease B now ranks second, behind the literature concept.
    scores = ranker.scores(case)
    assert ranker.rank_position(scores, toy_kb.disease_index[B]) == 2


def test_a_damaged_model_cache_is_rebuilt(toy_kb: KnowledgeBase, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dxatlas.rank.model import PhenotypeModel

    first = PhenotypeModel.load_or_build(toy_kb, None, tmp_path)
    (cached,) = tmp_path.glob("model-*.npz")
    cached.write_bytes(b"PK\x03\x04 not really a zip")
    again = PhenotypeModel.load_or_build(toy_kb, None, tmp_path)
    assert np.allclose(again.background, first.background)
    reread = PhenotypeModel.load_or_build(toy_kb, None, tmp_path)
    assert (reread.all_sexes.propagated != first.all_sexes.propagated).nnz == 0


def test_same_named_entries_are_one_row_with_their_summed_probability(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from dxatlas.kb.index import build_knowledge_base
    from dxatlas.kb.source import HpoDataFiles
    from tests.conftest import _HPOA_ROWS, TOY_OBO, toy_hpoa_text

    # ORPHA:200002 is Blood disorder B again, annotated from other sources.
    extra = [
        ("ORPHA:200002", "Blood disorder B", "", "HP:0001875", "PMID:9", "HP:0040281", "", "P"),
        ("ORPHA:200002", "Blood disorder B", "", "HP:0001903", "PMID:9", "HP:0040283", "", "P"),
    ]
    (tmp_path / "hp.obo").write_text(TOY_OBO)
    (tmp_path / "phenotype.hpoa").write_text(toy_hpoa_text([*_HPOA_ROWS, *extra]))
    kb = build_knowledge_base(HpoDataFiles(tmp_path / "hp.obo", tmp_path / "phenotype.hpoa"))
    ranker = Ranker(kb)
    case = Case.build(kb, ["HP:0001875", "HP:0001903"])
    ranked = ranker.rank(case, top=5)
    ids = [c.id for c in ranked.candidates]
    assert len(ranked.candidates) == 3 == ranked.n_ranked  # four entries, three rows
    first = ranked.candidates[0]
    assert {first.id, *first.xrefs} == {"OMIM:100002", "ORPHA:200002"}
    assert "OMIM:100002" not in ids[1:] and "ORPHA:200002" not in ids[1:]
    assert sum(c.probability for c in ranked.candidates) == pytest.approx(1.0)
    probabilities = [c.probability for c in ranked.candidates]
    assert probabilities == sorted(probabilities, reverse=True)
    scores = ranker.scores(case)
    assert ranker.rank_position(scores, kb.disease_index["ORPHA:200002"]) == 1
    assert ranker.rank_position(scores, kb.disease_index["OMIM:100003"]) == 2
