"""Literature knowledge read from a store: findings with frequency words, prevalence, merging,
and concepts whose records say they are no disorder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.background import listed_shares
from dxatlas.rank.case import Case
from dxatlas.rank.from_store import literature_model
from dxatlas.rank.parameters import ModelParameters
from dxatlas.rank.ranker import Ranker
from dxatlas.store import CuratedNames, Store
from dxatlas.store.evidence import EvidenceSource, Finding

ANEMIA = Finding("HP:0001903", "Anemia")


def _store(kb: KnowledgeBase, tmp_path: Path) -> Store:
    """A new store in `tmp_path` that knows the curated names of `kb`."""
    return Store.open(f"sqlite:///{tmp_path / 'x.db'}", curated=CuratedNames.from_kb(kb))


def add_page(store: Store, focus: str, text: str, **metadata: object) -> int:
    document = make_document(
        text, url=f"https://example.org/{len(text)}", metadata={"focus": focus, **metadata}
    )
    return store.add_document(document, split_sentences(document.text)).document_id


def test_literature_model_from_a_store(toy_kb: KnowledgeBase, tmp_path: Path) -> None:
    with _store(toy_kb, tmp_path) as store:
        pale = store.add_concept("Pale disease", author="t", source="literature").concept.id
        medicine = store.add_concept("Iron tablets", author="t", source="literature").concept.id
        first = add_page(store, "Pale disease", "Most people with pale disease have anemia.")
        second = add_page(store, "Iron tablets", "Iron tablets help anemia.", category="Other")
        store.add_evidence(
            pale, "presentation", "Most people with pale disease have anemia.",
            [EvidenceSource(first)], [ANEMIA],
        )  # fmt: skip
        store.add_evidence(
            pale, "epidemiology", "It affects about 1 in 1,000 people.", [EvidenceSource(first)]
        )
        store.add_evidence(
            medicine,
            "presentation",
            "Iron tablets help anemia.",
            [EvidenceSource(second)],
            [ANEMIA],
        )
        # Evidence filed under a curated disease merges into it.
        store.add_evidence(
            "OMIM:100001", "presentation", "Anemia is seen.", [EvidenceSource(first)], [ANEMIA]
        )
        model = literature_model(store, toy_kb)
    by_id = {c.id: (c, i) for i, c in enumerate(model.concepts)}
    assert medicine not in by_id  # its record says it is no disorder
    pale_concept, column = by_id[pale]
    assert pale_concept.prevalence == 1e-3
    assert model.terms[column][toy_kb.ontology.index["HP:0001903"]][2] == 0.8  # "most people"
    merged, _ = by_id["OMIM:100001"]
    assert merged.curated == toy_kb.disease_index["OMIM:100001"]


@pytest.mark.parametrize(
    ("name", "text", "finding"),
    [
        # A page on "Anemia" (a finding's name) is about a disorder whose patients all have
        # anemia, though no sentence lists it as a symptom.
        ("Anaemia", "Anaemia has many causes.", "HP:0001903"),
        # Regression: "Canker Sores" did not match the HPO's "Canker sore" (plural last word),
        # so the page's own finding was read only from its text, at a low frequency.
        ("Seizures", "Seizures have many causes.", "HP:0001250"),
        # A kind of one: "Viral pharyngitis" (DDXPlus) is a pharyngitis, an "Acute anemia"
        # an anemia.
        ("Acute anemia", "Acute anemia has many causes.", "HP:0001903"),
        ("Chronic seizures", "They have many causes.", "HP:0001250"),
    ],
)
def test_a_disorder_named_for_a_finding_has_it(
    name: str, text: str, finding: str, toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    with _store(toy_kb, tmp_path) as store:
        named = store.add_concept(name, author="t", source="literature").concept.id
        page = add_page(store, name, text)
        store.add_evidence(named, "overview", text, [EvidenceSource(page)])
        model = literature_model(store, toy_kb)
    by_id = {c.id: i for i, c in enumerate(model.concepts)}
    frequency = model.terms[by_id[named]][toy_kb.ontology.index[finding]][2]
    assert frequency == 0.95  # the model's highest frequency


def test_a_disorder_named_for_a_common_complaint_is_as_common_as_it(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """A page on "Seizures" that states no prevalence: seizures are its own diagnosis, as common
    as the complaint among consulting patients; a page that states one keeps its own."""
    with _store(toy_kb, tmp_path) as store:
        ids = {}
        for name, text in (
            ("Seizures", "Seizures have many causes."),
            ("Acute seizures", "Acute seizures affect about 1 in 1,000 people."),
            ("Pallor disease", "Most people with pallor disease have anemia."),
        ):
            ids[name] = store.add_concept(name, author="t", source="literature").concept.id
            page = add_page(store, name, text)
            store.add_evidence(ids[name], "epidemiology", text, [EvidenceSource(page)], [ANEMIA])
        model = literature_model(store, toy_kb)
    prevalence = {c.id: c.prevalence for c in model.concepts}
    assert prevalence[ids["Seizures"]] == listed_shares()["HP:0001250"]
    assert prevalence[ids["Acute seizures"]] == pytest.approx(1e-3)
    assert prevalence[ids["Pallor disease"]] is None  # named for no complaint


def test_a_finding_stated_for_children_counts_for_children_only(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Regression: "children may have ... vomiting" on a urinary tract infection page made
    vomiting a finding of the infection in adults too, and the page rose for adults who vomit."""
    seizure = Finding("HP:0001250", "Seizure")
    with _store(toy_kb, tmp_path) as store:
        concept = store.add_concept("Pale disease", author="t", source="literature").concept.id
        for text, found in (
            ("Most people with pale disease have anemia.", ANEMIA),
            ("Children may have seizures.", seizure),
        ):
            page = add_page(store, "Pale disease", text)
            store.add_evidence(concept, "presentation", text, [EvidenceSource(page)], [found])
        model = literature_model(store, toy_kb, ModelParameters(literature_complete_findings=1))
    column = next(i for i, c in enumerate(model.concepts) if c.id == concept)
    support = model.concepts[column].findings
    assert support[seizure.id].ages == (0.0, 18.0) and support[ANEMIA.id].ages is None
    ranker = Ranker(toy_kb, literature=model)
    n, index = toy_kb.n_diseases, toy_kb.ontology.index[seizure.id]

    def seizure_lr(age: float | None) -> float:
        case = Case.build(toy_kb, [seizure.id], age=age)
        findings, lrs = ranker.finding_lrs(case)
        return float(lrs[findings.index((index, "present")), n + column])

    unexplained = model.unexplained_lr[column]
    assert seizure_lr(8) > 2 * unexplained and seizure_lr(None) == seizure_lr(8)
    assert seizure_lr(40) == pytest.approx(unexplained)
    # The explanation says the same: listed for a child, not for an adult.
    adult = ranker.rank(Case.build(toy_kb, [seizure.id], age=40), top=200)
    row = next(c for c in adult.candidates if c.id == concept)
    assert row.contributions[0].match == "unexplained"


