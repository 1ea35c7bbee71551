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
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

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


class _Item:
    """An evidence item while a document's sentences are merged: its columns, the sources and
    findings it has, and what changed since it was read (so only that is written)."""

    __slots__ = (
        "concept_id",
        "findings",
        "id",
        "key",
        "new_score",
        "new_text",
        "score",
        "section",
        "sources",
        "text",
        "words",
    )

    def __init__(
        self,
        concept_id: str,
        section: str,
        text: str,
        key: str,
        score: float,
        item_id: int | None = None,
        words: str | None = None,
    ) -> None:
        self.id = item_id  # None until the item is written
        self.concept_id = concept_id
        self.section = section
        self.text = text
        self.key = key
        self.score = score
        self.words = comparable_words(text) if words is None else words
        self.sources: set[tuple[int, int | None]] = set()
        self.findings: set[str] = set()
        self.new_text = False  # a stored item's text or score changed by a merge
        self.new_score = False


class EvidenceMerger:
    """Adds evidence sentences to a session, merging each with its exact or near duplicate.

    The items of a concept are read once, with their sources and findings, so that adding the many
    sentences of one document costs three queries per concept rather than one scan per sentence.
    What `add` decides is kept in memory and written by `flush` with one multi-row statement per
    table (new items, changed items, new sources, new findings), where the ORM's unit of work
    (one object per row) took about a quarter of an ingest's time.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._loaded: set[str] = set()
        self._by_key: dict[tuple[str, str, str], _Item] = {}
        self._by_section: dict[tuple[str, str], list[_Item]] = {}
        self._changed: dict[int, _Item] = {}  # stored items whose text or score changed
        self._new: list[_Item] = []
        self._sources: list[tuple[_Item, int, int | None]] = []
        self._findings: list[tuple[_Item, str, str]] = []

    def _load(self, concept_id: str) -> None:
        if concept_id in self._loaded:
            return
        self._loaded.add(concept_id)
        session = self.session
        items: dict[int, _Item] = {}
        rows = session.execute(
            select(
                EvidenceRow.id,
                EvidenceRow.section,
                EvidenceRow.text,
                EvidenceRow.key,
                EvidenceRow.score,
            )
            .where(EvidenceRow.concept_id == concept_id)
            .order_by(EvidenceRow.id)  # ties between near duplicates go to the later item
        )
        for item_id, section, text, key, score in rows:
            item = items[item_id] = _Item(concept_id, section, text, key, score, item_id)
            self._remember(item)
        if not items:
            return
        sources = session.execute(
            select(
                EvidenceSourceRow.evidence_id,
                EvidenceSourceRow.document_id,
                EvidenceSourceRow.sentence_id,
            )
            .join(EvidenceRow, EvidenceRow.id == EvidenceSourceRow.evidence_id)
            .where(EvidenceRow.concept_id == concept_id)
        )
        for item_id, document_id, sentence_id in sources:
            items[item_id].sources.add((document_id, sentence_id))
        findings = session.execute(
            select(EvidenceFindingRow.evidence_id, EvidenceFindingRow.finding_id)
            .join(EvidenceRow, EvidenceRow.id == EvidenceFindingRow.evidence_id)
            .where(EvidenceRow.concept_id == concept_id)
        )
        for item_id, finding_id in findings:
            items[item_id].findings.add(finding_id)

    def _remember(self, item: _Item) -> None:
        self._by_key[(item.concept_id, item.section, item.key)] = item
        self._by_section.setdefault((item.concept_id, item.section), []).append(item)

    def _near_duplicate(self, concept_id: str, section: str, words: str) -> _Item | None:
        """The most similar item of the same concept and section at or above the threshold: the
        same sentence with small edits ("in order to" / "to", "synchronous" / "simultaneous")."""
        best, best_score = None, NEAR_DUPLICATE_SIMILARITY
        for item in self._by_section.get((concept_id, section), ()):
            other = item.words
            if abs(len(other) - len(words)) > 0.2 * max(len(words), 1):
                continue
            score = fuzz.ratio(words, other)
            if score >= best_score:
                best, best_score = item, score
        return best

    def add(
        self,
        concept_id: str,
        section: str,
        text: str,
        sources: Iterable[EvidenceSource],
        findings: Iterable[Finding] = (),
        score: float = 0.0,
    ) -> tuple[_Item, bool]:
        """Add one sentence; returns its (possibly merged) item and whether the item is new. The
        item's `id` is set once `flush` wrote it.

        A merge keeps the shorter text (usually the one without citation markers), adds the new
        sources and findings, and keeps the higher score.
        """
        self._load(concept_id)
        text = storable(text.strip())
        words = comparable_words(text)
        key = hashlib.sha256(words.encode("utf-8")).hexdigest()
        item = self._by_key.get((concept_id, section, key)) or self._near_duplicate(
            concept_id, section, words
        )
        created = item is None
        if item is None:
            item = _Item(concept_id, section, text, key, score, words=words)
            self._new.append(item)
            self._remember(item)
        else:
            if score > item.score:
                item.score = score
                item.new_score = True
            if len(text) < len(item.text):
                # The shorter copy, usually without citation markers; its words stay those it
                # was first compared by until the item is read again.
                item.text = text
                item.new_text = True
            if item.id is not None and (item.new_score or item.new_text):
                self._changed[item.id] = item
        for source in sources:
            pair = (source.document_id, source.sentence_id)
            if pair not in item.sources:
                item.sources.add(pair)
                self._sources.append((item, *pair))
        for finding in findings:
            if finding.id not in item.findings:
                item.findings.add(finding.id)
                self._findings.append((item, finding.id, finding.label))
        return item, created

    def flush(self) -> None:
        """Write what `add` decided since the last flush: new items (their ids are read back in
        the order given), changed texts and scores, new sources and findings."""
        connection = self.session.connection()
        evidence = EvidenceRow.__table__
        if self._new:
            ids = connection.execute(
                insert(evidence).returning(evidence.c.id, sort_by_parameter_order=True),
                [
                    {
                        "concept_id": item.concept_id,
                        "section": item.section,
                        "text": item.text,
                        "key": item.key,
                        "score": item.score,
                        "hidden": False,
                    }
                    for item in self._new
                ],
            ).scalars()
            for item, item_id in zip(self._new, ids, strict=True):
                item.id = item_id
                item.new_text = item.new_score = False
        changed = list(self._changed.values())
        _set_column(connection, "score", [(i.id, i.score) for i in changed if i.new_score])
        _set_column(connection, "text", [(i.id, i.text) for i in changed if i.new_text])
        if self._sources:
            connection.execute(
                insert(EvidenceSourceRow.__table__),
                [
                    {"evidence_id": item.id, "document_id": document_id, "sentence_id": sentence_id}
                    for item, document_id, sentence_id in self._sources
                ],
            )
        if self._findings:
            connection.execute(
                insert(EvidenceFindingRow.__table__),
                [
                    {"evidence_id": item.id, "finding_id": finding_id, "label": label}
                    for item, finding_id, label in self._findings
                ],
            )
        for item in changed:
            item.new_text = item.new_score = False
        self._new, self._changed, self._sources, self._findings = [], {}, [], []


def _set_column(connection: Connection, column: str, values: list[tuple[int, object]]) -> None:
    """Set one column of the evidence rows given as (id, value), in one executemany UPDATE."""
    if not values:
        return
    evidence = EvidenceRow.__table__
    connection.execute(
        update(evidence)
        .where(evidence.c.id == bindparam("b_id"))
        .values({column: bindparam("b_value")}),
        [{"b_id": item_id, "b_value": value} for item_id, value in values],
    )


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
    merger = EvidenceMerger(session)
    item, created = merger.add(concept_id, section, text, sources, findings, score)
    merger.flush()
    assert item.id is not None
    return item.id, created


def hide_evidence(session: Session, evidence_id: int, reason: str) -> None:
    """Hide an evidence item from its page, keeping it (and why) for the record."""
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise StoreError(f"no evidence item has the id {evidence_id}")
    row.hidden = True
    row.hidden_reason = reason
