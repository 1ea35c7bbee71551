"""The database: an engine for a URL (SQLite file created on first use) and its schema migrations.

Migrations are Alembic scripts shipped inside the package (`dxatlas/store/migrations`) and run
from a `Config` built in code, so no `alembic.ini` is needed at run time. Everything that differs
between SQLite and PostgreSQL when connecting lives here: SQLite gets foreign keys switched on and
a busy timeout; PostgreSQL (`postgresql+psycopg://`) a connect timeout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from dxatlas.store.errors import DatabaseUnavailable, StoreError

HEAD = "head"

SQLITE_BUSY_TIMEOUT_SECONDS = 5.0
"""How long a SQLite statement waits for another connection's lock before it gives up
(`?timeout=N` in the URL overrides it); then the web app answers 503 and the CLI exits 2."""

POSTGRES_CONNECT_TIMEOUT_SECONDS = 5
"""How long connecting to PostgreSQL may take (`?connect_timeout=N` in the URL overrides it)."""

BUSY = "is busy or unavailable, try again shortly"

# SQLite's and PostgreSQL's words for a database that refuses writes (read-only, disk full).
_CANNOT_WRITE = (
    "readonly database",
    "read-only",
    "disk is full",
    "disk i/o error",
    "no space left",
    "could not extend file",
    "read-only transaction",  # PostgreSQL: a standby, or default_transaction_read_only
)


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown to a user: any password replaced by `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return str(url)


def _sqlite_file(url: URL) -> Path | None:
    """The file of a file-backed SQLite URL (None for other dialects and in-memory databases)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database)


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    """SQLite checks foreign keys (and cascades deletes) only when asked, per connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _connect_args(url: URL) -> dict[str, Any]:
    """Per-dialect driver arguments: timeouts, unless the URL sets its own."""
    backend = url.get_backend_name()
    if backend == "sqlite" and "timeout" not in url.query:
        return {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
    if backend == "postgresql" and "connect_timeout" not in url.query:
        return {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS}
    return {}


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created. Raises `DatabaseUnavailable`."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"invalid database URL {url!r}") from None
    path = _sqlite_file(parsed)
    try:
        if path is not None:
            path.expanduser().parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {"connect_args": _connect_args(parsed)}
        if parsed.get_backend_name() == "postgresql":
            options["pool_pre_ping"] = True  # a restarted server costs one retry, not an error
        engine = create_engine(parsed, **options)
    except (OSError, ImportError, SQLAlchemyError, ValueError, TypeError) as error:
        raise DatabaseUnavailable(f"cannot open database {safe_url(parsed)}: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        _enable_sqlite_foreign_keys(engine)
    return engine


def error_reason(error: BaseException) -> str:
    """The first line of what the driver said (without SQLAlchemy's wrapping and SQL)."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _refuses_writes(reason: str) -> bool:
    return any(words in reason.lower() for words in _CANNOT_WRITE)


def unavailable(url: str | URL, error: BaseException) -> DatabaseUnavailable:
    """The one-line error of a database that refused to work: it cannot be written (read-only,
    disk full), or it is busy (locked) or unreachable; the message names the database."""
    reason = error_reason(error)
    if _refuses_writes(reason):
        return DatabaseUnavailable(f"database {safe_url(url)} cannot be written: {reason}")
    return DatabaseUnavailable(f"database {safe_url(url)} {BUSY} ({reason})")


def store_error(url: str | URL, error: SQLAlchemyError) -> StoreError:
    """The one-line `StoreError` of a failed transaction, the same on every back end: the database
    unavailable or refusing writes (`DatabaseUnavailable`), a constraint refusing the change, or
    anything else the database said, always without SQL or SQLAlchemy's wrapping."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    reason = error_reason(error)
    if isinstance(error, OperationalError) or _refuses_writes(reason):
        return unavailable(url, error)
    if isinstance(error, IntegrityError):
        return StoreError(f"the store refused the change: {reason}")
    return StoreError(f"database {safe_url(url)}: {reason}")


def is_unavailable_error(error: BaseException) -> bool:
    """Whether an exception means the database is locked, unreachable or refusing writes."""
    from sqlalchemy.exc import OperationalError

    if isinstance(error, DatabaseUnavailable | OperationalError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.OperationalError)


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration for `engine`, pointing at the migrations shipped in the package."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("dxatlas.store") / "migrations"))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def migrate(engine: Engine, revision: str = HEAD) -> None:
    """Bring the schema up to `revision` (the latest by default); a no-op when it is already there."""
    config = alembic_config(engine)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except (OSError, SQLAlchemyError) as error:
        raise DatabaseUnavailable(
            f"cannot open database {safe_url(engine.url)}: {error_reason(error)}"
        ) from None


def current_revision(connection: Connection) -> str | None:
    """The schema revision the database is at (None before the first migration)."""
    return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The latest schema revision this version of dxatlas ships."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def table_names(engine: Engine) -> set[str]:
    """The tables the database holds (used by tests and `db stats`)."""
    return set(inspect(engine).get_table_names())
