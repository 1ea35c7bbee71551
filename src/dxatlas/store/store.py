"""`Store`: the one interface to the evidence store; all of its database I/O happens here.

Each public method runs in its own transaction: it commits when it returns and rolls back when it
raises, so nothing is ever stored half-way (a document without its sentences, a concept without
its revision). Errors are `StoreError`s with one-line messages.

    with Store.open("sqlite:///dxatlas.db") as store:
        store.add_concept("Leukemia cutis", synonyms=["cutaneous leukemia"], author="ana")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dxatlas.evidence.extract import DocumentEvidence
from dxatlas.ingest.document import Document
from dxatlas.ingest.sentences import Sentence
from dxatlas.kb.table_import import ImportedFinding
from dxatlas.recognize.mention import Mention
from dxatlas.store import concepts as concept_rows
from dxatlas.store import evidence as evidence_items
from dxatlas.store import imported, literature, pages
from dxatlas.store.concept import ConceptChange, ConceptState, Overlap, Revision, Synonym
from dxatlas.store.concepts import ConceptBook
from dxatlas.store.curated import CuratedNames
from dxatlas.store.database import make_engine, migrate, safe_url, store_error
from dxatlas.store.documents import IngestOutcome, find_document, write_document
from dxatlas.store.errors import StoreError
from dxatlas.store.evidence import EvidenceSource, Finding
from dxatlas.store.fulltext import SearchHit, search_for
from dxatlas.store.ontology_import import ImportReport, import_ontology
from dxatlas.store.schema import (
    ConceptRevisionRow,
    ConceptRow,
    DocumentRow,
    EvidenceRow,
    EvidenceSourceRow,
    MentionRow,
    PatientRow,
    SentenceRow,
)


def _concepts_without_evidence(
    session: Session, document_id: int, evidence: DocumentEvidence
) -> set[str]:
    """The concepts `evidence` has items or patients for that have none from the document yet
    (a target with nothing to add is not missing: else a page of boilerplate alone was reported
    "linked to a further concept" at every re-ingest)."""
    targets = {item.concept_id for item in evidence.items}
    targets |= {patient.concept_id for patient in evidence.patients}
    if not targets:
        return set()
    with_evidence = set(
        session.scalars(
            select(EvidenceRow.concept_id)
            .join(EvidenceSourceRow, EvidenceSourceRow.evidence_id == EvidenceRow.id)
            .where(
                EvidenceSourceRow.document_id == document_id, EvidenceRow.concept_id.in_(targets)
            )
        ).all()
    )
    with_patients = set(
        session.scalars(
            select(PatientRow.concept_id).where(
                PatientRow.document_id == document_id, PatientRow.concept_id.in_(targets)
            )
        ).all()
    )
    return targets - with_evidence - with_patients


def _write_evidence(
    session: Session,
    document_id: int,
    evidence: DocumentEvidence,
    concepts: set[str] | None = None,
) -> None:
    """Add one document's evidence items and patients (inside the caller's transaction), for
    every target concept or only those in `concepts`."""
    sentence_ids = session.scalars(
        select(SentenceRow.id)
        .where(SentenceRow.document_id == document_id)
        .order_by(SentenceRow.ordinal)
    ).all()
    merger = evidence_items.EvidenceMerger(session)
    for item in evidence.items:
        if concepts is not None and item.concept_id not in concepts:
            continue
        sentence_id = sentence_ids[item.sentence] if item.sentence < len(sentence_ids) else None
        merger.add(
            item.concept_id,
            item.section,
            item.text,
            [EvidenceSource(document_id, sentence_id)],
            [Finding(f.id, f.label) for f in item.findings],
            item.score,
        )
    merger.flush()
    patients = [
        {
            "document_id": document_id,
            "sentence_id": (
                sentence_ids[patient.sentence] if patient.sentence < len(sentence_ids) else None
            ),
            "concept_id": patient.concept_id,
            "age_years": patient.age_years,
            "sex": patient.sex,
        }
        for patient in evidence.patients
        if concepts is None or patient.concept_id in concepts
    ]
    if patients:
        session.execute(insert(PatientRow.__table__), patients)


@dataclass(frozen=True, slots=True)
class StoreStats:
    """How much the store holds."""

    concepts: int
    concepts_by_source: dict[str, int]
    concept_revisions: int
    documents: int
    sentences: int
    mentions: int
    evidence: int
    patients: int

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


class Store:
    """Documents, sentences, mentions, evidence and concepts in one SQL database."""

    def __init__(self, engine: Engine, curated: CuratedNames | None = None) -> None:
        self.engine = engine
        self.curated = curated or CuratedNames()
        self._search = search_for(engine.dialect.name)

    @classmethod
    def open(cls, url: str, *, curated: CuratedNames | None = None, upgrade: bool = True) -> Self:
        """Connect to `url` and (by default) migrate its schema to the latest revision.

        `curated` names the knowledge base's diseases, so a user concept may take one as its
        parent and a duplicate of one is reported. Raises `DatabaseUnavailable`.
        """
        engine = make_engine(url)
        try:
            if upgrade:
                migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, curated)

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return safe_url(self.engine.url)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One session in one transaction: committed on return, rolled back on any exception."""
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except SQLAlchemyError as error:
            raise store_error(self.engine.url, error) from None

    def _book(self, session: Session) -> ConceptBook:
        return ConceptBook(session, self.curated)

    # -- documents -------------------------------------------------------------------------

    def add_document(
        self,
        document: Document,
        sentences: Sequence[Sentence],
        mentions: Sequence[Mention] = (),
    ) -> IngestOutcome:
        """Store a document with its sentences and mentions, in one transaction.

        Idempotent on the content hash: the same content again changes nothing and reports
        'unchanged' (also when another process stored it a moment before).
        """
        try:
            with self._transaction() as session:
                return write_document(session, document, sentences, mentions)
        except StoreError:
            with self._transaction() as session:
                existing = find_document(session, document.content_hash)
                if existing is None:
                    raise
                return IngestOutcome(existing.id, "unchanged", 0, 0)

    def add_document_with_evidence(
        self,
        document: Document,
        sentences: Sequence[Sentence],
        mentions: Sequence[Mention],
        evidence: DocumentEvidence,
    ) -> IngestOutcome:
        """Store a document, its sentences, mentions, evidence items and patients in ONE
        transaction: a crash leaves either all of it or none of it. Idempotent on the content
        hash, like `add_document`; evidence items' `sentence` indexes `sentences` sorted by start.
        """
        try:
            with self._transaction() as session:
                outcome = write_document(session, document, sentences, mentions)
                if outcome.status == "added":
                    _write_evidence(session, outcome.document_id, evidence)
                    return outcome
                # Known content read for a concept it was not yet evidence for (ingested before
                # the concept existed, or for another concept): add that concept's evidence.
                missing = _concepts_without_evidence(session, outcome.document_id, evidence)
                if missing:
                    _write_evidence(session, outcome.document_id, evidence, missing)
                    return IngestOutcome(outcome.document_id, "linked", 0, 0)
                return outcome
        except StoreError:
            with self._transaction() as session:
                existing = find_document(session, document.content_hash)
                if existing is None:
                    raise
                return IngestOutcome(existing.id, "unchanged", 0, 0)

    def evidence_of(self, concept_id: str) -> list[pages.EvidenceView]:
        """Every evidence item of a concept with its sources and findings (hidden ones flagged)."""
        with self._transaction() as session:
            return pages.evidence_of(session, concept_id)

    def literature_findings(self) -> list[tuple[str, str, int]]:
        """(concept id, HPO finding id, distinct documents asserting it) over all concepts."""
        with self._transaction() as session:
            return pages.literature_findings(session)

    def finding_statements(self) -> list[literature.FindingStatement]:
        """Every visible sentence asserting an HPO finding, per concept and document
        (what the ranking's literature frequencies are read from)."""
        with self._transaction() as session:
            return literature.finding_statements(session)

    def concept_statements(self) -> list[tuple[str, str]]:
        """(concept id, sentence) of the epidemiology and overview evidence (prevalence, ages)."""
        with self._transaction() as session:
            return literature.concept_statements(session)

    def risk_statements(self) -> list[tuple[str, str]]:
        """(concept id, sentence) of the etiology, epidemiology and prevention evidence (what
        makes a concept likelier: its risk factors)."""
        with self._transaction() as session:
            return literature.risk_statements(session)

    def concept_hosts(self) -> list[tuple[str, str | None]]:
        """(concept id, host) of the documents each concept's visible evidence comes from."""
        with self._transaction() as session:
            return literature.concept_hosts(session)

    def declared_foci(self) -> list[tuple[str, bool]]:
        """(focus, is a disorder) of every document whose record declares a focus."""
        with self._transaction() as session:
            return literature.declared_foci(session)

    def import_findings(
        self, rows: Sequence[ImportedFinding], origin: str, author: str
    ) -> imported.ImportOutcome:
        """Store the checked rows of a curated table, all or nothing (see store.imported)."""
        with self._transaction() as session:
            return imported.store_rows(session, self._book(session), rows, origin, author)

    def imported_findings(self) -> list[tuple[str, str, float | None, str]]:
        """(concept id, finding id, frequency, source) of every imported table row."""
        with self._transaction() as session:
            return imported.imported_findings(session)

    def imported_findings_of(self, concept_id: str) -> list[tuple[str, str, float | None, str]]:
        """(finding id, label, frequency, source) of one concept's imported table rows."""
        with self._transaction() as session:
            return imported.imported_findings_of(session, concept_id)

    def patients_of(self, concept_id: str) -> list[pages.PatientView]:
        """The distinct patients counted for a concept."""
        with self._transaction() as session:
            return pages.patients_of(session, concept_id)

    def document(self, document_id: int) -> DocumentRow | None:
        """A stored document row (detached, its columns loaded), for inspection and tests."""
        with self._transaction() as session:
            return session.get(DocumentRow, document_id)

    # -- concepts --------------------------------------------------------------------------

    def add_concept(
        self,
        name: str,
        synonyms: Iterable[Synonym | str] = (),
        parent: str | None = None,
        xrefs: Iterable[str] = (),
        *,
        author: str,
        description: str | None = None,
        source: str = "user",
    ) -> ConceptChange:
        """Add a concept (`DXATLAS:<slug>`; `source` user, or literature for a document focus);
        its overlaps with other names are reported."""
        with self._transaction() as session:
            state, number, overlaps = self._book(session).add(
                name,
                synonyms=list(synonyms),
                parent=parent,
                xrefs=list(xrefs),
                description=description,
                author=author,
                source=source,
            )
        return ConceptChange(state, number, overlaps)

    def edit_concept(self, concept_id: str, *, author: str, **changes: Any) -> ConceptChange | None:
        """Change a concept (name, synonyms, parent, clear_parent, xrefs, description, hidden).

        Appends one revision; returns None (and appends nothing) when nothing changed.
        """
        with self._transaction() as session:
            book = self._book(session)
            state, number = book.edit(concept_id, author=author, **changes)
            overlaps = book.overlaps(state)
        return None if number is None else ConceptChange(state, number, overlaps)

    def revert(self, concept_id: str, revision_number: int, author: str) -> ConceptChange:
        """Restore the state revision `revision_number` left, as a new revision."""
        with self._transaction() as session:
            book = self._book(session)
            state, number = book.revert(concept_id, revision_number, author)
            overlaps = book.overlaps(state)
        return ConceptChange(state, number, overlaps)

    def revisions(self, concept_id: str) -> list[Revision]:
        """Every revision of a concept, oldest first."""
        with self._transaction() as session:
            return self._book(session).revisions(concept_id)

    def concept(self, concept_id: str) -> ConceptState:
        """The current state of a concept (raises `UnknownConcept`)."""
        with self._transaction() as session:
            return self._book(session).get(concept_id)

    def rebuild_concept(self, concept_id: str) -> ConceptState:
        """A concept's state rebuilt from its revisions alone."""
        with self._transaction() as session:
            return self._book(session).rebuild(concept_id)

    def concepts(self, *, include_hidden: bool = False) -> list[ConceptState]:
        """Every stored concept (user, imported, literature), read in one pass."""
        with self._transaction() as session:
            rows = concept_rows.load_all(session).values()
            states = [concept_rows.state_of(row) for row in sorted(rows, key=lambda r: r.id)]
        return [state for state in states if include_hidden or not state.hidden]

    def find_concept(self, name_or_id: str, *, synonyms: bool = True) -> ConceptState | None:
        """The concept with this id or xref, else name, else (with `synonyms`) synonym
        (spelling-blind)."""
        with self._transaction() as session:
            return self._book(session).find(name_or_id, synonyms=synonyms)

    def overlaps(self, concept_id: str) -> tuple[Overlap, ...]:
        """Names the concept shares with curated diseases and other stored concepts."""
        with self._transaction() as session:
            book = self._book(session)
            return book.overlaps(book.get(concept_id))

    def import_obo(self, path: Path | str, author: str) -> ImportReport:
        """Import every term of an ontology file as a concept; idempotent; all or nothing."""
        with self._transaction() as session:
            return import_ontology(self._book(session), Path(path), author)

    # -- evidence --------------------------------------------------------------------------

    def add_evidence(
        self,
        concept_id: str,
        section: str,
        text: str,
        sources: Iterable[EvidenceSource],
        findings: Iterable[Finding] = (),
        score: float = 0.0,
    ) -> tuple[int, bool]:
        """Add an evidence sentence (merged with its near duplicate); returns (id, created)."""
        with self._transaction() as session:
            return evidence_items.add_evidence(
                session, concept_id, section, text, list(sources), list(findings), score
            )

    def hide_evidence(self, evidence_id: int, reason: str) -> None:
        """Hide an evidence item, keeping the reason."""
        with self._transaction() as session:
            evidence_items.hide_evidence(session, evidence_id, reason)

    def search_sentences(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Sentences holding every word of `query`, best first."""
        with self._transaction() as session:
            return self._search.sentences(session, query, limit)

    def search_evidence(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Visible evidence items holding every word of `query`, best first."""
        with self._transaction() as session:
            return self._search.evidence(session, query, limit)

    # -- totals ----------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        """Counts of what the store holds."""

        def count(session: Session, model: type) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        with self._transaction() as session:
            by_source = dict(
                session.execute(
                    select(ConceptRow.source, func.count()).group_by(ConceptRow.source)
                ).all()
            )
            return StoreStats(
                concepts=count(session, ConceptRow),
                concepts_by_source={str(k): int(v) for k, v in sorted(by_source.items())},
                concept_revisions=count(session, ConceptRevisionRow),
                documents=count(session, DocumentRow),
                sentences=count(session, SentenceRow),
                mentions=count(session, MentionRow),
                evidence=count(session, EvidenceRow),
                patients=count(session, PatientRow),
            )
