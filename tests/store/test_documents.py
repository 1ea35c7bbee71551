"""Documents are stored whole with their sentences and mentions, once per content hash."""

from __future__ import annotations

import pytest

from dxatlas.ingest.document import Document, Section, make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.recognize.mention import Assertion, Concept, Kind, Mention
from dxatlas.store import Store, StoreError
from dxatlas.store import documents as documents_module
from dxatlas.store.documents import published_date, source_kind

TEXT = (
    "A 53-year-old man presented with violaceous papules and anaemia. "
    "There was no fever. Leukemia cutis was confirmed by skin biopsy."
)


def _document(url: str = "https://www.example.org/case/1") -> Document:
    return make_document(TEXT, title="A case", url=url, date="2024-03-05")


def _mentions(text: str) -> list[Mention]:
    anemia = Concept("HP:0001903", "Anemia", Kind.FINDING)
    fever = Concept("HP:0001945", "Fever", Kind.FINDING)
    a, f = text.index("anaemia"), text.index("fever")
    return [
        Mention(a, a + len("anaemia"), "anaemia", anemia, sentence=0),
        Mention(f, f + len("fever"), "fever", fever, sentence=1, assertion=Assertion.NEGATED),
    ]


def test_a_document_is_stored_with_its_sentences_and_mentions(store: Store) -> None:
    document = _document()
    sentences = split_sentences(document.text)
    outcome = store.add_document(document, sentences, _mentions(document.text))
    assert outcome.status == "added"
    assert (outcome.sentences, outcome.mentions) == (3, 2)
    stats = store.stats()
    assert (stats.documents, stats.sentences, stats.mentions) == (1, 3, 2)
    row = store.document(outcome.document_id)
    assert row is not None
    assert row.content_hash == document.content_hash
    assert (row.domain, row.host, row.source_kind) == ("example.org", "example.org", "web")
    assert row.published is not None and row.published.isoformat() == "2024-03-05"


def test_re_ingesting_the_same_content_changes_nothing(store: Store) -> None:
    document = _document()
    sentences = split_sentences(document.text)
    first = store.add_document(document, sentences, _mentions(document.text))
    before = store.stats()
    again = store.add_document(document, sentences, _mentions(document.text))
    assert again.status == "unchanged"
    assert again.document_id == first.document_id
    # The same text from another site (or re-wrapped) has the same hash: still unchanged.
    elsewhere = make_document(TEXT.replace(". ", ".\n"), url="https://mirror.example.net/x")
    assert elsewhere.content_hash == document.content_hash
    assert store.add_document(elsewhere, split_sentences(elsewhere.text)).status == "unchanged"
    assert store.stats() == before


def test_a_failure_mid_write_stores_nothing_of_the_document(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _document()
    sentences = split_sentences(document.text)

    def explode(*_args: object) -> None:
        raise RuntimeError("disk full")  # after the document and its sentences were flushed

    monkeypatch.setattr(documents_module, "mention_row", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        store.add_document(document, sentences, _mentions(document.text))
    stats = store.stats()
    assert (stats.documents, stats.sentences, stats.mentions) == (0, 0, 0)
    assert store.search_sentences("biopsy") == []
    monkeypatch.undo()
    assert store.add_document(document, sentences, _mentions(document.text)).status == "added"


def test_a_mention_outside_every_sentence_is_refused_whole(store: Store) -> None:
    document = _document()
    stray = Mention(10_000, 10_005, "fever", Concept("HP:0001945", "Fever", Kind.FINDING))
    with pytest.raises(StoreError, match="outside every sentence"):
        store.add_document(document, split_sentences(document.text), [stray])
    assert store.stats().documents == 0


def test_sentences_keep_their_section(store: Store) -> None:
    text = "Leukemia cutis is rare.\n\nSkin biopsy confirms it."
    document = make_document(
        text,
        sections=(Section("information", text[:23], 0), Section("exams", text[25:], 25)),
        source_id="PMID:42",
    )
    outcome = store.add_document(document, split_sentences(document.text))
    with store.engine.connect() as connection:
        from sqlalchemy import text as sql

        rows = connection.execute(
            sql("SELECT ordinal, section FROM sentences WHERE document_id = :d ORDER BY ordinal"),
            {"d": outcome.document_id},
        ).all()
    assert [tuple(row) for row in rows] == [(0, "information"), (1, "exams")]
    assert source_kind(document) == "pubmed"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2024-03-05", "2024-03-05"), ("2024-03-05T10:00:00Z", "2024-03-05"), ("2024 Mar", None)],
)
def test_published_dates_are_read_when_complete(text: str, iso: str | None) -> None:
    parsed = published_date(text)
    assert (parsed.isoformat() if parsed else None) == iso
