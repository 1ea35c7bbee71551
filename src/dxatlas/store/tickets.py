"""`Tickets`: issue tickets about a concept page or one of its evidence sentences ("what is
wrong"), their status (open, in progress, closed) and comments.

Every status change is kept as a comment that records the status it set, so a ticket's history
reads top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dxatlas.store.accounts import User
from dxatlas.store.community_base import InvalidInput, NotFound, Transaction, as_utc, utc_now
from dxatlas.store.community_text import checked_text
from dxatlas.store.schema import (
    ID_LENGTH,
    EvidenceRow,
    TicketCommentRow,
    TicketRow,
    UserRow,
)

STATUSES = ("open", "in_progress", "closed")
STATUS_LABELS = {"open": "open", "in_progress": "in progress", "closed": "closed"}


def checked_status(text: str) -> str:
    """A ticket status (`in progress` is accepted for `in_progress`), else `InvalidInput`."""
    status = text.strip().lower().replace(" ", "_").replace("-", "_")
    if status not in STATUSES:
        raise InvalidInput(f"unknown ticket status {text!r}: use one of {', '.join(STATUSES)}")
    return status


@dataclass(frozen=True, slots=True)
class CommentView:
    id: int
    author: str
    text: str
    status: str | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "text": self.text,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    concept_id: str
    evidence_id: int | None
    evidence_text: str | None
    author: str
    author_id: int
    text: str
    status: str
    created_at: datetime
    updated_at: datetime
    comments: tuple[CommentView, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "concept_id": self.concept_id,
            "evidence_id": self.evidence_id,
            "evidence_text": self.evidence_text,
            "author": self.author,
            "text": self.text,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "comments": [comment.to_json() for comment in self.comments],
        }


class Tickets:
    """Issue tickets in the store; each method runs in its own transaction."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def create(
        self, author: User, concept_id: str, text: str, evidence_id: int | None = None
    ) -> TicketView:
        """A new open ticket. The concept id is taken as given (the caller checks it names a
        concept); an evidence id must name an evidence sentence of that concept."""
        concept = concept_id.strip()
        if not concept or len(concept) > ID_LENGTH:
            raise InvalidInput("a ticket needs the id of the concept it is about")
        clean = checked_text(text, "ticket text")
        with self._transaction() as session:
            if evidence_id is not None:
                _evidence(session, concept, evidence_id)
            now = utc_now()
            row = TicketRow(
                concept_id=concept,
                evidence_id=evidence_id,
                author_id=author.id,
                text=clean,
                status="open",
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            return _view(session, row)

    def evidence_sentence(self, concept_id: str, evidence_id: int) -> str:
        """The text of an evidence sentence of the concept (`NotFound` if it has no such one)."""
        with self._transaction() as session:
            return _evidence(session, concept_id, evidence_id).text

    def get(self, ticket_id: int) -> TicketView:
        with self._transaction() as session:
            return _view(session, _get(session, ticket_id))

    def recent(
        self,
        *,
        status: str | None = None,
        author_id: int | None = None,
        concept_id: str | None = None,
        limit: int = 200,
    ) -> list[TicketView]:
        """Tickets, most recently changed first; in `status`, by `author_id`, about `concept_id`
        when given."""
        query = select(TicketRow)
        if status is not None:
            query = query.where(TicketRow.status == checked_status(status))
        if author_id is not None:
            query = query.where(TicketRow.author_id == author_id)
        if concept_id is not None:
            query = query.where(TicketRow.concept_id == concept_id)
        with self._transaction() as session:
            rows = session.scalars(
                query.order_by(TicketRow.updated_at.desc(), TicketRow.id.desc()).limit(limit)
            ).all()
            return [_view(session, row) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many tickets are in each status."""
        with self._transaction() as session:
            found = dict(
                session.execute(
                    select(TicketRow.status, func.count()).group_by(TicketRow.status)
                ).all()
            )
        return {status: int(found.get(status, 0)) for status in STATUSES}

    def set_status(
        self, ticket_id: int, editor: User, status: str, comment: str = ""
    ) -> TicketView:
        """Move a ticket to `status`, recorded as a comment (with `comment`'s text, if any)."""
        wanted = checked_status(status)
        note = checked_text(comment, "comment", min_chars=0)
        with self._transaction() as session:
            row = _get(session, ticket_id)
            if row.status == wanted and not note:
                return _view(session, row)
            now = utc_now()
            row.comments.append(
                TicketCommentRow(
                    author_id=editor.id,
                    text=note,
                    status=wanted if wanted != row.status else None,
                    created_at=now,
                )
            )
            row.status = wanted
            row.updated_at = now
            session.flush()
            return _view(session, row)

    def comment(self, ticket_id: int, author: User, text: str) -> TicketView:
        """Add a comment to a ticket."""
        clean = checked_text(text, "comment")
        with self._transaction() as session:
            row = _get(session, ticket_id)
            now = utc_now()
            row.comments.append(TicketCommentRow(author_id=author.id, text=clean, created_at=now))
            row.updated_at = now
            session.flush()
            return _view(session, row)


def _evidence(session: Session, concept_id: str, evidence_id: int) -> EvidenceRow:
    evidence = session.get(EvidenceRow, evidence_id)
    if evidence is None or evidence.concept_id != concept_id:
        raise NotFound(f"concept {concept_id} has no evidence sentence {evidence_id}")
    return evidence


def _get(session: Session, ticket_id: int) -> TicketRow:
    row = session.get(TicketRow, ticket_id)
    if row is None:
        raise NotFound(f"no ticket has the id {ticket_id}")
    return row


def _view(session: Session, row: TicketRow) -> TicketView:
    ids = {row.author_id, *(comment.author_id for comment in row.comments)}
    names = dict(session.execute(select(UserRow.id, UserRow.name).where(UserRow.id.in_(ids))).all())
    evidence = session.get(EvidenceRow, row.evidence_id) if row.evidence_id is not None else None
    return TicketView(
        id=row.id,
        concept_id=row.concept_id,
        evidence_id=row.evidence_id,
        evidence_text=evidence.text if evidence is not None else None,
        author=names.get(row.author_id, "?"),
        author_id=row.author_id,
        text=row.text,
        status=row.status,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        comments=tuple(
            CommentView(
                comment.id,
                names.get(comment.author_id, "?"),
                comment.text,
                comment.status,
                as_utc(comment.created_at),
            )
            for comment in row.comments
        ),
    )
