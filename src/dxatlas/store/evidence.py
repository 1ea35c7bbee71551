"""Evidence items: one sentence shown on a concept page, merged with its near duplicates.

Two sentences are the same evidence when their `evidence_key`s are equal: the key ignores case,
accents, punctuation, whitespace and citation markers (`[3]`, `(4, 5)`, a reference number glued
after the full stop), so the same sentence copied by two sites becomes one item with two sources.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from dxatlas.kb.normalize import fold_accents
from dxatlas.store.errors import StoreError
from dxatlas.store.schema import EvidenceFindingRow, EvidenceRow, EvidenceSourceRow

_CITATION = re.compile(
    r"\[\s*\d+(?:\s*[-,\u2013]\s*\d+)*\s*\]"  # [3], [4-6]
    r"|\(\s*\d+(?:\s*[-,\u2013]\s*\d+)*\s*\)"  # (4, 5)
    r"|(?<=[a-z][.!?])\d{1,3}(?:[,\u2013-]\d{1,3})*\s*$"  # "disease.15" at the end
)
_NON_WORD = re.compile(r"[^0-9a-z]+")


NEAR_DUPLICATE_SIMILARITY = 90.0  # rapidfuzz ratio (0-100) of the normalised words


def comparable_words(text: str) -> str:
    """A sentence reduced to its lower-case words, without accents, punctuation or citations."""
    return _NON_WORD.sub(" ", fold_accents(_CITATION.sub(" ", text)).lower()).strip()


def evidence_key(text: str) -> str:
    """The exact-duplicate key of a sentence (sha256 hex of its comparable words)."""
    return hashlib.sha256(comparable_words(text).encode("utf-8")).hexdigest()


def _near_duplicate(
    session: Session, concept_id: str, section: str, text: str
) -> EvidenceRow | None:
    """An item of the same concept and section that says the same with small edits ("in order
    to" / "to", "synchronous" / "simultaneous"): the most similar one at or above the threshold."""
    words = comparable_words(text)
    rows = session.scalars(
        select(EvidenceRow).where(
            EvidenceRow.concept_id == concept_id, EvidenceRow.section == section
        )
    ).all()
    best, best_score = None, NEAR_DUPLICATE_SIMILARITY
    for row in rows:
        other = comparable_words(row.text)
        if abs(len(other) - len(words)) > 0.2 * max(len(words), 1):
            continue
        score = fuzz.ratio(words, other)
        if score >= best_score:
            best, best_score = row, score
    return best


@dataclass(frozen=True, slots=True)
class EvidenceSource:
    """Where an evidence sentence was read: a stored document and (usually) its sentence."""

    document_id: int
    sentence_id: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding an evidence sentence asserts: its id (`HP:...`) and preferred label."""

    id: str
    label: str


def add_evidence(
    session: Session,
    concept_id: str,
    section: str,
    text: str,
    sources: Iterable[EvidenceSource],
    findings: Iterable[Finding] = (),
    score: float = 0.0,
) -> tuple[int, bool]:
    """Add a sentence under a concept's section, merging with its near duplicate.

    Returns the evidence id and whether a new item was created. A merge keeps the shorter text (usually the one
    without citation markers), adds the new sources and findings, and keeps the higher score.
    """
    key = evidence_key(text)
    row = session.scalars(
        select(EvidenceRow).where(
            EvidenceRow.concept_id == concept_id,
            EvidenceRow.section == section,
            EvidenceRow.key == key,
        )
    ).first()
    if row is None:
        row = _near_duplicate(session, concept_id, section, text)
    created = row is None
    if row is None:
        row = EvidenceRow(concept_id=concept_id, section=section, text=text.strip(), key=key)
        row.score = score
        row.hidden = False
        session.add(row)
    else:
        row.score = max(row.score, score)
        if len(text.strip()) < len(row.text):
            row.text = text.strip()  # the shorter copy, usually without citation markers
    known_sources = {(s.document_id, s.sentence_id) for s in row.sources}
    for source in sources:
        if (source.document_id, source.sentence_id) not in known_sources:
            known_sources.add((source.document_id, source.sentence_id))
            row.sources.append(
                EvidenceSourceRow(document_id=source.document_id, sentence_id=source.sentence_id)
            )
    known_findings = {f.finding_id for f in row.findings}
    for finding in findings:
        if finding.id not in known_findings:
            known_findings.add(finding.id)
            row.findings.append(EvidenceFindingRow(finding_id=finding.id, label=finding.label))
    session.flush()
    return row.id, created


def hide_evidence(session: Session, evidence_id: int, reason: str) -> None:
    """Hide an evidence item from its page, keeping it (and why) for the record."""
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise StoreError(f"no evidence item has the id {evidence_id}")
    row.hidden = True
    row.hidden_reason = reason
