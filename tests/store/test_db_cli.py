"""`dxatlas db stats`, `db export` and `db import`, on every back end, including bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.ingest.document import make_document
from dxatlas.ingest.sentences import split_sentences
from dxatlas.settings import get_settings
from dxatlas.store import EvidenceSource, Store
from tests.databases import fresh_database

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def assert_clean_error(result, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Traceback" not in result.output + result.stderr


def use(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXATLAS_DATABASE_URL", url)
    get_settings.cache_clear()


def seed(url: str) -> None:
    with Store.open(url) as store:
        concept = store.add_concept("Leukemia cutis", ["cutaneous leukemia"], author="ana")
        document = make_document(
            "Skin biopsy confirmed it. Papules were seen.", url="https://a.org"
        )
        added = store.add_document(document, split_sentences(document.text))
        store.add_evidence(
            concept.concept.id,
            "workup",
            "Skin biopsy confirmed it.",
            [EvidenceSource(added.document_id)],
        )


def stats() -> dict:
    result = run("db", "stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stats_counts_what_the_store_holds(store_env: str) -> None:
    seed(store_env)
    payload = stats()
    assert (payload["concepts"], payload["documents"], payload["sentences"]) == (1, 1, 2)
    assert payload["evidence"] == 1 and payload["concept_revisions"] == 1
    assert payload["tables"]["evidence_sources"] == 1 and payload["tables"]["users"] == 0
    assert payload["schema_revision"] and payload["dialect"] in ("sqlite", "postgresql")


def test_export_then_import_into_another_database(
    store_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(store_env)
    before = stats()
    path = tmp_path / "kb.jsonl.gz"
    result = run("db", "export", str(path))
    assert result.exit_code == 0, result.output
    assert f"to {path}" in result.stdout and path.is_file()
    backend = "sqlite" if store_env.startswith("sqlite") else "postgresql"
    (tmp_path / "other").mkdir()
    with fresh_database(backend, tmp_path / "other") as other:
        use(other, monkeypatch)
        result = run("db", "import", str(path))
        assert result.exit_code == 0, result.output
        assert "Imported" in result.stdout
        after = stats()
        assert after["tables"] == before["tables"]
        assert_clean_error(run("db", "import", str(path)), "is not empty", "--replace")
        result = run("db", "import", str(path), "--replace")
        assert result.exit_code == 0, result.output
        assert stats()["tables"] == before["tables"]
        get_settings.cache_clear()


def test_export_refuses_to_overwrite_unless_forced(store_env: str, tmp_path: Path) -> None:
    seed(store_env)
    path = tmp_path / "kb.jsonl.gz"
    path.write_text("keep me")
    assert_clean_error(run("db", "export", str(path)), "exists", "--force")
    assert path.read_text() == "keep me"
    assert run("db", "export", str(path), "--force").exit_code == 0
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert_clean_error(run("db", "export", str(tmp_path)), "is a folder")


def test_import_bad_files(store_env: str, tmp_path: Path) -> None:
    assert_clean_error(run("db", "import", str(tmp_path / "none.gz")), "no such file")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json at all\n")
    assert_clean_error(run("db", "import", str(bad)), str(bad), "damaged")


def test_export_of_an_unmigrated_database_says_so(store_env: str, tmp_path: Path) -> None:
    if store_env.startswith("sqlite"):
        Path(store_env.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        Path(store_env.removeprefix("sqlite:///")).touch()
    assert_clean_error(run("db", "export", str(tmp_path / "x.gz")), "holds no dxatlas store")
    assert not (tmp_path / "x.gz").exists()


def test_export_of_a_missing_sqlite_file_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "dxatlas.db"
    use(f"sqlite:///{missing}", monkeypatch)
    try:
        assert_clean_error(run("db", "export", str(tmp_path / "x.gz")), "no database at")
    finally:
        get_settings.cache_clear()
    assert not missing.exists() and not (tmp_path / "x.gz").exists()


def test_upgrade_migrates_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use(f"sqlite:///{tmp_path / 'new.db'}", monkeypatch)
    try:
        first, second = run("db", "upgrade"), run("db", "upgrade")
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0 and "migrated from empty to" in first.stdout, first.output
    assert second.exit_code == 0 and "is at the latest schema" in second.stdout, second.output


@pytest.mark.parametrize(
    "command", [("db", "stats"), ("db", "upgrade"), ("db", "export", "x.gz"), ("db", "import")]
)
def test_an_unreachable_database_is_one_line(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    export = tmp_path / "kb.jsonl.gz"
    header = {"format": "dxatlas-export", "format_version": 1, "schema_revision": "0001"}
    export.write_text(json.dumps({**header, "tables": {}}) + '\n{"end": true, "rows": 0}\n')
    args = [*command, str(export)] if command[-1] == "import" else list(command)
    monkeypatch.chdir(tmp_path)
    use(f"postgresql+psycopg://postgres:hunter2@127.0.0.1:{port}/dxatlas", monkeypatch)
    try:
        result = run(*args)
    finally:
        get_settings.cache_clear()
    assert_clean_error(result, f"127.0.0.1:{port}")
    assert "hunter2" not in result.output + result.stderr
