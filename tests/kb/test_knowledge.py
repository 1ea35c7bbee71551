"""The knowledge base built from toy files, its on-disk index, and name lookup."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dxatlas.kb.index import index_key, load_index, load_or_build, save_index
from dxatlas.kb.knowledge import SEX_FEMALE, KnowledgeBase
from dxatlas.kb.lookup import EntryKind, NameIndex, UnknownNameError
from dxatlas.kb.normalize import normalize_name
from dxatlas.kb.source import HpoDataFiles


def test_ontology_resolves_alt_and_obsolete_ids(toy_kb: KnowledgeBase) -> None:
    onto = toy_kb.ontology
    assert onto.ids[onto.resolve("HP:0009999")] == "HP:0001903"  # type: ignore[index]
    assert onto.ids[onto.resolve("HP:0001000")] == "HP:0001250"  # type: ignore[index]
    assert onto.resolve("HP:0001000") is not None
    assert "HP:0001000" not in onto.index
    assert onto.resolve("HP:7777777") is None


def test_ancestors_and_descendants_are_closed(toy_kb: KnowledgeBase) -> None:
    onto = toy_kb.ontology
    tonic = onto.index["HP:0002069"]
    ancestors = {onto.ids[i] for i in onto.ancestors_of(tonic)}
    assert ancestors == {"HP:0002069", "HP:0001250", "HP:0000707", "HP:0000118", "HP:0000001"}
    nervous = onto.index["HP:0000707"]
    descendants = {onto.ids[i] for i in onto.descendants_of(nervous)}
    assert {"HP:0002069", "HP:0007359", "HP:0001249"} <= descendants
    assert onto.is_descendant(tonic, nervous) and not onto.is_descendant(nervous, tonic)


def test_diseases_and_annotations(toy_kb: KnowledgeBase) -> None:
    assert toy_kb.disease_ids == ["OMIM:100001", "OMIM:100002", "OMIM:100003"]
    assert toy_kb.version == "HPO 2099-01-01"
    table = toy_kb.annotations
    rows = table.rows_of(toy_kb.disease_index["OMIM:100002"])
    assert len(rows) == 4
    vision = [r for r in rows if toy_kb.ontology.ids[table.term[r]] == "HP:0000505"]
    assert table.sex[vision[0]] == SEX_FEMALE
    assert table.references[rows[0]] == "PMID:2;PMID:3"
    negated = [r for r in range(len(table)) if table.negated[r]]
    assert [toy_kb.ontology.ids[table.term[r]] for r in negated] == ["HP:0001903"]


def test_information_content_grows_with_specificity(toy_kb: KnowledgeBase) -> None:
    ic, onto = toy_kb.information_content, toy_kb.ontology
    assert ic[onto.index["HP:0000118"]] == pytest.approx(0.0)
    assert (
        ic[onto.index["HP:0002069"]] >= ic[onto.index["HP:0001250"]] >= ic[onto.index["HP:0000707"]]
    )
    assert ic[onto.index["HP:0001250"]] == pytest.approx(np.log(3 / 2))  # 2 of 3 diseases


def test_index_round_trip(toy_kb: KnowledgeBase, tmp_path: Path) -> None:
    save_index(toy_kb, tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")
    assert loaded.disease_ids == toy_kb.disease_ids
    assert loaded.ontology.ids == toy_kb.ontology.ids
    assert loaded.ontology.synonyms == toy_kb.ontology.synonyms
    assert loaded.ontology.redirects == toy_kb.ontology.redirects
    assert (loaded.ontology.ancestors != toy_kb.ontology.ancestors).nnz == 0
    assert np.array_equal(loaded.annotations.fraction, toy_kb.annotations.fraction, equal_nan=True)
    assert loaded.annotations.references == toy_kb.annotations.references
    assert np.allclose(loaded.information_content, toy_kb.information_content)


def test_load_or_build_reuses_the_index_and_rebuilds_when_data_changes(
    toy_files: HpoDataFiles, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_or_build(toy_files, cache)
    folder = cache / "kb" / index_key(toy_files)
    assert (folder / "meta.json").is_file()
    stamp = (folder / "meta.json").stat().st_mtime_ns
    load_or_build(toy_files, cache)
    assert (folder / "meta.json").stat().st_mtime_ns == stamp
    toy_files.hpoa.write_text(toy_files.hpoa.read_text() + "\n")
    assert index_key(toy_files) != folder.name


def test_a_damaged_index_is_rebuilt(toy_files: HpoDataFiles, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_or_build(toy_files, cache)
    (cache / "kb" / index_key(toy_files) / "meta.json").write_text("{not json")
    kb = load_or_build(toy_files, cache)
    assert kb.n_diseases == 3


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Leukaemia cutis", "leukemia cutis"),
        ("ANAEMIA", "anemia"),
        ("Oedema", "edema"),
        ("Haemorrhage", "hemorrhage"),
        ("Diarrhoea", "diarrhea"),
        ("Oesophageal atresia", "esophageal atresia"),
        ("Café-au-lait spot", "cafe au lait spot"),
        ("sore  throat!", "sore throat"),
    ],
)
def test_normalize_name(text: str, key: str) -> None:
    assert normalize_name(text) == key


def test_name_lookup(toy_kb: KnowledgeBase) -> None:
    names = NameIndex.build(toy_kb)
    assert names.finding("anaemia") == "HP:0001903"
    assert names.finding("Low number of red blood cells") == "HP:0001903"
    assert names.finding("FITS") == "HP:0001250"
    assert names.finding("hp:0009999") == "HP:0001903"
    assert names.by_name("Blood disorder B", EntryKind.DISEASE)[0].id == "OMIM:100002"
    assert toy_kb.disease_ids[names.disease("blood disorder b")] == "OMIM:100002"
    assert toy_kb.disease_ids[names.disease("OMIM:100003")] == "OMIM:100003"


def test_unknown_names_suggest_the_closest(toy_kb: KnowledgeBase) -> None:
    names = NameIndex.build(toy_kb)
    with pytest.raises(UnknownNameError) as caught:
        names.finding("neutropenai")
    assert "Neutropenia" in caught.value.suggestions
    assert "did you mean" in str(caught.value)
    with pytest.raises(UnknownNameError, match="not a term"):
        names.finding("HP:7777777")
    with pytest.raises(UnknownNameError, match="not a disease"):
        names.disease("OMIM:999999")


def test_a_truncated_index_array_file_is_rebuilt(toy_files: HpoDataFiles, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_or_build(toy_files, cache)
    arrays = cache / "kb" / index_key(toy_files) / "arrays.npz"
    arrays.write_bytes(arrays.read_bytes()[:200])
    assert load_or_build(toy_files, cache).n_diseases == 3
    assert load_index(arrays.parent).n_diseases == 3  # the rebuilt copy reads again
