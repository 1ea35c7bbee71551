"""`Questions`: community questions (about a concept or general) with their answers, and the
moderation they pass through.

A new question is `pending` and shown to no one but its author and the moderators until a
moderator approves it. Answers are allowed under approved questions only. Deleting removes the
text for good (it may hold what its writer should not have posted), answers with their question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dxatlas.store.accounts import User
from dxatlas.store.community_base import Conflict, NotFound, Transaction, as_utc, utc_now
from dxatlas.store.community_text import (
    checked_text,
    checked_title,
    refuse_contact_details,
)
from dxatlas.store.schema import ID_LENGTH, AnswerRow, QuestionRow, UserRow

PENDING = "pending"
APPROVED = "approved"
Status = Literal["pending", "approved"]
GENERAL = ""
"""The `concept_id` filter of general questions (those tied to no concept)."""


@dataclass(frozen=True, slots=True)
class AnswerView:
    id: int
    question_id: int
    author: str
    author_id: int
    body: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question_id": self.question_id,
            "author": self.author,
            "body": self.body,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: int
    concept_id: str | None
    title: str
    body: str
    status: str
    author: str
    author_id: int
    created_at: datetime
    approved_at: datetime | None
    answers: tuple[AnswerView, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "concept_id": self.concept_id,
            "title": self.title,
            "body": self.body,
            "status": self.status,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "approved_at": self.approved_at.isoformat() if self.approved_at else None,
            "answers": [answer.to_json() for answer in self.answers],
        }


class Questions:
    """Questions and answers in the store; each method runs in its own transaction."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def ask(
        self, author: User, title: str, body: str, concept_id: str | None = None
    ) -> QuestionView:
        """A new pending question. Refused (`InvalidInput`) when the title or body is empty or
        holds contact details, `TextTooLong` past 5,000 characters of body."""
        clean_title = checked_title(title)
        clean_body = checked_text(body, "question")
        refuse_contact_details("question", clean_title, clean_body)
        concept = (concept_id or "").strip()[:ID_LENGTH] or None
        with self._transaction() as session:
            row = QuestionRow(
                concept_id=concept,
                author_id=author.id,
                title=clean_title,
                body=clean_body,
                status=PENDING,
                created_at=utc_now(),
            )
            session.add(row)
            session.flush()
            return _view(session, row)

    def answer(self, question_id: int, author: User, body: str) -> AnswerView:
        """An answer under an approved question."""
        clean = checked_text(body, "answer")
        refuse_contact_details("answer", clean)
        with self._transaction() as session:
            question = _get(session, question_id)
            if question.status != APPROVED:
                raise Conflict(
                    f"question {question_id} waits for moderation: it cannot be answered yet"
                )
            row = AnswerRow(
                question_id=question.id, author_id=author.id, body=clean, created_at=utc_now()
            )
            session.add(row)
            session.flush()
            return AnswerView(
                row.id, question.id, author.name, author.id, clean, as_utc(row.created_at)
            )

    def approve(self, question_id: int, moderator: User) -> QuestionView:
        """Show a pending question to everyone (approving it twice changes nothing)."""
        with self._transaction() as session:
            row = _get(session, question_id)
            if row.status != APPROVED:
                row.status = APPROVED
                row.approved_at = utc_now()
                row.approved_by = moderator.id
            return _view(session, row)

    def delete(self, question_id: int) -> None:
        """Remove a question and its answers."""
        with self._transaction() as session:
            session.delete(_get(session, question_id))

    def delete_answer(self, answer_id: int) -> int:
        """Remove an answer; returns the id of its question."""
        with self._transaction() as session:
            row = session.get(AnswerRow, answer_id)
            if row is None:
                raise NotFound(f"no answer has the id {answer_id}")
            session.delete(row)
            return row.question_id

    def get(self, question_id: int) -> QuestionView:
        """One question with its answers (`NotFound` when there is none)."""
        with self._transaction() as session:
            return _view(session, _get(session, question_id))

    def recent(
        self,
        *,
        status: Status = APPROVED,
        concept_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[QuestionView]:
        """Questions in `status`, newest first; about `concept_id` when given (`GENERAL`: only
        those about no concept)."""
        with self._transaction() as session:
            query = select(QuestionRow).where(QuestionRow.status == status)
            if concept_id == GENERAL:
                query = query.where(QuestionRow.concept_id.is_(None))
            elif concept_id is not None:
                query = query.where(QuestionRow.concept_id == concept_id)
            query = query.options(selectinload(QuestionRow.answers))
            rows = session.scalars(
                query.order_by(QuestionRow.id.desc()).limit(limit).offset(offset)
            ).all()
            names = _author_names(session, rows)
            return [_view(session, row, names) for row in rows]

    def count(self, status: Status = PENDING) -> int:
        with self._transaction() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(QuestionRow)
                    .where(QuestionRow.status == status)
                )
                or 0
            )


def _get(session: Session, question_id: int) -> QuestionRow:
    row = session.get(QuestionRow, question_id)
    if row is None:
        raise NotFound(f"no question has the id {question_id}")
    return row


def _author_names(session: Session, rows: Any) -> dict[int, str]:
    ids = {row.author_id for row in rows}
    for row in rows:
        ids.update(answer.author_id for answer in row.answers)
    if not ids:
        return {}
    return dict(session.execute(select(UserRow.id, UserRow.name).where(UserRow.id.in_(ids))).all())


def _view(session: Session, row: QuestionRow, names: dict[int, str] | None = None) -> QuestionView:
    names = names if names is not None else _author_names(session, [row])
    answers = tuple(
        AnswerView(
            answer.id,
            row.id,
            names.get(answer.author_id, "?"),
            answer.author_id,
            answer.body,
            as_utc(answer.created_at),
        )
        for answer in row.answers
    )
    return QuestionView(
        id=row.id,
        concept_id=row.concept_id,
        title=row.title,
        body=row.body,
        status=row.status,
        author=names.get(row.author_id, "?"),
        author_id=row.author_id,
        created_at=as_utc(row.created_at),
        approved_at=as_utc(row.approved_at) if row.approved_at else None,
        answers=answers,
    )
