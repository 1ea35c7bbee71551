"""Why a disease is where it is in a differential: its findings sorted into supporting,
contradicting, unexplained and neutral, each with what backs it.

The ranker explains each row finding by finding (`rank.report.contribution_json`: the likelihood
ratio and the annotation behind it). A page wants more: the curated annotation's references
(PubMed ids) and, where the literature supports the finding, the evidence sentences that say so,
with their sources. This module adds both, reading the knowledge base and the evidence store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dxatlas.pages.concept_page import source_label

if TYPE_CHECKING:
    from dxatlas.kb.knowledge import KnowledgeBase
    from dxatlas.store import Store
    from dxatlas.store.pages import EvidenceView

EVIDENCE_PER_FINDING = 2
REFERENCES_PER_FINDING = 3
GROUPS = ("supporting", "contradicting", "unexplained", "neutral")

_MATCH_WORDS = {
    "exact": "known in this disease",
    "annotated-ancestor": "a more specific form of a finding known in this disease",
    "shared-ancestor": "related to a finding known in this disease",
    "unexplained": "not known in this disease",
    "not-annotated": "known to be absent in this disease",
    "absent-expected": "absent, though expected in this disease",
    "absent-ok": "absent, and not expected in this disease either",
}


_GROUP_OF_MATCH = {
    ("present", "exact"): "supporting",
    ("present", "annotated-ancestor"): "supporting",
    ("present", "shared-ancestor"): "supporting",
    ("present", "unexplained"): "unexplained",
    ("present", "not-annotated"): "contradicting",
    ("excluded", "absent-expected"): "contradicting",
    ("excluded", "not-annotated"): "supporting",
    ("excluded", "absent-ok"): "neutral",
}


def group_of(item: dict[str, Any]) -> str:
    """Which group a finding's contribution belongs to, by what the disease is known to have:
    a present finding the disease has (or an absent one it is known to lack) supports it; a
    present finding it is known to lack, or an absent one it usually has, is against it; a present
    finding it is not known to have is unexplained; an absent one it does not have is neutral.
    (The likelihood ratio says by how much; a finding common to many diseases can support one
    with a ratio below 1.)"""
    found = _GROUP_OF_MATCH.get((item["status"], item["match"]))
    if found is not None:
        return found
    ratio = float(item["likelihood_ratio"])
    return "supporting" if ratio > 1 else "contradicting" if ratio < 1 else "neutral"


def explain_row(
    kb: KnowledgeBase, row: dict[str, Any], evidence: Sequence[EvidenceView]
) -> dict[str, list[dict[str, Any]]]:
    """The groups of one differential row (`candidate_json`), each contribution with
    "meaning" (plain words), "references" (curated PMIDs) and "evidence" (sentences of the
    row's presentation evidence that assert the finding or the annotated finding behind it)."""
    references = _references(kb, row["id"]) if row.get("source") != "literature" else {}
    own_ids = {row["id"], *row.get("xrefs", ())}  # an Orphanet line cites its own disease id
    groups: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for item in row["explanation"]:
        annotation = item["annotation"]["id"] if item.get("annotation") else None
        found = dict(item)
        found["meaning"] = _MATCH_WORDS.get(item["match"], item["match"])
        cited = [r for r in references.get(annotation, ()) if r not in own_ids]
        found["references"] = cited[:REFERENCES_PER_FINDING]
        group = group_of(item)
        found["evidence"] = (
            _sentences(kb, evidence, (item["finding"]["id"], annotation))
            if group == "supporting" and item["status"] == "present"
            else []
        )
        groups[group].append(found)
    return groups


def row_evidence(store: Store, row: dict[str, Any]) -> list[EvidenceView]:
    """The visible presentation evidence stored under the row's id or its other ids."""
    found: list[EvidenceView] = []
    for concept_id in (row["id"], *row.get("xrefs", ())):
        found.extend(
            e for e in store.evidence_of(concept_id) if e.section == "presentation" and not e.hidden
        )
    return sorted(found, key=lambda e: (-len(e.sources), -e.score, len(e.text)))


def _references(kb: KnowledgeBase, disease_id: str) -> dict[str, tuple[str, ...]]:
    """A curated disease's phenotype annotations: term id -> references."""
    index = kb.disease_index.get(disease_id)
    if index is None:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for view in kb.annotation_views(index):
        if view.aspect == "P" and not view.negated:
            found[view.id] = tuple(dict.fromkeys(found.get(view.id, ()) + view.references))
    return found


def _sentences(
    kb: KnowledgeBase, evidence: Sequence[EvidenceView], terms: tuple[str | None, ...]
) -> list[dict[str, Any]]:
    """Up to `EVIDENCE_PER_FINDING` sentences asserting one of `terms` or a term under one."""
    onto = kb.ontology
    wanted = [t for t in (onto.resolve(term) for term in terms if term) if t is not None]
    found: list[dict[str, Any]] = []
    for item in evidence:
        asserted = [onto.resolve(f) for f, _ in item.findings]
        if any(a is not None and onto.is_descendant(a, w) for a in asserted for w in wanted):
            found.append(
                {
                    "text": item.text,
                    "sources": [
                        {"url": s.url, "domain": source_label(s), "title": s.title}
                        for s in item.sources
                    ],
                }
            )
            if len(found) == EVIDENCE_PER_FINDING:
                break
    return found
