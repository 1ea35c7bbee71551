"""The concepts a concept page links to: the same disease elsewhere, parent and children, and the
diseases its etiology evidence names.

Every link leads to a page that exists (a curated disease of the knowledge base or a visible
stored concept); a page never links to itself, and each concept is listed once, under the first
relation that finds it (in the order of `RELATIONS`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dxatlas.kb.normalize import normalize_name

if TYPE_CHECKING:
    from dxatlas.web.directory import DirectorySnapshot
    from dxatlas.web.engine import WebEngine

RELATIONS: dict[str, str] = {
    "same-disease": "The same disease elsewhere",
    "parent": "Broader concept",
    "children": "Narrower concepts",
    "same-name": "Concepts with the same name",
    "etiology": "Named in the etiology evidence",
}
ETIOLOGY_LINKS = 20


def related_concepts(engine: WebEngine, page: dict[str, Any]) -> list[dict[str, Any]]:
    """`[{"relation", "title", "items": [{"id", "name", "source"}]}]` for a page's JSON, with
    only the relations that found something, in the order of `RELATIONS`."""
    from dxatlas.web.directory import directory_for

    directory = directory_for(engine)
    snapshot = directory.snapshot()
    concept = page["concept"]
    own = concept["id"]
    if own not in snapshot.concepts and concept.get("source") != "curated":
        directory.forget()  # a concept newer than the snapshot
        snapshot = directory.snapshot()
    found: dict[str, list[dict[str, Any]]] = {relation: [] for relation in RELATIONS}
    seen = {own}

    def add(relation: str, concept_id: str | None) -> None:
        if not concept_id or concept_id in seen:
            return
        item = _item(engine, snapshot, concept_id)
        if item is not None:
            seen.add(concept_id)
            found[relation].append(item)

    stored = snapshot.concepts.get(own)
    for xref in concept.get("xrefs", ()):
        add("same-disease", xref)
    for curated in engine.curated.named(concept["name"]):
        add("same-disease", curated)
    for other in snapshot.by_xref.get(own, ()):
        add("same-disease", other)
    if stored is not None:
        add("parent", stored.parent_id)
    for child in sorted(
        snapshot.children.get(own, ()), key=lambda c: normalize_name(snapshot.concepts[c].name)
    ):
        add("children", child)
    key = normalize_name(concept["name"])
    for how, _, (other, _written) in snapshot.names.find(key):
        if how == 0 and normalize_name(snapshot.concepts[other].name) == key:
            add("same-name", other)
    for section in page["sections"]:
        if section["key"] != "etiology":
            continue
        for item in section["evidence"]:
            for disease in item.get("related", ()):
                if len(found["etiology"]) < ETIOLOGY_LINKS:
                    add("etiology", disease["id"])
    return [
        {"relation": relation, "title": title, "items": found[relation]}
        for relation, title in RELATIONS.items()
        if found[relation]
    ]


def _item(engine: WebEngine, snapshot: DirectorySnapshot, concept_id: str) -> dict[str, Any] | None:
    """The link to a concept with a page, or None."""
    stored = snapshot.concepts.get(concept_id)
    if stored is not None:
        return {"id": stored.id, "name": stored.name, "source": stored.source}
    index = engine.kb.disease_index.get(concept_id)
    if index is not None:
        return {"id": concept_id, "name": engine.kb.disease_names[index], "source": "curated"}
    return None
