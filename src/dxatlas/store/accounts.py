"""`Accounts`: web users, their roles, argon2 password hashes and server-side sign-in sessions.

A session is a random token the browser keeps in a cookie; the store keeps only its SHA-256 and an
expiry time, so a stolen database holds no usable token, and signing out (deleting the row) ends
the session for good. Passwords are hashed with argon2id (argon2-cffi's defaults) and never stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dxatlas.store.community_base import (
    Conflict,
    InvalidInput,
    NotFound,
    SignInFailed,
    Transaction,
    as_utc,
    utc_now,
)
from dxatlas.store.schema import USER_NAME_LENGTH, UserRow, UserSessionRow

PASSWORDS = PasswordHasher()
"""The one argon2id hasher (argon2-cffi's RFC 9106 low-memory profile: 64 MiB, 3 passes)."""

PASSWORD_MIN_CHARS = 8
PASSWORD_MAX_CHARS = 1024  # hashing cost grows with length: refuse absurd inputs
_NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{2,{USER_NAME_LENGTH - 1}}}$")


class Role(StrEnum):
    """What an account may do; each role may do everything the roles before it may."""

    USER = "user"  # ask, answer, open tickets
    EDITOR = "editor"  # + triage tickets (and, later, edit concepts)
    MODERATOR = "moderator"  # + approve and delete questions and answers
    ADMIN = "admin"  # + everything

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    @classmethod
    def parse(cls, text: str) -> Role:
        """The role named `text`, or `InvalidInput` listing the roles."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(role.value for role in cls)
            raise InvalidInput(f"unknown role {text!r}: use one of {names}") from None


@dataclass(frozen=True, slots=True)
class User:
    """An account as the app sees it (never its password hash)."""

    id: int
    name: str
    role: Role
    created_at: datetime

    def has(self, role: Role | str) -> bool:
        """Whether the account's role is `role` or above it."""
        return self.role.rank >= Role(role).rank

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "created_at": self.created_at.isoformat(),
        }


def user_of(row: UserRow) -> User:
    return User(row.id, row.name, Role(row.role), as_utc(row.created_at))


def name_key(name: str) -> str:
    """The key names are compared by (case-blind), so `Ana` and `ana` cannot both exist."""
    return name.strip().casefold()


