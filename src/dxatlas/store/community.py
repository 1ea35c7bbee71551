"""`Community`: accounts, questions and tickets, kept in the store's database (one engine).

    with Community.open(settings.database_url) as community:
        admin = community.accounts.add("ana", password, role="admin")
        question = community.questions.ask(admin, "What is the usual age at onset?", "...")

Like `Store`, each public method of `accounts`, `questions` and `tickets` runs in one transaction
and raises `StoreError`s with one-line messages (`community_base` lists the refusals).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from dxatlas.store.accounts import Accounts
from dxatlas.store.community_base import InvalidInput
from dxatlas.store.database import make_engine, migrate, safe_url
from dxatlas.store.errors import DatabaseUnavailable, StoreError
from dxatlas.store.questions import Questions
from dxatlas.store.tickets import Tickets


class Community:
    """The community tables of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.accounts = Accounts(self.transaction)
        self.questions = Questions(self.transaction)
        self.tickets = Tickets(self.transaction)

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Self:
        """Connect to `url` and (by default) migrate its schema to the latest revision."""
        engine = make_engine(url)
        try:
            if upgrade:
                migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session in one transaction: committed on return, rolled back on any exception;
        database failures become `StoreError`s."""
        url = safe_url(self.engine.url)
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as error:
            reason = str(error.orig or error).splitlines()[0]
            raise DatabaseUnavailable(f"database {url}: {reason}") from None
        except IntegrityError as error:
            reason = str(error.orig or error).splitlines()[0]
            raise StoreError(f"the store refused the change: {reason}") from None
        except (DataError, OverflowError) as error:  # an id past 64 bits (SQLite: OverflowError)
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise InvalidInput(
                f"a value is out of the range the database takes ({reason})"
            ) from None
        except SQLAlchemyError as error:
            raise StoreError(f"database {url}: {str(error).splitlines()[0]}") from None
