"""Vital signs written as numbers in a case text, read as findings: "heart rate 112 bpm" is
tachycardia, "a temperature of 38.3°C" fever, "oxygen saturation of 91%" hypoxemia, "BP 95/65"
hypotension. Patterns and limits are data (`data/vital_signs.json`); a normal value gives no
finding, and heart rate, breathing rate and blood pressure are read only for a patient known to
be 12 or older (children's normal values differ).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

ADULT_AGE_YEARS = 12.0
"""Age from which the adult limits of heart rate, breathing rate and blood pressure apply."""


@dataclass(frozen=True, slots=True)
class VitalSign:
    """One kind of vital sign: how it is written, and which values are abnormal."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    above: float | None
    above_finding: str | None
    below: float | None
    below_finding: str | None
    adults_only: bool
    fever_celsius: float | None = None


@dataclass(frozen=True, slots=True)
class VitalFinding:
    """An abnormal vital sign read from a text: the finding and the words it was read from."""

    id: str
    start: int
    end: int


@lru_cache(maxsize=1)
def load_vital_signs() -> tuple[VitalSign, ...]:
    """The shipped vital signs."""
    path = resources.files("dxatlas.rank").joinpath("data", "vital_signs.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        VitalSign(
            name,
            tuple(re.compile(p) for p in sign["patterns"]),
            sign.get("above"),
            sign.get("above_finding"),
            sign.get("below"),
            sign.get("below_finding"),
            bool(sign.get("adults_only", False)),
            sign.get("fever_celsius"),
        )
        for name, sign in data["signs"].items()
    )


def read_vital_signs(
    text: str, age_years: float | None, signs: tuple[VitalSign, ...] | None = None
) -> list[VitalFinding]:
    """The abnormal vital signs of a case text, in text order (one finding per sign)."""
    lower = text.lower()
    adult = age_years is not None and age_years >= ADULT_AGE_YEARS
    found: list[VitalFinding] = []
    for sign in load_vital_signs() if signs is None else signs:
        if sign.adults_only and not adult:
            continue
        for pattern in sign.patterns:
            match = pattern.search(lower)
            if match is None:
                continue
            finding = _abnormal(sign, match)
            if finding is not None:
                found.append(VitalFinding(finding, match.start(), match.end()))
            break  # the first way the text gives this sign decides it
    return sorted(found, key=lambda f: f.start)


def _abnormal(sign: VitalSign, match: re.Match[str]) -> str | None:
    value = float(match.group(1))
    if sign.fever_celsius is not None:
        unit = match.group(2) or ("f" if value > 45 else "c")  # no body is 45 °C
        celsius = (value - 32) * 5 / 9 if unit == "f" else value
        return sign.above_finding if celsius >= sign.fever_celsius else None
    if sign.above is not None and value > sign.above:
        return sign.above_finding
    if sign.below is not None and value < sign.below:
        return sign.below_finding
    return None
