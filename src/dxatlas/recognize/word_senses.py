"""Words that name a finding in one sense only: "faint" is syncope in "she felt faint" but a plain
adjective in "a faint rash". The word lists are data (`data/<language>/word_senses.json`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w'-]*)")


@dataclass(frozen=True, slots=True)
class WordSenses:
    """Adjectives that are findings only at the end of their phrase, and the words that may
    follow such a phrase."""

    adjectives: frozenset[str]
    phrase_ends: frozenset[str]

    def adjective_use(self, text: str, start: int, end: int) -> bool:
        """Whether `text[start:end]` is one of the adjectives used before another word (so it
        names no finding): "faint erythematous rash", not "felt faint and dizzy"."""
        if text[start:end].lower() not in self.adjectives:
            return False
        following = _NEXT_WORD.match(text, end)
        return following is not None and following.group(1).lower() not in self.phrase_ends


@lru_cache(maxsize=4)
def load_word_senses(language: str = "en") -> WordSenses:
    """The shipped word lists of `language`."""
    path = resources.files("dxatlas.recognize").joinpath(f"data/{language}/word_senses.json")
    data = json.loads(path.read_text("utf-8"))
    return WordSenses(
        frozenset(w.lower() for w in data["adjectives"]),
        frozenset(w.lower() for w in data["phrase_ends"]),
    )
