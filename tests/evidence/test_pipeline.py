"""The evidence pipeline end to end on the toy knowledge base: documents in, a cited page out."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.evidence.extract import Target, extract_evidence
from dxatlas.evidence.pipeline import EvidencePipeline
from dxatlas.evidence.sections import SectionClassifier
from dxatlas.ingest.document import Document, make_document
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.pages.build import load_page
from dxatlas.pages.concept_page import PageConcept, page_json, page_markdown
from dxatlas.recognize.annotator import Annotator
from dxatlas.store import CuratedNames, Store

CASE_REPORT = (
    "A 4-month-old boy with Blood disorder B presented with anemia and neutropenia. "
    "There was no seizure and no intellectual disability. "
    "A skin biopsy was performed to confirm the diagnosis. "
    "Treatment with chemotherapy led to complete remission. "
    "Smith J, Doe A. Blood disorder B in infants. J Rare Dis. 2010;62(3):123-9."
)
HEALTH_PAGE = (
    "Blood disorder B is a rare disease of the blood. "
    "People with Blood disorder B have anemia and neutropenia [3]. "
    "Mixed disorder C causes seizures in most children. "
    "Copyright 2024 Example Health. All rights reserved."
)


def document(text: str, name: str, url: str | None = None) -> Document:
    return make_document(text, url=url, path=None if url else name)


@pytest.fixture
def annotator(toy_kb: KnowledgeBase) -> Annotator:
    return Annotator.from_kb(toy_kb)


def test_extraction_applies_the_evidence_rules(toy_kb: KnowledgeBase, annotator: Annotator) -> None:
    annotation = annotator.annotate(CASE_REPORT)
    target = Target("OMIM:100002", "Blood disorder B", ("Blood disorder B",))
    result = extract_evidence(annotation, [target], SectionClassifier())
    by_text = {item.text: item for item in result.items}
    presenting = by_text[annotation.sentences[0].sentence.text.strip()]
    assert presenting.section == "presentation"
    assert {f.id for f in presenting.findings} == {"HP:0001903", "HP:0001875"}
    # Negated findings are never findings of the page.
    assert all("HP:0001250" not in {f.id for f in item.findings} for item in result.items)
    # A test is never a finding: the biopsy sentence is workup, its subsection a test.
    biopsy = next(item for item in result.items if "biopsy" in item.text)
    assert biopsy.section == "workup"
    assert all(not f.id.startswith("HP:") for f in biopsy.findings)
    # The reference entry is dropped, and the boy is one patient.
    assert not any("J Rare Dis" in item.text for item in result.items)
    assert result.dropped["reference"] == 1
    assert [(p.age_years, p.sex) for p in result.patients] == [
        (pytest.approx(4 / 12, abs=1e-3), "male")
    ]


def test_a_document_links_to_the_disease_it_is_about_not_to_one_of_many(
    annotator: Annotator,
) -> None:
    """Regression: a vaccine page naming many diseases went to the one it named most, and its
    measles sentences became flu evidence."""
    from dxatlas.evidence.extract import link_targets

    blood = Target("OMIM:100002", "Blood disorder B", ("Blood disorder B",))
    mixed = Target("OMIM:100003", "Mixed disorder C", ("Mixed disorder C",))
    candidates = {blood.id: blood, mixed.id: mixed}
    about_one = annotator.annotate(
        "Blood disorder B is rare. Blood disorder B causes anemia. Mixed disorder C differs."
    )
    assert link_targets(about_one, None, candidates) == [blood]
    about_both = annotator.annotate(
        "Blood disorder B is rare. Blood disorder B causes anemia. Mixed disorder C causes "
        "seizures. Mixed disorder C is treated. Vaccines prevent both."
    )
    assert link_targets(about_both, None, candidates) == []


def test_pipeline_stores_idempotently_and_builds_the_page(
    toy_kb: KnowledgeBase, annotator: Annotator, tmp_path: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'e.db'}", curated=CuratedNames.from_kb(toy_kb))
    try:
        pipeline = EvidencePipeline(toy_kb, annotator, store)
        first = pipeline.process(document(CASE_REPORT, "/data/case.txt"))
        assert [t.id for t in first.evidence.targets] == ["OMIM:100002"]  # linked by mentions
        pipeline.process(document(HEALTH_PAGE, "page", url="https://www.example.org/b"))
        before = store.stats()
        pipeline.process(document(CASE_REPORT, "/data/case-copy.txt"))  # same content again
        assert store.stats() == before
        assert pipeline.totals.added == 2 and pipeline.totals.unchanged == 1
        page = page_json(load_page(store, toy_kb, PageConcept("OMIM:100002", "Blood disorder B")))
    finally:
        store.close()
    sections = {s["key"]: s for s in page["sections"]}
    presentation = sections["presentation"]
    labels = {sub["finding"]["label"] for sub in presentation["subsections"]}
    assert {"Anemia", "Neutropenia"} <= labels
    assert "Seizure" not in labels
    # The sentence about another disease on the health page is not on this page.
    texts = [e["text"] for s in page["sections"] for e in s["evidence"]]
    assert not any("Mixed disorder C" in t for t in texts)
    assert not any("Copyright" in t for t in texts)
    sources = {s["domain"] for s in presentation["evidence"] for s in s["sources"]}
    assert "example.org" in sources
    assert page["demographics"]["sex"] == {"male": 1, "female": 0}
    assert page["curated"] and page["curated"][0]["finding"]["id"].startswith("HP:")
    assert "## Presentation" in page_markdown(page)


def test_near_duplicates_merge_with_all_their_sources(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    from dxatlas.store.evidence import EvidenceSource

    store = Store.open(f"sqlite:///{tmp_path / 'd.db'}")
    try:
        one = store.add_document(document("First copy.", "/a.txt"), [])
        two = store.add_document(document("Second copy.", "/b.txt"), [])
        a, created_a = store.add_evidence(
            "X:1",
            "treatment",
            "The disease is treated with regular blood transfusions [4].",
            [EvidenceSource(one.document_id)],
        )
        b, created_b = store.add_evidence(
            "X:1",
            "treatment",
            "The disease is usually treated with regular blood transfusions.",
            [EvidenceSource(two.document_id)],
        )
        c, created_c = store.add_evidence(
            "X:1",
            "treatment",
            "Bone marrow transplantation can cure some patients.",
            [EvidenceSource(two.document_id)],
        )
        items = {item.id: item for item in store.evidence_of("X:1")}
    finally:
        store.close()
    assert created_a and not created_b and created_c
    assert a == b != c
    assert len(items[a].sources) == 2


def test_known_content_becomes_evidence_for_a_concept_added_later(
    toy_kb: KnowledgeBase, annotator: Annotator, tmp_path: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'l.db'}", curated=CuratedNames.from_kb(toy_kb))
    try:
        EvidencePipeline(toy_kb, annotator, store).process(document(CASE_REPORT, "/case.txt"))
        change = store.add_concept("Infant blood disorder", author="test")
        target = Target(change.concept.id, change.concept.name, (change.concept.name,))
        pipeline = EvidencePipeline(toy_kb, annotator, store, [target])
        pipeline.process(document(CASE_REPORT, "/case.txt"))
        assert (pipeline.totals.linked, pipeline.totals.added) == (1, 0)
        assert store.evidence_of(target.id)
        again = EvidencePipeline(toy_kb, annotator, store, [target])
        again.process(document(CASE_REPORT, "/case.txt"))
        assert again.totals.unchanged == 1
        assert len(store.patients_of(target.id)) == 1
    finally:
        store.close()


def test_a_focus_with_synonyms_given_as_a_string_ignores_them(
    toy_kb: KnowledgeBase, annotator: Annotator, tmp_path: Path
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'f.db'}", curated=CuratedNames.from_kb(toy_kb))
    try:
        pipeline = EvidencePipeline(toy_kb, annotator, store)
        record = make_document(
            "Zebra fever is rare. It causes anemia.",
            path="/data/medquad.jsonl:1",
            metadata={"focus": "Zebra fever", "synonyms": "abc"},
        )
        analysis = pipeline.process(record)
        assert [t.name for t in analysis.evidence.targets] == ["Zebra fever"]
        added = store.find_concept("Zebra fever")
        assert added is not None and added.source == "literature"
        assert added.synonyms == ()  # not "a", "b", "c"
        listed = make_document(
            "Okapi pox is rare.",
            path="/data/medquad.jsonl:2",
            metadata={"focus": "Okapi pox", "synonyms": ["okapi disease", 7]},
        )
        pipeline.process(listed)
        okapi = store.find_concept("Okapi pox")
        assert okapi is not None and [s.text for s in okapi.synonyms] == ["okapi disease"]
    finally:
        store.close()


def test_a_hedged_symptom_list_gives_findings_a_hedged_case_does_not(
    toy_kb: KnowledgeBase, annotator: Annotator
) -> None:
    text = (
        "Symptoms of Blood disorder B may include anemia and neutropenia. "
        "A 4-month-old boy with Blood disorder B may have had seizures at birth."
    )
    annotation = annotator.annotate(text)
    target = Target("OMIM:100002", "Blood disorder B", ("Blood disorder B",))
    items = extract_evidence(annotation, [target], SectionClassifier()).items
    listing = next(item for item in items if item.text.startswith("Symptoms"))
    assert listing.section == "presentation"
    assert {f.id for f in listing.findings} == {"HP:0001903", "HP:0001875"}
    # "may have had" about a patient is doubt, not a list of the disease's symptoms.
    assert all("HP:0001250" not in {f.id for f in item.findings} for item in items)


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("People with Blood disorder B may have anemia.", True),
        ("You may also feel tired and have anemia for a few months afterward.", True),
        ("Children with Blood disorder B can develop neutropenia.", True),
        # Regression: genetics pages say "affected individuals", "affected males", and name
        # diseases with hyphens ("Freeman-Sheldon syndrome"); their features were lost.
        ("Affected individuals may also have anemia.", True),
        ("Affected males may have neutropenia.", True),
        ("Babies with early-onset forms may also have anemia.", True),
        ("The patient may have anemia.", False),  # doubt about one patient
        ("If it spreads, you may develop anemia.", False),  # a condition, not a finding
        ("People with Blood disorder B may be at risk of anemia.", False),
    ],
)
def test_what_people_with_the_disease_may_have_are_its_findings(
    sentence: str, found: bool, toy_kb: KnowledgeBase, annotator: Annotator
) -> None:
    """On a disease's page "you may feel tired" says a finding varies between patients (as a
    hedged symptom list does); doubt about one patient or a risk is no finding."""
    annotation = annotator.annotate(sentence)
    target = Target("OMIM:100002", "Blood disorder B", ("Blood disorder B",))
    items = extract_evidence(annotation, [target], SectionClassifier()).items
    ids = {f.id for item in items if item.section == "presentation" for f in item.findings}
    assert (bool(ids & {"HP:0001903", "HP:0001875"})) is found, [
        (item.section, item.findings) for item in items
    ]


def test_a_curated_name_beats_a_stored_synonym_whatever_the_order(
    toy_kb: KnowledgeBase, annotator: Annotator, tmp_path: Path
) -> None:
    """Regression: MedQuAD's page on "Amyotrophic lateral sclerosis" went to "ALS type 6" (whose
    page, read first, lists that name as a synonym) on the second ingest, so re-ingesting was
    no no-op and the result depended on the order of the records."""
    subtype = make_document(
        "Blood disorder B type 6 is a rare form of Blood disorder B. It causes anemia.",
        path="/data/medquad.jsonl:1",
        metadata={"focus": "Blood disorder B type 6", "synonyms": ["Blood disorder B"]},
    )
    general = make_document(
        "Blood disorder B is a disease of the blood. People with it have neutropenia.",
        path="/data/medquad.jsonl:2",
        metadata={"focus": "Blood disorder B"},
    )
    for order in ((subtype, general), (general, subtype)):
        database = tmp_path / f"{order[0].metadata['focus']}.db"
        store = Store.open(f"sqlite:///{database}", curated=CuratedNames.from_kb(toy_kb))
        try:
            pipeline = EvidencePipeline(toy_kb, annotator, store)
            firsts = [pipeline.process(record).evidence.targets for record in order]
            seconds = [pipeline.process(record).evidence.targets for record in order]
            assert [[t.id for t in ts] for ts in firsts] == [[t.id for t in ts] for ts in seconds]
            by_focus = dict(zip((r.metadata["focus"] for r in order), firsts, strict=True))
            assert [t.id for t in by_focus["Blood disorder B"]] == ["OMIM:100002"]
        finally:
            store.close()


def test_a_document_with_nothing_to_add_is_unchanged_on_re_ingest(
    toy_kb: KnowledgeBase, annotator: Annotator, tmp_path: Path
) -> None:
    """Regression: a page whose sentences were all dropped counted as "linked to a further
    concept" at every re-ingest, though nothing was written."""
    store = Store.open(f"sqlite:///{tmp_path / 'n.db'}", curated=CuratedNames.from_kb(toy_kb))
    try:
        pipeline = EvidencePipeline(toy_kb, annotator, store)
        notes = make_document(
            "Copyright 2024 Example Health. All rights reserved.",
            path="/data/medquad.jsonl:3",
            metadata={"focus": "Blood disorder B"},
        )
        pipeline.process(notes)
        pipeline.process(notes)
        assert pipeline.totals.linked == 0 and pipeline.totals.unchanged == 1
    finally:
        store.close()


