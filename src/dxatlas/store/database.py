"""The database: an engine for a URL (SQLite file created on first use) and its schema migrations.

Migrations are Alembic scripts shipped inside the package (`dxatlas/store/migrations`) and run
from a `Config` built in code, so no `alembic.ini` is needed at run time.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from dxatlas.store.errors import DatabaseUnavailable

HEAD = "head"


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
        engine = create_engine(parsed)
    except (OSError, ImportError, SQLAlchemyError, ValueError) as error:
        raise DatabaseUnavailable(f"cannot open database {safe_url(parsed)}: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        _enable_sqlite_foreign_keys(engine)
    return engine


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
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise DatabaseUnavailable(
            f"cannot open database {safe_url(engine.url)}: {reason}"
        ) from None


def table_names(engine: Engine) -> set[str]:
    """The tables the database holds (used by tests and `db stats`)."""
    return set(inspect(engine).get_table_names())
