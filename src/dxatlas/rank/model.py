"""`PhenotypeModel`: the knowledge base turned into the sparse matrices the ranking reads.

For every term t and disease d it holds p_d(t), the chance that a patient with d shows t or a more
specific finding (1 - prod(1 - f) over d's annotations at or below t), and the background rate
b(t), the mean of p_d(t) over all diseases. Sex-specific annotations are handled by a second,
small set of matrices over only the diseases that have them, one per sex.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from dxatlas.kb.age import onset_classes
from dxatlas.kb.knowledge import SEX_ANY, SEX_FEMALE, SEX_MALE, KnowledgeBase
from dxatlas.rank.parameters import ModelParameters

ASPECT_PHENOTYPE = ord("P")
ASPECT_ONSET = ord("C")
MATRIX_PARTS = ("propagated", "strongest", "direct", "negated")
MODEL_SCHEMA = 2  # bump when the way matrices are derived changes, so cached models are rebuilt


@dataclass(frozen=True, slots=True)
class TermDiseaseMatrices:
    """Term-major (T x D') matrices over a set of diseases (`columns` maps D' to disease indices)."""

    propagated: sparse.csr_matrix  # p_d(t): annotations at or below t
    strongest: sparse.csr_matrix  # the largest f of d's annotations at or below t
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
    group: np.ndarray  # int32 per disease: diseases sharing a normalised name share a group

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
        positive = phenotype & ~negative_rows(kb)
        negative = phenotype & negative_rows(kb)

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
            group=same_name_groups(kb),
        )

    @classmethod
    def load_or_build(
        cls, kb: KnowledgeBase, parameters: ModelParameters | None, folder: Path
    ) -> PhenotypeModel:
        """Read the model's arrays from `folder` when a copy for these parameters is there; else
        build and save them (building takes about half a second, reading a tenth of that)."""
        params = parameters or ModelParameters()
        path = folder / f"model-{_fingerprint(params)}.npz"
        if path.is_file():
            try:
                return cls._read(kb, params, path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                pass  # a damaged copy is rebuilt below
        model = cls.build(kb, params)
        # A read-only or full cache only costs the next start its half second.
        with contextlib.suppress(OSError):
            model._write(path)
        return model

    def _write(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "background": self.background,
            "earliest_onset": self.earliest_onset,
            "log_prior": self.log_prior,
            "group": self.group,
        }
        for name, mats in (
            ("all", self.all_sexes),
            *((f"sex{k}", v) for k, v in self.by_sex.items()),
        ):
            arrays[f"{name}_columns"] = mats.columns
            for part in MATRIX_PARTS:
                matrix = getattr(mats, part)
                arrays[f"{name}_{part}_data"] = matrix.data
                arrays[f"{name}_{part}_indices"] = matrix.indices
                arrays[f"{name}_{part}_indptr"] = matrix.indptr
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=".model-", suffix=".npz", dir=path.parent)
        os.close(handle)
        try:
            np.savez(staging, **arrays)
            os.replace(staging, path)
        finally:
            if os.path.exists(staging):
                os.unlink(staging)

    @classmethod
    def _read(cls, kb: KnowledgeBase, params: ModelParameters, path: Path) -> PhenotypeModel:
        with np.load(path) as stored:
            arrays = {name: stored[name] for name in stored.files}
        n_terms = len(kb.ontology)

        def matrices(name: str) -> TermDiseaseMatrices:
            columns = arrays[f"{name}_columns"]
            parts = [
                sparse.csr_matrix(
                    (
                        arrays[f"{name}_{part}_data"],
                        arrays[f"{name}_{part}_indices"],
                        arrays[f"{name}_{part}_indptr"],
                    ),
                    shape=(n_terms, len(columns)),
                )
                for part in MATRIX_PARTS
            ]
            return TermDiseaseMatrices(*parts, columns)

        if arrays["group"].shape[0] != kb.n_diseases:
            raise ValueError(f"{path} was built for another knowledge base")
        return cls(
            kb=kb,
            parameters=params,
            all_sexes=matrices("all"),
            by_sex={SEX_MALE: matrices(f"sex{SEX_MALE}"), SEX_FEMALE: matrices(f"sex{SEX_FEMALE}")},
            background=arrays["background"],
            earliest_onset=arrays["earliest_onset"],
            log_prior=arrays["log_prior"],
            group=arrays["group"],
        )

    def members(self, group: int) -> np.ndarray:
        """The disease indices of one group (OMIM first, then ORPHA, then others)."""
        return self._members.get(group, np.array([group], dtype=np.int32))

    def __post_init__(self) -> None:
        self.negative_rows = negative_rows(self.kb)
        self.n_groups = len(np.unique(self.group))
        members: dict[int, list[int]] = {}
        for disease, group in enumerate(self.group.tolist()):
            if disease != group:
                members.setdefault(group, [group]).append(disease)
        self._members = {g: np.array(m, dtype=np.int32) for g, m in members.items()}


def negative_rows(kb: KnowledgeBase) -> np.ndarray:
    """Annotation rows that say a disease lacks a finding: NOT lines, 0/m and "Excluded (0%)"."""
    table = kb.annotations
    zero = ((table.count_m > 0) & (table.count_n == 0)) | (table.fraction == 0)
    return table.negated | zero


def _matrices(
    kb: KnowledgeBase,
    positive: np.ndarray,
    negative: np.ndarray,
    frequency: np.ndarray,
    columns: np.ndarray,
) -> TermDiseaseMatrices:
    """Build the term-major matrices over the curated diseases in `columns`."""
    table = kb.annotations
    position = np.full(kb.n_diseases, -1, dtype=np.int64)
    position[columns] = np.arange(len(columns))
    in_columns = position[table.disease] >= 0
    rows = np.flatnonzero(positive & in_columns)
    neg_rows = np.flatnonzero(negative & in_columns)
    return term_matrices(
        kb,
        position[table.disease[rows]],
        table.term[rows].astype(np.int64),
        frequency[rows],
        position[table.disease[neg_rows]],
        table.term[neg_rows].astype(np.int64),
        columns.astype(np.int32),
    )


def term_matrices(
    kb: KnowledgeBase,
    column: np.ndarray,
    term: np.ndarray,
    frequency: np.ndarray,
    negated_column: np.ndarray,
    negated_term: np.ndarray,
    columns: np.ndarray,
) -> TermDiseaseMatrices:
    """The matrices of any set of (column, term, frequency) annotations and NOT annotations:
    curated diseases, or concepts whose findings were read from the literature."""
    n_terms = len(kb.ontology)
    shape = (n_terms, len(columns))
    direct = _max_matrix(term.astype(np.int64), column.astype(np.int64), frequency, shape)

    # Propagate each (disease, term, f) to every ancestor of the term: p = 1 - prod(1 - f).
    direct_coo = direct.tocoo()
    closure = kb.ontology.ancestors[direct_coo.row]
    counts = np.diff(closure.indptr)
    log_miss = np.repeat(np.log1p(-direct_coo.data), counts)
    propagated = sparse.csr_matrix(
        (log_miss, (closure.indices, np.repeat(direct_coo.col, counts))), shape=shape
    )
    propagated.sum_duplicates()
    propagated.data = -np.expm1(propagated.data)
    strongest = _max_matrix(
        closure.indices.astype(np.int64),
        np.repeat(direct_coo.col, counts).astype(np.int64),
        np.repeat(direct_coo.data, counts),
        shape,
    )
    negated = _max_matrix(
        negated_term.astype(np.int64),
        negated_column.astype(np.int64),
        np.ones(len(negated_term)),
        shape,
    )
    return TermDiseaseMatrices(propagated, strongest, direct, negated, columns)


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


def _fingerprint(params: ModelParameters) -> str:
    """A short hash of the parameters and the model code's schema, naming a cached model."""
    text = repr(sorted(asdict(params).items())) + f"|schema{MODEL_SCHEMA}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


_PREFIX_ORDER = {"OMIM": 0, "ORPHA": 1, "DECIPHER": 2}


def same_name_groups(kb: KnowledgeBase) -> np.ndarray:
    """Group the entries that name the same disease in two sources (OMIM:142900 and ORPHA:392 are
    both "Holt-Oram syndrome"), so a differential lists each disease once with all its ids.

    Only exact equality of normalised names counts: "Optic atrophy 12" never joins "Optic atrophy".
    The group id is the index of its first member in source order OMIM, ORPHA, DECIPHER.
    """
    from dxatlas.kb.normalize import normalize_name

    by_name: dict[str, list[int]] = {}
    for index, name in enumerate(kb.disease_names):
        by_name.setdefault(normalize_name(name), []).append(index)
    group = np.arange(kb.n_diseases, dtype=np.int32)
    for members in by_name.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (_PREFIX_ORDER.get(kb.disease_ids[i].split(":")[0], 9), i))
        group[members] = members[0]
    return group


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
