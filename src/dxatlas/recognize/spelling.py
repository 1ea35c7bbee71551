"""Misspelt finding words in a case text ("athralgias", "diarhea", "hedache"), read as the word
of a finding name they are one letter from.

People type symptoms in a hurry; the recogniser matches names exactly (up to word forms), so a
misspelt word names nothing and the finding is lost. A word is corrected only when all of this
holds: it has at least `MIN_LENGTH` letters; it is not a known word, also with a plural ending
taken off (a word of any HPO term, disease, test, drug, procedure or lay name the recogniser
knows, or an English word of pyspellchecker's list: "weekend", "autosomal" and "intubated" are
never "corrected"); the nearest finding words are one edit away (a letter added, dropped or
changed: "athralgias" for "arthralgias", "feaver" for "fever"), begin with the same letter, and
are one word; a capitalised word inside a sentence (a name: "Centor") or a word with a capital
inside ("EEG", "microV") is left alone.
Every correction is reported, so the user sees what was read. On correctly spelt technical
text (the 200 abstracts of GSC+/ID-68) it changes 15 words, most of them harmless (see
docs/benchmarks.md), so it is used for case texts only, never for ingest.
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

from dxatlas.kb.ontology import PHENOTYPIC_ABNORMALITY

if TYPE_CHECKING:
    from dxatlas.kb.knowledge import KnowledgeBase
    from dxatlas.kb.ontology import Ontology

MIN_LENGTH = 6
"""Shortest word corrected: shorter ones are too often another word one letter away."""
MIN_TARGET = 5
"""Shortest finding word a misspelt word may be read as ("feaver" as "fever")."""
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


def _words(names: Iterable[str]) -> set[str]:
    """The lower-case words of `names` of `MIN_TARGET` letters or more."""
    return {w for name in names for w in _WORD.findall(name.lower()) if len(w) >= MIN_TARGET}


def known_words(ontology: Ontology, disease_names: Iterable[str] = ()) -> set[str]:
    """Words that are spelt right: those of every HPO term's label and synonyms (inheritance
    modes, anatomy and findings alike), of `disease_names`, and of the recogniser's tests,
    procedures, drugs, organisms and body parts."""
    from dxatlas.recognize.kinds import other_concepts

    words = _words(disease_names)
    for term in range(len(ontology.ids)):
        words |= _words((ontology.labels[term], *(s.text for s in ontology.synonyms[term])))
    for curated in other_concepts():
        words |= _words(curated.names)
    return words


def _singular_forms(word: str) -> tuple[str, ...]:
    """`word` and what it may be the plural of ("ependymomas", "keratocysts", "arthrogryposes")."""
    forms = [word]
    if word.endswith("es"):
        forms += [word[:-2], word[:-2] + "is", word[:-1]]
    elif word.endswith("s"):
        forms.append(word[:-1])
    if word.endswith("ata"):
        forms.append(word[:-2])  # chiasmata: chiasma
    return tuple(forms)


def finding_words(ontology: Ontology) -> set[str]:
    """The lower-case words (of `MIN_TARGET` letters or more) of every finding's label and
    synonyms, and of the recogniser's lay names."""
    words: set[str] = set()
    root = ontology.resolve(PHENOTYPIC_ABNORMALITY)
    terms = ontology.descendants_of(root) if root is not None else range(len(ontology.ids))
    for term in map(int, terms):
        words |= _words((ontology.labels[term], *(s.text for s in ontology.synonyms[term])))
    lay = json.loads(
        resources.files("dxatlas.recognize").joinpath("data/en/lay_synonyms.json").read_text()
    )
    for phrases in lay["terms"].values():
        words |= _words(phrases)
    return words


class SpellingCorrector:
    """Finds and fixes misspelt finding words (see the module docstring); pure after building."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        english: Callable[[str], bool] | None = None,
        known: Iterable[str] = (),
    ) -> None:
        """`vocabulary`: the finding words a word may be corrected to; `known`: other words
        spelt right (never corrected); `english`: whether a word is English (default:
        pyspellchecker's list)."""
        self.vocabulary = frozenset(vocabulary)
        self.known = self.vocabulary | frozenset(known)
        self._choices = sorted(self.vocabulary)
        self._english = english

    @classmethod
    def from_ontology(
        cls, ontology: Ontology, disease_names: Iterable[str] = ()
    ) -> SpellingCorrector:
        return cls(finding_words(ontology), known=known_words(ontology, disease_names))

    def _is_english(self, word: str) -> bool:
        return (self._english or _english())(word)

    def read_as(self, word: str) -> str | None:
        """The finding word a misspelt `word` stands for, or None (see the module docstring)."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or any(form in self.known for form in _singular_forms(lower)):
            return None
        near = process.extract(
            lower, self._choices, scorer=Levenshtein.distance, score_cutoff=1, limit=5
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
        """The misspelt finding words of `text`, in order. A capitalised word inside a sentence
        is a name ("Centor criteria", "Kernig sign"), and a word with a capital inside an
        abbreviation, a unit or a gene ("EEG", "microV"): none of them is corrected."""
        found = []
        for match in _WORD.finditer(text):
            word = match.group()
            if any(ch.isupper() for ch in word[1:]):
                continue  # an abbreviation, a unit or a gene ("EEG", "microV", "NOTCH")
            if word[0].isupper() and not _starts_sentence(text, match.start()):
                continue
            choice = self.read_as(word)
            if choice is not None:
                found.append(Correction(match.start(), match.end(), match.group(), choice))
        return found


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens the text, a sentence, a line or a list item."""
    at = start - 1
    while at >= 0 and text[at].isspace():
        if text[at] == "\n":
            return True
        at -= 1
    return at < 0 or text[at] in ".!?:;-*\u2022"


def corrector_for(kb: KnowledgeBase) -> SpellingCorrector | None:
    """The corrector for case texts read against `kb` (its findings are the targets, all its
    names known words), or None when the `spelling_correction` setting is off."""
    from dxatlas.settings import get_settings

    return _corrector_of(kb) if get_settings().spelling_correction else None


@lru_cache(maxsize=1)
def _corrector_of(kb: KnowledgeBase) -> SpellingCorrector:
    """Built once per knowledge base (one per process; a knowledge base hashes by identity)."""
    return SpellingCorrector.from_ontology(kb.ontology, kb.disease_names)


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
