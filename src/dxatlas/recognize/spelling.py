"""Misspelt finding words in a case text ("athralgias", "diarhea", "hedache"), read as the word
of a finding name they are one or two letters from.

People type symptoms in a hurry; the recogniser matches names exactly (up to word forms), so a
misspelt word names nothing and the finding is lost. A word is corrected only when all of this
holds: it has at least `MIN_LENGTH` letters; it is neither a word of a finding name nor an English
word (pyspellchecker's word list, so "weekend" or "mildly" are never "corrected"); the nearest
finding words are within one edit (two from `LONG_WORD` letters), begin with the same letter,
and are one word. Every correction is reported, so the user sees what was read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

if TYPE_CHECKING:
    from dxatlas.kb.ontology import Ontology

MIN_LENGTH = 6
LONG_WORD = 9
FINDING_ROOT = "HP:0000118"  # Phenotypic abnormality
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Correction:
    """One misspelt word of a text (`start:end`) and the finding word it is read as."""

    start: int
    end: int
    written: str
    read_as: str

    def as_json(self) -> dict[str, str]:
        return {"written": self.written, "read_as": self.read_as}


@lru_cache(maxsize=1)
def _english() -> Callable[[str], bool]:
    """Whether a lower-case word is English (pyspellchecker's list, loaded once: ~0.1 s)."""
    from spellchecker import SpellChecker

    checker = SpellChecker()
    return lambda word: bool(checker.known([word]))


def finding_words(ontology: Ontology) -> set[str]:
    """The lower-case words (of `MIN_LENGTH` letters or more) of every finding's label and
    synonyms, and of the recogniser's lay names."""
    words: set[str] = set()
    root = ontology.resolve(FINDING_ROOT)
    terms = ontology.descendants_of(root) if root is not None else range(len(ontology.ids))
    for term in terms:
        term = int(term)
        for name in (ontology.labels[term], *(s.text for s in ontology.synonyms[term])):
            words.update(w for w in _WORD.findall(name.lower()) if len(w) >= MIN_LENGTH)
    lay = json.loads(
        resources.files("dxatlas.recognize").joinpath("data/en/lay_synonyms.json").read_text()
    )
    for phrases in lay["terms"].values():
        for phrase in phrases:
            words.update(w for w in _WORD.findall(phrase.lower()) if len(w) >= MIN_LENGTH)
    return words


class SpellingCorrector:
    """Finds and fixes misspelt finding words (see the module docstring); pure after building."""

    def __init__(
        self, vocabulary: Iterable[str], english: Callable[[str], bool] | None = None
    ) -> None:
        self.vocabulary = frozenset(vocabulary)
        self._choices = sorted(self.vocabulary)
        self._english = english

    @classmethod
    def from_ontology(cls, ontology: Ontology) -> SpellingCorrector:
        return cls(finding_words(ontology))

    def _is_english(self, word: str) -> bool:
        return (self._english or _english())(word)

    def read_as(self, word: str) -> str | None:
        """The finding word a misspelt `word` stands for, or None (see the module docstring)."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.vocabulary:
            return None
        limit = 2 if len(lower) >= LONG_WORD else 1
        near = process.extract(
            lower, self._choices, scorer=Levenshtein.distance, score_cutoff=limit, limit=5
        )
        if not near:
            return None
        best = min(distance for _, distance, _ in near)
        closest = {choice for choice, distance, _ in near if distance == best}
        if len(closest) != 1:
            return None  # two finding words as near: no guess
        (choice,) = closest
        if choice[0] != lower[0] or self._is_english(lower):
            return None
        return choice

    def corrections(self, text: str) -> list[Correction]:
        """The misspelt finding words of `text`, in order."""
        found = []
        for match in _WORD.finditer(text):
            choice = self.read_as(match.group())
            if choice is not None:
                found.append(Correction(match.start(), match.end(), match.group(), choice))
        return found


_BUILT: dict[int, tuple[Ontology, SpellingCorrector]] = {}


def corrector_for(ontology: Ontology) -> SpellingCorrector | None:
    """The corrector for case texts read against `ontology` (built once per ontology), or None
    when the `spelling_correction` setting is off."""
    from dxatlas.settings import get_settings

    if not get_settings().spelling_correction:
        return None
    built = _BUILT.get(id(ontology))
    if built is None or built[0] is not ontology:
        built = (ontology, SpellingCorrector.from_ontology(ontology))
        _BUILT[id(ontology)] = built
    return built[1]


def apply_corrections(text: str, corrections: list[Correction]) -> tuple[str, Callable[[int], int]]:
    """`text` with each correction's word replaced, and a map from an offset of the new text back
    to the original (an offset inside a replaced word maps into that word)."""
    if not corrections:
        return text, lambda offset: offset
    pieces: list[str] = []
    # (start in the new text, start in the old text, length in new, length in old) per span.
    spans: list[tuple[int, int, int, int]] = []
    old = new = 0
    for fix in corrections:
        unchanged = fix.start - old
        pieces.append(text[old : fix.start])
        spans.append((new, old, unchanged, unchanged))
        new += unchanged
        pieces.append(fix.read_as)
        spans.append((new, fix.start, len(fix.read_as), fix.end - fix.start))
        new += len(fix.read_as)
        old = fix.end
    pieces.append(text[old:])
    spans.append((new, old, len(text) - old, len(text) - old))

    def original(offset: int) -> int:
        for new_start, old_start, new_length, old_length in reversed(spans):
            if offset >= new_start:
                inside = offset - new_start
                return old_start + min(inside, old_length) if new_length else old_start
        return offset

    return "".join(pieces), original
