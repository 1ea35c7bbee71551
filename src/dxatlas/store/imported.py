"""Storing a user's curated table of findings (`dxatlas kb import`), all rows in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxatlas.kb.table_import import ImportedFinding
from dxatlas.store.concept import ConceptSource
from dxatlas.store.concepts import ConceptBook
from dxatlas.store.schema import ImportedFindingRow


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import stored: new rows, rows already there, concepts made for new names."""

    added: int
    unchanged: int
    concepts_added: tuple[str, ...]


def store_rows(
    session: Session, book: ConceptBook, rows: Sequence[ImportedFinding], origin: str, author: str
) -> ImportOutcome:
    """Store checked rows: a disease the curated knowledge has keeps its id; another name is a
    stored concept found by name or synonym (the row's own name first, then its further names),
    or made with those names (source "imported"). Rows already stored
    (same concept, finding and source) are left as they are, so re-importing changes nothing."""
    concept_ids: dict[str, str] = {}
    made: list[str] = []
    now = datetime.now(UTC)
    added = unchanged = 0
    for row in rows:
        concept_id = row.curated_id or concept_ids.get(row.disease)
        if concept_id is None:
            state = next(filter(None, map(book.find, (row.disease, *row.synonyms))), None)
            if state is None:
                state, _, _ = book.add(
                    row.disease,
                    synonyms=row.synonyms,
                    author=author,
                    source=ConceptSource.IMPORTED,
                )
                made.append(state.id)
            concept_id = concept_ids[row.disease] = state.id
        exists = session.scalar(
            select(ImportedFindingRow.id).where(
                ImportedFindingRow.concept_id == concept_id,
                ImportedFindingRow.finding_id == row.finding_id,
                ImportedFindingRow.source == row.source[:500],
            )
        )
        if exists is not None:
            unchanged += 1
            continue
        session.add(
            ImportedFindingRow(
                concept_id=concept_id,
                finding_id=row.finding_id,
                label=row.label[:500],
                frequency=row.frequency,
                source=row.source[:500],
                origin=f"{origin}:{row.line}"[:1000],
                imported_at=now,
            )
        )
        session.flush()
        added += 1
    return ImportOutcome(added, unchanged, tuple(made))


def imported_findings(session: Session) -> list[tuple[str, str, float | None, str]]:
    """(concept id, finding id, frequency, source) of every imported row."""
    rows = session.execute(
        select(
            ImportedFindingRow.concept_id,
            ImportedFindingRow.finding_id,
            ImportedFindingRow.frequency,
            ImportedFindingRow.source,
        )
    ).all()
    return [(c, f, q, s) for c, f, q, s in rows]


def imported_findings_of(
    session: Session, concept_id: str
) -> list[tuple[str, str, float | None, str]]:
    """(finding id, label, frequency, source) of the imported rows of one concept, in order."""
    rows = session.execute(
        select(
            ImportedFindingRow.finding_id,
            ImportedFindingRow.label,
            ImportedFindingRow.frequency,
            ImportedFindingRow.source,
        )
        .where(ImportedFindingRow.concept_id == concept_id)
        .order_by(ImportedFindingRow.id)
    ).all()
    return [(f, label, q, s) for f, label, q, s in rows]
