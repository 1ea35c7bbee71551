"""The concept records the store hands out: a concept's state, its revisions and name overlaps.

They are plain immutable values, detached from any database session, so callers (CLI, web
pages) never touch ORM rows. A `ConceptState` is also what each revision records as JSON, which
is why it converts to and from a JSON-ready dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

SCOPES = ("exact", "related", "broad", "narrow")
USER_PREFIX = "DXATLAS"


class ConceptSource(StrEnum):
    """Where a concept came from."""

    CURATED = "curated"  # a curated disease of the knowledge base (OMIM, ORPHA, DECIPHER)
    USER = "user"  # added by an editor
    OBO = "obo"  # imported from an ontology file (MONDO, Disease Ontology, ...)
    LITERATURE = "literature"  # proposed from mined documents
    IMPORTED = "imported"  # named in a user's curated table (`dxatlas kb import`)


class Action(StrEnum):
    """What a revision did."""

    CREATE = "create"
    EDIT = "edit"
    IMPORT = "import"
    REVERT = "revert"


@dataclass(frozen=True, slots=True)
class Synonym:
    """Another name of a concept and its OBO scope (`exact`, `related`, `broad`, `narrow`)."""

    text: str
    scope: str = "exact"


@dataclass(frozen=True, slots=True)
class ConceptState:
    """Everything an editor can change about a concept, at one point in its history."""

    id: str
    name: str
    source: str = ConceptSource.USER
    parent_id: str | None = None
    description: str | None = None
    hidden: bool = False
    synonyms: tuple[Synonym, ...] = ()
    xrefs: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (what a revision stores)."""
        return {
            "id": self.id,
            "name": self.name,
            "source": str(self.source),
            "parent_id": self.parent_id,
            "description": self.description,
            "hidden": self.hidden,
            "synonyms": [{"text": s.text, "scope": s.scope} for s in self.synonyms],
            "xrefs": list(self.xrefs),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConceptState:
        """The state a revision stored."""
        return cls(
            id=data["id"],
            name=data["name"],
            source=data.get("source", ConceptSource.USER),
            parent_id=data.get("parent_id"),
            description=data.get("description"),
            hidden=bool(data.get("hidden", False)),
            synonyms=tuple(Synonym(s["text"], s.get("scope", "exact")) for s in data["synonyms"]),
            xrefs=tuple(data.get("xrefs", ())),
        )

    @property
    def names(self) -> tuple[str, ...]:
        """The preferred name, then every synonym."""
        return (self.name, *(s.text for s in self.synonyms))


def changed_fields(before: ConceptState | None, after: ConceptState) -> list[str]:
    """The names of the fields that differ between two states (all of them for a creation)."""
    fields = ("name", "parent_id", "description", "hidden", "synonyms", "xrefs")
    if before is None:
        return list(fields)
    return [name for name in fields if getattr(before, name) != getattr(after, name)]


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded change: who, when, what kind, and the state before and after it."""

    concept_id: str
    number: int
    author: str
    created_at: datetime
    action: str
    after: ConceptState
    before: ConceptState | None = None
    reverted_to: int | None = None

    @property
    def changes(self) -> list[str]:
        """The fields this revision changed."""
        return changed_fields(self.before, self.after)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for `concept show --json` and the API)."""
        return {
            "number": self.number,
            "author": self.author,
            "created_at": self.created_at.isoformat(),
            "action": self.action,
            "reverted_to": self.reverted_to,
            "changes": self.changes,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Overlap:
    """A name the concept shares with another concept (curated or stored): a candidate merge."""

    concept_id: str
    other_id: str
    other_name: str
    shared_name: str
    curated: bool = False

    def describe(self) -> str:
        """One line for the user."""
        where = "curated disease" if self.curated else "concept"
        return f"{self.shared_name!r} also names {where} {self.other_id} ({self.other_name})"


@dataclass(frozen=True, slots=True)
class ConceptChange:
    """The result of adding, editing or reverting a concept."""

    concept: ConceptState
    revision: int  # the number of the revision this change appended
    overlaps: tuple[Overlap, ...] = field(default=())