def test_a_concept_declared_no_disorder_is_not_a_disease_in_text(
    toy_kb: KnowledgeBase, tmp_path: Path
) -> None:
    """Regression: MedQuAD's page on surgery (category "Other", synonym "Operation") taught the
    recogniser "operation" as a disease, so a sentence with the word on another disease's page
    was dropped as "about another disease", and a document without a focus linked to Surgery.
    Both within the run that adds the concept and in a later run that finds it stored."""
    surgery = make_document(
        "Surgery is an operation.",
        path="/m.jsonl:1",
        metadata={"focus": "Surgery", "synonyms": ["Operation"], "category": "Other"},
    )
    page = make_document(
        "Zebra fever is rare. Most people with it have anemia before an operation.",
        path="/m.jsonl:2",
        metadata={"focus": "Zebra fever"},
    )
    stray = make_document(
        "Operation notes. The operation went well. After the operation, the site healed.",
        path="/notes.txt",
        title="Operation",
    )
    for runs in ([[surgery, page, stray]], [[surgery], [page, stray]]):
        database = tmp_path / f"{len(runs)}.db"
        for documents in runs:
            store = Store.open(f"sqlite:///{database}", curated=CuratedNames.from_kb(toy_kb))
            try:
                pipeline = EvidencePipeline(toy_kb, Annotator.from_kb(toy_kb), store)
                analyses = {d.path: pipeline.process(d) for d in documents}
            finally:
                store.close()
        kept = [item.text for item in analyses[page.path].evidence.items]
        assert any("operation" in text for text in kept), runs
        assert analyses[stray.path].evidence.targets == ()


