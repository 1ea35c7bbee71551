"""`KnowledgeBase`: the ontology, the curated diseases and their annotations, as typed arrays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from dxatlas.kb.frequency import Frequency, parse_frequency
from dxatlas.kb.hpoa import HpoaFile
from dxatlas.kb.ontology import PHENOTYPIC_ABNORMALITY, Ontology

SEX_ANY, SEX_MALE, SEX_FEMALE = 0, 1, 2
SEX_CODES = {None: SEX_ANY, "MALE": SEX_MALE, "FEMALE": SEX_FEMALE}
SEX_NAMES = {SEX_ANY: None, SEX_MALE: "male", SEX_FEMALE: "female"}


@dataclass(eq=False)
class AnnotationTable:
    """Columnar disease x term annotations (one row per phenotype.hpoa line that resolved)."""

    disease: np.ndarray  # int32 disease index
    term: np.ndarray  # int32 term index
    fraction: np.ndarray  # float32 frequency as a fraction; NaN where not given
    count_n: np.ndarray  # int32 n of an n/m frequency, -1 otherwise
    count_m: np.ndarray  # int32 m of an n/m frequency, -1 otherwise
    frequency_text: list[str]  # the frequency as written ("" where not given)
    onset: np.ndarray  # int32 onset term index, -1 where not given
    sex: np.ndarray  # int8 SEX_* code
    negated: np.ndarray  # bool: a NOT annotation
    aspect: np.ndarray  # uint8 ASCII code of the aspect letter (P, I, C, M, H)
    load_references: Callable[[], list[str]] = field(repr=False, default=lambda: [])

    def __len__(self) -> int:
        return int(self.disease.shape[0])

    @cached_property
    def references(self) -> list[str]:
        """`;`-joined references of each row, loaded on first use (they are large and rarely needed)."""
        return self.load_references()

    def frequency(self, row: int) -> Frequency | None:
        """The frequency of a row, as written and as a fraction."""
        text = self.frequency_text[row]
        return parse_frequency(text) if text else None

    @cached_property
    def _disease_starts(self) -> np.ndarray:
        """Where each disease's rows start (rows are sorted by disease), plus the end."""
        n = int(self.disease.max()) + 1 if len(self.disease) else 0
        return np.searchsorted(self.disease, np.arange(n + 1, dtype=self.disease.dtype))

    def rows_of(self, disease: int) -> np.ndarray:
        """Row numbers of one disease's annotations."""
        starts = self._disease_starts
        if not 0 <= disease < len(starts) - 1:
            return np.arange(0)
        return np.arange(starts[disease], starts[disease + 1])


@dataclass(frozen=True, slots=True)
class AnnotationView:
    """One annotation line as people read it: the term, how often, when, for whom, and why."""

    id: str
    label: str
    aspect: str  # P phenotype, C onset, I inheritance, M modifier, H past history
    negated: bool
    frequency: str | None  # the frequency's label ("Very frequent (80-99%)", "3/4 (75%)")
    onset: str | None
    sex: str | None
    references: tuple[str, ...]


