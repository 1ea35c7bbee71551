"""What differs between SQLite and PostgreSQL is hidden by the store: full-text search, NUL
characters, string lengths. Every test runs on both back ends (PostgreSQL when it answers)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.store import ConceptConflict, EvidenceSource, Store
from dxatlas.store.schema import ID_LENGTH
from tests.databases import fresh_postgres_schema


def _ingest(store: Store, body: str, url: str) -> int:
    document = make_document(body, url=url)
    return store.add_document(document, split_sentences(document.text)).document_id


def test_search_folds_accents_and_stems_on_every_back_end(store: Store) -> None:
    _ingest(store, "La leucémie cutanée was confirmed. Nothing else was found.", "https://a.org")
    _ingest(store, "Two skin biopsies were taken.", "https://b.org")
    assert [hit.text for hit in store.search_sentences("leucemie")] == [
        "La leucémie cutanée was confirmed."
    ]
    assert [hit.text for hit in store.search_sentences("LEUCÉMIE cutanee")] == [
        "La leucémie cutanée was confirmed."
    ]
    assert [hit.text for hit in store.search_sentences("biopsy")] == [
        "Two skin biopsies were taken."
    ]
    assert store.search_sentences("leucemie biopsy") == []  # every word must occur


def test_better_matches_rank_first(store: Store) -> None:
    document = make_document("Fever once.", url="https://a.org")
    first = store.add_document(document, split_sentences(document.text)).document_id
    for body in ("Rash and fever and more fever, fever again.", "A rash was noted."):
        store.add_evidence("DXATLAS:x", "presentation", body, [EvidenceSource(first)])
    hits = store.search_evidence("fever")
    assert [hit.text for hit in hits] == ["Rash and fever and more fever, fever again."]
    ranked = store.search_evidence("rash")
    assert len(ranked) == 2 and ranked[0].rank <= ranked[1].rank


def test_postgres_search_uses_its_gin_index() -> None:
    with (
        fresh_postgres_schema() as url,
        Store.open(url) as store,
        store.engine.connect() as connection,
    ):
        connection.execute(text("SET enable_seqscan = off"))  # an empty table would be scanned
        plan = "\n".join(
            row[0]
            for row in connection.execute(
                text(
                    "EXPLAIN SELECT t.id FROM sentences AS t, plainto_tsquery('dxatlas', 'x') AS q "
                    "WHERE to_tsvector('dxatlas', t.text) @@ q"
                )
            )
        )
    assert "ix_sentences_fts" in plan


def test_a_nul_character_is_stored_on_every_back_end(store: Store) -> None:
    document = make_document("placeholder", url="https://a.org/nul")
    body = "Fever\x00 was noted. Then a rash."
    document = replace(document, text=body, title="A\x00title", content_hash="f" * 64)
    outcome = store.add_document(document, split_sentences(body))
    assert outcome.status == "added"
    row = store.document(outcome.document_id)
    assert row is not None
    assert row.text == "Fever\ufffd was noted. Then a rash." and len(row.text) == len(body)
    assert row.title == "A\ufffdtitle"
    assert [hit.text for hit in store.search_sentences("rash")] == ["Then a rash."]


def test_an_overlong_date_string_is_clipped_not_refused(store: Store) -> None:
    document = make_document("Fever was noted.", url="https://a.org/date")
    document = replace(document, date="sometime " * 40, id="x" * 300)
    outcome = store.add_document(document, split_sentences(document.text))
    row = store.document(outcome.document_id)
    assert row is not None and len(row.published_text or "") == 100 and len(row.source_id) == 200


def test_a_long_name_still_gets_an_id_that_fits(store: Store) -> None:
    name = " ".join(f"word{i}" for i in range(60))  # 409 characters
    first = store.add_concept(name, author="ana").concept
    assert len(first.id) <= ID_LENGTH and first.id.startswith("DXATLAS:word0-word1-")
    store.edit_concept(first.id, name="something else", author="ana")
    second = store.add_concept(name, author="ana").concept  # the slug is taken: `-2`
    assert second.id == first.id + "-2" and len(second.id) <= ID_LENGTH


def test_too_long_an_author_or_xref_is_refused_the_same_way_everywhere(store: Store) -> None:
    with pytest.raises(ConceptConflict, match=r"author .* longer than 200"):
        store.add_concept("Leukemia cutis", author="a" * 201)
    with pytest.raises(ConceptConflict, match=r"xref .* longer than 200"):
        store.add_concept("Leukemia cutis", xrefs=["OMIM:" + "1" * 250], author="ana")
    assert store.stats().concepts == 0
