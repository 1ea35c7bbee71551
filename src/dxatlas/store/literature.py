"""Reading what the ranking learns from the literature: which findings each concept's evidence
asserts (with the sentences, for frequency words), and what its epidemiology sentences say
(for prevalence priors and age bands)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxatlas.kb.normalize import normalize_name
from dxatlas.kb.risk_factors import RISK_SECTIONS
from dxatlas.store.schema import DocumentRow, EvidenceFindingRow, EvidenceRow, EvidenceSourceRow

STATEMENT_SECTIONS = ("epidemiology", "overview")
"""Sections whose sentences may state how common a disease is, and at what age."""


@dataclass(frozen=True, slots=True)
class FindingStatement:
    """One visible sentence of a concept asserting a finding (a presentation sentence, or a
    symptom list elsewhere), and one document it was read from (an item read from three
    documents gives three statements)."""

    concept_id: str
    finding_id: str
    evidence_id: int
    document_id: int
    text: str


def finding_statements(session: Session) -> list[FindingStatement]:
    """Every (concept, HPO finding, evidence sentence, document) of visible evidence."""
    rows = session.execute(
        select(
            EvidenceRow.concept_id,
            EvidenceFindingRow.finding_id,
            EvidenceRow.id,
            EvidenceSourceRow.document_id,
            EvidenceRow.text,
        )
        .join(EvidenceFindingRow, EvidenceFindingRow.evidence_id == EvidenceRow.id)
        .join(EvidenceSourceRow, EvidenceSourceRow.evidence_id == EvidenceRow.id)
        .where(
            # Presentation sentences, and symptom lists of other sections ("causing symptoms
            # such as ..."): the only evidence that stores HPO findings (workup stores tests).
            EvidenceRow.hidden.is_(False),
            EvidenceFindingRow.finding_id.like("HP:%"),
        )
        .distinct()
    ).all()
    return [FindingStatement(c, f, int(e), int(d), t) for c, f, e, d, t in rows]


def concept_statements(session: Session) -> list[tuple[str, str]]:
    """(concept id, sentence) of every visible epidemiology and overview evidence item."""
    rows = session.execute(
        select(EvidenceRow.concept_id, EvidenceRow.text).where(
            EvidenceRow.section.in_(STATEMENT_SECTIONS), EvidenceRow.hidden.is_(False)
        )
    ).all()
    return [(concept, text) for concept, text in rows]


def risk_statements(session: Session) -> list[tuple[str, str]]:
    """(concept id, sentence) of every visible etiology, epidemiology and prevention evidence
    item: what makes the concept likelier (`dxatlas.kb.risk_factors`)."""
    rows = session.execute(
        select(EvidenceRow.concept_id, EvidenceRow.text).where(
            EvidenceRow.section.in_(RISK_SECTIONS), EvidenceRow.hidden.is_(False)
        )
    ).all()
    return [(concept, text) for concept, text in rows]


def declares_disorder(metadata: Mapping[str, Any]) -> bool:
    """Whether a record's focus is a disorder: a record says it is not when its `category` is
    "Other" or its `focus_ids.semantic_group` names a group other than "Disorders" (MedQuAD's
    fields: a page about cough medicines, surgery or a drug); a record that says neither counts
    as a disorder."""
    ids = metadata.get("focus_ids")
    group = ids.get("semantic_group") if isinstance(ids, dict) else None
    return not (
        metadata.get("category") == "Other" or (isinstance(group, str) and group != "Disorders")
    )


def not_disorders(foci: Iterable[tuple[str, bool]]) -> frozenset[str]:
    """The normalised focus names that records declare no disorder and none declares one
    (`foci`: (focus, is a disorder) pairs, as `Store.declared_foci` gives them)."""
    verdicts: dict[str, bool] = {}
    for focus, is_disorder in foci:
        key = normalize_name(focus)
        verdicts[key] = verdicts.get(key, False) or is_disorder
    return frozenset(key for key, is_disorder in verdicts.items() if not is_disorder)


def declared_foci(session: Session) -> list[tuple[str, bool]]:
    """(focus, is a disorder: `declares_disorder`) of every document whose record declares a
    focus (a corpus record's `focus`)."""
    found: list[tuple[str, bool]] = []
    for (metadata,) in session.execute(select(DocumentRow.metadata_)):
        if not isinstance(metadata, dict):
            continue
        focus = metadata.get("focus")
        if not isinstance(focus, str) or not focus.strip():
            continue
        found.append((focus, declares_disorder(metadata)))
    return found


def concept_hosts(session: Session) -> list[tuple[str, str | None]]:
    """(concept id, host name) of every document a concept's visible evidence was read from;
    the host is None for a document without a URL (a local file)."""
    rows = session.execute(
        select(EvidenceRow.concept_id, DocumentRow.host)
        .join(EvidenceSourceRow, EvidenceSourceRow.evidence_id == EvidenceRow.id)
        .join(DocumentRow, DocumentRow.id == EvidenceSourceRow.document_id)
        .where(EvidenceRow.hidden.is_(False))
        .distinct()
    ).all()
    return [(concept, host) for concept, host in rows]
