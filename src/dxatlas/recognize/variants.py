"""Descriptive variants of finding names, made from medical word parts (data/<lang>/word_parts.json).

Clinical texts often describe a finding in plain words instead of naming it with its Greek or Latin
compound: "small eyes" for microphthalmia, "enlarged liver" for hepatomegaly, "small hippocampi"
for a hypoplastic hippocampus, "autistic features" for autistic behaviour, "neuro-developmental"
for neurodevelopmental. `WordParts.variants` derives such phrasings from a name; the lexicon indexes
them below every curated name, so a name that the ontology gives to another term still wins.

The rules, each driven by the data file:

- compound words: prefix + root + ending ("micr|ophthalm|ia" -> "small eye") and root + suffix
  ("hepat|o|megaly" -> "enlarged liver"); a word is split only when all of it is accounted for;
- whole words with plain equivalents ("hypoplasia" -> "small", "agenesis" -> "absent"); stop
  words then make "Hypoplasia of the X" compare as "small X";
- other head nouns for a name's last word ("Autistic behavior" -> "autistic features");
- combining forms written apart ("neurodevelopmental" -> "neuro developmental", which is what the
  tokeniser makes of "neuro-developmental") or joined ("supra-auricular" -> "supraauricular");
- whole phrasings: "type" left out before a designator ("Type C brachydactyly" is also said
  "brachydactyly C"), "onset" said after an onset adjective ("postnatal-onset microcephaly"), and
  laboratory names with their specimen and unit words ("Elevated circulating X concentration" is
  also "elevated serum X" or "elevated X level").
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from itertools import product

from dxatlas.kb.normalize import americanize

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*|\S+")  # words as the tokeniser keeps them ("A1")
_VOWELS = frozenset("aeiouy")
_MANNER_ADVERB = ("ously", "ively", "edly", "ingly", "ently", "antly", "abnormally", "unusually")
# Not "-ally" in general: those adverbs come from relational adjectives and say where or how much
# ("Partially duplicated ureter", "Laterally displaced ..."), which a variant must not drop.
_DESIGNATOR = re.compile(r"[A-Z0-9]{1,2}|[A-Z][0-9]{1,2}|[IVX]{1,4}")  # "C", "A1", "II", "2"
MAX_VARIANTS = 12  # per name: a name with several compound words does not multiply without end
MIN_REST = 4  # letters left after a combining form split off
MAX_PARTICIPLE_NAME = 2  # participles are varied in names of up to 3 words ("Sloping forehead")


def data_path(language: str):  # type: ignore[no-untyped-def]
    """The word-parts file of `language` (a Traversable)."""
    return resources.files("dxatlas.recognize").joinpath(f"data/{language}/word_parts.json")


class WordParts:
    """Word parts of one language and the variants of names they give."""

    def __init__(self, data: dict, vocabulary: frozenset[str] | None = None) -> None:
        self.prefixes: dict[str, list[str]] = data.get("prefixes", {})
        self.roots: dict[str, list[str]] = data.get("roots", {})
        self.endings: tuple[str, ...] = ("", *data.get("endings", []))
        self.suffixes: dict[str, list[str]] = data.get("suffixes", {})
        self.words: dict[str, list[str]] = data.get("words", {})
        self.head_nouns: dict[str, list[str]] = data.get("head_nouns", {})
        forms = data.get("combining_forms", [])
        self.combining_forms: tuple[str, ...] = tuple(sorted(forms, key=len, reverse=True))
        self.onset_adjectives: frozenset[str] = frozenset(data.get("onset_adjectives", []))
        self.measurement: dict[str, list[str]] = data.get("measurement", {})
        self._memo: dict[str, tuple[str, ...]] = {}
        # Words a combining form may be split from ("developmental"); None allows any word.
        self.vocabulary = vocabulary

    @classmethod
    def for_language(
        cls, language: str = "en", vocabulary: frozenset[str] | None = None
    ) -> WordParts:
        """The word parts of `language` (none when it has no data file)."""
        return cls(_data(language), vocabulary)

    # -- one word -------------------------------------------------------------------------------

    def _root_phrases(self, rest: str, adjectives: list[str]) -> list[str]:
        """`rest` = root + ending -> "<adjective> <noun>" phrases."""
        found = []
        for ending in self.endings:
            if ending and not rest.endswith(ending):
                continue
            root = rest[: len(rest) - len(ending)] if ending else rest
            for noun in self.roots.get(root, ()):
                found.extend(f"{adjective} {noun}" for adjective in adjectives)
        return found

    def compound(self, word: str) -> tuple[str, ...]:
        """Plain phrases for a compound word: "microphthalmia" -> ("small eye",)."""
        word = word.lower()
        cached = self._memo.get(word)
        if cached is not None:
            return cached
        found: list[str] = []
        for prefix, adjectives in self.prefixes.items():
            rests = []
            if word.startswith(prefix):
                rests.append(word[len(prefix) :])
            if prefix[-1] in _VOWELS and word.startswith(prefix[:-1]):
                rest = word[len(prefix) - 1 :]
                if rest[:1] in _VOWELS:
                    rests.append(rest)  # micr-ot-ia: the prefix's vowel elided
            for rest in rests:
                found.extend(self._root_phrases(rest, adjectives))
        for suffix, adjectives in self.suffixes.items():
            if not word.endswith(suffix):
                continue
            stem = word[: -len(suffix)]
            for root in (stem, stem[:-1] if stem[-1:] in ("o", "i") else None):
                for noun in self.roots.get(root or "", ()):
                    found.extend(f"{adjective} {noun}" for adjective in adjectives)
        result = self._memo[word] = tuple(dict.fromkeys(found))
        return result

    def split_forms(self, word: str) -> tuple[str, ...]:
        """A word with a combining form written apart or joined: "neurodevelopmental" ->
        ("neuro developmental",), "supra-auricular" -> ("supraauricular",)."""
        lowered = word.lower()
        if "-" in lowered:
            head, _, tail = lowered.partition("-")
            if head in self.combining_forms and tail.isalpha():
                return (head + tail,)
            return ()
        for form in self.combining_forms:
            rest = lowered[len(form) :]
            known = self.vocabulary is None or rest in self.vocabulary
            if lowered.startswith(form) and len(rest) >= MIN_REST and known:
                return (f"{form} {rest}",)
        return ()

    # -- a name ---------------------------------------------------------------------------------

    def variants(self, name: str) -> list[str]:
        """Descriptive variants of a name (the name itself is not among them)."""
        if "/" in name:  # "Aplasia/Hypoplasia of X" groups terms; its parts are other names
            return []
        words = _WORD.findall(name)
        if not words:
            return []
        if len(words) >= 3 and words[0].lower().endswith(_MANNER_ADVERB):
            # "Conspicuously happy disposition" is also said "happy disposition".
            return [" ".join(words[1:]), *self._variants(words[1:])]
        return [*self._variants(words), *self._phrasings(words)]

    def _phrasings(self, words: list[str]) -> list[str]:
        """The name said another way as a whole: without "type" before a designator ("Type C
        brachydactyly" -> "C brachydactyly", found as "brachydactyly C"), and an onset adjective
        with "onset" after it ("Postnatal microcephaly" -> "postnatal onset microcephaly"), and the
        words of a laboratory name said the other ways `measurement` gives."""
        found = []
        lowered = [word.lower() for word in words]
        if "type" in lowered:
            at = lowered.index("type")
            if at + 1 < len(words) and _DESIGNATOR.fullmatch(words[at + 1]):
                found.append(" ".join(words[:at] + words[at + 1 :]))
        if len(words) >= 2 and lowered[0] in self.onset_adjectives and lowered[1] != "onset":
            found.append(" ".join([words[0], "onset", *words[1:]]))
        if self.measurement and all(word in lowered for word in self.measurement):
            # "Elevated circulating X concentration" -> "elevated serum X", "elevated X level", ...
            # (each measurement word said another way: the name itself is already indexed)
            options = [self.measurement.get(word.lower(), [word]) for word in words]
            found.extend(" ".join(word for word in picks if word) for picks in product(*options))
        return found

    def _variants(self, words: list[str]) -> list[str]:
        last = len(words) - 1
        if last > 0 and words[last].lower() in self.words:
            # "X hypoplasia" -> "small X": a plain adjective goes before its noun.
            words = [words[last], *words[:last]]
        options: list[list[str]] = []
        for i, word in enumerate(words):
            lowered = word.lower()
            choices = [word]
            choices.extend(self.words.get(lowered, ()))
            choices.extend(self.compound(lowered))
            choices.extend(self.split_forms(lowered))
            if i == last and i > 0:
                choices.extend(self.head_nouns.get(americanize(lowered), ()))
            elif i < last <= MAX_PARTICIPLE_NAME:
                choices.extend(_participles(lowered))
            options.append(choices)
        if all(len(choices) == 1 for choices in options):
            return []
        found = []
        for picks in product(*(range(len(choices)) for choices in options)):
            if any(picks):  # choice 0 of every word is the name itself
                found.append(" ".join(options[i][k] for i, k in enumerate(picks)))
                if len(found) >= MAX_VARIANTS:
                    break
        return found


@lru_cache(maxsize=4)
def _data(language: str) -> dict:
    path = data_path(language)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _participles(word: str) -> tuple[str, ...]:
    """A modifier's other participle: "increased" -> "increasing", "sloping" -> "sloped"."""
    if not word.isalpha() or len(word) < 6:
        return ()
    if word.endswith("ing"):
        return (word[:-3] + "ed",)
    if word.endswith("ed") and not word.endswith("eed"):
        return (word[:-2] + "ing",)
    return ()
