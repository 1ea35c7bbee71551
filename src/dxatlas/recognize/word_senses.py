"""Words that name a finding in one sense only: "faint" is syncope in "she felt faint" but a plain
adjective in "a faint rash"; "pass out" is fainting, but not in "stones pass out of the body".
The word lists are data (`data/<language>/word_senses.json`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w'-]*)")


@dataclass(frozen=True, slots=True)
class WordSenses:
    """Adjectives that are findings only at the end of their phrase, the words that may follow
    such a phrase, and phrases whose next word gives them another sense."""

    adjectives: frozenset[str]
    phrase_ends: frozenset[str]
    not_before: dict[str, frozenset[str]] = field(default_factory=dict)

    def adjective_use(self, text: str, start: int, end: int) -> bool:
        """Whether `text[start:end]` is used in its other sense, so it names no finding: one of
        the adjectives before another word ("faint erythematous rash", not "felt faint and
        dizzy"), or a phrase before a word that changes it ("pass out of the body")."""
        phrase = text[start:end].lower()
        following = _NEXT_WORD.match(text, end)
        if following is None:
            return False
        word = following.group(1).lower()
        if phrase in self.not_before:
            return word in self.not_before[phrase]
        return phrase in self.adjectives and word not in self.phrase_ends


@lru_cache(maxsize=4)
def load_word_senses(language: str = "en") -> WordSenses:
    """The shipped word lists of `language`."""
    path = resources.files("dxatlas.recognize").joinpath(f"data/{language}/word_senses.json")
    data = json.loads(path.read_text("utf-8"))
    return WordSenses(
        frozenset(w.lower() for w in data["adjectives"]),
        frozenset(w.lower() for w in data["phrase_ends"]),
        {k.lower(): frozenset(w.lower() for w in v) for k, v in data.get("not_before", {}).items()},
    )