def token_hash(token: str) -> str:
    """The SHA-256 of a session token: what the store keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def checked_name(name: str) -> str:
    clean = name.strip()
    if not _NAME.match(clean):
        raise InvalidInput(
            f"the user name {clean!r} is not allowed: use 3 to {USER_NAME_LENGTH} letters, "
            "digits, dots, dashes or underscores, starting with a letter or digit"
        )
    return clean


def checked_password(password: str, name: str) -> str:
    if len(password) < PASSWORD_MIN_CHARS:
        raise InvalidInput(
            f"the password is too short: use at least {PASSWORD_MIN_CHARS} characters"
        )
    if len(password) > PASSWORD_MAX_CHARS:
        raise InvalidInput(f"the password is too long: use at most {PASSWORD_MAX_CHARS} characters")
    if name_key(password) == name_key(name):
        raise InvalidInput("the password must not be the user name")
    return password


class Accounts:
    """Users and sessions in the store; each method runs in its own transaction."""

    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction
        self._decoy: str | None = None

    # -- users ------------------------------------------------------------------------------

    def add(self, name: str, password: str, role: Role | str = Role.USER) -> User:
        """A new account; `InvalidInput` for a bad name or password, `Conflict` if it is taken."""
        clean = checked_name(name)
        wanted = Role.parse(str(role))
        hashed = PASSWORDS.hash(checked_password(password, clean))
        with self._transaction() as session:
            if _find(session, clean) is not None:
                raise Conflict(f"the user name {clean!r} is taken")
            row = UserRow(
                name=clean,
                name_key=name_key(clean),
                password_hash=hashed,
                role=wanted.value,
                created_at=utc_now(),
            )
            session.add(row)
            session.flush()
            return user_of(row)

    def find(self, name: str) -> User | None:
        with self._transaction() as session:
            row = _find(session, name)
            return None if row is None else user_of(row)

    def get(self, user_id: int) -> User | None:
        with self._transaction() as session:
            row = session.get(UserRow, user_id)
            return None if row is None else user_of(row)

    def users(self) -> list[User]:
        """Every account, oldest first."""
        with self._transaction() as session:
            return [user_of(row) for row in session.scalars(select(UserRow).order_by(UserRow.id))]

    def set_role(self, name: str, role: Role | str) -> User:
        """Give the account `name` another role (`NotFound` if there is none)."""
        wanted = Role.parse(str(role))
        with self._transaction() as session:
            row = _find(session, name)
            if row is None:
                raise NotFound(f"no user is named {name.strip()!r}")
            row.role = wanted.value
            return user_of(row)

    def set_password(self, name: str, password: str) -> None:
        """Replace the account's password; its sessions end (it must sign in again)."""
        with self._transaction() as session:
            row = _find(session, name)
            if row is None:
                raise NotFound(f"no user is named {name.strip()!r}")
            row.password_hash = PASSWORDS.hash(checked_password(password, row.name))
            session.execute(delete(UserSessionRow).where(UserSessionRow.user_id == row.id))

    # -- signing in -------------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> User:
        """The account whose name and password these are, else `SignInFailed` (the same message
        and about the same time whether the name or the password was wrong)."""
        failed = SignInFailed("the user name or the password is wrong")
        with self._transaction() as session:
            row = _find(session, name) if len(password) <= PASSWORD_MAX_CHARS else None
            if row is None:
                self._verify_decoy(password)
                raise failed
            try:
                PASSWORDS.verify(row.password_hash, password)
            except (VerificationError, InvalidHashError):
                raise failed from None
            if PASSWORDS.check_needs_rehash(row.password_hash):
                row.password_hash = PASSWORDS.hash(password)
            return user_of(row)

    def _verify_decoy(self, password: str) -> None:
        """Spend the time a real check takes, so a wrong name is not told apart by timing."""
        if self._decoy is None:
            self._decoy = PASSWORDS.hash(secrets.token_urlsafe(16))
        with suppress(VerificationError, InvalidHashError):
            PASSWORDS.verify(self._decoy, password[:PASSWORD_MAX_CHARS])

    def start_session(self, user: User, lifetime: timedelta) -> str:
        """A new session for `user`: returns the token for the cookie (kept only hashed).
        Expired sessions of every user are removed on the way."""
        token = secrets.token_urlsafe(32)
        now = utc_now()
        with self._transaction() as session:
            session.execute(delete(UserSessionRow).where(UserSessionRow.expires_at < now))
            session.add(
                UserSessionRow(
                    token_hash=token_hash(token),
                    user_id=user.id,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )
        return token

    def session_user(self, token: str) -> User | None:
        """The user a session token belongs to, or None when it is unknown or expired."""
        if not token or len(token) > 200:
            return None
        with self._transaction() as session:
            found = session.execute(
                select(UserSessionRow, UserRow)
                .join(UserRow, UserRow.id == UserSessionRow.user_id)
                .where(UserSessionRow.token_hash == token_hash(token))
            ).first()
            if found is None:
                return None
            row, user = found
            if as_utc(row.expires_at) <= utc_now():
                session.delete(row)
                return None
            return user_of(user)

    def end_session(self, token: str) -> None:
        """Sign out: the session's row is deleted, so its token never works again."""
        with self._transaction() as session:
            session.execute(
                delete(UserSessionRow).where(UserSessionRow.token_hash == token_hash(token))
            )


def _find(session: Session, name: str) -> UserRow | None:
    return session.scalar(select(UserRow).where(UserRow.name_key == name_key(name)))
