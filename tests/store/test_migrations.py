"""The migrations build the whole schema from an empty database, match the models, and re-run safely."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from dxatlas.settings import get_settings
from dxatlas.store import DatabaseUnavailable, Store
from dxatlas.store.database import alembic_config, make_engine, migrate, table_names
from dxatlas.store.schema import Base

TABLES = {
    "documents",
    "sentences",
    "mentions",
    "concepts",
    "concept_synonyms",
    "concept_xrefs",
    "concept_revisions",
    "evidence",
    "evidence_sources",
    "evidence_findings",
    "patients",
}


def test_migrations_create_the_schema_from_empty(database_url: str) -> None:
    engine = make_engine(database_url)
    assert not TABLES & table_names(engine)
    migrate(engine)
    assert table_names(engine) >= TABLES | {"alembic_version"}
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert version == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    engine.dispose()


def test_migrating_twice_is_a_no_op(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)
    assert table_names(engine) >= TABLES
    engine.dispose()


def test_the_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # FTS tables are dialect-specific and not models; everything else must agree.
    assert [d for d in differences if "_fts" not in str(d)] == []


def test_sqlite_gets_full_text_tables(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    assert {"sentences_fts", "evidence_fts"} <= table_names(store.engine)
    store.close()


def test_the_sqlite_file_and_its_folder_are_created_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "dxatlas.db"
    Store.open(f"sqlite:///{path}").close()
    assert path.is_file()


def test_the_default_url_is_a_file_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DXATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("DXATLAS_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert get_settings().database_url == f"sqlite:///{tmp_path / 'data' / 'dxatlas.db'}"
        monkeypatch.setenv("DXATLAS_DATABASE_URL", "sqlite:///elsewhere.db")
        get_settings.cache_clear()
        assert get_settings().database_url == "sqlite:///elsewhere.db"
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "invalid database URL"),
        ("nosuchdialect://host/db", "cannot open database"),
        ("sqlite:////proc/no/such/folder/x.db", "cannot open database"),
    ],
)
def test_bad_database_urls_raise_one_clear_error(url: str, message: str) -> None:
    with pytest.raises(DatabaseUnavailable, match=message):
        Store.open(url)


def test_a_password_is_never_shown(tmp_path: Path) -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        Store.open("nosuchdialect://user:hunter2@host/db")
    assert "hunter2" not in str(caught.value)
