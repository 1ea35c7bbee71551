"""Reading what a concept page shows: its evidence items with their sources, and its patients."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dxatlas.store.schema import (
    DocumentRow,
    EvidenceFindingRow,
    EvidenceRow,
    EvidenceSourceRow,
    MentionRow,
    PatientRow,
    SentenceRow,
)


@dataclass(frozen=True, slots=True)
class SourceView:
    """Where an evidence sentence was read."""

    document_id: int
    url: str | None
    domain: str | None
    title: str | None
    path: str | None
    source_id: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One evidence item as a page shows it."""

    id: int
    section: str
    text: str
    score: float
    hidden: bool
    hidden_reason: str | None
    sources: tuple[SourceView, ...]
    findings: tuple[tuple[str, str], ...]  # (id, label)
    diseases: tuple[tuple[str, str], ...]  # diseases named in its source sentences (id, label)


@dataclass(frozen=True, slots=True)
class PatientView:
    """A patient described in a document about the concept."""

    document_id: int
    age_years: float | None
    sex: str | None


def evidence_of(session: Session, concept_id: str) -> list[EvidenceView]:
    """Every evidence item of a concept (hidden ones too, flagged), with sources and findings."""
    rows = session.scalars(
        select(EvidenceRow)
        .where(EvidenceRow.concept_id == concept_id)
        .options(selectinload(EvidenceRow.sources), selectinload(EvidenceRow.findings))
        .order_by(EvidenceRow.id)
    ).all()
    document_ids = {s.document_id for row in rows for s in row.sources}
    sentence_ids = {s.sentence_id for row in rows for s in row.sources if s.sentence_id}
    documents = _documents(session, document_ids)
    diseases = _diseases_named(session, sentence_ids)
    return [
        EvidenceView(
            id=row.id,
            section=row.section,
            text=row.text,
            score=row.score,
            hidden=row.hidden,
            hidden_reason=row.hidden_reason,
            sources=tuple(documents[s.document_id] for s in _ordered(row.sources)),
            findings=tuple((f.finding_id, f.label) for f in row.findings),
            diseases=_merge(diseases.get(s.sentence_id, ()) for s in row.sources),
        )
        for row in rows
    ]


def patients_of(session: Session, concept_id: str) -> list[PatientView]:
    """The patients counted for a concept, one row per distinct patient of each document."""
    rows = session.scalars(
        select(PatientRow).where(PatientRow.concept_id == concept_id).order_by(PatientRow.id)
    ).all()
    return [PatientView(row.document_id, row.age_years, row.sex) for row in rows]


def _ordered(sources: Sequence[EvidenceSourceRow]) -> list[EvidenceSourceRow]:
    seen: dict[int, EvidenceSourceRow] = {}
    for source in sorted(sources, key=lambda s: s.id):
        seen.setdefault(source.document_id, source)
    return list(seen.values())


def _documents(session: Session, ids: set[int]) -> dict[int, SourceView]:
    if not ids:
        return {}
    rows = session.execute(
        select(
            DocumentRow.id,
            DocumentRow.url,
            DocumentRow.domain,
            DocumentRow.title,
            DocumentRow.path,
            DocumentRow.source_id,
        ).where(DocumentRow.id.in_(ids))
    ).all()
    return {
        row.id: SourceView(row.id, row.url, row.domain, row.title, row.path, row.source_id)
        for row in rows
    }


def _diseases_named(
    session: Session, sentence_ids: set[int]
) -> dict[int, tuple[tuple[str, str], ...]]:
    if not sentence_ids:
        return {}
    rows = session.execute(
        select(MentionRow.sentence_id, MentionRow.concept_id, MentionRow.label)
        .join(SentenceRow, SentenceRow.id == MentionRow.sentence_id)
        .where(MentionRow.sentence_id.in_(sentence_ids), MentionRow.kind == "disease")
    ).all()
    found: dict[int, list[tuple[str, str]]] = {}
    for sentence_id, concept_id, label in rows:
        found.setdefault(sentence_id, []).append((concept_id, label or concept_id))
    return {key: tuple(value) for key, value in found.items()}


def _merge(groups) -> tuple[tuple[str, str], ...]:  # type: ignore[no-untyped-def]
    merged: dict[str, tuple[str, str]] = {}
    for group in groups:
        for concept_id, label in group:
            merged.setdefault(concept_id, (concept_id, label))
    return tuple(merged.values())


def literature_findings(session: Session) -> list[tuple[str, str, int]]:
    """(concept id, finding id, distinct documents) for every HPO finding that visible evidence
    asserts: what the literature says each concept presents with."""
    rows = session.execute(
        select(
            EvidenceRow.concept_id,
            EvidenceFindingRow.finding_id,
            func.count(func.distinct(EvidenceSourceRow.document_id)),
        )
        .join(EvidenceFindingRow, EvidenceFindingRow.evidence_id == EvidenceRow.id)
        .join(EvidenceSourceRow, EvidenceSourceRow.evidence_id == EvidenceRow.id)
        .where(
            # Presentation sentences, and symptom lists of other sections ("causing symptoms
            # such as ..."): the only evidence that stores HPO findings (workup stores tests).
            EvidenceRow.hidden.is_(False),
            # not LIKE: SQLite's is case-blind, PostgreSQL's is not; substr compares exactly on both
            func.substr(EvidenceFindingRow.finding_id, 1, 3) == "HP:",
        )
        .group_by(EvidenceRow.concept_id, EvidenceFindingRow.finding_id)
    ).all()
    return [(concept, finding, int(n)) for concept, finding, n in rows]
