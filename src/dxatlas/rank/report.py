"""The JSON form of a ranked differential, shared by the CLI and (later) the web API."""

from __future__ import annotations

from typing import Any

from dxatlas.kb.age import format_age
from dxatlas.kb.knowledge import SEX_NAMES, KnowledgeBase
from dxatlas.kb.risk_factors import load_risk_vocabulary
from dxatlas.rank.case import Case
from dxatlas.rank.differential import Candidate, Contribution, Differential


def contribution_json(item: Contribution) -> dict[str, Any]:
    """One finding's effect on one disease."""
    return {
        "finding": {"id": item.finding_id, "label": item.finding_label},
        "status": item.status,
        "match": item.match,
        "likelihood_ratio": round(item.likelihood_ratio, 4),
        "annotation": (
            {"id": item.annotation_id, "label": item.annotation_label}
            if item.annotation_id
            else None
        ),
        "frequency": item.frequency,
        "source": item.source,
    }


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """One ranked disease with its explanation."""
    return {
        "rank": candidate.rank,
        "id": candidate.id,
        "name": candidate.name,
        "synonyms": list(candidate.synonyms),
        "xrefs": list(candidate.xrefs),
        "probability": candidate.probability,
        "score": round(candidate.score, 4),
        "source": candidate.source,
        "onset_likelihood_ratio": candidate.onset_lr,
        "explanation": [contribution_json(item) for item in candidate.contributions],
        "risk_factors": [
            {"id": factor, "label": label, "likelihood_ratio": round(lr, 4)}
            for factor, label, lr in candidate.risk_factors
        ],
    }


def differential_json(kb: KnowledgeBase, case: Case, differential: Differential) -> dict[str, Any]:
    """The whole answer of `dxatlas diagnose --json`."""
    onto = kb.ontology
    findings = (
        [
            {"id": term, "label": onto.labels[onto.index[term]], "status": "present"}
            for term in case.present
        ]
        + [
            {
                "id": term,
                "label": onto.labels[onto.index[term]],
                "status": "present",
                "history": True,
            }
            for term in case.history
        ]
        + [
            {"id": term, "label": onto.labels[onto.index[term]], "status": "excluded"}
            for term in case.excluded
        ]
    )
    labels = load_risk_vocabulary().labels
    return {
        "findings": findings,
        "risk_factors": [
            {"id": f, "label": labels[f], "status": "present"} for f in case.risk_factors
        ],
        "age": case.age_years,
        "age_text": format_age(case.age_years),
        "sex": SEX_NAMES[case.sex],
        "kb_version": differential.kb_version,
        "n_ranked": differential.n_ranked,
        "differential": [candidate_json(candidate) for candidate in differential.candidates],
        "notice": "dxatlas informs; it does not diagnose. See a physician, and in an emergency "
        "call your local emergency number.",
    }
