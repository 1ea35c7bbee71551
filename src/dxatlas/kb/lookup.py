"""`NameIndex`: findings and diseases by id, preferred name or synonym, spelling- and case-blind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz, process

from dxatlas.kb.curie import Curie, CurieError
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.normalize import normalize_name

FINDING_ROOTS = ("HP:0000118",)  # phenotypic abnormality: what a patient can present with


class EntryKind(StrEnum):
    FINDING = "finding"
    DISEASE = "disease"


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One name of a concept: its text, which concept, and how it names it."""

    kind: EntryKind
    id: str
    text: str
    match: str  # "label", "exact", "related", "layperson", "broad", "narrow"


class UnknownNameError(LookupError):
    """Raised when a name or id matches nothing; `suggestions` holds the closest known names."""

    def __init__(self, message: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


_MATCH_RANK = {"label": 0, "exact": 1, "layperson": 2, "related": 3, "narrow": 4, "broad": 5}


@dataclass(eq=False)
class NameIndex:
    """A dictionary from normalised names to the concepts they name, with fuzzy suggestions."""

    kb: KnowledgeBase
    entries: dict[str, list[NameEntry]] = field(default_factory=dict)

    @classmethod
    def build(cls, kb: KnowledgeBase) -> NameIndex:
        index = cls(kb)
        onto = kb.ontology
        for i, term_id in enumerate(onto.ids):
            index.add(NameEntry(EntryKind.FINDING, term_id, onto.labels[i], "label"))
            for synonym in onto.synonyms[i]:
                match = "layperson" if synonym.kind == "layperson" else synonym.scope.lower()
                index.add(NameEntry(EntryKind.FINDING, term_id, synonym.text, match))
        for disease_id, name in zip(kb.disease_ids, kb.disease_names, strict=True):
            index.add(NameEntry(EntryKind.DISEASE, disease_id, name, "label"))
        for bucket in index.entries.values():
            bucket.sort(key=lambda entry: _MATCH_RANK.get(entry.match, 9))
        return index

    def add(self, entry: NameEntry) -> None:
        """Add a name (user concepts and literature synonyms come in this way too)."""
        key = normalize_name(entry.text)
        if not key:
            return
        bucket = self.entries.setdefault(key, [])
        if all(existing.id != entry.id for existing in bucket):
            bucket.append(entry)

    def by_name(self, text: str, kind: EntryKind | None = None) -> list[NameEntry]:
        """Every concept named exactly `text` (after normalisation), best kind of match first."""
        found = self.entries.get(normalize_name(text), [])
        return [entry for entry in found if kind is None or entry.kind == kind]

    def suggest(self, text: str, kind: EntryKind | None = None, limit: int = 3) -> list[str]:
        """The closest known names to `text`, for "did you mean" messages."""
        key = normalize_name(text)
        if not key:
            return []
        choices = [
            name
            for name, bucket in self.entries.items()
            if kind is None or any(entry.kind == kind for entry in bucket)
        ]
        hits = process.extract(key, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
        return [self.entries[name][0].text for name, _, _ in hits]

    def finding(self, text: str) -> str:
        """The HPO id of a finding given as an id, a label or a synonym; raise `UnknownNameError`."""
        stripped = text.strip()
        if Curie.looks_like(stripped) or stripped.upper().startswith("HP:"):
            try:
                curie = str(Curie.parse(stripped))
            except CurieError as error:
                raise UnknownNameError(str(error)) from error
            resolved = self.kb.ontology.resolve(curie)
            if resolved is None:
                raise UnknownNameError(f"{stripped!r} is not a term of {self.kb.version}")
            return self.kb.ontology.ids[resolved]
        found = self.by_name(stripped, EntryKind.FINDING)
        if not found:
            suggestions = self.suggest(stripped, EntryKind.FINDING)
            hint = (
                f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
            )
            raise UnknownNameError(f"no finding is named {stripped!r}{hint}", suggestions)
        return found[0].id

    def disease(self, text: str) -> int:
        """The index of a curated disease given as an id or a name; raise `UnknownNameError`."""
        stripped = text.strip()
        if Curie.looks_like(stripped):
            curie = str(Curie.parse(stripped))
            found_index = self.kb.disease_index.get(curie)
            if found_index is None:
                raise UnknownNameError(f"{stripped!r} is not a disease of {self.kb.version}")
            return found_index
        found = self.by_name(stripped, EntryKind.DISEASE)
        if not found:
            suggestions = self.suggest(stripped, EntryKind.DISEASE)
            hint = (
                f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
            )
            raise UnknownNameError(f"no disease is named {stripped!r}{hint}", suggestions)
        return self.kb.disease_index[found[0].id]
