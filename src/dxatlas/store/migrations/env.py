"""Alembic environment of the store: runs migrations on the connection `database.migrate` passes.

When run by the `alembic` command line instead (to write a new revision during development), it
connects to `sqlalchemy.url` of the configuration. SQLite uses batch mode, so later revisions can
alter tables there the way PostgreSQL does natively. Revisions that need dialect-specific SQL
branch on `op.get_bind().dialect.name` (see 0001's full-text indexes).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from dxatlas.store.schema import Base


def _is_model_table(name: str | None, kind: str, _parents: object) -> bool:
    """Autogenerate compares model tables only: full-text tables (SQLite FTS5) and indexes
    (PostgreSQL GIN) are created per dialect by hand, and all have `_fts` in their names."""
    return not (kind in ("table", "index") and name is not None and "_fts" in name)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_is_model_table,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own_connection:
        _run(own_connection)


if context.is_offline_mode():
    raise SystemExit("dxatlas store migrations run online only (they depend on the dialect)")
_run_online()