def test_a_page_from_a_rare_disease_site_takes_the_rare_prior(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    with _store(toy_kb, tmp_path) as store:
        pages = {}
        for name, url in (
            ("Pale disease", "https://rarediseases.info.nih.gov/diseases/1/pale"),
            ("Wan disease", "https://health.example.org/wan"),
        ):
            concept = store.add_concept(name, author="t", source="literature").concept.id
            text = f"Most people with {name} have anemia."
            document = make_document(text, url=url, metadata={"focus": name})
            found = store.add_document(document, split_sentences(text)).document_id
            store.add_evidence(concept, "presentation", text, [EvidenceSource(found)], [ANEMIA])
            pages[name] = concept
        model = literature_model(store, toy_kb)
    by_id = {c.id: c for c in model.concepts}
    assert by_id[pages["Pale disease"]].rare_source
    assert not by_id[pages["Wan disease"]].rare_source
    priors = {c.id: model.log_prior[i] for i, c in enumerate(model.concepts)}
    assert priors[pages["Pale disease"]] < priors[pages["Wan disease"]]


def test_pages_for_different_readers_pool_into_one_concept(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """ "Pale Disease", "Pale disease in children" and "What I need to know about pale disease"
    are one disease: one ranked concept with the findings of all three; the children's page's
    ages do not become the whole disease's."""
    with _store(toy_kb, tmp_path) as store:
        ids = {}
        for name, finding, said in (
            ("Pale Disease", ANEMIA, "It affects about 1 in 1,000 people."),
            (
                "Pale disease in children",
                Finding("HP:0001250", "Seizure"),
                "Most common in children.",
            ),
            ("What I need to know about pale disease", ANEMIA, None),
        ):
            concept = store.add_concept(name, author="t", source="literature").concept.id
            page = add_page(store, name, f"{name} causes {finding.label}.")
            store.add_evidence(
                concept, "presentation", f"{name} causes {finding.label}.",
                [EvidenceSource(page)], [finding],
            )  # fmt: skip
            if said:
                store.add_evidence(concept, "epidemiology", said, [EvidenceSource(page)])
            ids[name] = concept
        model = literature_model(store, toy_kb)
    assert [c.name for c in model.concepts] == ["Pale Disease"]
    pooled = model.concepts[0]
    assert set(pooled.findings) == {"HP:0001903", "HP:0001250"}
    assert pooled.findings["HP:0001903"].sources == 2  # two pages assert it
    assert "Pale disease in children" in pooled.synonyms
    assert pooled.prevalence == 1e-3 and pooled.age_band is None


def test_a_name_that_names_a_disease_of_one_sex() -> None:
    from dxatlas.kb.knowledge import SEX_ANY, SEX_FEMALE, SEX_MALE
    from dxatlas.rank.from_store import sex_of_name

    assert sex_of_name(("Prostate Enlargement: Benign Prostatic Hyperplasia",)) == SEX_MALE
    assert sex_of_name(("Yeast Infections", "Vaginal yeast infection")) == SEX_FEMALE
    assert sex_of_name(("Cervical spondylosis",)) == SEX_ANY  # the neck
    assert sex_of_name(("Androgen insensitivity syndrome", "testicular feminization")) == SEX_ANY


def test_a_pooled_concept_takes_its_group_pages_figure_when_its_own_pages_state_none(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Regression: "Kidney Stones" lost the "one in 11 people" of "Kidney Stones in Adults" as
    soon as its reader's page had any epidemiology sentence ("Calcium oxalate stones are more
    common."), and fell from a common disease's prior to the unknown default."""
    with _store(toy_kb, tmp_path) as store:
        for name, said in (
            ("Pale Disease", None),
            ("Pale disease in adults", "It affects about 1 in 1,000 people."),
            ("What I need to know about pale disease", "Small stones are more common."),
        ):
            concept = store.add_concept(name, author="t", source="literature").concept.id
            page = add_page(store, name, f"{name} causes anemia.")
            store.add_evidence(
                concept, "presentation", f"{name} causes anemia.", [EvidenceSource(page)], [ANEMIA]
            )
            if said:
                store.add_evidence(concept, "epidemiology", said, [EvidenceSource(page)])
        model = literature_model(store, toy_kb)
    assert [c.name for c in model.concepts] == ["Pale Disease"]
    assert model.concepts[0].prevalence == 1e-3
