"""Knowledge read from the literature, ranked beside the curated diseases.

A concept with evidence (a user concept such as "Leukemia cutis", or a disease of an ingested
corpus) has findings that its presentation sentences assert. Each gets a frequency estimate from
how many distinct documents assert it: n sources read as n / (n + `literature_pseudo`), so one
case report is weak (0.5) and agreement between sources makes it stronger (3 sources: 0.75).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.model import TermDiseaseMatrices, term_matrices
from dxatlas.rank.parameters import ModelParameters


@dataclass(frozen=True, slots=True)
class LiteratureConcept:
    """A concept and the findings its literature asserts, with the number of sources for each."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    findings: dict[str, int]  # HPO id -> distinct documents asserting it


@dataclass(eq=False)
class LiteratureModel:
    """Literature concepts as extra columns of the ranking (term-major matrices like the model's)."""

    concepts: list[LiteratureConcept]
    matrices: TermDiseaseMatrices
    terms: list[dict[int, tuple[str, int, float]]]  # per concept: term -> (id, sources, frequency)

    def __len__(self) -> int:
        return len(self.concepts)

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
        terms: list[dict[int, tuple[str, int, float]]] = []
        for concept in concepts:
            known: dict[int, tuple[str, int, float]] = {}
            for finding_id, sources in concept.findings.items():
                term = onto.resolve(finding_id)
                if term is None or sources <= 0:
                    continue
                frequency = min(
                    sources / (sources + params.literature_pseudo), params.max_frequency
                )
                known[term] = (onto.ids[term], sources, frequency)
            if not known:
                continue
            column = len(kept)
            kept.append(concept)
            terms.append(known)
            for term, (_, _, frequency) in known.items():
                columns.append(column)
                term_rows.append(term)
                frequencies.append(frequency)
        empty = np.zeros(0, dtype=np.int64)
        matrices = term_matrices(
            kb,
            np.array(columns, dtype=np.int64),
            np.array(term_rows, dtype=np.int64),
            np.array(frequencies, dtype=np.float64),
            empty,
            empty,
            np.arange(len(kept), dtype=np.int32),
        )
        return cls(kept, matrices, terms)
