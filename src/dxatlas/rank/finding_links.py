"""Extra is-a links between findings for ranking: a narrower finding the HPO files on another
branch than the broader one it is a kind of ("Skin vesicle" is a small "blister").

A patient's vesicle is then explained by a disease known to cause blistering, as it would be if
the HPO put it below that term. The links are data (`data/finding_links.json`); the ontology is
not changed, so pages, search and questions still see the HPO as released.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from dxatlas.kb.ontology import Ontology


@lru_cache(maxsize=1)
def listed_links() -> tuple[tuple[str, str], ...]:
    """(narrower HPO id, broader HPO id) pairs of the package data."""
    path = resources.files("dxatlas.rank").joinpath("data", "finding_links.json")
    links = json.loads(path.read_text(encoding="utf-8"))["links"]
    return tuple((str(link["narrower"]), str(link["broader"])) for link in links)


class FindingAncestors:
    """A term's ancestors in the HPO, plus each linked broader term and its ancestors, for every
    term at or below a link's narrower term; and the other way, the narrower terms linked below
    a term."""

    def __init__(
        self, ontology: Ontology, links: tuple[tuple[str, str], ...] | None = None
    ) -> None:
        self._ontology = ontology
        self._extra: dict[int, np.ndarray] = {}
        self._below: dict[int, list[int]] = {}  # a term -> narrower terms linked at or below it
        for narrower_id, broader_id in listed_links() if links is None else links:
            narrower, broader = ontology.resolve(narrower_id), ontology.resolve(broader_id)
            if narrower is None or broader is None:
                continue  # an id this HPO release does not know
            self._extra[narrower] = np.union1d(
                self._extra.get(narrower, np.zeros(0, dtype=np.int64)),
                ontology.ancestors_of(broader),
            )
        # Links chain: a pharyngeal exudate is a pharyngitis, which is a sore throat.
        changed = True
        while changed:
            changed = False
            for narrower, extra in self._extra.items():
                chained = [self._extra[t] for t in extra.tolist() if t in self._extra]
                if not chained:
                    continue
                grown = np.union1d(extra, np.concatenate(chained))
                if len(grown) > len(extra):
                    self._extra[narrower], changed = grown, True
        for narrower, extra in self._extra.items():
            for above in extra.tolist():
                self._below.setdefault(above, []).append(narrower)
        # Terms with links above them, so that the common case (none) costs one array test.
        self._linked = np.zeros(len(ontology), dtype=bool)
        self._linked[list(self._extra)] = True

    def linked_below(self, term: int) -> list[int]:
        """The narrower terms of links whose broader term is `term` or lies below it: a disease
        showing one of them (or a term below it) shows `term` ("aphthous ulcer": "oral ulcer")."""
        return self._below.get(term, [])

    def __call__(self, term: int) -> np.ndarray:
        """Indices of `term`, its ancestors and the terms linked above any of them (sorted)."""
        own = self._ontology.ancestors_of(term)
        linked = own[self._linked[own]]
        if not len(linked):
            return own
        extra = np.concatenate([self._extra[a] for a in linked.tolist()])
        return np.union1d(own, extra).astype(own.dtype)
