"""Priors from prevalence, and literature concepts merged into curated diseases (toy data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.kb.index import build_knowledge_base
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.source import HpoDataFiles
from dxatlas.rank.case import Case
from dxatlas.rank.literature import FindingSupport, LiteratureConcept, LiteratureModel
from dxatlas.rank.ranker import Ranker
from tests.conftest import _HPOA_ROWS, TOY_OBO, toy_hpoa_text

SEIZURE, TONIC_CLONIC, INTELLECTUAL = "HP:0001250", "HP:0002069", "HP:0001249"
ANEMIA, VISION = "HP:0001903", "HP:0000505"


@pytest.fixture
def wide_kb(tmp_path: Path) -> KnowledgeBase:
    """The toy diseases among 200 others with poor vision only, so that findings have the
    small background rates of a real knowledge base (the toy's three diseases alone make every
    finding common and every likelihood ratio small)."""
    fillers = [
        (f"OMIM:3{i:05d}", f"Vision disorder {i}", "", VISION, "PMID:7", "", "", "P")
        for i in range(200)
    ]
    (tmp_path / "hp.obo").write_text(TOY_OBO)
    (tmp_path / "phenotype.hpoa").write_text(toy_hpoa_text([*_HPOA_ROWS, *fillers]))
    return build_knowledge_base(
        HpoDataFiles(obo=tmp_path / "hp.obo", hpoa=tmp_path / "phenotype.hpoa")
    )


def common_fits(prevalence: float | None = 1e-2) -> LiteratureConcept:
    """A common literature disease whose patients often have seizures of any kind."""
    return LiteratureConcept(
        "DXATLAS:common-fits",
        "Common fits",
        (),
        {SEIZURE: FindingSupport(3, (0.6,))},
        prevalence=prevalence,
    )


def test_an_unspecific_finding_ranks_the_common_disease_first(wide_kb: KnowledgeBase) -> None:
    ranker = Ranker(wide_kb, literature=LiteratureModel.build(wide_kb, [common_fits()]))
    ranked = ranker.rank(Case.build(wide_kb, [SEIZURE]), top=3)
    assert ranked.candidates[0].id == "DXATLAS:common-fits"
    # Without a stated prevalence the concept gets the lower default for unknown concepts.
    unknown = Ranker(wide_kb, literature=LiteratureModel.build(wide_kb, [common_fits(None)]))
    first = unknown.rank(Case.build(wide_kb, [SEIZURE]), top=3).candidates[0]
    assert first.id == "DXATLAS:common-fits"
    assert first.probability < ranked.candidates[0].probability


def test_hallmark_findings_still_rank_the_rare_disease_first(wide_kb: KnowledgeBase) -> None:
    ranker = Ranker(wide_kb, literature=LiteratureModel.build(wide_kb, [common_fits()]))
    # Seizures, intellectual disability (9/10) and anemia: the findings of Mixed disorder C.
    ranked = ranker.rank(Case.build(wide_kb, [TONIC_CLONIC, INTELLECTUAL, ANEMIA]), top=3)
    assert ranked.candidates[0].id == "OMIM:100003"
    assert ranked.rank_of("DXATLAS:common-fits") == 2


def test_a_literature_concept_merges_into_its_curated_disease(toy_kb: KnowledgeBase) -> None:
    disease = toy_kb.disease_index["OMIM:100001"]
    merged = LiteratureConcept(
        "OMIM:100001",
        "Seizure disorder A",
        ("Fits of A",),
        {VISION: FindingSupport(4)},  # the literature knows a finding the annotations lack
        curated=disease,
        prevalence=1e-3,
    )
    literature = LiteratureModel.build(toy_kb, [merged])
    assert literature.merged_into(disease) == 0
    ranker = Ranker(toy_kb, literature=literature)
    ranked = ranker.rank(Case.build(toy_kb, [TONIC_CLONIC, VISION]), top=5)
    first = ranked.candidates[0]
    assert (first.id, first.source) == ("OMIM:100001", "both")
    assert first.synonyms == ("Fits of A",)
    by_finding = {c.finding_id: c for c in first.contributions}
    assert by_finding[VISION].source == "literature" and by_finding[VISION].match == "exact"
    assert by_finding[TONIC_CLONIC].source == "curated"
    # The merged concept is not a second row of its own.
    assert [c.id for c in ranked.candidates].count("OMIM:100001") == 1
    assert all(c.source != "literature" for c in ranked.candidates)
    # Its prevalence raised the disease's prior above the other curated diseases'.
    assert literature.curated_log_prior[disease] > literature.curated_log_prior[disease + 1]


def test_an_age_band_lowers_a_concept_outside_it(toy_kb: KnowledgeBase) -> None:
    childhood = LiteratureConcept(
        "DXATLAS:childhood-fits",
        "Childhood fits",
        (),
        {SEIZURE: 2},
        prevalence=1e-3,
        age_band=(0.0, 12.0),
    )
    ranker = Ranker(toy_kb, literature=LiteratureModel.build(toy_kb, [childhood]))
    child = ranker.rank(Case.build(toy_kb, [SEIZURE], age="P6Y"), top=5)
    adult = ranker.rank(Case.build(toy_kb, [SEIZURE], age="P60Y"), top=5)

    def probability(ranked) -> float:  # type: ignore[no-untyped-def]
        return next(c.probability for c in ranked.candidates if c.id == "DXATLAS:childhood-fits")

    assert probability(child) > probability(adult)


def test_a_literature_concept_is_gentler_on_findings_it_does_not_name(
    toy_kb: KnowledgeBase,
) -> None:
    import dataclasses

    from dxatlas.rank.parameters import ModelParameters

    gentle = dataclasses.replace(
        ModelParameters(), literature_unexplained_lr=0.3, literature_complete_findings=1
    )
    literature = LiteratureModel.build(toy_kb, [common_fits()], gentle)
    ranker = Ranker(toy_kb, literature=literature)
    ranked = ranker.rank(Case.build(toy_kb, [SEIZURE, ANEMIA]), top=5)
    fits = next(c for c in ranked.candidates if c.id == "DXATLAS:common-fits")
    anemia = next(c for c in fits.contributions if c.finding_id == ANEMIA)
    assert anemia.match == "unexplained" and anemia.likelihood_ratio == 0.3


def test_a_page_naming_few_findings_says_little_against_others(toy_kb: KnowledgeBase) -> None:
    """A page naming one finding says less against a finding it does not name than a page
    naming many: the floor rises as `literature_complete_findings` over the number named, to at
    most 1, and a concept merged into a curated disease keeps the literature floor."""
    from dxatlas.rank.parameters import ModelParameters

    params = ModelParameters(literature_unexplained_lr=0.3, literature_complete_findings=4)
    ids = sorted(toy_kb.ontology.ids[t] for t in range(1, 9))

    def page(name: str, n: int, curated: int | None = None) -> LiteratureConcept:
        findings = {term: FindingSupport(1) for term in ids[:n]}
        return LiteratureConcept(f"DXATLAS:{name}", name, (), findings, curated=curated)

    concepts = [page("one", 1), page("two", 2), page("four", 4), page("six", 6), page("m", 1, 0)]
    floors = LiteratureModel.build(toy_kb, concepts, params).unexplained_lr
    assert floors.tolist() == pytest.approx([1.0, 0.6, 0.3, 0.3, 0.3])


def test_a_finding_takes_its_strongest_statement() -> None:
    from dxatlas.rank.literature import finding_frequency
    from dxatlas.rank.parameters import ModelParameters

    params = ModelParameters()
    # Listed as a symptom on two pages, and "rarely" in a sentence comparing another disease.
    assert finding_frequency(FindingSupport(2, (0.05,), plain=True), params) == 2 / 3
    # Only ever said to be rare: rare.
    assert finding_frequency(FindingSupport(1, (0.05,), plain=False), params) == 0.05
    # "Most people" beats the count; a table's frequency beats both.
    assert finding_frequency(FindingSupport(1, (0.8,), plain=True), params) == 0.8
    assert finding_frequency(FindingSupport(3, (0.8,), 0.1), params) == 0.1


def test_a_disease_of_the_other_sex_is_all_but_ruled_out(wide_kb: KnowledgeBase) -> None:
    from dxatlas.kb.knowledge import SEX_MALE

    prostate = LiteratureConcept(
        "DXATLAS:prostate-fits", "Prostate fits", (), {SEIZURE: FindingSupport(3, (0.6,))},
        prevalence=1e-2, sex=SEX_MALE,
    )  # fmt: skip
    ranker = Ranker(wide_kb, literature=LiteratureModel.build(wide_kb, [prostate]))
    man = ranker.rank(Case.build(wide_kb, [SEIZURE], sex="male"), top=3)
    woman = ranker.rank(Case.build(wide_kb, [SEIZURE], sex="female"), top=3)
    assert man.candidates[0].id == "DXATLAS:prostate-fits"
    assert woman.candidates[0].id != "DXATLAS:prostate-fits"


def test_the_explanation_names_the_annotation_that_gives_the_ratio(
    wide_kb: KnowledgeBase,
) -> None:
    """Regression: a finding matched through annotated ancestors was explained by the one most
    sources assert ("Pain", 80%), while its ratio came from another ("Abdominal pain", 50%, a
    rarer complaint): the line contradicted its own number."""
    nervous, focal = "HP:0000707", "HP:0007359"
    concept = LiteratureConcept(
        "DXATLAS:fits",
        "Fits",
        (),
        {SEIZURE: FindingSupport(1, (0.9,)), nervous: FindingSupport(6)},
        prevalence=1e-2,
    )
    ranker = Ranker(wide_kb, literature=LiteratureModel.build(wide_kb, [concept]))
    ranked = ranker.rank(Case.build(wide_kb, [focal]), top=3)
    line = next(c for c in ranked.candidates if c.id == "DXATLAS:fits").contributions[0]
    assert line.match == "annotated-ancestor"
    onto = wide_kb.ontology
    shares = {SEIZURE: 0.9, nervous: 6 / 7}  # "most" once; six plain sources
    ratios = {t: share / ranker.background[onto.index[t]] for t, share in shares.items()}
    assert line.annotation_id == max(ratios, key=ratios.__getitem__) == SEIZURE
    assert line.likelihood_ratio == pytest.approx(ratios[SEIZURE])


def test_a_curated_explanation_names_the_annotation_that_gives_the_ratio(
    tmp_path: Path,
) -> None:
    """The same for a curated disease annotated on two ancestors of the patient's finding: the
    common branch's 9/10 explained a ratio that the rarer term's 5/10 gave."""
    nervous, focal = "HP:0000707", "HP:0007359"
    rows = [
        ("OMIM:200001", "Disorder D", "", nervous, "PMID:8", "9/10", "", "P"),
        ("OMIM:200001", "Disorder D", "", SEIZURE, "PMID:8", "5/10", "", "P"),
        *(
            (f"OMIM:3{i:05d}", f"Delay disorder {i}", "", INTELLECTUAL, "PMID:9", "", "", "P")
            for i in range(200)
        ),
    ]
    (tmp_path / "hp.obo").write_text(TOY_OBO)
    (tmp_path / "phenotype.hpoa").write_text(toy_hpoa_text([*_HPOA_ROWS, *rows]))
    kb = build_knowledge_base(
        HpoDataFiles(obo=tmp_path / "hp.obo", hpoa=tmp_path / "phenotype.hpoa")
    )
    ranked = Ranker(kb).rank(Case.build(kb, [focal]), top=5)
    line = next(c for c in ranked.candidates if c.id == "OMIM:200001").contributions[0]
    assert (line.match, line.annotation_id) == ("annotated-ancestor", SEIZURE)


def test_a_thin_page_that_explains_nothing_keeps_the_ordinary_floor(
    toy_kb: KnowledgeBase,
) -> None:
    """Regression: with the raised floor, a user concept naming one finding (seizures) ranked
    first for anemia and neutropenia on its prior alone, above the curated disease that has
    both. The raised floor applies only to a concept that explains a present finding."""
    from dxatlas.rank.parameters import ModelParameters

    params = ModelParameters(literature_unexplained_lr=0.3, literature_complete_findings=12)
    literature = LiteratureModel.build(toy_kb, [common_fits()], params)
    assert literature.unexplained_lr.tolist() == [1.0]
    ranker = Ranker(toy_kb, literature=literature)

    def anemia_ratio(present: list[str]) -> float:
        ranked = ranker.rank(Case.build(toy_kb, present), top=10)
        fits = next(c for c in ranked.candidates if c.id == "DXATLAS:common-fits")
        return next(c for c in fits.contributions if c.finding_id == ANEMIA).likelihood_ratio

    assert anemia_ratio([SEIZURE, ANEMIA]) == 1.0  # it explains the seizure
    assert anemia_ratio([VISION, ANEMIA]) == 0.3  # it explains nothing
