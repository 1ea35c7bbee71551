"""`EvidenceActions`: editors hide an evidence sentence from its concept page, or restore it, and
each such action is recorded (who, when, why) for the concept's history.

Hiding keeps the sentence and its sources: the page and the ranking leave it out
(`EvidenceRow.hidden`), and restoring brings it back. Each method runs in one transaction of the
factory it is given, so an action and its record are stored together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dxatlas.store.community_base import (
    Conflict,
    InvalidInput,
    NotFound,
    Transaction,
    as_utc,
    utc_now,
)
from dxatlas.store.community_text import checked_text
from dxatlas.store.schema import EvidenceActionRow, EvidenceRow

HIDE = "hide"
RESTORE = "restore"
REASON_MAX_CHARS = 1000


@dataclass(frozen=True, slots=True)
class EvidenceAction:
    """One hide or restore of an evidence sentence."""

    id: int
    evidence_id: int
    concept_id: str
    action: str
    reason: str
    author: str
    created_at: datetime
    text: str  # the sentence, as it reads now

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "evidence_id": self.evidence_id,
            "concept_id": self.concept_id,
            "action": self.action,
            "reason": self.reason,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class HiddenEvidence:
    """A hidden sentence of a concept, with why (and, when recorded, who hid it and when)."""

    id: int
    section: str
    text: str
    reason: str | None
    author: str | None
    hidden_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "section": self.section,
            "text": self.text,
            "reason": self.reason,
            "author": self.author,
            "hidden_at": self.hidden_at.isoformat() if self.hidden_at else None,
        }


class EvidenceActions:
    """Hide and restore evidence sentences, and read their record (see the module docstring)."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction

    def concept_of(self, evidence_id: int) -> str:
        """The concept an evidence sentence belongs to (`NotFound` when there is no such one)."""
        with self._transaction() as session:
            return _evidence(session, evidence_id).concept_id

    def hide(self, evidence_id: int, reason: str, author: str) -> EvidenceAction:
        """Hide a visible sentence; the reason is required (`InvalidInput`), a hidden one is a
        `Conflict`."""
        why = checked_text(reason, "reason", max_chars=REASON_MAX_CHARS)
        with self._transaction() as session:
            row = _evidence(session, evidence_id)
            if row.hidden:
                raise Conflict(f"evidence sentence {evidence_id} is already hidden")
            row.hidden, row.hidden_reason = True, why
            return _record(session, row, HIDE, why, author)

    def restore(self, evidence_id: int, reason: str, author: str) -> EvidenceAction:
        """Show a hidden sentence again (the reason may be empty); a visible one is a `Conflict`."""
        why = checked_text(reason, "reason", max_chars=REASON_MAX_CHARS) if reason.strip() else ""
        with self._transaction() as session:
            row = _evidence(session, evidence_id)
            if not row.hidden:
                raise Conflict(f"evidence sentence {evidence_id} is not hidden")
            row.hidden, row.hidden_reason = False, None
            return _record(session, row, RESTORE, why, author)

    def history(self, concept_id: str) -> list[EvidenceAction]:
        """Every hide and restore of the concept's sentences, oldest first."""
        with self._transaction() as session:
            rows = session.execute(
                select(EvidenceActionRow, EvidenceRow.text)
                .join(EvidenceRow, EvidenceRow.id == EvidenceActionRow.evidence_id)
                .where(EvidenceActionRow.concept_id == concept_id)
                .order_by(EvidenceActionRow.id)
            ).all()
            return [_action(row, text) for row, text in rows]

    def hidden(self, concept_id: str) -> list[HiddenEvidence]:
        """The concept's hidden sentences, each with its last recorded hiding (sentences hidden
        outside the web app have a reason but no author)."""
        with self._transaction() as session:
            rows = session.scalars(
                select(EvidenceRow)
                .where(EvidenceRow.concept_id == concept_id, EvidenceRow.hidden.is_(True))
                .order_by(EvidenceRow.id)
            ).all()
            last: dict[int, EvidenceActionRow] = {}
            if rows:
                actions = session.scalars(
                    select(EvidenceActionRow)
                    .where(
                        EvidenceActionRow.evidence_id.in_([row.id for row in rows]),
                        EvidenceActionRow.action == HIDE,
                    )
                    .order_by(EvidenceActionRow.id)
                )
                last = {action.evidence_id: action for action in actions}
            found = []
            for row in rows:
                action = last.get(row.id)
                found.append(
                    HiddenEvidence(
                        id=row.id,
                        section=row.section,
                        text=row.text,
                        reason=row.hidden_reason,
                        author=action.author if action else None,
                        hidden_at=as_utc(action.created_at) if action else None,
                    )
                )
            return found


def _evidence(session: Session, evidence_id: int) -> EvidenceRow:
    row = session.get(EvidenceRow, evidence_id)
    if row is None:
        raise NotFound(f"no evidence sentence has the id {evidence_id}")
    return row


def _record(
    session: Session, row: EvidenceRow, action: str, reason: str, author: str
) -> EvidenceAction:
    if not author:
        raise InvalidInput("an evidence action needs the user name of its author")
    record = EvidenceActionRow(
        evidence_id=row.id,
        concept_id=row.concept_id,
        action=action,
        reason=reason,
        author=author[:200],
        created_at=utc_now(),
    )
    session.add(record)
    session.flush()
    return _action(record, row.text)


def _action(row: EvidenceActionRow, text: str) -> EvidenceAction:
    return EvidenceAction(
        id=row.id,
        evidence_id=row.evidence_id,
        concept_id=row.concept_id,
        action=row.action,
        reason=row.reason,
        author=row.author,
        created_at=as_utc(row.created_at),
        text=text,
    )
