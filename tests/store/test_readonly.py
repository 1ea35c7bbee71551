"""A store that cannot be written (read-only, disk full) stops ingestion with one line naming the
database, and nothing is stored half-way."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.settings import get_settings
from dxatlas.store import DatabaseUnavailable, Store
from dxatlas.store.database import make_engine

runner = CliRunner()
TEXT = "Seizure disorder A presents with seizures and intellectual disability in children.\n"


def read_only(url: str) -> str:
    """The same database, opened so that it refuses every write."""
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return url.replace("options=", "options=-cdefault_transaction_read_only%3Don%20", 1)


def counts(url: str) -> tuple[int, int, int, int]:
    with Store.open(url) as store:
        totals = store.stats()
    return totals.concepts, totals.documents, totals.sentences, totals.evidence


def ingest(url: str, *paths: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DXATLAS_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        return runner.invoke(app, ["ingest", *map(str, paths)])
    finally:
        get_settings.cache_clear()


def assert_one_line_naming(result, database: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and result.stderr.strip().endswith(errors[0]), result.stderr
    assert database in errors[0], errors[0]
    assert "Traceback" not in result.output + result.stderr


def test_ingest_into_a_read_only_store_fails_cleanly(
    toy_env: Path, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(TEXT)
    second.write_text("Blood disorder B presents with anemia and neutropenia.\n")
    assert ingest(database_url, first, monkeypatch=monkeypatch).exit_code == 0
    before = counts(database_url)
    result = ingest(read_only(database_url), second, monkeypatch=monkeypatch)
    where = "sqlite" if database_url.startswith("sqlite") else "postgresql+psycopg://"
    assert_one_line_naming(result, where)
    assert "cannot be written" in result.stderr and "read" in result.stderr.lower()
    assert counts(database_url) == before


def _protection_works(folder: Path) -> bool:
    """Whether a mode-0444 file refuses writes here (root, with CAP_DAC_OVERRIDE, writes anyway)."""
    probe = folder / "probe"
    probe.write_text("")
    probe.chmod(0o444)
    try:
        with probe.open("a"):
            return False
    except PermissionError:
        return True
    finally:
        probe.chmod(0o644)
        probe.unlink()


def test_ingest_into_a_write_protected_sqlite_file_fails_cleanly(
    toy_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not _protection_works(tmp_path):
        pytest.skip("this user writes files whatever their mode (root); the mode=ro test stands in")
    database = tmp_path / "store.db"
    text = tmp_path / "a.txt"
    text.write_text(TEXT)
    Store.open(f"sqlite:///{database}").close()
    database.chmod(0o444)
    try:
        result = ingest(f"sqlite:///{database}", text, monkeypatch=monkeypatch)
    finally:
        database.chmod(0o644)
    assert_one_line_naming(result, str(database))
    assert counts(f"sqlite:///{database}")[1] == 0


def test_a_full_disk_stores_nothing_half_way(tmp_path: Path) -> None:
    """SQLite's page limit stands in for a full disk: the document that does not fit is refused
    whole (no sentences without their document), with the database named."""
    url = f"sqlite:///{tmp_path / 'small.db'}"
    Store.open(url).close()
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _small(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    store = Store(engine)
    small = make_document("Fever was noted.", url="https://a.org/small")
    store.add_document(small, split_sentences(small.text))
    body = " ".join(f"Sentence number {i} mentions fever and a rash." for i in range(3000))
    large = make_document(body, url="https://a.org/large")
    with pytest.raises(DatabaseUnavailable, match=r"small\.db cannot be written: .*full"):
        store.add_document(large, split_sentences(large.text))
    store.close()
    assert counts(url)[1:3] == (1, 1)


def test_a_read_only_store_still_reads(database_url: str) -> None:
    with Store.open(database_url) as store:
        store.add_concept("Leukemia cutis", author="ana")
    with Store.open(read_only(database_url)) as store:
        assert [state.name for state in store.concepts()] == ["Leukemia cutis"]
        with pytest.raises(DatabaseUnavailable, match=r"cannot be written: .*read"):
            store.add_concept("Another", author="ana")
