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
from collections.abc import Iterable, Mapping
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
    share: float  # of consulting patients who have it (sets how much it says: rank.parameters)
    others_count: bool = False  # another person's habit is the patient's exposure


@dataclass(frozen=True, slots=True)
class RiskVocabulary:
    """The risk factors of one language."""

    factors: tuple[RiskFactor, ...]
    any_in_pages: re.Pattern[str]  # one pass that finds the (lower-cased) page sentences naming any
    labels: Mapping[str, str]  # id -> label
    shares: Mapping[str, float]  # id -> share of consulting patients with the exposure

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
            share = raw.get("share")
            if not isinstance(share, (int, float)) or not 0.0 < share < 1.0:
                raise ValueError(f"risk factor {raw['id']!r}: share must be a number in (0, 1)")
            factors.append(
                RiskFactor(
                    RISK_PREFIX + raw["id"],
                    raw["label"],
                    in_cases,
                    in_pages,
                    float(share),
                    bool(raw.get("others_count")),
                )
            )
        any_in_pages = _whole_words(every_page_pattern)
        if any_in_pages is None:
            raise ValueError("the risk factor vocabulary names no factor")
        return cls(
            tuple(factors),
            any_in_pages,
            {f.id: f.label for f in factors},
            {f.id: f.share for f in factors},
        )

    def known_id(self, value: str) -> str | None:
        """The id `value` writes (`RISK:smoking`, any case) when it is a known risk factor."""
        factor = canonical_risk_id(value)
        return factor if factor in self.labels else None


@lru_cache(maxsize=1)
def load_risk_vocabulary() -> RiskVocabulary:
    """The shipped English vocabulary (`data/risk_factors.json`)."""
    path = resources.files("dxatlas.kb").joinpath("data", "risk_factors.json")
    return RiskVocabulary.from_data(json.loads(path.read_text(encoding="utf-8")))


def is_risk_id(value: str) -> bool:
    """Whether `value` is written as a risk factor id (`RISK:smoking`), not a finding."""
    return value.strip().upper().startswith(RISK_PREFIX)


def canonical_risk_id(value: str) -> str:
    """A value written as a risk factor id in the form the vocabulary uses (`risk:Smoking` ->
    `RISK:smoking`); "" for a value that is no risk factor id."""
    value = value.strip()
    return RISK_PREFIX + value[len(RISK_PREFIX) :].lower() if is_risk_id(value) else ""
