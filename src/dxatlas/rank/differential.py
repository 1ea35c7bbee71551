"""`Differential`: the ranked diseases, each with probability and a per-finding explanation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one input finding moved one disease's score."""

    finding_id: str
    finding_label: str
    status: str  # "present", "excluded" or "history" (present, of the past history only)
    match: str  # exact, annotated-ancestor, shared-ancestor, unexplained, not-annotated, absent-expected, absent-ok
    likelihood_ratio: float
    annotation_id: str | None = None
    annotation_label: str | None = None
    frequency: str | None = None
    source: str = "curated"

    @property
    def supports(self) -> bool:
        return self.likelihood_ratio > 1.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked disease."""

    rank: int
    index: int
    id: str
    name: str
    score: float  # log10 of the posterior odds numerator: log prior + sum of log likelihood ratios
    probability: float
    contributions: tuple[Contribution, ...] = ()
    onset_lr: float = 1.0
    synonyms: tuple[str, ...] = ()
    source: str = "curated"
    xrefs: tuple[str, ...] = ()  # other ids of the same disease (e.g. ORPHA beside OMIM)
    risk_factors: tuple[tuple[str, str, float], ...] = ()  # (id, label, LR) the patient has


@dataclass(frozen=True, slots=True)
class Differential:
    """The ranking of all diseases for one case; `candidates` holds the top ones, explained."""

    candidates: tuple[Candidate, ...]
    n_ranked: int
    kb_version: str

    def rank_of(self, disease_id: str) -> int | None:
        """The 1-based rank of a disease (by any of its ids) among the explained candidates."""
        for candidate in self.candidates:
            if disease_id == candidate.id or disease_id in candidate.xrefs:
                return candidate.rank
        return None
