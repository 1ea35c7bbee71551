"""Knowledge read from the literature, ranked beside (or merged into) the curated diseases.

A concept with evidence (a user concept such as "Leukemia cutis", or a disease of an ingested
corpus) has findings that its presentation sentences assert. Each gets a frequency estimate:
the frequency a user's imported table gives; else the strongest of its sentences' statements:
the share a frequency word implies ("most people" 0.8, "often" 0.6, "rarely" 0.05:
`data/literature_cues.json`), and for sentences without one the count of distinct documents
asserting it, n / (n + `literature_pseudo`), so one case report is weak (0.5) and agreement
between sources makes it stronger (3 sources: 0.75).

A concept that is a curated disease (its id, or its name or a synonym equal to a curated
disease's name) is merged into it: its findings join the disease's annotations in the ranking
(a present finding takes the stronger of the two ratios), and the disease keeps its curated
explanation where that is the stronger. Its epidemiology sentences give priors: the prevalence
they state (see `dxatlas.rank.statements`), or the documented defaults: a rare disease's for a
concept read only from rare-disease sites (`data/rare_disease_sources.json`), else the default of
a disease of unknown prevalence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from dxatlas.kb.knowledge import SEX_ANY, KnowledgeBase
from dxatlas.rank.model import TermDiseaseMatrices, term_matrices
from dxatlas.rank.parameters import ModelParameters
from dxatlas.rank.statements import ADULT_AGE


@dataclass(frozen=True, slots=True)
class FindingSupport:
    """How the literature supports one finding of one concept: distinct documents asserting it,
    the shares of patients its sentences' frequency words imply (empty when none says), and the
    frequency a user's curated table gives (`dxatlas kb import`; it wins when given)."""

    sources: int
    cues: tuple[float, ...] = ()
    frequency: float | None = None
    plain: bool = True  # some sentence asserts it without a frequency word
    ages: tuple[float, float] | None = None  # stated only for this group ("children may have")


@dataclass(frozen=True, slots=True)
class LiteratureConcept:
    """A concept, the findings its literature asserts, and what its sentences say about it."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    findings: dict[str, int | FindingSupport]  # HPO id -> sources (or their full support)
    curated: int | None = None  # index of the curated disease it is merged into
    prevalence: float | None = None  # fraction of people, as its sentences state it (or its
    # complaint's share of consulting patients: rank.background.complaint_share)
    age_band: tuple[float, float] | None = None  # years, as its sentences state it
    rare_source: bool = False  # read only from rare-disease sites: rare when no prevalence is said
    sex: int = SEX_ANY  # SEX_MALE / SEX_FEMALE when its name names a disease of one sex
    risk_factors: frozenset[str] = frozenset()  # RISK: ids its pages or tables name


def finding_frequency(support: int | FindingSupport, params: ModelParameters) -> float:
    """The model's frequency of a literature finding (see the module docstring)."""
    if isinstance(support, int):
        support = FindingSupport(support)
    if support.frequency is not None:
        value = support.frequency
    else:
        by_count = support.sources / (support.sources + params.literature_pseudo)
        # The strongest statement wins: a page that lists fever among the flu's symptoms and
        # says elsewhere that "colds rarely cause a fever" does not make fever rare in flu.
        value = max((*support.cues, *((by_count,) if support.plain or not support.cues else ())))
    return min(value, params.max_frequency)


AGE_GROUPS = {"child": (0.0, ADULT_AGE), "adult": (ADULT_AGE, math.inf)}
"""The patient groups (ages, years) a finding stated for one group of patients ("children may
have a high fever") is kept or left out for: left out where the two do not overlap."""


