"""Imported table rows in the store: the concept a row joins, and a concept's rows (both back ends)."""

from __future__ import annotations

from dxatlas.kb.table_import import ImportedFinding
from dxatlas.store.store import Store


def row(line: int, disease: str, finding: str, *synonyms: str) -> ImportedFinding:
    return ImportedFinding(line, disease, None, finding, finding, None, "DDXPlus", synonyms)


def test_a_row_joins_the_concept_of_one_of_its_names_or_makes_one_with_them(store: Store) -> None:
    pneumonia = store.add_concept("Lung infection", author="t", source="literature").concept.id
    outcome = store.import_findings(
        [
            # "Pneumonia" is no stored name, its further name is: the row joins that concept.
            row(1, "Pneumonia", "HP:0012735", "lung infection"),
            row(2, "URTI", "HP:0031417", "upper respiratory tract infection"),
            row(3, "URTI", "HP:0001742", "upper respiratory tract infection"),
        ],
        "conditions.json",
        "ana",
    )
    assert outcome.added == 3 and len(outcome.concepts_added) == 1
    made = store.find_concept("upper respiratory tract infection")
    assert made is not None and made.name == "URTI" and made.id == outcome.concepts_added[0]
    assert [s.text for s in made.synonyms] == ["upper respiratory tract infection"]
    assert [f for f, *_ in store.imported_findings_of(pneumonia)] == ["HP:0012735"]
    assert store.imported_findings_of(made.id) == [
        ("HP:0031417", "HP:0031417", None, "DDXPlus"),
        ("HP:0001742", "HP:0001742", None, "DDXPlus"),
    ]
    assert store.imported_findings_of("DXATLAS:none") == []
