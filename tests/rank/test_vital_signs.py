"""Vital signs written as numbers in a case text, read as findings when abnormal."""

from __future__ import annotations

import pytest

from dxatlas.rank.vital_signs import load_vital_signs, read_vital_signs

TACHYCARDIA, TACHYPNEA, HYPOXEMIA, FEVER, HYPOTENSION, BRADYCARDIA = (
    "HP:0001649", "HP:0002789", "HP:0012418", "HP:0001945", "HP:0002615", "HP:0001662",
)  # fmt: skip


def _ids(text: str, age: float | None = 40) -> list[str]:
    return [f.id for f in read_vital_signs(text, age)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Heart rate 112 bpm, BP 85/60, O2 saturation of 91% on room air.", [TACHYCARDIA, HYPOTENSION, HYPOXEMIA]),
        ("A respiratory rate of 24 breaths per minute.", [TACHYPNEA]),
        ("She has a temperature of 38.6°C.", [FEVER]),
        ("Temperature = 101.2", [FEVER]),  # no unit: above 45 is Fahrenheit
        ("Pulse 44.", [BRADYCARDIA]),
        # Normal values give nothing.
        ("Heart rate 80, respiratory rate 16, temperature 37.1 C, BP 120/80, saturation 98%.", []),
        ("A temperature of 99.5°F.", []),
    ],
)  # fmt: skip
def test_abnormal_values_become_findings(text: str, expected: list[str]) -> None:
    assert _ids(text) == expected


def test_rates_and_pressure_need_an_adult() -> None:
    # A child's heart beats faster: 120 is normal at 2 years. Fever and oxygen are read at any age.
    text = "Heart rate 120, temperature 39 C, oxygen saturation 90%."
    assert _ids(text, age=2) == [FEVER, HYPOXEMIA]
    assert _ids(text, age=None) == [FEVER, HYPOXEMIA]
    assert _ids(text, age=30) == [TACHYCARDIA, FEVER, HYPOXEMIA]


def test_the_words_of_each_finding_are_kept() -> None:
    text = "Exam: heart rate 112 bpm."
    (found,) = read_vital_signs(text, 50)
    assert text[found.start : found.end] == "heart rate 112"
    assert {sign.name for sign in load_vital_signs()} >= {"heart_rate", "temperature"}
