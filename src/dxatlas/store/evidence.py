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
from sqlalchemy.orm import Session, selectinload

from dxatlas.kb.normalize import fold_accents
from dxatlas.store.documents import storable
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


class EvidenceMerger:
    """Adds evidence sentences to a session, merging each with its exact or near duplicate.

    The items of a concept are read once, with their comparable words, so that adding the many
    sentences of one document costs one query per concept rather than one scan per sentence.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: set[str] = set()
        self._by_key: dict[tuple[str, str, str], EvidenceRow] = {}
        self._by_section: dict[tuple[str, str], list[tuple[EvidenceRow, str]]] = {}

    def _load(self, concept_id: str) -> None:
        if concept_id in self._loaded:
            return
        self._loaded.add(concept_id)
        rows = self.session.scalars(
            select(EvidenceRow)
            .where(EvidenceRow.concept_id == concept_id)
            .options(selectinload(EvidenceRow.sources), selectinload(EvidenceRow.findings))
        ).all()
        for row in rows:
            self._remember(row)

    def _remember(self, row: EvidenceRow) -> None:
        self._by_key[(row.concept_id, row.section, row.key)] = row
        self._by_section.setdefault((row.concept_id, row.section), []).append(
            (row, comparable_words(row.text))
        )

    def _near_duplicate(self, concept_id: str, section: str, words: str) -> EvidenceRow | None:
        """The most similar item of the same concept and section at or above the threshold: the
        same sentence with small edits ("in order to" / "to", "synchronous" / "simultaneous")."""
        best, best_score = None, NEAR_DUPLICATE_SIMILARITY
        for row, other in self._by_section.get((concept_id, section), ()):
            if abs(len(other) - len(words)) > 0.2 * max(len(words), 1):
                continue
            score = fuzz.ratio(words, other)
            if score >= best_score:
                best, best_score = row, score
        return best

    def add(
        self,
        concept_id: str,
        section: str,
        text: str,
        sources: Iterable[EvidenceSource],
        findings: Iterable[Finding] = (),
        score: float = 0.0,
    ) -> tuple[EvidenceRow, bool]:
        """Add one sentence; returns its (possibly merged) row and whether the row is new.

        A merge keeps the shorter text (usually the one without citation markers), adds the new
        sources and findings, and keeps the higher score.
        """
        self._load(concept_id)
        text = storable(text.strip())
        words = comparable_words(text)
        key = hashlib.sha256(words.encode("utf-8")).hexdigest()
        row = self._by_key.get((concept_id, section, key)) or self._near_duplicate(
            concept_id, section, words
        )
        created = row is None
        if row is None:
            row = EvidenceRow(concept_id=concept_id, section=section, text=text, key=key)
            row.score = score
            row.hidden = False
            self.session.add(row)
            self._remember(row)
        else:
            row.score = max(row.score, score)
            if len(text) < len(row.text):
                row.text = text  # the shorter copy, usually without citation markers
        known_sources = {(s.document_id, s.sentence_id) for s in row.sources}
        for source in sources:
            if (source.document_id, source.sentence_id) not in known_sources:
                known_sources.add((source.document_id, source.sentence_id))
                row.sources.append(
                    EvidenceSourceRow(
                        document_id=source.document_id, sentence_id=source.sentence_id
                    )
                )
        known_findings = {f.finding_id for f in row.findings}
        for finding in findings:
            if finding.id not in known_findings:
                known_findings.add(finding.id)
                row.findings.append(EvidenceFindingRow(finding_id=finding.id, label=finding.label))
        return row, created


def add_evidence(
    session: Session,
    concept_id: str,
    section: str,
    text: str,
    sources: Iterable[EvidenceSource],
    findings: Iterable[Finding] = (),
    score: float = 0.0,
) -> tuple[int, bool]:
    """Add one sentence under a concept's section (see `EvidenceMerger.add`); returns its id and
    whether a new item was created."""
    row, created = EvidenceMerger(session).add(concept_id, section, text, sources, findings, score)
    session.flush()
    return row.id, created


def hide_evidence(session: Session, evidence_id: int, reason: str) -> None:
    """Hide an evidence item from its page, keeping it (and why) for the record."""
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise StoreError(f"no evidence item has the id {evidence_id}")
    row.hidden = True
    row.hidden_reason = reason