def test_a_concept_is_no_finding_of_itself(toy_kb: KnowledgeBase, annotator: Annotator) -> None:
    """Regression: the pulmonary embolism page listed "Pulmonary embolism" (an HPO term too)
    among its own findings. A user concept named like a finding ("Anemia") keeps the rest."""
    sentence = "Most people with anemia have neutropenia and feel tired."
    annotation = annotator.annotate(sentence)
    target = Target("DXATLAS:anemia", "Anemia", ("Anemia", "low red cell count"))
    items = extract_evidence(annotation, [target], SectionClassifier()).items
    assert [(i.section, [f.id for f in i.findings]) for i in items] == [
        ("presentation", ["HP:0001875"])
    ]


def _kept(annotator: Annotator, text: str) -> dict[str, tuple[str, set[str]]]:
    """Each evidence item kept from `text` for Blood disorder B: its section and finding ids."""
    target = Target("OMIM:100002", "Blood disorder B", ("Blood disorder B",))
    items = extract_evidence(annotator.annotate(text), [target], SectionClassifier()).items
    return {i.text: (i.section, {f.id for f in i.findings}) for i in items}


@pytest.mark.parametrize(
    ("sentence", "section", "findings"),
    [
        (
            "Mutations in the BD2 gene damage the marrow, causing symptoms such as anemia "
            "and neutropenia.",
            "etiology",
            {"HP:0001903", "HP:0001875"},
        ),
        ("Transfusions relieve symptoms such as anemia.", "treatment", {"HP:0001903"}),
        ("Mutations in the BD2 gene cause anemia in mice.", "etiology", set()),
    ],
)
def test_a_symptom_list_in_another_section_names_findings(
    sentence: str, section: str, findings: set[str], toy_kb: KnowledgeBase, annotator: Annotator
) -> None:
    """Regression: the pneumonia page's only sentence naming chills ("The air sacs may fill up
    with fluid or pus, causing symptoms such as a cough ..., fever, chills") is an etiology
    sentence, and its symptoms were lost to the ranking."""
    assert list(_kept(annotator, sentence).values()) == [(section, findings)]


