"""What the community modules (accounts, questions, tickets) share: their errors, the transaction
factory they are given, and UTC times.

Each error says what is wrong in one line a user can act on; the web app maps each class to its
HTTP status (422, 413, 404, 409, 401).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from dxatlas.store.errors import StoreError

Transaction = Callable[[], AbstractContextManager[Session]]
"""Opens one session in one transaction: committed when the block returns, rolled back if it raises."""


class CommunityError(StoreError):
    """A community action the store refuses; the message says why."""


class InvalidInput(CommunityError):
    """A name, password, title, body or status that is malformed or not allowed."""


class TextTooLong(InvalidInput):
    """A text longer than its limit."""


class NotFound(CommunityError):
    """No user, question, answer, ticket or evidence sentence has the id or name given."""


class Conflict(CommunityError):
    """The action clashes with what is stored (a taken name, a question not yet approved)."""


class SignInFailed(CommunityError):
    """The name and password do not match an account."""


def utc_now() -> datetime:
    """Now, in UTC (every community time is stored in UTC)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite gives stored times back without a zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
