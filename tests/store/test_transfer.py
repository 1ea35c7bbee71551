"""`export_store` / `import_store` move a whole store between back ends losing nothing: every
row of every table, ids included, the full-text index rebuilt, sequences continued."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.kb.table_import import ImportedFinding
from dxatlas.recognize.mention import Assertion, Concept, Kind, Mention
from dxatlas.store import DatabaseUnavailable, EvidenceSource, Finding, Store, Synonym
from dxatlas.store.community import Community
from dxatlas.store.database import current_revision, head_revision, make_engine, migrate
from dxatlas.store.schema import (
    DocumentRow,
    EvidenceActionRow,
    PatientRow,
    QuestionWordingRevisionRow,
    QuestionWordingRow,
    UserSessionRow,
)
from dxatlas.store.transfer import (
    TransferError,
    data_tables,
    export_store,
    import_store,
    read_header,
    row_counts,
    snapshot,
    table_rows,
)
from tests.databases import fresh_database, fresh_postgres_schema
from tests.store.community_helpers import cheap_passwords

TEXT = (
    "Leukémie cutanée presented with papules. A skin biopsy confirmed it. "
    "The patient, a 54-year-old man, recovered."
)


def fill(url: str, obo_file: Path) -> None:
    """A store with a row in every table: concepts of every source with revisions, documents with
    sentences and mentions, evidence (one hidden) with sources and findings, patients, and the
    community tables; with a gap in the ids."""
    with Store.open(url) as store:
        concept = store.add_concept(
            "Leukemia cutis",
            [Synonym("cutaneous leukaemia"), Synonym("skin leukemia", "related")],
            xrefs=["OMIM:123456"],
            author="ana",
            description="Leukemic cells in the skin.",
        ).concept.id
        store.edit_concept(concept, hidden=True, author="bo")
        store.edit_concept(concept, hidden=False, author="bo")
        store.import_obo(obo_file, author="importer")
        document = make_document(
            TEXT,
            url="https://example.org/a?b=1",
            title="Leukémie",
            date="2024-02-03",
            metadata={"journal": {"name": "J", "issue": [1, 2]}, "open": True},
        )
        sentences = split_sentences(document.text)
        finding = Concept("HP:0200034", "Papule", Kind.FINDING)
        papules = Mention(41, 48, "papules", finding, assertion=Assertion.ASSERTED)
        first = store.add_document(document, sentences, [papules]).document_id
        gone = make_document("A document that will be removed.", url="https://example.org/gone")
        gone_id = store.add_document(gone, split_sentences(gone.text)).document_id
        other = make_document("Skin biopsy confirmed leukemia cutis [2].", url="https://b.org/x")
        second = store.add_document(other, split_sentences(other.text)).document_id
        shown, _ = store.add_evidence(
            concept,
            "presentation",
            "Leukemia cutis presented with papules.",
            [EvidenceSource(first, 1)],
            [Finding("HP:0200034", "Papule")],
            score=0.75,
        )
        store.add_evidence(
            concept, "workup", "Skin biopsy confirmed leukemia cutis [2].", [EvidenceSource(second)]
        )
        hidden, _ = store.add_evidence(
            concept, "other", "The patient recovered.", [EvidenceSource(first, 3)]
        )
        store.hide_evidence(hidden, "not about the disease")
        store.import_findings(
            [ImportedFinding(2, "Leukemia cutis", None, "HP:0200034", "Papule", 0.4, "Atlas")],
            "table.csv",
            "ana",
        )
        with Session(store.engine) as session, session.begin():
            session.add(
                PatientRow(document_id=first, concept_id=concept, age_years=54.5, sex="male")
            )
            session.delete(session.get(DocumentRow, gone_id))  # a gap in the document ids
            now = datetime.now(UTC)
            session.add(
                QuestionWordingRow(
                    hpo_id="HP:0200034", text="Any papules?", updated_by="ana", updated_at=now
                )
            )
            session.add(
                QuestionWordingRevisionRow(
                    hpo_id="HP:0200034",
                    number=1,
                    before=None,
                    text="Any papules?",
                    author="ana",
                    created_at=now,
                )
            )
            session.add(
                EvidenceActionRow(
                    evidence_id=hidden,
                    concept_id=concept,
                    action="hide",
                    reason="not about the disease",
                    author="ana",
                    created_at=now,
                )
            )
    with Community.open(url) as community:
        ana = community.accounts.add("ana", "a long enough password", role="admin")
        bo = community.accounts.add("bo.b", "another long password")
        community.accounts.start_session(bo, timedelta(days=1))
        question = community.questions.ask(bo, "When does it start?", "At what age?", concept)
        community.questions.approve(question.id, ana)
        community.questions.answer(question.id, ana, "Usually in adults.")
        ticket = community.tickets.create(bo, concept, "This sentence is wrong.", shown)
        community.tickets.set_status(ticket.id, ana, "in_progress", "Looking at it.")


def rows(url: str) -> dict[str, list[list[Any]]]:
    """Every data table's rows, as the export encodes them (comparable across back ends)."""
    engine = make_engine(url)
    try:
        with snapshot(engine) as connection:
            return {
                table.name: list(table_rows(connection, table)) for table in data_tables(connection)
            }
    finally:
        engine.dispose()


