"""Writing one ingested document (with its sentences and mentions) into the store's tables.

The rows are only added to the caller's session; `Store.add_document` wraps this in one
transaction, so a document is stored whole or not at all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dxatlas.ingest.document import Document
from dxatlas.ingest.sentences import Sentence
from dxatlas.recognize.mention import Mention
from dxatlas.store.errors import StoreError
from dxatlas.store.schema import DocumentRow, MentionRow, SentenceRow

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def storable(text: str) -> str:
    """Text every back end can hold: PostgreSQL refuses NUL characters, so each becomes U+FFFD
    (one character for one, so offsets into the text stay right)."""
    return text.replace("\x00", "\ufffd")


def clipped(value: str | None, column: Any) -> str | None:
    """A value cut to its column's length (PostgreSQL refuses longer strings; SQLite would keep
    them): source metadata such as a date as a site wrote it must not cost the document."""
    if value is None:
        return None
    length = column.type.length
    return storable(value if length is None else value[:length])


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What `add_document` did: 'added' the document, found it 'unchanged' (same content hash),
    or found it and 'linked' it, as evidence, to a concept it was not yet evidence for."""

    document_id: int
    status: Literal["added", "unchanged", "linked"]
    sentences: int
    mentions: int


def source_kind(document: Document) -> str:
    """How the document reached us: pubmed, web (a URL), file (a path) or text."""
    if document.id.startswith("PMID:"):
        return "pubmed"
    if document.origin.url:
        return "web"
    if document.origin.path:
        return "file"
    return "text"


def published_date(text: str | None) -> date | None:
    """The date of a `YYYY-MM-DD...` string; None for partial or other forms (kept as text)."""
    match = _ISO_DATE.match(text or "")
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def find_document(session: Session, content_hash: str) -> DocumentRow | None:
    """The stored document with this content hash, if any."""
    return session.scalars(
        select(DocumentRow).where(DocumentRow.content_hash == content_hash)
    ).first()


def document_row(document: Document) -> DocumentRow:
    """The `documents` row of a document (ingested now)."""
    columns = DocumentRow.__table__.c
    origin = document.origin
    return DocumentRow(
        source_id=clipped(document.id, columns.source_id),
        content_hash=document.content_hash,
        url=storable(origin.url) if origin.url else None,
        domain=clipped(origin.domain, columns.domain),
        host=clipped(origin.host, columns.host),
        path=storable(origin.path) if origin.path else None,
        title=storable(document.title) if document.title else None,
        published=published_date(document.date),
        published_text=clipped(document.date, columns.published_text),
        source_kind=source_kind(document),
        ingested_at=datetime.now(UTC),
        text=storable(document.text),
        metadata_=dict(document.metadata),
    )


def sentence_rows(
    document_id: int, document: Document, sentences: Sequence[Sentence]
) -> list[dict[str, Any]]:
    """The `sentences` rows, in order, each with the kind of the section it starts in."""
    rows = []
    for ordinal, sentence in enumerate(sentences):
        section = document.section_at(sentence.start)
        rows.append(
            {
                "document_id": document_id,
                "ordinal": ordinal,
                "start": sentence.start,
                "end": sentence.end,
                "text": storable(sentence.text),
                "section": section.kind if section else None,
            }
        )
    return rows


def mention_row(mention: Mention, sentence_id: int) -> dict[str, Any]:
    """The `mentions` row of one mention in its sentence."""
    return {
        "sentence_id": sentence_id,
        "start": mention.start,
        "end": mention.end,
        "text": storable(mention.text),
        "concept_id": mention.concept.id,
        "label": mention.concept.label,
        "kind": str(mention.concept.kind),
        "assertion": str(mention.assertion),
    }


def sentence_of(mention: Mention, starts: Sequence[int], ends: Sequence[int]) -> int:
    """The index of the sentence holding the mention's first character (sentences sorted by
    start); raises `StoreError` when none does."""
    index = bisect.bisect_right(starts, mention.start) - 1
    if index < 0 or mention.start >= ends[index]:
        raise StoreError(
            f"mention {mention.text!r} at {mention.start}:{mention.end} lies outside every sentence"
        )
    return index


def write_document(
    session: Session,
    document: Document,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention] = (),
) -> IngestOutcome:
    """Add the document, its sentences and mentions to `session` (the caller commits).

    Sentences and mentions are written with one multi-row INSERT each (SQLAlchemy Core), not one
    ORM object per row: a MedQuAD record has some 70 sentences and 110 mentions.
    """
    existing = find_document(session, document.content_hash)
    if existing is not None:
        return IngestOutcome(existing.id, "unchanged", 0, 0)
    row = document_row(document)
    session.add(row)
    session.flush()  # assigns the document id the sentences refer to
    ordered = sorted(sentences, key=lambda s: s.start)
    connection = session.connection()
    table = SentenceRow.__table__
    sentence_ids: list[int] = []
    if ordered:
        sentence_ids = list(
            connection.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                sentence_rows(row.id, document, ordered),
            ).scalars()
        )
    starts = [sentence.start for sentence in ordered]
    ends = [sentence.end for sentence in ordered]
    mention_rows = [
        mention_row(mention, sentence_ids[sentence_of(mention, starts, ends)])
        for mention in mentions
    ]
    if mention_rows:
        connection.execute(insert(MentionRow.__table__), mention_rows)
    return IngestOutcome(row.id, "added", len(ordered), len(mentions))
