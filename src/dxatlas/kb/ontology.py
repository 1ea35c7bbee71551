"""`Ontology`: HPO terms with labels, synonyms and the precomputed ancestor closure, as arrays."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from dxatlas.kb.obo import OboDocument, Synonym

PHENOTYPIC_ABNORMALITY = "HP:0000118"
ROOT = "HP:0000001"
FREQUENCY_ROOT = "HP:0040279"
ONSET_ROOT = "HP:0003674"
INHERITANCE_ROOT = "HP:0000005"


@dataclass(frozen=True, slots=True)
class Term:
    """An HPO term as shown to users."""

    id: str
    label: str
    definition: str
    synonyms: tuple[Synonym, ...]
    parents: tuple[str, ...]


@dataclass(eq=False)
class Ontology:
    """Current HPO terms indexed 0..n-1; `ancestors` is a CSR closure matrix (each row includes itself)."""

    version: str
    ids: list[str]
    labels: list[str]
    definitions: list[str]
    synonyms: list[tuple[Synonym, ...]]
    parents: list[tuple[int, ...]]
    redirects: dict[str, str]
    ancestors: sparse.csr_matrix
    index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.index = {term_id: i for i, term_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    def resolve(self, term_id: str) -> int | None:
        """The index of a current term for an id, following alt_id and obsolete replaced_by links."""
        found = self.index.get(term_id)
        if found is not None:
            return found
        target = self.redirects.get(term_id)
        return self.index.get(target) if target is not None else None

    def term(self, i: int) -> Term:
        """The user-facing record of term `i`."""
        return Term(
            id=self.ids[i],
            label=self.labels[i],
            definition=self.definitions[i],
            synonyms=self.synonyms[i],
            parents=tuple(self.ids[p] for p in self.parents[i]),
        )

    def ancestors_of(self, i: int) -> np.ndarray:
        """Indices of term `i` and all its ancestors."""
        return self.ancestors.indices[self.ancestors.indptr[i] : self.ancestors.indptr[i + 1]]

    @cached_property
    def descendants(self) -> sparse.csr_matrix:
        """The closure transposed: row `i` lists `i` and all its descendants."""
        return self.ancestors.T.tocsr()

    def descendants_of(self, i: int) -> np.ndarray:
        """Indices of term `i` and all its descendants."""
        matrix = self.descendants
        return matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]

    def is_descendant(self, child: int, ancestor: int) -> bool:
        """True when `ancestor` is `child` or one of its ancestors."""
        return bool(np.any(self.ancestors_of(child) == ancestor))

    def under(self, root_id: str) -> np.ndarray:
        """A boolean mask of the terms at or below `root_id`."""
        mask = np.zeros(len(self.ids), dtype=bool)
        root = self.index.get(root_id)
        if root is not None:
            mask[self.descendants_of(root)] = True
        return mask

    @classmethod
    def from_obo(cls, document: OboDocument) -> Ontology:
        """Build from a parsed OBO file: drop obsolete terms, record redirects, close `is_a`."""
        current = [term for term in document.terms if not term.obsolete]
        ids = [term.id for term in current]
        index = {term_id: i for i, term_id in enumerate(ids)}
        redirects: dict[str, str] = {}
        for term in current:
            for alt in term.alt_ids:
                redirects[alt] = term.id
        for term in document.terms:
            if term.obsolete:
                target = term.replaced_by or (term.consider[0] if len(term.consider) == 1 else None)
                if target is not None and target in index:
                    redirects[term.id] = target
        parents = [tuple(index[p] for p in term.parents if p in index) for term in current]
        return cls(
            version=_short_version(document.data_version),
            ids=ids,
            labels=[term.name for term in current],
            definitions=[term.definition for term in current],
            synonyms=[tuple(term.synonyms) for term in current],
            parents=parents,
            redirects=redirects,
            ancestors=_closure(parents),
        )


def _short_version(data_version: str) -> str:
    """`hp/releases/2025-01-16` -> `2025-01-16`."""
    return data_version.rsplit("/", 1)[-1] if data_version else "unknown"


def _closure(parents: list[tuple[int, ...]]) -> sparse.csr_matrix:
    """The reflexive-transitive closure of the parent relation, as a CSR boolean matrix."""
    n = len(parents)
    memo: list[frozenset[int] | None] = [None] * n

    def ancestors(i: int) -> frozenset[int]:
        # Iterative depth-first walk: HPO is deep enough that recursion is best avoided.
        stack = [i]
        while stack:
            node = stack[-1]
            if memo[node] is not None:
                stack.pop()
                continue
            pending = [p for p in parents[node] if memo[p] is None]
            if pending:
                stack.extend(pending)
                continue
            result = {node}
            for p in parents[node]:
                result |= memo[p]  # type: ignore[operator]
            memo[node] = frozenset(result)
            stack.pop()
        return memo[i]  # type: ignore[return-value]

    rows: list[int] = []
    cols: list[int] = []
    for i in range(n):
        found = sorted(ancestors(i))
        rows.extend([i] * len(found))
        cols.extend(found)
    data = np.ones(len(rows), dtype=bool)
    return sparse.csr_matrix((data, (np.array(rows), np.array(cols))), shape=(n, n), dtype=bool)
