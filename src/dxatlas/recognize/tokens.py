"""`Token` and the `TokenNormalizer`: words with their offsets, and the comparison form of each word.

Both the lexicon and the text go through the same normaliser, so a match only needs equal token
sequences: case, accents, British spellings (kb/data/spelling_variants.json), regular, irregular and
Latin plurals ("hippocampi", "papillae"), a few safe adjective -> noun derivations
(data/<lang>/inflections.json), "-ation" nouns with their participles ("ulceration", "ulcerating",
"ulcerated"), plurals of abbreviations ("UTIs", "EEGs") and hyphenation ("tonic-clonic" is two
tokens either way) are all taken care of here. Function words that carry no meaning in a
phenotype name ("of", "the", "in", and the possessives "his", "her", "your" ... that everyday
wording puts where a name has "the": "swelling of her leg") normalise to nothing (but a capital
"A" is kept: "Brachydactyly type A" is not "Brachydactyly type"), so "decrease in fetal
movements" and "Decreased fetal movement" compare equal once inflections are stripped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate

from dxatlas.kb.normalize import americanize, fold_accents

_WORD = re.compile(r"[^\W_]+")
_SPLIT = re.compile(r"([^\W_]+)")  # split() keeps the words: separator, word, separator, ...
_ASCII_SPLIT = re.compile(r"([A-Za-z0-9]+)")  # the same on ASCII text, without Unicode lookups
_ABBREVIATION_PLURAL = re.compile(r"[A-Z][A-Z0-9]*[A-Z]s")  # "UTIs", "EEGs", "CNVs"
# Words dropped from the comparison form (never from the reported span).
MIN_STEM = 4  # letters left when "-ation" or "-at(e)" is taken off
STOPWORDS = frozenset(
    {"the", "a", "an", "of", "in", "on", "at", "to", "s", "his", "her", "your", "their", "my"}
)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: its character offsets, the text as written and its comparison form."""

    start: int
    end: int
    text: str
    norm: str  # "" for a stop word


