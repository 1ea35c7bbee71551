"""Fresh, empty databases for tests, on every back end the store supports.

SQLite always (a file in the test's folder). PostgreSQL when a server answers at
`DXATLAS_TEST_POSTGRES_URL` (default `postgresql+psycopg://postgres@127.0.0.1:5432/test`): each test
gets its own schema there (`dxatlas_test_<random>`, dropped afterwards; the URL's `search_path`
selects it), so tests are independent and may run while others use the server. When no server
answers, the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

BACKENDS = ["sqlite", "postgresql"]
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> URL:
    """The PostgreSQL database tests make their schemas in."""
    return make_url(os.environ.get("DXATLAS_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)


def _conninfo(url: URL) -> str:
    """The URL as psycopg takes it (no `+psycopg` driver suffix)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@functools.cache
def postgres_unavailable() -> str | None:
    """None when the test PostgreSQL server answers (and `unaccent` is ready in `public`), else
    the reason it does not, for the skip message. Asked once per test session."""
    url = postgres_url()
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(_conninfo(url), connect_timeout=3, autocommit=True) as connection:
            available = connection.execute(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
            ).fetchone()
            # Once, in public: a test schema must never own (and drop) it. Failing is fine:
            # another session made it meanwhile, or we may not (search then keeps accents).
            if available:
                with contextlib.suppress(psycopg.Error):
                    connection.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"no PostgreSQL at {url.render_as_string(hide_password=True)} ({reason})"
    return None


def require_postgres() -> None:
    """Skip the calling test, saying why, when the test PostgreSQL server does not answer."""
    reason = postgres_unavailable()
    if reason is not None:
        pytest.skip(reason)


@contextmanager
def fresh_postgres_schema() -> Iterator[str]:
    """The URL of a new, empty schema (its own `search_path`) that is dropped on exit."""
    import psycopg
    from psycopg import sql

    require_postgres()
    url = postgres_url()
    schema = f"dxatlas_test_{secrets.token_hex(6)}"
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    query = dict(url.query)
    query["options"] = f"-csearch_path={schema},public"
    try:
        yield url.set(query=query).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_conninfo(url), autocommit=True) as connection:
            connection.execute("SET lock_timeout = '20s'")  # a leaked connection must not hang us
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
            )


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database of `backend` (`sqlite` in `folder`, or `postgresql`)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'dxatlas.db'}"
        return
    with fresh_postgres_schema() as url:
        yield url
