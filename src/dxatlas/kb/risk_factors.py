"""Risk factors and exposures: the vocabulary, and which a page sentence names.

A patient who smokes, had a hip replaced last week, attends day care or was bitten by mosquitoes
is likelier to have some diseases, though none of these is a finding of a disease: the HPO has
no term for them. The vocabulary is data (`data/risk_factors.json`): ids (`RISK:smoking`),
labels and the words that name each in case texts and in pages. A concept has a risk factor when
its page's etiology, epidemiology or prevention sentences name it, or an imported table lists it
(`dxatlas kb import`: DDXPlus's antecedents, or a user's row whose finding is a `RISK:` id).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

RISK_PREFIX = "RISK:"
"""The id prefix of risk factors, beside the HPO's `HP:` finding ids."""
RISK_SECTIONS = ("etiology", "epidemiology", "prevention")
"""The page sections whose sentences say what makes a disease likelier."""


def _whole_words(patterns: Iterable[str], flags: int = 0) -> re.Pattern[str] | None:
    """One alternation of `patterns` (written in lower case), each matched as whole words."""
    joined = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"(?<![\w-])(?:{joined})(?![\w-])", flags) if joined else None


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One risk factor: id (`RISK:...`), label, and the compiled words that name it in case texts
    and pages."""

    id: str
    label: str
    in_cases: re.Pattern[str]  # case-insensitive
    in_pages: re.Pattern[str]  # for lower-cased text: ten times faster than case-insensitive
    others_count: bool = False  # another person's habit is the patient's exposure


@dataclass(frozen=True, slots=True)
class RiskVocabulary:
    """The risk factors of one language."""

    factors: tuple[RiskFactor, ...]
    any_in_pages: re.Pattern[str] | None = None  # one pass that finds the sentences naming any

    @classmethod
    def from_data(cls, data: dict) -> RiskVocabulary:
        factors = []
        every_page_pattern: list[str] = []
        for raw in data["factors"]:
            shared = list(raw.get("patterns", ()))
            in_cases = _whole_words([*shared, *raw.get("case_patterns", ())], re.IGNORECASE)
            page_patterns = [*shared, *raw.get("literature_patterns", ())]
            every_page_pattern += page_patterns
            in_pages = _whole_words(page_patterns)
            if in_cases is None or in_pages is None:
                raise ValueError(f"risk factor {raw['id']!r} names no words for cases or pages")
            factors.append(
                RiskFactor(
                    RISK_PREFIX + raw["id"],
                    raw["label"],
                    in_cases,
                    in_pages,
                    bool(raw.get("others_count")),
                )
            )
        return cls(tuple(factors), _whole_words(every_page_pattern))

    @property
    def labels(self) -> dict[str, str]:
        return {factor.id: factor.label for factor in self.factors}

    def named_in_page(self, sentence: str) -> set[str]:
        """The risk factors a page sentence about a disease names."""
        lower = sentence.lower()
        if self.any_in_pages is not None and not self.any_in_pages.search(lower):
            return set()  # most sentences name none: one search instead of one per factor
        return {factor.id for factor in self.factors if factor.in_pages.search(lower)}


@lru_cache(maxsize=1)
def load_risk_vocabulary() -> RiskVocabulary:
    """The shipped English vocabulary (`data/risk_factors.json`)."""
    path = resources.files("dxatlas.kb").joinpath("data", "risk_factors.json")
    return RiskVocabulary.from_data(json.loads(path.read_text(encoding="utf-8")))


def is_risk_id(value: str) -> bool:
    """Whether `value` is written as a risk factor id (`RISK:smoking`), not a finding."""
    return value.upper().startswith(RISK_PREFIX)