@dataclass(eq=False)
class KnowledgeBase:
    """Everything curated that ranking and lookup need; built once, then loaded from the index."""

    ontology: Ontology
    disease_ids: list[str]
    disease_names: list[str]
    annotations: AnnotationTable
    information_content: (
        np.ndarray
    )  # float32 per term: -ln(share of diseases annotated at or below)
    hpoa_version: str
    disease_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.disease_index = {disease_id: i for i, disease_id in enumerate(self.disease_ids)}

    @property
    def version(self) -> str:
        """The HPO release, as shown in every output (e.g. `HPO 2025-01-16`)."""
        return f"HPO {self.ontology.version}"

    @property
    def n_diseases(self) -> int:
        return len(self.disease_ids)

    def annotation_views(self, disease: int) -> list[AnnotationView]:
        """Every annotation line of one disease, readable (for `disease` and concept pages)."""
        onto, table = self.ontology, self.annotations
        views = []
        for row in table.rows_of(disease).tolist():
            term, onset = int(table.term[row]), int(table.onset[row])
            frequency = table.frequency(row)
            views.append(
                AnnotationView(
                    id=onto.ids[term],
                    label=onto.labels[term],
                    aspect=chr(table.aspect[row]),
                    negated=bool(table.negated[row]),
                    frequency=frequency.label() if frequency else None,
                    onset=onto.labels[onset] if onset >= 0 else None,
                    sex=SEX_NAMES[int(table.sex[row])],
                    references=tuple(r for r in table.references[row].split(";") if r),
                )
            )
        return views

    @classmethod
    def from_sources(cls, ontology: Ontology, hpoa: HpoaFile) -> KnowledgeBase:
        """Join the ontology with the annotation file; rows whose term is unknown are dropped."""
        rows = sorted(hpoa.rows, key=lambda row: row.disease_id)
        disease_ids: list[str] = []
        disease_names: list[str] = []
        seen: dict[str, int] = {}
        kept = []
        for row in rows:
            term = ontology.resolve(row.hpo_id)
            if term is None:
                continue
            if row.disease_id not in seen:
                seen[row.disease_id] = len(disease_ids)
                disease_ids.append(row.disease_id)
                disease_names.append(row.disease_name)
            onset = ontology.resolve(row.onset) if row.onset else None
            kept.append((seen[row.disease_id], term, row, -1 if onset is None else onset))
        n = len(kept)
        fraction = np.full(n, np.nan, dtype=np.float32)
        count_n = np.full(n, -1, dtype=np.int32)
        count_m = np.full(n, -1, dtype=np.int32)
        for i, (_, _, row, _) in enumerate(kept):
            if row.frequency is not None:
                fraction[i] = row.frequency.fraction
                if row.frequency.n is not None and row.frequency.m is not None:
                    count_n[i], count_m[i] = row.frequency.n, row.frequency.m
        references = [";".join(row.references) for _, _, row, _ in kept]
        table = AnnotationTable(
            disease=np.array([d for d, _, _, _ in kept], dtype=np.int32),
            term=np.array([t for _, t, _, _ in kept], dtype=np.int32),
            fraction=fraction,
            count_n=count_n,
            count_m=count_m,
            frequency_text=[row.frequency.text if row.frequency else "" for _, _, row, _ in kept],
            onset=np.array([o for _, _, _, o in kept], dtype=np.int32),
            sex=np.array([SEX_CODES[row.sex] for _, _, row, _ in kept], dtype=np.int8),
            negated=np.array([row.negated for _, _, row, _ in kept], dtype=bool),
            aspect=np.array([ord(row.aspect or "P") for _, _, row, _ in kept], dtype=np.uint8),
            load_references=lambda: references,
        )
        return cls(
            ontology=ontology,
            disease_ids=disease_ids,
            disease_names=disease_names,
            annotations=table,
            information_content=_information_content(ontology, table, len(disease_ids)),
            hpoa_version=hpoa.version,
        )


def _information_content(ontology: Ontology, table: AnnotationTable, n_diseases: int) -> np.ndarray:
    """-ln(p) where p is the share of diseases with a positive annotation at or below the term."""
    positive = (~table.negated) & (table.aspect == ord("P"))
    pairs = np.unique(np.stack([table.disease[positive], table.term[positive]]), axis=1)
    # The disease x term incidence matrix, closed upwards, then column sums.
    incidence = sparse.csr_matrix(
        (np.ones(pairs.shape[1]), (pairs[0], pairs[1])), shape=(n_diseases, len(ontology))
    )
    closed = (incidence @ ontology.ancestors.astype(np.float64)) > 0
    counts = np.asarray(closed.sum(axis=0)).ravel()
    root = ontology.index.get(PHENOTYPIC_ABNORMALITY)
    total = counts[root] if root is not None and counts[root] > 0 else float(n_diseases)
    share = np.clip(counts, 1.0, None) / total
    return (-np.log(share)).astype(np.float32)
