"""OBO import: every live term becomes a concept with synonyms, xrefs and parent; re-import is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxatlas.store import OntologyFileError, Store, Synonym


def test_terms_become_concepts(store: Store, obo_file: Path) -> None:
    report = store.import_obo(obo_file, author="importer")
    assert (report.terms, report.added, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.skipped == 1  # the obsolete term
    leukemia = store.concept("MONDO:0005059")
    assert leukemia.name == "leukemia" and leukemia.source == "obo"
    assert leukemia.description == "A cancer of the blood-forming tissues."
    assert leukemia.parent_id == "MONDO:0000001"
    assert leukemia.synonyms == (Synonym("leukaemia", "exact"), Synonym("blood cancer", "related"))
    assert leukemia.xrefs == ("DOID:1240", "OMIM:613065")  # the URL xref is not an id
    assert store.concept("MONDO:0100001").parent_id == "MONDO:0005059"
    assert store.find_concept("MONDO:0000002") is None
    found = store.find_concept("cutaneous leukemia")
    assert found is not None and found.id == "MONDO:0100001"
    assert store.revisions("MONDO:0005059")[0].action == "import"


def test_re_import_is_idempotent(store: Store, obo_file: Path) -> None:
    store.import_obo(obo_file, author="importer")
    before = store.stats()
    report = store.import_obo(obo_file, author="importer")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    assert store.stats() == before


def test_a_changed_term_is_updated_with_one_revision(store: Store, obo_file: Path) -> None:
    store.import_obo(obo_file, author="importer")
    obo_file.write_text(
        obo_file.read_text().replace('synonym: "blood cancer" RELATED []\n', ""), encoding="utf-8"
    )
    report = store.import_obo(obo_file, author="importer")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    history = store.revisions("MONDO:0005059")
    assert [r.action for r in history] == ["import", "import"]
    assert history[-1].changes == ["synonyms"]


def test_an_editor_hiding_a_term_survives_re_import(store: Store, obo_file: Path) -> None:
    store.import_obo(obo_file, author="importer")
    store.edit_concept("MONDO:0000001", author="ana", hidden=True)
    assert store.import_obo(obo_file, author="importer").unchanged == 3
    assert store.concept("MONDO:0000001").hidden


def test_a_malformed_file_is_named_and_nothing_is_stored(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "broken.obo"
    bad.write_text("format-version: 1.2\n\n[Term]\nid: X:1\nname: a\nsynonym: unquoted\n")
    with pytest.raises(OntologyFileError, match=r"broken\.obo"):
        store.import_obo(bad, author="importer")
    assert store.stats().concepts == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("", "empty"), ("just some words\n", r"broken\.obo")],
)
def test_missing_empty_and_foreign_files_are_refused(
    store: Store, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "broken.obo"
    if content is not None:
        path.write_text(content)
    with pytest.raises(OntologyFileError, match=message):
        store.import_obo(path, author="importer")


def test_an_obo_id_clashing_with_a_user_concept_is_refused(store: Store, tmp_path: Path) -> None:
    store.add_concept("Chloroma", author="ana")
    clash = tmp_path / "clash.obo"
    clash.write_text("format-version: 1.2\n\n[Term]\nid: DXATLAS:chloroma\nname: chloroma\n")
    with pytest.raises(OntologyFileError, match="user concept"):
        store.import_obo(clash, author="importer")
    assert store.concept("DXATLAS:chloroma").source == "user"


def test_an_import_line_is_not_followed_over_the_network(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = tmp_path / "with-import.obo"
    path.write_text(
        "format-version: 1.2\nimport: http://127.0.0.1:9/x.obo\n\n"
        "[Term]\nid: MONDO:0000001\nname: disease\n",
        encoding="utf-8",
    )
    report = store.import_obo(path, author="importer")
    assert (report.terms, report.added) == (1, 1)
    assert store.concept("MONDO:0000001").name == "disease"