def test_a_short_list_item_after_a_lead_in_is_no_heading(
    toy_kb: KnowledgeBase, annotator: Annotator
) -> None:
    """Regression: "See your doctor promptly if you:" then "Have a high fever" on its own line
    lost the pneumonia page its fever: a short line without a full stop read as a heading.
    Such an item stays when it names a finding and is a presentation sentence; a heading, an
    item of another section, and a heading-shaped line outside a list stay out."""
    text = (
        "Call your doctor if your child has these signs:\n"
        "Has seizures every day\n"
        "Low neutrophil counts in blood\n"
        "Outlook and Treatment\n"
        "Treatment helps most children.\n"
        "Has anemia and neutropenia"
    )
    assert _kept(annotator, text) == {
        "Has seizures every day": ("presentation", {"HP:0001250"}),
        "Treatment helps most children.": ("treatment", set()),
    }


def test_a_bulleted_item_naming_a_finding_stays_however_short(
    toy_kb: KnowledgeBase, annotator: Annotator
) -> None:
    """Regression: the Rocky Mountain spotted fever page lists its symptoms as bullets ("-
    Headache", "- Muscle pain") after a lead-in ending with a full stop; each was too short to
    stand alone and the page kept none of them. A short line without a bullet stays out."""
    text = (
        "The symptoms vary greatly from person to person.\n"
        "- Seizures\n"
        "- Anemia\n"
        "Neutropenia\n"
        "Treatment helps most children."
    )
    kept = _kept(annotator, text)
    assert kept["Seizures"] == ("presentation", {"HP:0001250"})
    assert kept["Anemia"] == ("presentation", {"HP:0001903"})
    assert "Neutropenia" not in kept
    # The lead-in says what the list is of: causes are no findings.
    caused = _kept(annotator, "Causes of Blood disorder B include:\n- Seizures\n- Anemia")
    assert "Seizures" not in caused and "Anemia" not in caused


