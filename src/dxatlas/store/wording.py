"""`QuestionWording`: editors' wording of the follow-up question about a finding, with its history.

The default question about a finding is made from its HPO label and layperson synonyms
(`rank.questions.question_text`); an editor's wording replaces it wherever the checker asks. Every
change appends one revision (the text before and after, who, when), never updated or deleted; a
reset to the default is a revision whose text is None.

Like the community modules, each method runs in one transaction of the factory it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dxatlas.store.community_base import Conflict, InvalidInput, Transaction, as_utc, utc_now
from dxatlas.store.community_text import checked_text
from dxatlas.store.schema import ID_LENGTH, QuestionWordingRevisionRow, QuestionWordingRow

WORDING_MAX_CHARS = 300
"""The longest wording of one question (one line)."""
AUTHOR_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class WordingRevision:
    """One change of a question's wording (`text` None: back to the default)."""

    hpo_id: str
    number: int
    before: str | None
    text: str | None
    author: str
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "before": self.before,
            "text": self.text,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Wording:
    """A finding's current wording by an editor."""

    hpo_id: str
    text: str
    updated_by: str
    updated_at: datetime


def checked_wording(text: str) -> str:
    """One line of 1 to `WORDING_MAX_CHARS` characters (whitespace tidied), else `InvalidInput`
    (or `TextTooLong`)."""
    return checked_text(" ".join(text.split()), "question wording", max_chars=WORDING_MAX_CHARS)


def _checked_id(hpo_id: str) -> str:
    clean = hpo_id.strip().upper()
    if not clean or len(clean) > ID_LENGTH:
        raise InvalidInput(f"{hpo_id[:40]!r} is not a finding id")
    return clean


class QuestionWording:
    """The wording overrides of one database (see the module docstring)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def overrides(self) -> dict[str, str]:
        """Every current override: HPO id -> wording (what the question planner is given)."""
        with self._transaction() as session:
            rows = session.execute(select(QuestionWordingRow.hpo_id, QuestionWordingRow.text))
            return {hpo_id: text for hpo_id, text in rows}

    def current(self) -> list[Wording]:
        """Every current override, most recently changed first."""
        with self._transaction() as session:
            rows = session.scalars(
                select(QuestionWordingRow).order_by(
                    QuestionWordingRow.updated_at.desc(), QuestionWordingRow.hpo_id
                )
            )
            return [_wording(row) for row in rows]

    def get(self, hpo_id: str) -> Wording | None:
        """The finding's override, if an editor set one."""
        with self._transaction() as session:
            row = session.get(QuestionWordingRow, _checked_id(hpo_id))
            return _wording(row) if row is not None else None

    def history(self, hpo_id: str) -> list[WordingRevision]:
        """Every change of the finding's wording, oldest first."""
        with self._transaction() as session:
            rows = session.scalars(
                select(QuestionWordingRevisionRow)
                .where(QuestionWordingRevisionRow.hpo_id == _checked_id(hpo_id))
                .order_by(QuestionWordingRevisionRow.number)
            )
            return [_revision(row) for row in rows]

    def set(self, hpo_id: str, text: str | None, author: str) -> WordingRevision:
        """Set the finding's wording (None or blank: back to the default); appends a revision.
        `Conflict` when the wording is already so."""
        finding = _checked_id(hpo_id)
        wording = checked_wording(text) if text is not None and text.strip() else None
        if not author or len(author) > AUTHOR_MAX_CHARS:
            raise InvalidInput("the author of a wording change must be a user name")
        with self._transaction() as session:
            row = session.get(QuestionWordingRow, finding)
            before = row.text if row is not None else None
            if before == wording:
                state = "its default wording" if wording is None else "worded so"
                raise Conflict(f"the question about {finding} already has {state}")
            now = utc_now()
            if wording is None:
                assert row is not None
                session.delete(row)
            elif row is None:
                session.add(
                    QuestionWordingRow(
                        hpo_id=finding, text=wording, updated_by=author, updated_at=now
                    )
                )
            else:
                row.text, row.updated_by, row.updated_at = wording, author, now
            revision = QuestionWordingRevisionRow(
                hpo_id=finding,
                number=_next_number(session, finding),
                before=before,
                text=wording,
                author=author,
                created_at=now,
            )
            session.add(revision)
            session.flush()
            return _revision(revision)


def _next_number(session: Session, hpo_id: str) -> int:
    last = session.scalar(
        select(func.max(QuestionWordingRevisionRow.number)).where(
            QuestionWordingRevisionRow.hpo_id == hpo_id
        )
    )
    return (last or 0) + 1


def _wording(row: QuestionWordingRow) -> Wording:
    return Wording(row.hpo_id, row.text, row.updated_by, as_utc(row.updated_at))


def _revision(row: QuestionWordingRevisionRow) -> WordingRevision:
    return WordingRevision(
        row.hpo_id, row.number, row.before, row.text, row.author, as_utc(row.created_at)
    )
