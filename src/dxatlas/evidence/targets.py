"""Turning concepts (stored user concepts, curated diseases) into extraction `Target`s."""

from __future__ import annotations

from dxatlas.evidence.extract import Target
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.store.concept import ConceptState


def target_of_state(state: ConceptState) -> Target:
    """A stored concept with every name it goes by."""
    names = (state.name, *(s.text for s in state.synonyms))
    return Target(state.id, state.name, tuple(dict.fromkeys(names)))


def target_of_curated(kb: KnowledgeBase, disease_id: str) -> Target | None:
    """A curated disease by id (its name is its only name in the knowledge base)."""
    index = kb.disease_index.get(disease_id)
    if index is None:
        return None
    name = kb.disease_names[index]
    return Target(disease_id, name, (name,))
