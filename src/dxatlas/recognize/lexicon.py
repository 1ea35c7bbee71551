"""`Lexicon`: every name the recogniser knows, keyed by its normalised token sequence.

Built from the knowledge base (HPO labels and synonyms, curated disease names with OMIM-style
inverted names turned round), the curated tests/drugs/organisms, and user concepts added at run
time. Which synonyms are used: EXACT and RELATED ones, layperson ones, and NARROW ones (a narrower
name still names an instance of the term); BROAD synonyms are left out, since a broader name does
not say which specific term is meant ("Blood cancer" is not "Leukemia").

Short abbreviations (all capitals, 5 characters or fewer, or OBO synonyms typed `abbreviation`) are
not matched as words: they live in `short_forms`, used only when a curated list allows them or the
document defines them.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.ontology import ROOT
from dxatlas.recognize import tokens as tokens_module
from dxatlas.recognize.kinds import allowed_abbreviations, hpo_kinds, other_concepts
from dxatlas.recognize.mention import Concept, Kind
from dxatlas.recognize.tokens import TokenNormalizer, normalize_phrase

SCHEMA = 1
MIN_KEY_CHARS = 3
SHORT_FORM_MAX = 5

# Lower rank wins when several concepts share a name: by source first, then by how it names it.
SOURCE_RANK = {"user": 0, "other": 1, Kind.FINDING: 2, Kind.DISEASE: 3, Kind.MODIFIER: 4}
MATCH_RANK = {"label": 0, "exact": 1, "inverted": 1, "layperson": 2, "related": 3, "narrow": 4}
USED_SCOPES = {"EXACT": "exact", "RELATED": "related", "NARROW": "narrow"}

_NO_INVERSION = re.compile(
    r"^(with|without|due|type|included|susceptibility|and|or|to|in|of|for|x-linked|autosomal)\b|\d|\btype\b",
    re.IGNORECASE,
)
_ABNORMAL_MORPHOLOGY = re.compile(r"^Abnormal (.+) morphology$")
_LOWER = re.compile(r"[a-z]")


def is_short_form(text: str) -> bool:
    """True for an abbreviation that must not match as a word: `ALL`, `CP`, `LC` (no lower case)."""
    stripped = text.strip()
    return (
        0 < len(stripped) <= SHORT_FORM_MAX
        and not _LOWER.search(stripped)
        and any(c.isalpha() for c in stripped)
    )


def uninvert(name: str) -> str | None:
    """`"Leukemia, chronic lymphocytic"` -> `"chronic lymphocytic leukemia"`; None when not inverted.

    Only two-part names whose second part is a short run of modifiers are turned round; "Amyloidosis,
    Finnish type", "Alport syndrome 3, autosomal dominant" and "..., with ..." are left alone.
    """
    parts = [part.strip() for part in name.split(",")]
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    modifiers = parts[1]
    if _NO_INVERSION.search(modifiers) or len(modifiers.split()) > 4:
        return None
    head = parts[0]
    if head[:1].isupper() and not head[:2].isupper():
        head = head[0].lower() + head[1:]  # "Leukemia" -> "leukemia", but "HIV" stays
    return f"{modifiers} {head}"


@dataclass(eq=False)
class Lexicon:
    """Names -> concepts. `keys` maps a normalised name to `(rank, concept id)` pairs, best first."""

    version: str
    language: str = "en"
    concepts: dict[str, Concept] = field(default_factory=dict)
    keys: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    short_forms: dict[str, list[str]] = field(default_factory=dict)  # case-sensitive form -> ids
    allowed_short_forms: dict[str, str] = field(default_factory=dict)  # usable without definition
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # HPO is_a links
    normalizer: TokenNormalizer = field(init=False, repr=False)
    _ancestors: dict[str, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.normalizer = TokenNormalizer(self.language)
        self._ancestors = {}

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_normalized_words"] = state.pop("normalizer").memo  # warm start for text words
        state.pop("_ancestors", None)
        return state

    def __setstate__(self, state: dict) -> None:
        words = state.pop("_normalized_words", {})
        self.__dict__.update(state)
        self.normalizer = TokenNormalizer(self.language)
        self.normalizer.memo.update(words)
        self._ancestors = {}

    def ancestors(self, concept_id: str) -> frozenset[str]:
        """The HPO ancestors of a term (itself included); just the id for other concepts."""
        found = self._ancestors.get(concept_id)
        if found is None:
            result = {concept_id}
            for parent in self.parents.get(concept_id, ()):
                result |= self.ancestors(parent)
            found = self._ancestors[concept_id] = frozenset(result)
        return found

    # -- building ---------------------------------------------------------------------------

    def add_name(
        self, concept: Concept, text: str, rank: int, *, allow_short: bool = False
    ) -> None:
        """Index one name of `concept` (registered first if new) with a rank (lower is better)."""
        self.concepts.setdefault(concept.id, concept)
        if is_short_form(text):
            ids = self.short_forms.setdefault(text.strip(), [])
            if concept.id not in ids:
                ids.append(concept.id)
            if allow_short:
                self.allowed_short_forms[text.strip()] = concept.id
            return
        key = normalize_phrase(text, self.normalizer)
        if len(key) < MIN_KEY_CHARS:
            return
        bucket = self.keys.setdefault(key, [])
        for i, (old_rank, concept_id) in enumerate(bucket):
            if concept_id == concept.id:
                if rank < old_rank:
                    bucket[i] = (rank, concept_id)
                    bucket.sort()
                return
        bucket.append((rank, concept.id))
        bucket.sort()

    def add_concept(
        self,
        concept_id: str,
        name: str,
        synonyms: list[str] | tuple[str, ...] = (),
        kind: Kind | str = Kind.DISEASE,
        category: str | None = None,
    ) -> Concept:
        """Add a user concept (e.g. "Leukemia cutis") with its synonyms; it outranks the KB's names.

        Short all-capital synonyms given here count as curated, so they are matched (case-sensitive).
        """
        concept = Concept(concept_id, name, Kind(kind), category)
        self.concepts[concept_id] = concept
        base = SOURCE_RANK["user"] * 10
        self.add_name(concept, name, base, allow_short=True)
        for synonym in synonyms:
            self.add_name(concept, synonym, base + 1, allow_short=True)
        return concept

    @classmethod
    def build(cls, kb: KnowledgeBase, language: str = "en") -> Lexicon:
        """The lexicon of a knowledge base plus the curated data files of `language`."""
        lexicon = cls(version=lexicon_version(kb, language), language=language)
        lexicon._add_ontology(kb)
        lexicon._add_diseases(kb)
        lexicon._add_other()
        for form, concept_id in allowed_abbreviations(language).items():
            if concept_id in lexicon.concepts:
                lexicon.allowed_short_forms[form] = concept_id
                lexicon.short_forms.setdefault(form, [concept_id])
        return lexicon

    def _add_ontology(self, kb: KnowledgeBase) -> None:
        onto = kb.ontology
        for i, (term_id, kind) in enumerate(zip(onto.ids, hpo_kinds(onto), strict=True)):
            if term_id == ROOT:
                continue  # the root's label is "All"
            concept = Concept(term_id, onto.labels[i], kind)
            self.parents[term_id] = tuple(onto.ids[p] for p in onto.parents[i])
            base = SOURCE_RANK[kind] * 10
            self.add_name(concept, onto.labels[i], base + MATCH_RANK["label"])
            shortened = _ABNORMAL_MORPHOLOGY.match(onto.labels[i])
            if shortened:  # "Abnormal heart morphology" is also written "heart abnormality"
                self.add_name(concept, f"Abnormal {shortened[1]}", base + MATCH_RANK["related"])
            for synonym in onto.synonyms[i]:
                scope = USED_SCOPES.get(synonym.scope)
                if scope is None:
                    continue  # BROAD: too general to name this term
                if synonym.kind == "abbreviation" and len(synonym.text) <= SHORT_FORM_MAX:
                    self.short_forms.setdefault(synonym.text, []).append(term_id)
                    continue
                match = "layperson" if synonym.kind == "layperson" and scope == "exact" else scope
                self.add_name(concept, synonym.text, base + MATCH_RANK[match])

    def _add_diseases(self, kb: KnowledgeBase) -> None:
        base = SOURCE_RANK[Kind.DISEASE] * 10
        for disease_id, name in zip(kb.disease_ids, kb.disease_names, strict=True):
            concept = Concept(disease_id, name, Kind.DISEASE)
            self.add_name(concept, name, base + MATCH_RANK["label"])
            turned = uninvert(name)
            if turned:
                self.add_name(concept, turned, base + MATCH_RANK["inverted"])

    def _add_other(self) -> None:
        base = SOURCE_RANK["other"] * 10
        for curated in other_concepts(self.language):
            for j, name in enumerate(curated.names):
                self.add_name(curated.concept, name, base + min(j, 1), allow_short=True)

    # -- lookup -----------------------------------------------------------------------------

    def is_curated_disease(self, key: str) -> bool:
        """True when the best concept of a key is a knowledge-base disease (not a user concept)."""
        rank, concept_id = self.keys[key][0]
        return (
            rank // 10 == SOURCE_RANK[Kind.DISEASE]
            and self.concepts[concept_id].kind == Kind.DISEASE
        )

    def lookup(self, text: str) -> list[Concept]:
        """The concepts named exactly `text` (after normalisation), best first."""
        return [
            self.concepts[cid]
            for _, cid in self.keys.get(normalize_phrase(text, self.normalizer), [])
        ]


def _data_fingerprint(language: str) -> str:
    digest = hashlib.sha256()
    folder = resources.files("dxatlas.recognize").joinpath(f"data/{language}")
    for name in ("inflections.json", "other_concepts.json", "abbreviations.json"):
        digest.update(folder.joinpath(name).read_bytes())
    digest.update(
        resources.files("dxatlas.kb").joinpath("data/spelling_variants.json").read_bytes()
    )
    # The normaliser and the builder decide the keys, so their code is part of the version too.
    for module in (tokens_module, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()[:12]


def lexicon_version(kb: KnowledgeBase, language: str = "en") -> str:
    """A key naming the KB release, its size and the curated data: the cache file's name."""
    shape = f"{len(kb.ontology)}-{kb.n_diseases}"
    release = f"{kb.ontology.version}-{kb.hpoa_version}".replace("/", "-").replace(" ", "_")
    return f"lexicon{SCHEMA}-{language}-{release}-{shape}-{_data_fingerprint(language)}"


def load_or_build(kb: KnowledgeBase, cache_dir: Path | None, language: str = "en") -> Lexicon:
    """The KB's lexicon from `<cache_dir>/recognize/<version>.pickle`, built and saved when missing."""
    if cache_dir is None:
        return Lexicon.build(kb, language)
    path = cache_dir / "recognize" / f"{lexicon_version(kb, language)}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, Lexicon):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # a damaged cache file is rebuilt below
    lexicon = Lexicon.build(kb, language)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(f".{id(lexicon)}.tmp")
    with staging.open("wb") as handle:
        pickle.dump(lexicon, handle, protocol=pickle.HIGHEST_PROTOCOL)
    staging.replace(path)
    return lexicon