@pytest.fixture
def filled(tmp_path: Path, obo_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A SQLite store with a row in every table."""
    cheap_passwords(monkeypatch)
    url = f"sqlite:///{tmp_path / 'source.db'}"
    fill(url, obo_file)
    yield url


def export(url: str, path: Path, **options: Any) -> Any:
    engine = make_engine(url)
    try:
        return export_store(engine, path, **options)
    finally:
        engine.dispose()


def load(url: str, path: Path, **options: Any) -> Any:
    engine = make_engine(url)
    try:
        return import_store(engine, path, **options)
    finally:
        engine.dispose()


def test_every_table_has_rows_to_move(filled: str) -> None:
    """A new table fails this until `fill` gives it a row, so the round trips below cover it."""
    found = rows(filled)
    assert all(found.values()), [name for name, values in found.items() if not values]
    assert len(found) >= 17


def test_sqlite_to_sqlite_round_trip_keeps_every_row(filled: str, tmp_path: Path) -> None:
    before = rows(filled)
    path = tmp_path / "kb.jsonl.gz"
    header = export(filled, path, hpo_version="2099-01-01")
    assert header.total_rows == sum(len(values) for values in before.values())
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    load(target, path)
    assert rows(target) == before
    with Store.open(target) as store:  # the full-text index was rebuilt; ids continue
        assert [hit.text for hit in store.search_sentences("leukemie")] == [
            "Leukémie cutanée presented with papules."
        ]
        assert store.search_evidence("recovered") == []  # still hidden
        fresh = make_document("A new one.", url="https://c.org")
        added = store.add_document(fresh, split_sentences(fresh.text)).document_id
        assert added == max(row[0] for row in before["documents"]) + 1
        assert [hit.document_id for hit in store.search_sentences("new one")] == [added]


def sqlite_triggers(url: str) -> list[str]:
    engine = make_engine(url)
    with engine.connect() as connection:
        names = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        ).scalars()
        found = list(names)
    engine.dispose()
    return found


def test_sqlite_to_postgres_to_sqlite_keeps_every_row(filled: str, tmp_path: Path) -> None:
    before = rows(filled)
    first, second = tmp_path / "from-sqlite.jsonl.gz", tmp_path / "from-postgres.jsonl.gz"
    export(filled, first)
    with fresh_postgres_schema() as postgres:
        load(postgres, first)
        assert rows(postgres) == before
        header = export(postgres, second)
        assert header.source_dialect == "postgresql"
        with Store.open(postgres) as store:
            assert [hit.text for hit in store.search_sentences("leukemie")] == [
                "Leukémie cutanée presented with papules."
            ]
            fresh = make_document("A new one.", url="https://c.org")
            added = store.add_document(fresh, split_sentences(fresh.text)).document_id
            assert added == max(row[0] for row in before["documents"]) + 1  # sequence reset
            revision = store.add_concept("Another concept", author="ana").revision
            assert revision == 1
    back = f"sqlite:///{tmp_path / 'back.db'}"
    load(back, second)
    assert rows(back) == before


def test_the_file_is_documented_json_lines(filled: str, tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl.gz"
    export(filled, path, hpo_version="2099-01-01")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    header = lines[0]
    assert header["format"] == "dxatlas-export" and header["format_version"] == 1
    assert header["schema_revision"] == head_revision(make_engine(filled))
    assert header["hpo_version"] == "2099-01-01" and header["dxatlas_version"]
    starts = [line["table"] for line in lines if isinstance(line, dict) and "table" in line]
    assert starts.index("documents") < starts.index("sentences") < starts.index("mentions")
    assert starts.index("users") < starts.index("questions") < starts.index("answers")
    assert lines[-1] == {"end": True, "rows": sum(header["tables"].values())}
    at = next(
        i
        for i, line in enumerate(lines)
        if isinstance(line, dict) and line.get("table") == "documents"
    )
    first = dict(zip(lines[at]["columns"], lines[at + 1], strict=True))
    assert first["metadata"] == {"journal": {"name": "J", "issue": [1, 2]}, "open": True}
    assert first["published"] == "2024-02-03"
    assert first["ingested_at"].endswith("+00:00")
    assert read_header(path).tables == header["tables"]


def test_import_refuses_a_database_that_holds_data(
    filled: str, tmp_path: Path, database_url: str, obo_file: Path
) -> None:
    path = tmp_path / "kb.jsonl.gz"
    export(filled, path)
    with Store.open(database_url) as store:
        store.add_concept("Something else", author="ana")
    with pytest.raises(TransferError, match=r"is not empty \(1 concepts, .*--replace"):
        load(database_url, path)
    assert [row[1] for row in rows(database_url)["concepts"]] == ["Something else"]
    load(database_url, path, replace=True)
    assert rows(database_url) == rows(filled)


def test_a_truncated_file_imports_nothing(filled: str, tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "kb.jsonl.gz"
    export(filled, path)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wt", encoding="utf-8") as handle:
        handle.writelines(lines[: len(lines) - 5])
    with Store.open(database_url) as store:
        store.add_concept("Kept", author="ana")
    kept = rows(database_url)
    with pytest.raises(TransferError, match=r"ends inside table|ends early"):
        load(database_url, cut, replace=True)
    assert rows(database_url) == kept
    if database_url.startswith("sqlite"):  # the full-text triggers dropped for the load are back
        assert len(sqlite_triggers(database_url)) == 6
    with Store.open(database_url) as store:
        store.add_concept("Still works", author="ana")
        document = make_document("Searchable after a failed import.", url="https://e.org")
        store.add_document(document, split_sentences(document.text))
        assert len(store.search_sentences("searchable")) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a dxatlas export"),
        (b'{"hello": 1}\n', "not a dxatlas export"),
        (b'{"format": "dxatlas-export", "format_version": 99}\n', "format 99"),
        (b"\x1f\x8b\x08\x00garbage", "is damaged"),
        (
            b'{"format": "dxatlas-export", "format_version": 1, "schema_revision": "9999", '
            b'"tables": {}}\n{"end": true}\n',
            "revision 9999, which this dxatlas",
        ),
    ],
)
def test_bad_files_are_refused_with_one_clear_line(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(content)
    with pytest.raises(TransferError, match=message) as caught:
        load(f"sqlite:///{tmp_path / 'target.db'}", path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TransferError, match=r"cannot read .*nothing\.gz"):
        load(f"sqlite:///{tmp_path / 'target.db'}", tmp_path / "nothing.gz")


def test_an_export_of_an_older_schema_is_imported_then_migrated(
    tmp_path: Path, database_url: str
) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(old)
    migrate(engine, "0001")
    engine.dispose()
    with Store.open(old, upgrade=False) as store:
        store.add_concept("Leukemia cutis", author="ana")
    path = tmp_path / "old.jsonl.gz"
    assert export(old, path).schema_revision == "0001"
    load(database_url, path)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision(engine)
    engine.dispose()
    assert [row[1] for row in rows(database_url)["concepts"]] == ["Leukemia cutis"]
    # a database already at a later revision is refused: its tables may not match the file
    with pytest.raises(TransferError, match="import it into a new, empty database"):
        load(database_url, path, replace=True)


def test_an_export_file_appears_only_when_complete(filled: str, tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl.gz"
    path.write_text("the previous export")
    seen: list[str] = []

    def fail_midway(table: str, _rows: int) -> None:
        seen.append(table)
        if table == "sentences":
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        export(filled, path, progress=fail_midway)
    assert path.read_text() == "the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kb")] == []


def test_export_sees_one_snapshot(
    database_url: str, obo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document stored while the export runs is in the file whole, or not at all: PostgreSQL
    lets the writer commit (the export reads its snapshot), SQLite makes it wait, then give up."""
    cheap_passwords(monkeypatch)
    fill(database_url, obo_file)
    before = rows(database_url)
    writer = f"{database_url}?timeout=0.2" if database_url.startswith("sqlite") else database_url
    outcome: list[str] = []

    def write_meanwhile(_table: str, _rows: int) -> None:
        if outcome:
            return
        try:
            with Store.open(writer) as store:
                fresh = make_document("Written during the export.", url="https://d.org")
                store.add_document(fresh, split_sentences(fresh.text))
        except DatabaseUnavailable:
            outcome.append("refused")
        else:
            outcome.append("written")

    path = tmp_path / "kb.jsonl.gz"
    export(database_url, path, progress=write_meanwhile)
    assert outcome == ["refused" if database_url.startswith("sqlite") else "written"]
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    load(copy, path)
    assert rows(copy) == before


def test_import_keeps_times_in_utc(filled: str, tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl.gz"
    export(filled, path)
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    load(target, path)
    with Store.open(target) as store:
        created = store.revisions("DXATLAS:leukemia-cutis")[0].created_at
    assert created.tzinfo is not None and abs(datetime.now(UTC) - created).total_seconds() < 600
    engine = make_engine(target)
    with Session(engine) as session:
        assert session.query(UserSessionRow).count() == 1
    engine.dispose()


def test_every_back_end_round_trips(filled: str, tmp_path: Path) -> None:
    """The same file imports the same rows on each back end (the PostgreSQL leg skips, saying
    why, when no server answers)."""
    path = tmp_path / "kb.jsonl.gz"
    export(filled, path)
    expected = rows(filled)
    for backend in ("sqlite", "postgresql"):
        folder = tmp_path / backend
        folder.mkdir()
        with fresh_database(backend, folder) as url:
            load(url, path)
            assert rows(url) == expected, backend


def test_a_table_this_version_does_not_know_stops_the_export(
    database_url: str, tmp_path: Path
) -> None:
    """Exporting without it would lose it; counting rows for `db stats` still works."""
    Store.open(database_url).close()
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE mystery (id INTEGER PRIMARY KEY)")
    try:
        with pytest.raises(TransferError, match="tables this dxatlas does not know: mystery"):
            export_store(engine, tmp_path / "kb.jsonl.gz")
        with engine.connect() as connection:
            assert "mystery" not in row_counts(connection) and "concepts" in row_counts(connection)
    finally:
        engine.dispose()
    assert not (tmp_path / "kb.jsonl.gz").exists()
