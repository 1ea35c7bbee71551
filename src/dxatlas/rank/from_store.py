"""Reading the literature knowledge the ranking uses out of the evidence store."""

from __future__ import annotations

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.literature import LiteratureConcept, LiteratureModel
from dxatlas.rank.parameters import ModelParameters
from dxatlas.store.store import Store


def literature_model(
    store: Store, kb: KnowledgeBase, parameters: ModelParameters | None = None
) -> LiteratureModel:
    """Every stored (non-curated) concept whose presentation evidence asserts findings.

    Evidence stored under a curated disease's own id is not added as a second candidate here:
    merging literature findings into a curated disease is a separate step.
    """
    findings: dict[str, dict[str, int]] = {}
    for concept_id, finding_id, sources in store.literature_findings():
        if concept_id in kb.disease_index:
            continue
        findings.setdefault(concept_id, {})[finding_id] = sources
    states = {state.id: state for state in store.concepts()}  # visible concepts only
    concepts = []
    for concept_id, found in sorted(findings.items()):
        state = states.get(concept_id)
        if state is None:
            continue
        synonyms = tuple(s.text for s in state.synonyms)
        concepts.append(LiteratureConcept(state.id, state.name, synonyms, found))
    return LiteratureModel.build(kb, concepts, parameters)
