"""User concepts: ids, lookup by id/name/synonym, and an append-only revision history."""

from __future__ import annotations

import pytest

from dxatlas.store import ConceptConflict, CuratedNames, Store, Synonym, UnknownConcept


def _add_leukemia_cutis(store: Store) -> str:
    change = store.add_concept(
        "Leukemia cutis",
        ["cutaneous leukemia", "leukaemia cutis"],
        xrefs=["omim:123456"],
        author="ana",
    )
    return change.concept.id


def test_add_gives_a_slug_id_and_a_first_revision(store: Store) -> None:
    change = store.add_concept("Leukemia  cutis", ["cutaneous leukemia"], author="ana")
    assert change.concept.id == "DXATLAS:leukemia-cutis"
    assert change.concept.name == "Leukemia cutis"
    assert change.revision == 1
    [revision] = store.revisions(change.concept.id)
    assert (revision.number, revision.author, revision.action) == (1, "ana", "create")
    assert revision.before is None and revision.after == change.concept


@pytest.mark.parametrize(
    "query",
    [
        "DXATLAS:leukemia-cutis",
        "dxatlas:leukemia-cutis",
        "Leukemia cutis",
        "LEUKAEMIA CUTIS",  # British spelling of the name
        "Cutaneous leukaemia",  # British spelling of a synonym
        "cutaneous-leukemia.",
        "OMIM:123456",  # an xref
    ],
)
def test_find_by_id_name_synonym_or_xref(store: Store, query: str) -> None:
    concept_id = _add_leukemia_cutis(store)
    found = store.find_concept(query)
    assert found is not None and found.id == concept_id


def test_find_unknown_gives_none(store: Store) -> None:
    _add_leukemia_cutis(store)
    assert store.find_concept("leukemia") is None
    assert store.find_concept("DXATLAS:nothing") is None


def test_edit_and_revert_keep_every_revision(store: Store) -> None:
    concept_id = _add_leukemia_cutis(store)
    original = store.concept(concept_id)
    edited = store.edit_concept(
        concept_id,
        author="bob",
        synonyms=["cutaneous leukemia", Synonym("leukemic infiltration of skin", "related")],
        description="Infiltration of the skin by leukemic cells.",
    )
    assert edited is not None and edited.revision == 2
    renamed = store.edit_concept(concept_id, author="bob", name="Cutaneous leukemic infiltration")
    assert renamed is not None and renamed.revision == 3
    assert store.concept(concept_id).id == concept_id  # a rename keeps the id

    reverted = store.revert(concept_id, 1, author="cy")
    assert reverted.revision == 4
    assert reverted.concept == original
    assert store.concept(concept_id) == original

    history = store.revisions(concept_id)
    assert [(r.number, r.action, r.author) for r in history] == [
        (1, "create", "ana"),
        (2, "edit", "bob"),
        (3, "edit", "bob"),
        (4, "revert", "cy"),
    ]
    assert history[3].reverted_to == 1
    assert history[1].before == original and history[1].changes == ["description", "synonyms"]
    assert history[2].after.name == "Cutaneous leukemic infiltration"
    # The current state can always be rebuilt from the revisions alone.
    assert store.rebuild_concept(concept_id) == store.concept(concept_id)
    # Reverting to a revert's target again is refused: nothing would change.
    with pytest.raises(ConceptConflict, match="already"):
        store.revert(concept_id, 4, author="cy")
    with pytest.raises(ConceptConflict, match="no revision 9"):
        store.revert(concept_id, 9, author="cy")


def test_an_edit_that_changes_nothing_appends_nothing(store: Store) -> None:
    concept_id = _add_leukemia_cutis(store)
    assert store.edit_concept(concept_id, author="bob", name="Leukemia cutis") is None
    assert len(store.revisions(concept_id)) == 1


def test_hiding_is_an_edit_too(store: Store) -> None:
    concept_id = _add_leukemia_cutis(store)
    change = store.edit_concept(concept_id, author="bob", hidden=True)
    assert change is not None and change.concept.hidden
    assert store.revisions(concept_id)[-1].changes == ["hidden"]


def test_duplicate_names_are_refused_and_nothing_is_stored(store: Store) -> None:
    _add_leukemia_cutis(store)
    before = store.stats()
    for name in ("Leukaemia cutis", "cutaneous leukaemia"):
        with pytest.raises(ConceptConflict, match="already names concept DXATLAS:leukemia-cutis"):
            store.add_concept(name, author="ana")
    assert store.stats() == before


def test_renaming_onto_another_concept_is_refused(store: Store) -> None:
    _add_leukemia_cutis(store)
    other = store.add_concept("Myeloid sarcoma", author="ana").concept.id
    with pytest.raises(ConceptConflict):
        store.edit_concept(other, author="ana", name="leukaemia cutis")
    assert store.concept(other).name == "Myeloid sarcoma"


def test_parents_must_exist_and_never_form_a_cycle(store: Store) -> None:
    parent = store.add_concept("Leukemia", author="ana").concept.id
    child = store.add_concept("Leukemia cutis", parent="leukaemia", author="ana").concept
    assert child.parent_id == parent
    with pytest.raises(ConceptConflict, match="unknown parent"):
        store.add_concept("Chloroma", parent="DXATLAS:nothing", author="ana")
    with pytest.raises(ConceptConflict, match="cycle"):
        store.edit_concept(parent, author="ana", parent=child.id)
    assert store.find_concept("Chloroma") is None


def test_bad_names_and_xrefs_are_refused(store: Store) -> None:
    with pytest.raises(ConceptConflict, match="no letters or digits"):
        store.add_concept(" -- ", author="ana")
    with pytest.raises(ConceptConflict, match="xref"):
        store.add_concept("Chloroma", xrefs=["not an id"], author="ana")
    assert store.stats().concepts == 0


def test_editing_an_unknown_concept_is_an_error(store: Store) -> None:
    with pytest.raises(UnknownConcept):
        store.edit_concept("DXATLAS:nothing", author="ana", name="x")
    with pytest.raises(UnknownConcept):
        store.revisions("DXATLAS:nothing")


def test_a_renamed_concept_keeps_its_id_and_a_new_one_gets_a_suffix(store: Store) -> None:
    first = store.add_concept("Chloroma", author="ana").concept.id
    store.edit_concept(first, author="ana", name="Myeloid sarcoma")
    second = store.add_concept("Chloroma", author="ana").concept.id
    assert (first, second) == ("DXATLAS:chloroma", "DXATLAS:chloroma-2")


def test_names_shared_with_curated_diseases_are_reported(database_url: str) -> None:
    curated = CuratedNames.of([("OMIM:100001", "Leukaemia cutis"), ("ORPHA:1", "Leukemia")])
    with Store.open(database_url, curated=curated) as store:
        change = store.add_concept(
            "Leukemia cutis", ["cutaneous leukemia"], parent="ORPHA:1", author="ana"
        )
        assert change.concept.parent_id == "ORPHA:1"  # a curated disease may be the parent
        assert [(o.other_id, o.shared_name, o.curated) for o in change.overlaps] == [
            ("OMIM:100001", "Leukemia cutis", True)
        ]
        assert store.overlaps(change.concept.id) == change.overlaps
