"""The evidence store's tables, as typed SQLAlchemy 2 declarative models.

Only portable column types are used (integers, strings, text, floats, booleans, dates, JSON), so
the same models and migrations serve SQLite and PostgreSQL. Dialect-specific full-text indexes
are not declared here: the migration adds them per dialect and `fulltext` queries them.

Concept ids are plain strings, not foreign keys, wherever they may name a curated disease
(`OMIM:...`, `ORPHA:...`) or an HPO term: those live in the knowledge-base index, not here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints, so a later migration can alter them on every dialect (SQLite batch mode too).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 200  # concept, finding and xref ids (`DXATLAS:<slug>`, `MONDO:0005059`)
NAME_LENGTH = 500  # concept names and synonyms


class Base(DeclarativeBase):
    """The declarative base of every store table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DocumentRow(Base):
    """One ingested document; its content hash is unique, which makes re-ingestion idempotent."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200), index=True)  # `PMID:1`, `sha256:...`
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(String(253), index=True)
    host: Mapped[str | None] = mapped_column(String(253))
    path: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    published_text: Mapped[str | None] = mapped_column(
        String(100)
    )  # the date as the source wrote it
    source_kind: Mapped[str] = mapped_column(String(40))  # web, file, pubmed, ...
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)

    sentences: Mapped[list[SentenceRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="SentenceRow.ordinal"
    )


class SentenceRow(Base):
    """One sentence of a document: its position, offsets into the document text and its section."""

    __tablename__ = "sentences"
    __table_args__ = (UniqueConstraint("document_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(String(40))

    document: Mapped[DocumentRow] = relationship(back_populates="sentences")
    mentions: Mapped[list[MentionRow]] = relationship(
        back_populates="sentence", cascade="all, delete-orphan"
    )


class MentionRow(Base):
    """A concept recognised in a sentence, with its kind and what the sentence asserts about it."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_concept_assertion", "concept_id", "assertion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)  # offsets into the document text
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    concept_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    label: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[str] = mapped_column(String(20))  # finding, disease, modifier, other
    assertion: Mapped[str] = mapped_column(String(20))  # asserted, negated, uncertain, family

    sentence: Mapped[SentenceRow] = relationship(back_populates="mentions")


class ConceptRow(Base):
    """A concept kept in the store: a user concept (`DXATLAS:<slug>`) or an imported OBO term."""

    __tablename__ = "concepts"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)  # normalize_name(name)
    source: Mapped[str] = mapped_column(String(20))  # curated, user, obo, literature
    parent_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)

    synonyms: Mapped[list[ConceptSynonymRow]] = relationship(
        cascade="all, delete-orphan", order_by="ConceptSynonymRow.id"
    )
    xrefs: Mapped[list[ConceptXrefRow]] = relationship(
        cascade="all, delete-orphan", order_by="ConceptXrefRow.id"
    )