@lru_cache(maxsize=4)
def _inflections(language: str) -> dict:
    path = resources.files("dxatlas.recognize").joinpath(f"data/{language}/inflections.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _ends_with_suffix(word: str, suffixes: tuple[str, ...]) -> bool:
    return any(word.endswith(suffix) for suffix in suffixes)


class _Memo(dict):
    """word -> comparison form; a missing word is normalised once and remembered."""

    def __init__(self, normalize: Callable[[str], str]) -> None:
        super().__init__()
        self._normalize = normalize

    def __missing__(self, word: str) -> str:
        found = self[word] = self._normalize(word)
        return found

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (dict, (dict(self),))  # pickled as a plain dict (the function stays behind)


class TokenNormalizer:
    """Maps a word to its comparison form; memoises every word it has seen."""

    def __init__(self, language: str = "en") -> None:
        data = _inflections(language)
        self._irregular: dict[str, str] = data["irregular"]
        self._derivations: dict[str, str] = data["derivations"]
        self._invariant: frozenset[str] = frozenset(data["invariant"])
        self.memo: dict[str, str] = _Memo(self._normalize)  # filled as words are seen
        self._literal: dict[str, str] = {}
        self._ignorable: frozenset[str] = frozenset(data.get("ignorable", []))
        self._suffixes: tuple[tuple[str, str], ...] = tuple(
            (old, new) for old, new in data.get("suffixes", [])
        )
        self._equivalent: dict[str, str] = {}
        for head, words in data.get("equivalents", {}).items():
            target = self._base_form(americanize(head))
            for word in words:
                self._equivalent[self._base_form(americanize(word))] = target

    def __call__(self, word: str) -> str:
        return self.memo[word]

    def literal(self, word: str) -> str:
        """The comparison form before `equivalents`: "malformations" -> "malformation", not
        "abnormal". Tells apart names that the comparison form makes equal."""
        found = self._literal.get(word)
        if found is None:
            found = self._literal[word] = self._normalize(word, literal=True)
        return found

    def _normalize(self, word: str, literal: bool = False) -> str:
        if word == "A":  # a capital "A" is a designator ("type A", "vitamin A"), not the article
            return "a"
        if _ABBREVIATION_PLURAL.fullmatch(word):
            word = word[:-1]  # "UTIs", "EEGs": the plural of an abbreviation is the abbreviation
        lowered = fold_accents(word).lower()
        if lowered in STOPWORDS or lowered in self._ignorable:
            return ""
        if len(lowered) > 7 and lowered.endswith("ally"):
            lowered = lowered[:-2]  # developmentally -> developmental
        base = self._base_form(americanize(lowered))
        return base if literal else self._equivalent.get(base, base)

    def _base_form(self, word: str) -> str:
        """The base form of a lower-cased word (a light, rule-based lemmatiser and stemmer)."""
        if not word.isalpha() or len(word) <= 3:
            return word
        if word in self._derivations:
            word = self._derivations[word]
        elif word in self._irregular:
            word = self._irregular[word]
        elif word not in self._invariant:
            word = self._singular(word)
            word = self._derivations.get(word, word)
        if len(word) >= 6:
            for old, new in self._suffixes:
                if word.endswith(old):
                    return word[: -len(old)] + new
        if word.endswith(("ation", "ating")) and len(word) - 5 >= MIN_STEM:
            # ulceration, ulcerating, retardation -> ulcer, retard (as ulcerated, retarded)
            return word[:-5]
        return _verbal_stem(word)

    def _singular(self, word: str) -> str:
        if _ends_with_suffix(word, ("ss", "us", "is")):
            return word
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        # Greek plurals: synostoses -> synostosis, epiphyses -> epiphysis, diagnoses -> diagnosis.
        if len(word) >= 8 and _ends_with_suffix(word, ("oses", "yses", "eses")):
            return word[:-2] + "is"
        if _ends_with_suffix(word, ("sses", "xes", "shes", "tches", "nches", "rches", "sches")):
            return word[:-2]
        if word.endswith("s"):
            return word[:-1]
        # Latin plurals: hippocampi -> hippocampus, sulci -> sulcus, papillae -> papilla.
        if len(word) >= 5 and word.endswith("i") and word[-2] not in "aeiu":
            return word[:-1] + "us"
        if len(word) >= 5 and word.endswith("ae"):
            return word[:-1]
        return word


def _verbal_stem(word: str) -> str:
    """`decreased`, `decrease` -> `decreas`: past participles compare with their verb.

    "-ing" is kept: "Fainting", "Ordering" and "Collecting" name findings that "faint", "order" and
    "collected" do not.
    """
    if len(word) > 5 and word.endswith("ed") and not word.endswith("eed"):
        word = word[:-2]
    if len(word) > 5 and word.endswith("e") and not word.endswith(("ee", "ie")):
        word = word[:-1]
    if word.endswith("at") and len(word) - 2 >= MIN_STEM:
        word = word[:-2]  # mutilated, mutilate -> mutil (as mutilation)
    return word


def tokenize(text: str, normalizer: TokenNormalizer) -> list[Token]:
    """Split `text` into word tokens (letters and digits; everything else separates words)."""
    return [
        Token(match.start(), match.end(), match.group(), normalizer(match.group()))
        for match in _WORD.finditer(text)
    ]


@dataclass(slots=True)
class Scan:
    """A text's words as parallel lists (no object per word): offsets, text and comparison form."""

    starts: list[int]
    ends: list[int]
    words: list[str]
    norms: list[str]


def scan(text: str, normalizer: TokenNormalizer) -> Scan:
    """The words of `text` like `tokenize`, as parallel lists: the recogniser's fast path.

    One `re.split` finds every word and separator; their running lengths give the offsets and the
    memo (a dict that normalises what it misses) gives the forms, so no Python code runs per word.
    """
    parts = (_ASCII_SPLIT if text.isascii() else _SPLIT).split(text)
    bounds = list(accumulate(map(len, parts)))
    words = parts[1::2]
    return Scan(bounds[0:-1:2], bounds[1::2], words, list(map(normalizer.memo.__getitem__, words)))


def normalize_phrase(text: str, normalizer: TokenNormalizer) -> str:
    """The comparison key of a phrase: its non-empty token forms joined by single spaces."""
    return " ".join(form for form in (normalizer(m.group()) for m in _WORD.finditer(text)) if form)
