"""Turning concepts (stored user concepts, curated diseases) into extraction `Target`s."""

from __future__ import annotations

from functools import lru_cache

from dxatlas.evidence.extract import Target
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.normalize import normalize_name
from dxatlas.store.concept import ConceptState


def target_of_state(state: ConceptState) -> Target:
    """A stored concept with every name it goes by."""
    names = (state.name, *(s.text for s in state.synonyms))
    return Target(state.id, state.name, tuple(dict.fromkeys(names)))


def target_of_curated(kb: KnowledgeBase, disease_id: str) -> Target | None:
    """A curated disease by id, with the names and ids of the entries of other sources that name
    the same disease (OMIM:162200 "Neurofibromatosis, type 1" is ORPHA:636 "Neurofibromatosis
    type 1"): a sentence naming it by either is about it, not about another disease."""
    index = kb.disease_index.get(disease_id)
    if index is None:
        return None
    name = kb.disease_names[index]
    same = _same_name(kb).get(normalize_name(name), ())
    names = dict.fromkeys([name, *(kb.disease_names[kb.disease_index[i]] for i in same)])
    related = tuple(i for i in same if i != disease_id)
    return Target(disease_id, name, tuple(names), related)


@lru_cache(maxsize=1)
def _same_name(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Curated ids by normalised name, for names two or more entries share (built once per
    knowledge base: ingest asks per mention; a knowledge base hashes by identity)."""
    groups: dict[str, list[str]] = {}
    for disease_id, name in zip(kb.disease_ids, kb.disease_names, strict=True):
        groups.setdefault(normalize_name(name), []).append(disease_id)
    return {key: tuple(ids) for key, ids in groups.items() if len(ids) > 1}
