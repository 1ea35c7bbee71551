"""`CuratedNames`: the curated diseases' ids and names, so user concepts can be checked against them.

Curated diseases stay in the knowledge-base index; the store only needs their ids (to accept one
as a parent) and their normalised names (to report a user concept that duplicates one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dxatlas.kb.normalize import normalize_name

if TYPE_CHECKING:
    from dxatlas.kb.knowledge import KnowledgeBase


@dataclass(frozen=True)
class CuratedNames:
    """Curated disease ids, and their names by normalised key."""

    names: dict[str, str] = field(default_factory=dict)  # id -> name
    by_key: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> ids

    @classmethod
    def of(cls, diseases: Iterable[tuple[str, str]]) -> CuratedNames:
        """From (id, name) pairs."""
        names: dict[str, str] = {}
        by_key: dict[str, list[str]] = {}
        for disease_id, name in diseases:
            names[disease_id] = name
            by_key.setdefault(normalize_name(name), []).append(disease_id)
        return cls(names, {key: tuple(ids) for key, ids in by_key.items()})

    @classmethod
    def from_kb(cls, kb: KnowledgeBase) -> CuratedNames:
        """The curated diseases of a knowledge base."""
        return cls.of(zip(kb.disease_ids, kb.disease_names, strict=True))

    def __contains__(self, disease_id: object) -> bool:
        return disease_id in self.names

    def named(self, name: str) -> tuple[str, ...]:
        """Ids of the curated diseases called `name` (case-, punctuation- and spelling-blind)."""
        return self.by_key.get(normalize_name(name), ())
