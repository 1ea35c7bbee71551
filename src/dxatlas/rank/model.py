"""`PhenotypeModel`: the knowledge base turned into the sparse matrices the ranking reads.

For every term t and disease d it holds p_d(t), the chance that a patient with d shows t or a more
specific finding (1 - prod(1 - f) over d's annotations at or below t), and the background rate
b(t), the mean of p_d(t) over all diseases. Sex-specific annotations are handled by a second,
small set of matrices over only the diseases that have them, one per sex.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from dxatlas.kb.age import onset_classes
from dxatlas.kb.knowledge import SEX_ANY, SEX_FEMALE, SEX_MALE, KnowledgeBase
from dxatlas.rank.parameters import ModelParameters

ASPECT_PHENOTYPE = ord("P")
ASPECT_ONSET = ord("C")


@dataclass(frozen=True, slots=True)
class TermDiseaseMatrices:
    """Term-major (T x D') matrices over a set of diseases (`columns` maps D' to disease indices)."""

    propagated: sparse.csr_matrix  # p_d(t): annotations at or below t
    direct: sparse.csr_matrix  # f of annotations exactly on t (max over duplicate lines)
    negated: sparse.csr_matrix  # 1 where d is annotated NOT t (or 0/m, or "Excluded (0%)")
    columns: np.ndarray  # int32 disease index of each column

    def row(self, matrix: sparse.csr_matrix, term: int) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one term's row."""
        start, stop = matrix.indptr[term], matrix.indptr[term + 1]
        return matrix.indices[start:stop], matrix.data[start:stop]


@dataclass(eq=False)
class PhenotypeModel:
    """Everything the ranker needs, derived once from a knowledge base and parameters."""

    kb: KnowledgeBase
    parameters: ModelParameters
    all_sexes: TermDiseaseMatrices
    by_sex: dict[int, TermDiseaseMatrices]  # only the diseases with sex-specific annotations
    background: np.ndarray  # b(t), float64
    earliest_onset: np.ndarray  # years, per disease; NaN where no onset is annotated
    log_prior: np.ndarray  # log10 prior per disease (uniform for the curated knowledge base)

    @classmethod
    def build(cls, kb: KnowledgeBase, parameters: ModelParameters | None = None) -> PhenotypeModel:
        params = parameters or ModelParameters()
        table = kb.annotations
        phenotype = table.aspect == ASPECT_PHENOTYPE
        frequency = np.array(
            [
                params.annotation_frequency(float(f), int(n), int(m))
                for f, n, m in zip(table.fraction, table.count_n, table.count_m, strict=True)
            ],
            dtype=np.float64,
        )
        zero = (table.count_m > 0) & (table.count_n == 0) | (table.fraction == 0)
        positive = phenotype & ~table.negated & ~zero
        negative = phenotype & (table.negated | zero)

        n_diseases = kb.n_diseases
        everyone = np.arange(n_diseases, dtype=np.int32)
        all_sexes = _matrices(kb, positive, negative, frequency, everyone)
        background = (
            np.asarray(all_sexes.propagated.sum(axis=1)).ravel() + params.background_pseudo
        ) / (n_diseases + params.background_pseudo)

        sex_specific = np.unique(table.disease[table.sex != SEX_ANY])
        by_sex = {}
        for sex, other in ((SEX_MALE, SEX_FEMALE), (SEX_FEMALE, SEX_MALE)):
            keep = table.sex != other
            by_sex[sex] = _matrices(kb, positive & keep, negative & keep, frequency, sex_specific)

        return cls(
            kb=kb,
            parameters=params,
            all_sexes=all_sexes,
            by_sex=by_sex,
            background=background,
            earliest_onset=_earliest_onset(kb),
            log_prior=np.full(n_diseases, -np.log10(n_diseases)),
        )


def _matrices(
    kb: KnowledgeBase,
    positive: np.ndarray,
    negative: np.ndarray,
    frequency: np.ndarray,
    columns: np.ndarray,
) -> TermDiseaseMatrices:
    """Build the three term-major matrices over the diseases in `columns`."""
    table = kb.annotations
    n_terms = len(kb.ontology)
    position = np.full(kb.n_diseases, -1, dtype=np.int64)
    position[columns] = np.arange(len(columns))
    in_columns = position[table.disease] >= 0

    rows = np.flatnonzero(positive & in_columns)
    disease = position[table.disease[rows]]
    term = table.term[rows].astype(np.int64)
    direct = _max_matrix(term, disease, frequency[rows], (n_terms, len(columns)))

    # Propagate each (disease, term, f) to every ancestor of the term: p = 1 - prod(1 - f).
    direct_coo = direct.tocoo()
    closure = kb.ontology.ancestors[direct_coo.row]
    counts = np.diff(closure.indptr)
    log_miss = np.repeat(np.log1p(-direct_coo.data), counts)
    propagated = sparse.csr_matrix(
        (log_miss, (closure.indices, np.repeat(direct_coo.col, counts))),
        shape=(n_terms, len(columns)),
    )
    propagated.sum_duplicates()
    propagated.data = -np.expm1(propagated.data)

    neg_rows = np.flatnonzero(negative & in_columns)
    negated = _max_matrix(
        table.term[neg_rows].astype(np.int64),
        position[table.disease[neg_rows]],
        np.ones(len(neg_rows)),
        (n_terms, len(columns)),
    )
    return TermDiseaseMatrices(propagated, direct, negated, columns.astype(np.int32))


def _max_matrix(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> sparse.csr_matrix:
    """A CSR matrix keeping the largest value where (row, col) pairs repeat."""
    if len(rows) == 0:
        return sparse.csr_matrix(shape, dtype=np.float64)
    order = np.lexsort((-values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return sparse.csr_matrix((values[first], (rows[first], cols[first])), shape=shape)


def _earliest_onset(kb: KnowledgeBase) -> np.ndarray:
    """The lower age bound (years) of each disease's earliest annotated onset class."""
    classes = onset_classes()
    onto, table = kb.ontology, kb.annotations
    earliest = np.full(kb.n_diseases, np.nan)
    rows = np.flatnonzero(table.aspect == ASPECT_ONSET)
    for row in rows:
        onset = classes.get(onto.ids[int(table.term[row])])
        if onset is None:
            continue
        disease = int(table.disease[row])
        current = earliest[disease]
        if np.isnan(current) or onset.min_years < current:
            earliest[disease] = onset.min_years
    return earliest
