"""The evidence merger writes in bulk: merges within one document and into stored items keep every
source and finding once, the higher score and the shorter text."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.store import EvidenceSource, Finding, Store
from dxatlas.store.evidence import EvidenceMerger

CONCEPT = "DXATLAS:leukemia-cutis"
LONG = "Skin biopsy confirms leukemia cutis in most patients [3]."
SHORT = "Skin biopsy confirms leukemia cutis in most patients."
PAPULE = Finding("HP:0200034", "Papule")
NODULE = Finding("HP:0033813", "Nodule")


def _document(store: Store, text: str, url: str) -> int:
    document = make_document(text, url=url)
    return store.add_document(document, split_sentences(document.text)).document_id


def test_one_batch_merges_its_own_new_items_and_stored_ones(store: Store) -> None:
    first = _document(store, "First page about the skin.", "https://a.org/1")
    second = _document(store, "Second page about the skin.", "https://b.org/2")
    stored, _ = store.add_evidence(
        CONCEPT, "workup", LONG, [EvidenceSource(first)], [PAPULE], score=0.2
    )
    with Session(store.engine) as session, session.begin():
        merger = EvidenceMerger(session)
        merged, created = merger.add(
            CONCEPT, "workup", SHORT, [EvidenceSource(second)], [PAPULE, NODULE], score=0.7
        )
        again, created_again = merger.add(  # the same source and finding once more
            CONCEPT, "workup", LONG, [EvidenceSource(second)], [NODULE], score=0.1
        )
        fresh, created_fresh = merger.add(
            CONCEPT, "treatment", "Radiotherapy clears the skin lesions.", [EvidenceSource(second)]
        )
        twin, created_twin = merger.add(
            CONCEPT,
            "treatment",
            "Radiotherapy clears the skin lesions [4].",
            [EvidenceSource(first)],
        )
        merger.flush()
    assert not created and not created_again and created_fresh and not created_twin
    assert merged is again and fresh is twin
    assert merged.id == stored and fresh.id is not None and fresh.id != stored
    items = {item.id: item for item in store.evidence_of(CONCEPT)}
    assert set(items) == {stored, fresh.id}
    workup = items[stored]
    assert (workup.text, workup.score) == (SHORT, 0.7)
    assert sorted(source.document_id for source in workup.sources) == [first, second]
    assert sorted(workup.findings) == [(NODULE.id, NODULE.label), (PAPULE.id, PAPULE.label)]
    treatment = items[fresh.id]
    assert treatment.text == "Radiotherapy clears the skin lesions."
    assert sorted(source.document_id for source in treatment.sources) == [first, second]
    [hit] = store.search_evidence("biopsy")
    assert hit.text == SHORT  # the full-text index follows the shorter text


def test_a_lower_score_and_a_longer_copy_change_nothing(store: Store) -> None:
    page = _document(store, "A page about the skin.", "https://a.org/1")
    other = _document(store, "Another page about the skin.", "https://b.org/2")
    item, _ = store.add_evidence(CONCEPT, "workup", SHORT, [EvidenceSource(page)], score=0.9)
    same, created = store.add_evidence(CONCEPT, "workup", LONG, [EvidenceSource(other)], score=0.1)
    assert same == item and not created
    [view] = store.evidence_of(CONCEPT)
    assert (view.text, view.score, len(view.sources)) == (SHORT, 0.9, 2)