def test_a_flattened_list_copied_after_the_full_stop_is_dropped() -> None:
    """65 MedQuAD sentences end with their list again, without its dashes ("... - social
    workers. psychiatrists social workers."); the page showed both."""
    from dxatlas.evidence.extract import without_repeated_list

    text = "Help comes from - psychiatrists - social workers. psychiatrists social workers."
    assert without_repeated_list(text) == "Help comes from - psychiatrists - social workers."
    for kept in ("Symptoms include - Fever - Rash. The rash fades.", "A - B.", "Plain text."):
        assert without_repeated_list(kept) == kept


@pytest.mark.parametrize(
    ("sentence", "findings"),
    [
        # The concept as subject of "causes": what it causes are its findings.
        ("Blood disorder B is a rare disorder that causes anemia and neutropenia.",
         {"HP:0001903", "HP:0001875"}),
        # How genes cause it, and "cause" as a noun, name none.
        ("It is unclear how mutations in the BD2 gene cause anemia.", set()),
        ("Blood disorder B has several known causes, including anemia of the mother.", set()),
    ],
)  # fmt: skip
def test_what_the_concept_causes_are_its_findings(
    sentence: str, findings: set[str], annotator: Annotator
) -> None:
    """Regression: the definitions that open many pages ("Rickets is a condition that causes
    children to have soft, weak bones") are overview or etiology, and lost their findings."""
    kept = _kept(annotator, sentence)
    assert [found for section, found in kept.values() if section != "presentation"] == [findings], (
        kept
    )


def test_what_the_concept_may_cause_in_a_presentation_sentence(annotator: Annotator) -> None:
    """Regression: "Bronchitis also may cause wheezing, ... and shortness of breath" is a
    presentation sentence whose findings the hedge made uncertain, and a hedged finding counted
    there only under a symptom list or a modal said of people ("you may have"): the page lost
    them all. Said of the concept itself, the hedge only says how often."""
    sentence = "Blood disorder B also may cause anemia and neutropenia."
    assert _kept(annotator, sentence) == {sentence: ("presentation", {"HP:0001903", "HP:0001875"})}
    doubt = "If a doctor suspects it, blood disorder B may be the cause of anemia."
    assert all(not found for _, found in _kept(annotator, doubt).values())
