"""Reading a page's parts from the store and the knowledge base (the I/O edge of `pages`)."""

from __future__ import annotations

from dataclasses import replace

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.risk_factors import is_risk_id
from dxatlas.pages.concept_page import ConceptPage, CuratedFinding, PageConcept
from dxatlas.store.concept import ConceptState
from dxatlas.store.store import Store


def state_page_concept(state: ConceptState) -> PageConcept:
    """The header of a stored (user, imported or literature) concept."""
    return PageConcept(
        id=state.id,
        name=state.name,
        synonyms=tuple(s.text for s in state.synonyms),
        xrefs=state.xrefs,
        source=str(state.source),
    )


def curated_page_concept(kb: KnowledgeBase, disease_id: str) -> PageConcept:
    """The header of a curated disease."""
    return PageConcept(id=disease_id, name=kb.disease_names[kb.disease_index[disease_id]])


def curated_findings(kb: KnowledgeBase, disease_ids: tuple[str, ...]) -> list[CuratedFinding]:
    """The HPO phenotype annotations of the curated diseases a concept is, or maps to; lines on
    the same finding are one entry with all their references."""
    found: dict[tuple[str, bool], CuratedFinding] = {}
    for disease_id in disease_ids:
        index = kb.disease_index.get(disease_id)
        if index is None:
            continue
        for view in kb.annotation_views(index):
            if view.aspect != "P":
                continue
            key = (view.id, view.negated)
            earlier = found.get(key)
            references = view.references
            if earlier is not None:
                references = tuple(dict.fromkeys(earlier.references + references))
            frequency = view.frequency or (earlier.frequency if earlier else None)
            found[key] = CuratedFinding(view.id, view.label, frequency, references, view.negated)
    return list(found.values())


def imported_curated(
    rows: list[tuple[str, str, float | None, str]], curated: list[CuratedFinding]
) -> list[CuratedFinding]:
    """`curated` with the rows of tables imported for the concept (`dxatlas kb import`): a row
    on a finding already listed adds its source to that entry's references."""
    found = {(c.id, c.negated): c for c in curated}
    for finding_id, label, frequency, source in rows:
        earlier = found.get((finding_id, False))
        shown = f"{frequency:.0%}" if frequency is not None else None
        if earlier is None:
            found[(finding_id, False)] = CuratedFinding(finding_id, label, shown, (source,))
        elif source not in earlier.references:
            found[(finding_id, False)] = replace(
                earlier,
                frequency=earlier.frequency or shown,
                references=(*earlier.references, source),
            )
    return list(found.values())


def load_page(store: Store, kb: KnowledgeBase, concept: PageConcept) -> ConceptPage:
    """Everything the page of `concept` shows."""
    curated_ids = tuple(i for i in (concept.id, *concept.xrefs) if i in kb.disease_index)
    curated = curated_findings(kb, curated_ids)
    rows = store.imported_findings_of(concept.id)
    return ConceptPage(
        concept=concept,
        evidence=store.evidence_of(concept.id),
        patients=store.patients_of(concept.id),
        curated=imported_curated([r for r in rows if not is_risk_id(r[0])], curated),
        kb_version=kb.version,
        risk_factors=imported_curated([r for r in rows if is_risk_id(r[0])], []),
    )
