"""Name normalisation shared by lookup and recognition: case, accents, punctuation, British spellings."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=1)
def _spelling_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    raw = json.loads(
        resources.files("dxatlas.kb").joinpath("data/spelling_variants.json").read_text()
    )
    return tuple((re.compile(pattern), replacement) for pattern, replacement in raw["rules"])


def fold_accents(text: str) -> str:
    """`café` -> `cafe`: strip combining marks after NFKD decomposition."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def americanize(text: str) -> str:
    """Rewrite British spellings of lower-cased text into American ones (leukaemia -> leukemia)."""
    for pattern, replacement in _spelling_rules():
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=65536)
def normalize_name(text: str) -> str:
    """The comparison key of a name: lower case, no accents or punctuation, American spelling.

    `"Leukaemia-cutis"`, `"leukemia cutis"` and `"LEUKEMIA  CUTIS."` all give `"leukemia cutis"`.
    """
    lowered = fold_accents(text).lower().replace("'s ", " ").replace("\u2019s ", " ")
    words = _NON_WORD.sub(" ", lowered).strip()
    return americanize(words)


def singular_word(word: str) -> str:
    """A plain English plural made singular ("stones" -> "stone", "allergies" -> "allergy");
    words that only look plural ("abscess", "virus", "psoriasis", "gas") are left alone. For
    the last word of a disease name, where "Kidney Stones" and "kidney stone" are one name."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "as")):
        return word[:-1]
    return word