@dataclass(eq=False)
class LiteratureModel:
    """Literature concepts as extra columns of the ranking (term-major matrices like the model's)."""

    concepts: list[LiteratureConcept]
    matrices: TermDiseaseMatrices
    terms: list[dict[int, tuple[str, int, float]]]  # per concept: term -> (id, sources, frequency)
    log_prior: np.ndarray  # per column: log10 prior (merged columns: -inf, they rank as curated)
    curated_log_prior: np.ndarray  # per curated disease: log10 prior
    merged_columns: np.ndarray  # columns merged into a curated disease ...
    merged_diseases: np.ndarray  # ... and that disease's index
    age_low: np.ndarray  # per column: youngest age of its age band (NaN: no band)
    age_high: np.ndarray
    unexplained_lr: np.ndarray  # per column: the LR of a finding none of its findings explains
    sex: np.ndarray | None = None  # per column: the only sex it affects (SEX_ANY: either)
    curated_sex: np.ndarray | None = None  # per curated disease, from a merged concept's name
    risk_columns: dict[str, np.ndarray] = field(default_factory=dict)
    """Risk factor id -> the columns naming it."""
    risk_diseases: dict[str, np.ndarray] = field(default_factory=dict)
    """Risk factor id -> the curated diseases a column naming it is merged into (each once)."""
    age_views: dict[str, tuple[TermDiseaseMatrices, list[dict[int, tuple[str, int, float]]]]] = (
        field(default_factory=dict)
    )
    """"child" / "adult" -> the matrices and terms without the findings stated only for the
    other group ("Children may have a high fever"); empty when no finding is."""
    base_unexplained_lr: float = 0.3
    """The floor before a thin page raises it (`ModelParameters.literature_unexplained_lr`)."""

    def view(
        self, age_years: float | None
    ) -> tuple[TermDiseaseMatrices, list[dict[int, tuple[str, int, float]]]]:
        """The matrices and terms for a patient of this age (None: unknown, every finding)."""
        group = self.group_of(age_years)
        return (self.matrices, self.terms) if group is None else self.age_views[group]

    def group_of(self, age_years: float | None) -> str | None:
        """The key of `age_views` for a patient of this age; None when every finding counts."""
        if age_years is None or not self.age_views:
            return None
        return "child" if age_years < ADULT_AGE else "adult"

    def __len__(self) -> int:
        return len(self.concepts)

    def merged_into(self, disease: int) -> int | None:
        """The literature column merged into curated disease `disease`, if any."""
        hits = np.flatnonzero(self.merged_diseases == disease)
        return int(self.merged_columns[hits[0]]) if len(hits) else None

    @classmethod
    def build(
        cls,
        kb: KnowledgeBase,
        concepts: list[LiteratureConcept],
        parameters: ModelParameters | None = None,
    ) -> LiteratureModel:
        params = parameters or ModelParameters()
        onto = kb.ontology
        kept: list[LiteratureConcept] = []
        columns: list[int] = []
        term_rows: list[int] = []
        frequencies: list[float] = []
        row_ages: list[tuple[float, float] | None] = []
        terms: list[dict[int, tuple[str, int, float]]] = []
        for concept in concepts:
            known: dict[int, tuple[str, int, float]] = {}
            ages: dict[int, tuple[float, float] | None] = {}
            for finding_id, support in concept.findings.items():
                term = onto.resolve(finding_id)
                sources = support if isinstance(support, int) else support.sources
                if term is None or sources <= 0:
                    continue
                known[term] = (onto.ids[term], sources, finding_frequency(support, params))
                ages[term] = None if isinstance(support, int) else support.ages
            if not known and (concept.curated is None or concept.prevalence is None):
                continue
            column = len(kept)
            kept.append(concept)
            terms.append(known)
            for term, (_, _, frequency) in known.items():
                columns.append(column)
                term_rows.append(term)
                frequencies.append(frequency)
                row_ages.append(ages[term])
        n_kept = len(kept)

        def matrices_of(rows: list[int]) -> TermDiseaseMatrices:
            empty = np.zeros(0, dtype=np.int64)
            return term_matrices(
                kb,
                np.array([columns[r] for r in rows], dtype=np.int64),
                np.array([term_rows[r] for r in rows], dtype=np.int64),
                np.array([frequencies[r] for r in rows], dtype=np.float64),
                empty,
                empty,
                np.arange(n_kept, dtype=np.int32),
            )

        matrices = matrices_of(list(range(len(columns))))
        age_views = {}
        if any(band is not None for band in row_ages):
            for group, (low, high) in AGE_GROUPS.items():
                left_out = {
                    r
                    for r, band in enumerate(row_ages)
                    if band is not None and (band[1] <= low or band[0] >= high)
                }
                view_terms = [dict(known) for known in terms]
                for r in left_out:
                    del view_terms[columns[r]][term_rows[r]]
                kept_rows = [r for r in range(len(columns)) if r not in left_out]
                age_views[group] = (matrices_of(kept_rows), view_terms)
        power = params.prior_exponent
        curated_prior = np.full(kb.n_diseases, power * math.log10(params.rare_prevalence))
        log_prior = np.empty(len(kept))
        merged_columns: list[int] = []
        merged_diseases: list[int] = []
        for column, concept in enumerate(kept):
            prevalence = concept.prevalence
            if concept.curated is not None:
                merged_columns.append(column)
                merged_diseases.append(concept.curated)
                log_prior[column] = -np.inf
                if prevalence is not None:
                    curated_prior[concept.curated] = power * math.log10(prevalence)
            else:
                default = (
                    params.rare_prevalence if concept.rare_source else params.unknown_prevalence
                )
                log_prior[column] = power * math.log10(prevalence or default)
        curated_sex = np.full(kb.n_diseases, SEX_ANY, dtype=np.int8)
        for concept in kept:
            if concept.curated is not None and concept.sex != SEX_ANY:
                curated_sex[concept.curated] = concept.sex
        bands = [c.age_band or (np.nan, np.nan) for c in kept]
        return cls(
            kept,
            matrices,
            terms,
            log_prior,
            curated_prior,
            np.array(merged_columns, dtype=np.int64),
            np.array(merged_diseases, dtype=np.int64),
            np.array([b[0] for b in bands], dtype=np.float64),
            np.array([b[1] for b in bands], dtype=np.float64),
            _unexplained_floors(kept, terms, params),
            np.array([c.sex for c in kept], dtype=np.int8),
            curated_sex,
            *_risk_columns(kept),
            age_views=age_views,
            base_unexplained_lr=params.literature_unexplained_lr,
        )

    def risk_lr(
        self, n_diseases: int, risk_factors: tuple[str, ...], lrs: Mapping[str, float]
    ) -> np.ndarray:
        """LR per curated disease and literature column (D + L) from the patient's risk factors:
        the factor's ratio in `lrs` for each factor a concept names (a merged concept's disease
        takes it), else 1."""
        out = np.ones(n_diseases + len(self.concepts))
        for factor in dict.fromkeys(risk_factors):
            if factor in self.risk_columns:
                lr = lrs[factor]
                out[n_diseases + self.risk_columns[factor]] *= lr
                out[self.risk_diseases[factor]] *= lr
        return out


