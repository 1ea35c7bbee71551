"""Annotation frequencies: HPO frequency terms, `n/m` counts and percentages, read into one number."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The HPO frequency sub-ontology (HP:0040279); each class is read as the middle of its range.
FREQUENCY_TERMS: dict[str, tuple[str, float]] = {
    "HP:0040280": ("Obligate (100%)", 1.0),
    "HP:0040281": ("Very frequent (80-99%)", 0.895),
    "HP:0040282": ("Frequent (30-79%)", 0.545),
    "HP:0040283": ("Occasional (5-29%)", 0.17),
    "HP:0040284": ("Very rare (1-4%)", 0.025),
    "HP:0040285": ("Excluded (0%)", 0.0),
}

_RATIO = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


class FrequencyError(ValueError):
    """Raised for a frequency that is none of the known forms."""


@dataclass(frozen=True, slots=True)
class Frequency:
    """A frequency as written (`text`) and as a fraction; `n`/`m` are kept for counts."""

    text: str
    fraction: float
    n: int | None = None
    m: int | None = None

    def label(self) -> str:
        """A human-readable form: the HPO class label, `n/m (p%)` or `p%`."""
        if self.text in FREQUENCY_TERMS:
            return FREQUENCY_TERMS[self.text][0]
        if self.n is not None and self.m is not None:
            return f"{self.n}/{self.m} ({100 * self.fraction:.0f}%)"
        return f"{100 * self.fraction:.0f}%"


def parse_frequency(text: str) -> Frequency | None:
    """Read an HPOA frequency column; empty means unknown (None)."""
    value = text.strip()
    if not value:
        return None
    if value in FREQUENCY_TERMS:
        return Frequency(value, FREQUENCY_TERMS[value][1])
    ratio = _RATIO.match(value)
    if ratio:
        n, m = int(ratio[1]), int(ratio[2])
        if m == 0 or n > m:
            raise FrequencyError(
                f"frequency {value!r} is not a proportion n/m with 0 <= n <= m, m > 0"
            )
        return Frequency(value, n / m, n, m)
    percent = _PERCENT.match(value)
    if percent:
        fraction = float(percent[1]) / 100
        if fraction > 1:
            raise FrequencyError(f"frequency {value!r} is over 100%")
        return Frequency(value, fraction)
    raise FrequencyError(f"frequency {value!r} is not an HPO frequency term, n/m or a percentage")
