"""Findings a case text states with a verb: "the right leg became painful, tender and swollen",
"my throat is sore", "her eyes are red and itchy".

Names of findings put the describing word first ("swollen leg", "sore throat", "red eye"); people
often write it after the noun, joined by "is", "became", "feels" or "looks", and list several.
Each describing word is tried with the noun as one phrase, and it counts only when the recogniser
reads the whole phrase as one finding ("swollen leg"; "tender leg" names nothing and is dropped).
A sentence with a denial before the statement ("she denies that her throat is sore") gives none:
the recogniser's negation scope is not run on a phrase made up here, so any doubt skips it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dxatlas.recognize.mention import Assertion, Kind

if TYPE_CHECKING:
    from dxatlas.recognize.annotator import Annotator

_ADJECTIVE = r"[a-z][a-z-]*"
_PREDICATE = re.compile(
    r"\b(?P<noun>(?:[a-z][a-z-]+\s+)?[a-z][a-z-]+)\s+"
    r"(?:is|are|was|were|became|becomes|become|feels|feel|felt|looks|look|looked|seems|seem|"
    r"seemed|appears|appear|appeared|gets|got|turned|turns|has become|have become|has been|"
    r"have been|had become|had been)\s+"
    r"(?:(?:very|quite|slightly|somewhat|a bit|a little|more|so|really|also|now|still)\s+)?"
    rf"(?P<list>{_ADJECTIVE}(?:\s*,\s*(?:and\s+|or\s+)?{_ADJECTIVE}){{0,4}}"
    rf"(?:,?\s+(?:and|or)\s+{_ADJECTIVE})?)",
    re.IGNORECASE,
)
_ITEM = re.compile(_ADJECTIVE, re.IGNORECASE)
_CONNECTIVES = frozenset({"and", "or"})
_DENIAL = re.compile(
    r"\b(?:no|not|never|denies|denied|deny|without|neither|nor)\b|n['\u2019]t\b", re.IGNORECASE
)
_SENTENCE_START = re.compile(r"[.;!?]\s")


@dataclass(frozen=True, slots=True)
class StatedFinding:
    """A finding a verb states: its HPO id and label, and the describing word's span."""

    id: str
    label: str
    start: int
    end: int


def stated_findings(text: str, annotator: Annotator) -> list[StatedFinding]:
    """The findings `text` states as "<noun> <is/became/...> <describing words>", each with the
    describing word's span in `text` (see the module docstring)."""
    found: list[StatedFinding] = []
    for statement in _PREDICATE.finditer(text):
        opening = max(
            (m.end() for m in _SENTENCE_START.finditer(text, 0, statement.start())), default=0
        )
        if _DENIAL.search(text, opening, statement.end()):
            continue
        words = statement.group("noun").split()
        nouns = [" ".join(words), words[-1]] if len(words) > 1 else words  # longest first
        for word in _ITEM.finditer(text, statement.start("list"), statement.end("list")):
            if word.group().lower() in _CONNECTIVES:
                continue
            for noun in nouns:
                named = _whole_finding(f"{word.group()} {noun}", annotator)
                if named is not None:
                    found.append(StatedFinding(*named, word.start(), word.end()))
                    break
    return found


def _whole_finding(phrase: str, annotator: Annotator) -> tuple[str, str] | None:
    """(id, label) of the asserted finding that the whole `phrase` names, if one does."""
    for mention in annotator.annotate(phrase).mentions:
        whole = mention.start == 0 and mention.end == len(phrase)
        if whole and mention.kind == Kind.FINDING and mention.assertion == Assertion.ASSERTED:
            return mention.id, mention.label
    return None
