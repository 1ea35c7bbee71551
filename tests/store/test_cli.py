"""`dxatlas concept ...` and `dxatlas db stats`, on the toy knowledge base, including every bad input."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.settings import get_settings

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def assert_clean_error(result, *fragments: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2, one `error:` line naming what is wrong, no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.fixture(autouse=True)
def _env(store_env: str) -> None:
    """Every test here runs on the toy knowledge base and a fresh database."""


def _add() -> None:
    result = run(
        "concept",
        "add",
        "Leukemia cutis",
        "--synonym",
        "cutaneous leukemia",
        "--synonym",
        "leukaemia cutis",
        "--xref",
        "OMIM:123456",
        "--author",
        "ana",
    )
    assert result.exit_code == 0, result.output
    assert "Added DXATLAS:leukemia-cutis Leukemia cutis (revision 1)" in result.stdout


def _stats() -> dict:
    result = run("db", "stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_concept_add_then_show() -> None:
    _add()
    result = run("concept", "show", "Cutaneous leukaemia")
    assert result.exit_code == 0, result.output
    assert "DXATLAS:leukemia-cutis  Leukemia cutis  (user)" in result.stdout
    assert "Synonyms: cutaneous leukemia; leukaemia cutis" in result.stdout
    assert "Xrefs: OMIM:123456" in result.stdout
    assert "ana  create" in result.stdout


def test_concept_show_json_has_the_revisions() -> None:
    _add()
    result = run("concept", "show", "DXATLAS:leukemia-cutis", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["concept"]["name"] == "Leukemia cutis"
    assert [r["action"] for r in payload["revisions"]] == ["create"]
    assert payload["revisions"][0]["author"] == "ana"


def test_the_author_defaults_to_the_os_user() -> None:
    assert run("concept", "add", "Chloroma").exit_code == 0
    payload = json.loads(run("concept", "show", "chloroma", "--json").stdout)
    assert payload["revisions"][0]["author"] == getpass.getuser()


def test_a_curated_parent_is_accepted_and_a_curated_name_is_reported() -> None:
    result = run("concept", "add", "Blood disorder B", "--parent", "OMIM:100003")
    assert result.exit_code == 0, result.output
    assert "also names curated disease OMIM:100002" in result.stderr


def test_concept_import_and_re_import(obo_file: Path) -> None:
    result = run("concept", "import", str(obo_file), "--author", "importer")
    assert result.exit_code == 0, result.output
    assert "3 terms" in result.stdout and "3 added" in result.stdout
    again = run("concept", "import", str(obo_file))
    assert again.exit_code == 0, again.output
    assert "3 unchanged" in again.stdout
    assert _stats()["concepts_by_source"] == {"obo": 3}


def test_concept_revert_appends_a_revision() -> None:
    _add()
    from dxatlas.store import Store

    with Store.open(get_settings().database_url) as store:
        store.edit_concept("DXATLAS:leukemia-cutis", author="bob", synonyms=[])
    result = run("concept", "revert", "DXATLAS:leukemia-cutis", "1", "--author", "cy")
    assert result.exit_code == 0, result.output
    assert "(revision 3)" in result.stdout
    payload = json.loads(run("concept", "show", "leukemia cutis", "--json").stdout)
    assert [r["action"] for r in payload["revisions"]] == ["create", "edit", "revert"]
    assert len(payload["concept"]["synonyms"]) == 2


def test_db_stats_counts_everything() -> None:
    _add()
    assert _stats()["concepts"] == 1
    result = run("db", "stats")
    assert result.exit_code == 0, result.output
    assert "concepts" in result.stdout and "documents" in result.stdout


def test_duplicate_name_is_refused_and_nothing_is_stored() -> None:
    _add()
    assert_clean_error(run("concept", "add", "Leukaemia Cutis"), "already names")
    assert _stats()["concept_revisions"] == 1


def test_unknown_parent_is_refused_and_nothing_is_stored() -> None:
    assert_clean_error(
        run("concept", "add", "Chloroma", "--parent", "DXATLAS:nothing"), "unknown parent"
    )
    assert _stats()["concepts"] == 0


def test_bad_xref_is_refused() -> None:
    assert_clean_error(run("concept", "add", "Chloroma", "--xref", "not an id"), "xref")


def test_show_unknown_concept() -> None:
    assert_clean_error(run("concept", "show", "nothing at all"), "nothing at all")


def test_import_missing_and_malformed_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.obo"
    assert_clean_error(run("concept", "import", str(missing)), str(missing), "no such file")
    broken = tmp_path / "broken.obo"
    broken.write_text("format-version: 1.2\n\n[Term]\nid: X:1\nname: a\nsynonym: oops\n")
    assert_clean_error(run("concept", "import", str(broken)), str(broken))
    assert _stats()["concepts"] == 0


def test_import_of_a_file_whose_is_a_names_an_unknown_term_is_one_clean_error(
    tmp_path: Path,
) -> None:
    orphan = tmp_path / "orphan.obo"
    orphan.write_text("format-version: 1.2\n\n[Term]\nid: X:1\nname: a\nis_a: X:99 ! gone\n")
    assert_clean_error(run("concept", "import", str(orphan)), str(orphan), "X:99")
    assert _stats()["concepts"] == 0


def test_import_of_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ontologies"
    folder.mkdir()
    assert_clean_error(
        run("concept", "import", str(folder)), str(folder), "is a folder, not an OBO file"
    )


def test_revert_unknown_concept_or_revision() -> None:
    _add()
    assert_clean_error(run("concept", "revert", "DXATLAS:nothing", "1"), "DXATLAS:nothing")
    assert_clean_error(run("concept", "revert", "DXATLAS:leukemia-cutis", "7"), "no revision 7")
    assert_clean_error(run("concept", "revert", "DXATLAS:leukemia-cutis", "1"), "already")


@pytest.mark.parametrize(
    "url", ["not a url", "nosuchdialect://u:secret@h/db", "sqlite:////proc/no/such/dir/x.db"]
)
@pytest.mark.parametrize("command", [("db", "stats"), ("concept", "add", "Chloroma")])
def test_bad_database_url(
    monkeypatch: pytest.MonkeyPatch, url: str, command: tuple[str, ...]
) -> None:
    monkeypatch.setenv("DXATLAS_DATABASE_URL", url)
    get_settings.cache_clear()
    result = run(*command)
    assert_clean_error(result, "database")
    assert "secret" not in result.stderr


def test_concept_edit_appends_revisions_and_refuses_unknown_synonyms() -> None:
    _add()
    edited = run(
        "concept",
        "edit",
        "cutaneous leukemia",
        "--add-synonym",
        "LC",
        "--remove-synonym",
        "leukaemia cutis",
        "--description",
        "Leukemic cells in the skin.",
        "--author",
        "ben",
    )
    assert edited.exit_code == 0, edited.output
    assert "Edited DXATLAS:leukemia-cutis Leukemia cutis (revision 2)" in edited.stdout
    shown = json.loads(run("concept", "show", "DXATLAS:leukemia-cutis", "--json").stdout)
    synonyms = {s["text"] for s in shown["concept"]["synonyms"]}
    assert synonyms == {"cutaneous leukemia", "LC"}
    assert shown["concept"]["description"] == "Leukemic cells in the skin."
    unchanged = run(
        "concept", "edit", "Leukemia cutis", "--description", "Leukemic cells in the skin."
    )
    assert "nothing changed" in unchanged.stdout
    assert_clean_error(
        run("concept", "edit", "Leukemia cutis", "--remove-synonym", "no such name"),
        "no synonym",
    )
    assert_clean_error(run("concept", "edit", "Nothing like it", "--name", "X"), "no concept")
    assert _stats()["concept_revisions"] == 2
