"""Autocomplete: names that start like what the user is typing, grouped by kind, in milliseconds.

`WebEngine.search` serves the search page (prefix, word and fuzzy matches over every name). A
search box asks again on each keystroke, so this module keeps its own index of the same names
(`PrefixIndex`: binary search for names and for later words starting with the typed text) and
falls back to fuzzy matching only when too little matched (a typo). Findings are limited to
phenotypic abnormalities (what a patient can present with); a finding is suggested under any of
its names, lay words included ("fits" suggests Seizure), and shows the name that matched.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import numpy as np
from rapidfuzz import fuzz, process

from dxatlas.kb.curie import Curie
from dxatlas.kb.lookup import FINDING_ROOTS, EntryKind, NameEntry, NameIndex, UnknownNameError
from dxatlas.kb.normalize import normalize_name
from dxatlas.web.directory import ConceptDirectory, PrefixIndex

if TYPE_CHECKING:
    from dxatlas.kb.knowledge import KnowledgeBase
    from dxatlas.web.engine import WebEngine

AUTOCOMPLETE_MIN_CHARS = 2
AUTOCOMPLETE_PER_KIND = 8
AUTOCOMPLETE_MAX_PER_KIND = 20
FUZZY_MIN_CHARS = 4
FUZZY_CUTOFF = 80
KINDS = ("finding", "disease", "concept")
KIND_LABELS = {"finding": "Findings", "disease": "Diseases", "concept": "Concepts"}
_HOW = ("exact", "prefix", "word", "fuzzy")
_MATCH_RANK = {"label": 0, "exact": 1, "layperson": 2, "related": 3, "narrow": 4, "broad": 5}


class AutocompleteError(ValueError):
    """A request autocomplete cannot answer (an unknown kind)."""


@dataclass(eq=False)
class NameCompleter:
    """The knowledge base's finding and disease names of one engine, indexed by prefix."""

    kb: KnowledgeBase
    names: NameIndex
    index: PrefixIndex[str]  # payload: the name key in `engine.names.entries`
    keys: list[str]
    askable: np.ndarray  # per ontology term: a phenotypic abnormality

    @classmethod
    def build(cls, engine: WebEngine) -> NameCompleter:
        keys = sorted(engine.names.entries)
        askable = np.zeros(len(engine.kb.ontology), dtype=bool)
        for root in FINDING_ROOTS:
            askable |= engine.kb.ontology.under(root)
        return cls(
            engine.kb, engine.names, PrefixIndex.build((key, key) for key in keys), keys, askable
        )

    def usable(self, entry: NameEntry) -> bool:
        if entry.kind != EntryKind.FINDING:
            return True
        onto = self.kb.ontology
        return bool(self.askable[onto.index[entry.id]])

    def complete(
        self, query: str, kinds: tuple[str, ...], limit: int, directory: ConceptDirectory
    ) -> dict[str, Any]:
        """Up to `limit` hits per kind for `query` (see the module docstring); stored concepts
        come from `directory`."""
        text = " ".join(query.split())
        key = normalize_name(text)
        groups: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
        seen: set[object] = set()

        def add(kind: str, concept_id: str, name: str, matched: str, how: str, via: str) -> None:
            # Same-named entries (an OMIM and an ORPHA id of one disease) are offered once; the
            # page of the first links to the others.
            named = (kind, normalize_name(name))
            if kind not in groups or len(groups[kind]) >= limit or {concept_id, named} & seen:
                return
            seen.update((concept_id, named))
            groups[kind].append(
                {
                    "id": concept_id,
                    "name": name,
                    "matched": matched,
                    "match": how,
                    "via": via,
                    "url": _url(kind, concept_id),
                }
            )

        if len(text) >= AUTOCOMPLETE_MIN_CHARS and len(key) >= AUTOCOMPLETE_MIN_CHARS:
            if Curie.looks_like(text) or text.upper().startswith("HP:"):
                self._by_id(text, add, directory)
            else:
                self._by_name(key, add)
                if "concept" in groups:
                    self._stored(key, add, directory)
                if sum(map(len, groups.values())) < limit and len(key) >= FUZZY_MIN_CHARS:
                    self._fuzzy(key, add)
        return {
            "query": text,
            "groups": [
                {"kind": kind, "label": KIND_LABELS[kind], "items": groups[kind]} for kind in kinds
            ],
            "kb_version": self.kb.version,
        }

    def _label(self, entry: NameEntry) -> str:
        kb = self.kb
        if entry.kind == EntryKind.FINDING:
            return kb.ontology.labels[kb.ontology.index[entry.id]]
        return kb.disease_names[kb.disease_index[entry.id]]

    def _by_name(self, key: str, add: Any) -> None:
        entries = self.names.entries
        ranked = sorted(
            (
                (
                    (how, _MATCH_RANK.get(entry.match, 9), len(name_key), name_key, entry.id),
                    entry,
                )
                for how, name_key, _ in self.index.find(key)
                for entry in entries[name_key]
                if self.usable(entry)
            ),
            key=lambda pair: pair[0],
        )
        for (how, *_), entry in ranked:
            add(str(entry.kind), entry.id, self._label(entry), entry.text, _HOW[how], entry.match)

    def _stored(self, key: str, add: Any, directory: ConceptDirectory) -> None:
        snapshot = directory.snapshot()
        for how, _, (concept_id, written) in sorted(
            snapshot.names.find(key), key=lambda hit: (hit[0], len(hit[1]), hit[1])
        ):
            concept = snapshot.concepts[concept_id]
            via = "label" if written == concept.name else "synonym"
            add("concept", concept_id, concept.name, written, _HOW[how], via)

    def _fuzzy(self, key: str, add: Any) -> None:
        entries = self.names.entries
        for name_key, _, _ in process.extract(
            key, self.keys, scorer=fuzz.ratio, limit=20, score_cutoff=FUZZY_CUTOFF
        ):
            for entry in entries[name_key]:
                if self.usable(entry):
                    add(
                        str(entry.kind),
                        entry.id,
                        self._label(entry),
                        entry.text,
                        "fuzzy",
                        entry.match,
                    )

    def _by_id(self, text: str, add: Any, directory: ConceptDirectory) -> None:
        kb = self.kb
        try:
            finding = self.names.finding(text)
        except UnknownNameError:
            pass
        else:
            entry = NameEntry(EntryKind.FINDING, finding, text, "label")
            if self.usable(entry):
                add("finding", finding, self._label(entry), text, "id", "id")
            return
        wanted = text.strip().upper()
        disease = kb.disease_index.get(wanted)
        if disease is not None:
            add("disease", kb.disease_ids[disease], kb.disease_names[disease], text, "id", "id")
            return
        snapshot = directory.snapshot()
        for concept_id in (text.strip(), *snapshot.by_xref.get(wanted, ())):
            concept = snapshot.concepts.get(concept_id)
            if concept is not None:
                add("concept", concept.id, concept.name, text, "id", "id")


def _url(kind: str, concept_id: str) -> str:
    """Where picking a hit leads: a disease's or concept's page; a finding starts a check."""
    if kind == "finding":
        return f"/check?present={quote(concept_id, safe='')}"
    return f"/concept/{quote(concept_id, safe='')}"


def read_kinds(kind: str) -> tuple[str, ...]:
    """The kinds a `kind` parameter asks for: one kind, a comma-separated list, or all."""
    wanted = [k.strip().lower() for k in kind.split(",") if k.strip()]
    if not wanted or wanted == ["all"]:
        return KINDS
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise AutocompleteError(f"kind {unknown[0]!r} is not one of {', '.join(KINDS)} or all")
    return tuple(k for k in KINDS if k in wanted)


_COMPLETERS: weakref.WeakKeyDictionary[WebEngine, NameCompleter] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def completer_for(engine: WebEngine) -> NameCompleter:
    """The completer of an engine, built on first use (a fraction of a second) and kept."""
    found = _COMPLETERS.get(engine)
    if found is None:
        with _LOCK:
            found = _COMPLETERS.get(engine)
            if found is None:
                found = _COMPLETERS[engine] = NameCompleter.build(engine)
    return found
