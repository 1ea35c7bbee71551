"""Patient ages: ISO 8601 durations (P4M, P1Y6M, P10D) or plain years, and HPO onset classes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<w>\d+(?:\.\d+)?)W)?"
    r"(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:\d+(?:\.\d+)?[HMS])+)?$"
)
MAX_AGE_YEARS = 130.0


class AgeError(ValueError):
    """Raised for an age that cannot be read or is impossible."""


def parse_age(text: str) -> float:
    """Read an age as years: `P4M`, `P1Y6M`, `P3W`, `P10D`, `45`, `45y`; raise `AgeError` otherwise."""
    value = text.strip().upper()
    if not value:
        raise AgeError("age is empty")
    plain = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:Y|YR|YRS|YEARS?)?", value)
    if plain:
        years = float(plain[1])
    else:
        match = _DURATION.match(value)
        if match is None:
            raise AgeError(
                f"age {text!r} is not an ISO 8601 duration (P4M, P1Y6M, P10D) or a number of years"
            )
        years = (
            float(match["y"] or 0)
            + float(match["m"] or 0) / 12
            + float(match["w"] or 0) * 7 / 365.25
            + float(match["d"] or 0) / 365.25
        )
    if years > MAX_AGE_YEARS:
        raise AgeError(f"age {text!r} is impossible: over {MAX_AGE_YEARS:.0f} years")
    return years


@dataclass(frozen=True, slots=True)
class OnsetClass:
    """An HPO onset term with the age range (years) its definition gives."""

    id: str
    label: str
    min_years: float
    max_years: float


@lru_cache(maxsize=1)
def onset_classes() -> dict[str, OnsetClass]:
    """The HPO onset classes, from the package's data file."""
    raw = json.loads(resources.files("dxatlas.kb").joinpath("data/onset_ages.json").read_text())
    return {
        key: OnsetClass(key, value["label"], value["min"], value["max"])
        for key, value in raw.items()
        if not key.startswith("_")
    }


def format_age(years: float | None) -> str | None:
    """An age in years as a short readable text (`4 months`, `2 years`)."""
    if years is None:
        return None
    if years < 1:
        months = round(years * 12, 1)
        return f"{months:g} months"
    return f"{years:g} years"
