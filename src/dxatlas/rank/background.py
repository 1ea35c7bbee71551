"""Background rates of findings among everyone who consults a doctor, for ranking common
diseases beside rare ones.

The model's own background rate of a finding is the share of curated (rare) diseases annotated
with it: right when only rare diseases are ranked, far too low when common diseases are in the
differential too (fever: 2% of rare diseases, about 10% of consultations). A finding that low
makes every rare disease with fever look 40 times likelier than it is, and a common infection's
prior can never catch up. `data/patient_background.json` lists the shares of common complaints;
a finding below a listed one is raised by the same factor as its nearest listed ancestor, so
"productive cough" keeps its ratio to "cough".
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from dxatlas.kb.ontology import Ontology

MAX_BACKGROUND = 0.5
"""No finding is taken to be present in more than half of all consultations."""


@lru_cache(maxsize=1)
def listed_shares() -> dict[str, float]:
    """HPO id -> share of consulting patients with the finding (package data)."""
    path = resources.files("dxatlas.rank").joinpath("data", "patient_background.json")
    findings = json.loads(path.read_text(encoding="utf-8"))["findings"]
    shares = {term_id: float(entry["share"]) for term_id, entry in findings.items()}
    bad = [term_id for term_id, share in shares.items() if not 0.0 < share < 1.0]
    if bad:
        raise ValueError(f"patient_background.json: shares outside (0, 1) for {bad}")
    return shares


def patient_background(
    ontology: Ontology, background: np.ndarray, shares: dict[str, float] | None = None
) -> np.ndarray:
    """`background` (per term) with each listed finding raised to its share, and each term below
    one raised by the factor of its most specific listed ancestor; never lowered."""
    shares = listed_shares() if shares is None else shares
    listed = [
        (term, share)
        for term_id, share in shares.items()
        if (term := ontology.resolve(term_id)) is not None
    ]
    factor = np.ones(len(background))
    # The most general first, so a more specific listed term overwrites its ancestors' factor.
    for term, share in sorted(listed, key=lambda item: -float(background[item[0]])):
        factor[ontology.descendants_of(term)] = max(1.0, share / float(background[term]))
    raised = np.maximum(np.minimum(background * factor, MAX_BACKGROUND), background)
    # A finding is at least as common as the one it generalises ("nausea and vomiting" as
    # "nausea"): every ancestor of a listed finding is raised to its share too.
    for term, _ in listed:
        ancestors = ontology.ancestors_of(term)
        raised[ancestors] = np.maximum(raised[ancestors], raised[term])
    return raised


def complaint_share(
    ontology: Ontology,
    named: list[str],
    max_share: float,
    shares: dict[str, float] | None = None,
) -> float | None:
    """The prevalence to take for a disorder named for a common complaint whose pages state
    none ("Constipation", "Sore Throat", "Pinkeye"): the complaint's share of consulting
    patients, since the complaint is then its own diagnosis. Of the findings the name names
    (`named`, HPO ids) only the most specific count; None when none is listed, or when the
    listed share is above `max_share` (pain, in a fifth of consultations, is too broad a
    complaint to be anybody's diagnosis)."""
    shares = listed_shares() if shares is None else shares
    terms = {t for f in named if (t := ontology.resolve(f)) is not None}
    broader = {int(a) for t in terms for a in ontology.ancestors_of(t) if a != t}
    found = [shares[ontology.ids[t]] for t in terms - broader if ontology.ids[t] in shares]
    return max(found) if found and max(found) <= max_share else None
