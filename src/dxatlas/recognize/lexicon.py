"""`Lexicon`: every name the recogniser knows, keyed by its normalised token sequence.

Built from the knowledge base (HPO labels and synonyms, curated disease names with OMIM-style
inverted names turned round), the curated tests/drugs/organisms, and user concepts added at run
time. Which synonyms are used: EXACT and RELATED ones, layperson ones, and NARROW ones (a narrower
name still names an instance of the term); BROAD synonyms are left out, since a broader name does
not say which specific term is meant ("Blood cancer" is not "Leukemia").

Finding names also get descriptive variants made from medical word parts (variants.py:
"Microphthalmia" -> "small eye") and names composed with their parent's other names ("Profound
global developmental delay" -> "profound developmental delay", as "Developmental delay" names the
parent), both ranked below every curated name. Where names of several concepts
compare equal (`equivalents` make "renal malformation" and "kidney abnormality" one key), the
concept named with the very words of the text is chosen (`surfaces`). "Phenotypic abnormality",
the root of the findings, names no finding and is left out.

Short abbreviations (all capitals, 5 characters or fewer, or OBO synonyms typed `abbreviation`) are
not matched as words: they live in `short_forms`, used only when a curated list allows them or the
document defines them.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.obo import Synonym
from dxatlas.kb.ontology import ROOT
from dxatlas.recognize import tokens as tokens_module
from dxatlas.recognize import variants as variants_module
from dxatlas.recognize.kinds import allowed_abbreviations, hpo_kinds, other_concepts
from dxatlas.recognize.mention import Concept, Kind
from dxatlas.recognize.tokens import TokenNormalizer, normalize_phrase
from dxatlas.recognize.variants import WordParts

SCHEMA = 2  # the pickled Lexicon's fields; the code and data are hashed into the version too
PHENOTYPIC_ABNORMALITY = "HP:0000118"
MIN_KEY_CHARS = 3
SHORT_FORM_MAX = 5

# Lower rank wins when several concepts share a name: by source first, then by how it names it.
SOURCE_RANK = {"user": 0, "other": 1, Kind.FINDING: 2, Kind.DISEASE: 3, Kind.MODIFIER: 4}
MATCH_RANK = {
    "label": 0,
    "exact": 1,
    "inverted": 1,
    "layperson": 2,
    "related": 3,
    "narrow": 4,
    "variant": 5,  # made from word parts (variants.py): below every curated name
    "composed": 5,  # a parent's name said with another of its names: below every curated name
}
USED_SCOPES = {"EXACT": "exact", "RELATED": "related", "NARROW": "narrow"}

_NO_INVERSION = re.compile(
    r"^(with|without|due|type|included|susceptibility|and|or|to|in|of|for|x-linked|autosomal)\b|\d|\btype\b",
    re.IGNORECASE,
)
_ABNORMAL_MORPHOLOGY = re.compile(r"^Abnormal (.+) morphology$")
_LOWER = re.compile(r"[a-z]")
_MIXED_CASE_WORD = re.compile(r"[^\W_]*[a-z][A-Z][^\W_]*")
MIXED_CASE_FORM_MAX = 8
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"[^\W_]+")  # the tokeniser's words


def is_short_form(text: str) -> bool:
    """True for an abbreviation that must not match as a word: `ALL`, `CP`, `LC` (no lower case),
    and a one-word abbreviation in mixed case, `ChILD`, `cblG`, `TgAbs` (a capital after a small
    letter): its case is all that tells it from a word ("ChILD", children's interstitial lung
    disease, had made every "child" of MedQuAD's pages a mention of that disease)."""
    stripped = text.strip()
    if not any(c.isalpha() for c in stripped):
        return False
    if 0 < len(stripped) <= SHORT_FORM_MAX and not _LOWER.search(stripped):
        return True
    return len(stripped) <= MIXED_CASE_FORM_MAX and bool(_MIXED_CASE_WORD.fullmatch(stripped))


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
    # Words of a key (sorted) -> {surface: (rank, concept id)} where names of several concepts
    # share them; a surface is a name's words before `equivalents` (sorted), so "renal
    # malformation" picks the term named so over "Abnormality of the kidney", which the comparison
    # form makes equal.
    surfaces: dict[str, dict[tuple[str, ...], tuple[int, str]]] = field(default_factory=dict)
    surface_keys: dict[str, str] = field(
        default_factory=dict
    )  # key -> its words, where they decide
    _bag_keys: dict[str, set[str]] = field(default_factory=dict, repr=False)  # while building
    # Keys of names written with a comma or semicolon ("Leukemia, chronic lymphocytic"): only
    # these may match across one in the text.
    comma_keys: set[str] = field(default_factory=set)
    changes: int = 0  # names added so far: what was read from the lexicon is stale when it grows
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
        self.changes += 1
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
        if "," in text or ";" in text:
            self.comma_keys.add(key)
        self._add_surface(key, text, rank, concept.id)
        bucket = self.keys.setdefault(key, [])
        for i, (old_rank, concept_id) in enumerate(bucket):
            if concept_id == concept.id:
                if rank < old_rank:
                    bucket[i] = (rank, concept_id)
                    bucket.sort()
                return
        bucket.append((rank, concept.id))
        bucket.sort()

    def surface(self, words: list[str]) -> tuple[str, ...]:
        """The literal forms of a name's words, sorted (word order does not matter)."""
        literal = self.normalizer.literal
        return tuple(sorted(form for form in map(literal, words) if form))

    def _add_surface(self, key: str, text: str, rank: int, concept_id: str) -> None:
        bag = _bag(key)
        by_surface = self.surfaces.setdefault(bag, {})
        surface = self.surface(_WORDS.findall(text))
        best = by_surface.get(surface)
        if best is None or rank < best[0]:
            by_surface[surface] = (rank, concept_id)
        keys = self._bag_keys.setdefault(bag, set())
        keys.add(key)
        if len(by_surface) > 1 and len({c for _, c in by_surface.values()}) > 1:
            self.surface_keys.update(dict.fromkeys(keys, bag))

    def _prune_surfaces(self) -> None:
        """Keep surfaces only where they can decide: words shared by names of several concepts."""
        self.surfaces = {bag: self.surfaces[bag] for bag in set(self.surface_keys.values())}
        self._bag_keys = {}

    def concept_for(self, key: str, words: list[str]) -> tuple[Concept, tuple[str, ...]]:
        """The concept of a matched key (its best one, or the one of its concepts named with
        exactly these words, in any order) and the other concepts of the key, best first."""
        ranked = self.keys[key]
        chosen = ranked[0][1]
        bag = self.surface_keys.get(key)
        if bag is not None and ranked[0][0] >= SOURCE_RANK["other"] * 10:  # user concepts win
            found = self.surfaces[bag].get(self.surface(words))
            if found is not None and any(c == found[1] for _, c in ranked):
                chosen = found[1]
        return self.concepts[chosen], tuple(c for _, c in ranked if c != chosen)

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
        lexicon._add_lay_synonyms()
        for form, concept_id in allowed_abbreviations(language).items():
            if concept_id in lexicon.concepts:
                lexicon.allowed_short_forms[form] = concept_id
                lexicon.short_forms.setdefault(form, [concept_id])
        lexicon._prune_surfaces()
        return lexicon

    def _add_ontology(self, kb: KnowledgeBase) -> None:
        onto = kb.ontology
        vocabulary = frozenset(
            word.lower()
            for names in (onto.labels, *([s.text for s in syns] for syns in onto.synonyms))
            for name in names
            for word in _LETTERS.findall(name)
        )
        parts = WordParts.for_language(self.language, vocabulary)
        kinds = hpo_kinds(onto)
        for i, (term_id, kind) in enumerate(zip(onto.ids, kinds, strict=True)):
            if term_id in (ROOT, PHENOTYPIC_ABNORMALITY):
                continue  # "All"; "Phenotypic abnormality" names no finding of a patient
            concept = Concept(term_id, onto.labels[i], kind)
            self.parents[term_id] = tuple(onto.ids[p] for p in onto.parents[i])
            base = SOURCE_RANK[kind] * 10
            self.add_name(concept, onto.labels[i], base + MATCH_RANK["label"])
            names = [onto.labels[i]]
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
                if scope == "exact":
                    names.append(synonym.text)
            if kind == Kind.FINDING:
                for name in names:
                    for variant in parts.variants(name):
                        self.add_name(concept, variant, base + MATCH_RANK["variant"])
                for parent in onto.parents[i]:
                    if kinds[parent] != Kind.FINDING or onto.ids[parent] == PHENOTYPIC_ABNORMALITY:
                        continue
                    others = _clinical_names(onto.synonyms[parent])
                    for name in names:
                        for composed in compose(name, onto.labels[parent], others):
                            self.add_name(concept, composed, base + MATCH_RANK["composed"])

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

    def _add_lay_synonyms(self) -> None:
        """Everyday phrasings the HPO lacks (`data/<language>/lay_synonyms.json`), ranked as the
        HPO's own layperson synonyms; an id this release does not have is skipped."""
        path = resources.files("dxatlas.recognize").joinpath(
            f"data/{self.language}/lay_synonyms.json"
        )
        if not path.is_file():
            return
        for term_id, phrases in json.loads(path.read_text("utf-8"))["terms"].items():
            concept = self.concepts.get(term_id)
            if concept is None:
                continue
            base = SOURCE_RANK[concept.kind] * 10
            for phrase in phrases:
                self.add_name(concept, phrase, base + MATCH_RANK["layperson"])

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


def compose(name: str, parent: str, others: list[str]) -> list[str]:
    """A term's name with its parent's name in it said with the parent's other names.

    HPO names a more specific term by qualifying its parent ("Profound global developmental
    delay"), and the text qualifies whichever name of the parent it uses ("profound developmental
    delay"): `compose("Profound global developmental delay", "Global developmental delay",
    ["Developmental delay"])` -> `["Profound Developmental delay"]`.
    """
    found = re.search(rf"(?<![\w-]){re.escape(parent)}(?![\w-])", name, re.IGNORECASE)
    if found is None:
        return []
    head, tail = name[: found.start()], name[found.end() :]
    return [f"{head}{other}{tail}" for other in others if other.lower() != parent.lower()]


def _clinical_names(synonyms: tuple[Synonym, ...]) -> list[str]:
    """A term's EXACT synonyms in clinical wording (no layperson phrasings, no abbreviations)."""
    return [
        synonym.text
        for synonym in synonyms
        if synonym.scope == "EXACT" and synonym.kind not in ("layperson", "abbreviation")
    ]


def _bag(key: str) -> str:
    """A key's words in sorted order: the same for every word order."""
    return " ".join(sorted(key.split(" ")))


def _data_fingerprint(language: str) -> str:
    digest = hashlib.sha256()
    folder = resources.files("dxatlas.recognize").joinpath(f"data/{language}")
    for name in ("inflections.json", "other_concepts.json", "abbreviations.json"):
        digest.update(folder.joinpath(name).read_bytes())
    if folder.joinpath("lay_synonyms.json").is_file():
        digest.update(folder.joinpath("lay_synonyms.json").read_bytes())
    if variants_module.data_path(language).is_file():
        digest.update(variants_module.data_path(language).read_bytes())
    digest.update(
        resources.files("dxatlas.kb").joinpath("data/spelling_variants.json").read_bytes()
    )
    digest.update(_CODE_DIGEST)
    return digest.hexdigest()[:12]


def _code_digest() -> bytes:
    """The normaliser's and the builders' source as imported: they decide the keys too.

    Read once, when this module is imported, so a process that runs older code never stores its
    lexicon under the version of code edited since it started.
    """
    digest = hashlib.sha256()
    for module in (tokens_module, variants_module, sys.modules[__name__]):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.digest()


_CODE_DIGEST = _code_digest()


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