class ConceptSynonymRow(Base):
    """Another name of a concept, with its OBO scope (exact, related, broad, narrow)."""

    __tablename__ = "concept_synonyms"
    __table_args__ = (UniqueConstraint("concept_id", "text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(NAME_LENGTH))
    key: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)  # normalize_name(text)
    scope: Mapped[str] = mapped_column(String(10), default="exact")


class ConceptXrefRow(Base):
    """An id of the same concept in another resource (`OMIM:...`, `ORPHA:...`, `DOID:...`)."""

    __tablename__ = "concept_xrefs"
    __table_args__ = (UniqueConstraint("concept_id", "xref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    xref: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)


class ConceptRevisionRow(Base):
    """One change to a concept: never updated or deleted; the last `after` is the current state."""

    __tablename__ = "concept_revisions"
    __table_args__ = (UniqueConstraint("concept_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str] = mapped_column(ForeignKey("concepts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... per concept
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(20))  # create, edit, import, revert
    reverted_to: Mapped[int | None] = mapped_column(Integer)  # the revision a revert restored
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # None for the first revision
    after: Mapped[dict[str, Any]] = mapped_column(JSON)


class EvidenceRow(Base):
    """One evidence sentence shown on a concept page; near duplicates share one row via `key`."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("concept_id", "section", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    section: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(64))  # sha256 of the normalised text
    score: Mapped[float] = mapped_column(Float, default=0.0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    sources: Mapped[list[EvidenceSourceRow]] = relationship(cascade="all, delete-orphan")
    findings: Mapped[list[EvidenceFindingRow]] = relationship(cascade="all, delete-orphan")


class EvidenceSourceRow(Base):
    """A sentence (and its document) an evidence item was read from; an item keeps them all."""

    __tablename__ = "evidence_sources"
    __table_args__ = (UniqueConstraint("evidence_id", "sentence_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), index=True
    )


class EvidenceFindingRow(Base):
    """A finding an evidence sentence asserts (its sub-heading on the concept page)."""

    __tablename__ = "evidence_findings"
    __table_args__ = (UniqueConstraint("evidence_id", "finding_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    finding_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    label: Mapped[str] = mapped_column(String(NAME_LENGTH))


class PatientRow(Base):
    """A patient described in a document (age and sex), for a concept's demographics charts."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"))
    concept_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    age_years: Mapped[float | None] = mapped_column(Float)
    sex: Mapped[str | None] = mapped_column(String(10))  # male, female


# --- community: accounts, sign-in sessions, questions with answers, issue tickets -------------
# (Revision 0002_community.) Users are referred to by id; a question's or ticket's concept id is a
# plain string for the same reason as above.

USER_NAME_LENGTH = 40
TITLE_LENGTH = 200


class UserRow(Base):
    """A web account: a unique name (compared case-blind through `name_key`), an argon2 hash of
    its password (never the password) and one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(USER_NAME_LENGTH))
    name_key: Mapped[str] = mapped_column(String(USER_NAME_LENGTH), unique=True)  # casefolded
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))  # user, editor, moderator, admin
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserSessionRow(Base):
    """A signed-in browser: the SHA-256 of its random cookie token (the token itself is never
    stored) and when it expires. Signing out deletes the row, which ends the session."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class QuestionRow(Base):
    """A community question, about one concept or general; shown once a moderator approved it."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    body: Mapped[str] = mapped_column(Text)  # the small markdown, as written
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending, approved
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    answers: Mapped[list[AnswerRow]] = relationship(
        cascade="all, delete-orphan", order_by="AnswerRow.id"
    )


class AnswerRow(Base):
    """An answer under a question, by a signed-in user."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TicketRow(Base):
    """An issue ticket: what is wrong with a concept page, or with one of its evidence sentences."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, in_progress, closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    comments: Mapped[list[TicketCommentRow]] = relationship(
        cascade="all, delete-orphan", order_by="TicketCommentRow.id"
    )


class TicketCommentRow(Base):
    """A comment on a ticket; `status` is the status the comment set, when it changed one."""

    __tablename__ = "ticket_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ImportedFindingRow(Base):
    """One row of a user's curated table (`dxatlas kb import`): a concept has a finding, with a
    frequency when the table gives one, from a source (a citation, a URL, or the file's name)."""

    __tablename__ = "imported_findings"
    __table_args__ = (
        UniqueConstraint("concept_id", "finding_id", "source", name="uq_imported_findings_row"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    finding_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    label: Mapped[str] = mapped_column(String(NAME_LENGTH))
    frequency: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(1000))  # the file and line it was read from
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- editorial: editors' wording of follow-up questions, and hidden evidence's record ----------
# (Revision 0004_question_wording.) Authors are user names, as in `concept_revisions`.


class QuestionWordingRow(Base):
    """An editor's wording of the follow-up question about one finding (an HPO id); it replaces
    the default made from the finding's label wherever the checker asks."""

    __tablename__ = "question_wording"

    hpo_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionWordingRevisionRow(Base):
    """One change of a question's wording: never updated or deleted. `text` None means the
    question went back to its default wording."""

    __tablename__ = "question_wording_revisions"
    __table_args__ = (UniqueConstraint("hpo_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hpo_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... per finding
    before: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceActionRow(Base):
    """An editor hid or restored an evidence sentence: who, when and why (the concept's history
    shows these beside its revisions)."""

    __tablename__ = "evidence_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    concept_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    action: Mapped[str] = mapped_column(String(20))  # hide, restore
    reason: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