def risk_factor_lrs(shares: Mapping[str, float], params: ModelParameters) -> dict[str, float]:
    """Risk factor id -> the likelihood ratio of a disease that names it: how often its
    patients have the factor (`risk_factor_frequency`) over the factor's share of consulting
    patients, at least 1."""
    return {
        factor: max(1.0, params.risk_factor_frequency / share) for factor, share in shares.items()
    }


def _unexplained_floors(
    concepts: list[LiteratureConcept],
    terms: list[dict[int, tuple[str, int, float]]],
    params: ModelParameters,
) -> np.ndarray:
    """Per column, the LR of a present finding the concept's pages do not name: the literature
    floor, raised for a concept whose pages name few findings (see
    `ModelParameters.literature_complete_findings`); a merged concept keeps the floor."""
    base = params.literature_unexplained_lr
    floors = np.full(len(concepts), base)
    for column, (concept, known) in enumerate(zip(concepts, terms, strict=True)):
        if concept.curated is None and known:
            ratio = params.literature_complete_findings / len(known)
            floors[column] = min(1.0, max(base, base * ratio))
    return floors


def _risk_columns(
    concepts: list[LiteratureConcept],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per risk factor, the columns naming it and the curated diseases they are merged into."""
    columns: dict[str, list[int]] = {}
    diseases: dict[str, set[int]] = {}
    for column, concept in enumerate(concepts):
        for factor in concept.risk_factors:
            columns.setdefault(factor, []).append(column)
            if concept.curated is not None:
                diseases.setdefault(factor, set()).add(concept.curated)
    return (
        {factor: np.array(found, dtype=np.int64) for factor, found in columns.items()},
        {f: np.array(sorted(diseases.get(f, ())), dtype=np.int64) for f in columns},
    )
