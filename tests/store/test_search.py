"""Full-text search over sentences and evidence; evidence near duplicates merge and keep every source."""

from __future__ import annotations

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.store import EvidenceSource, Finding, Store
from dxatlas.store.evidence import evidence_key


def _ingest(store: Store, text: str, url: str) -> int:
    document = make_document(text, url=url)
    return store.add_document(document, split_sentences(document.text)).document_id


def test_search_finds_a_sentence(store: Store) -> None:
    _ingest(
        store, "Fever was absent. Leukemia cutis was confirmed by skin biopsies.", "https://a.org"
    )
    hits = store.search_sentences("skin biopsy")  # stemmed: biopsies ~ biopsy
    assert [hit.text for hit in hits] == ["Leukemia cutis was confirmed by skin biopsies."]
    assert hits[0].kind == "sentence" and hits[0].document_id is not None
    assert store.search_sentences("lymphoma") == []
    assert len(store.search_sentences('skin" (biopsy*')) == 1  # FTS syntax is plain text here
    assert store.search_sentences("  ") == []


def test_evidence_near_duplicates_merge_and_keep_their_sources(store: Store) -> None:
    first = _ingest(store, "Skin biopsy confirms leukemia cutis [3].", "https://a.org/1")
    second = _ingest(store, "Skin biopsy confirms Leukemia cutis.", "https://b.org/2")
    item, created = store.add_evidence(
        "DXATLAS:leukemia-cutis",
        "workup",
        "Skin biopsy confirms leukemia cutis [3].",
        [EvidenceSource(first)],
        [Finding("HP:0200034", "Papule")],
        score=0.5,
    )
    same, merged = store.add_evidence(
        "DXATLAS:leukemia-cutis",
        "workup",
        "Skin biopsy confirms Leukemia cutis.",
        [EvidenceSource(second)],
        score=0.9,
    )
    assert created and not merged and same == item
    assert store.stats().evidence == 1
    [hit] = store.search_evidence("biopsy")
    assert hit.text == "Skin biopsy confirms Leukemia cutis."  # the copy without the citation
    assert hit.concept_id == "DXATLAS:leukemia-cutis"
    with store.engine.connect() as connection:
        from sqlalchemy import text

        sources = connection.execute(
            text("SELECT document_id FROM evidence_sources WHERE evidence_id = :e ORDER BY 1"),
            {"e": item},
        ).scalars()
        assert list(sources) == [first, second]
    store.hide_evidence(item, "duplicate of a better sentence")
    assert store.search_evidence("biopsy") == []


def test_evidence_keys_ignore_case_punctuation_and_citations() -> None:
    base = evidence_key("Skin biopsy confirms leukemia cutis.")
    assert evidence_key("skin biopsy confirms leukemia cutis [3, 4]") == base
    assert evidence_key("Skin biopsy confirms leukemia cutis.12") == base
    assert evidence_key("Skin biopsy excludes leukemia cutis.") != base
