"""Which words of a case text are the patient's past or background history.

A vignette or a clinic note names conditions the patient has besides the complaint: "a
48-year-old woman with a history of migraine headaches presents with confusion", "a 65-year-old
man with hypertension and degenerative joint disease presents with a productive cough", "he is
otherwise healthy, except for chronic osteoarthritis of the knee". Ranked as present findings
they drag the differential towards diseases of the past (a migraine syndrome for an acute liver
failure); they must count only for a disease that explains them. The cues are data
(`data/case_history.json`): openers ("history of", "known", "otherwise healthy except"), whose
scope runs to the end of the clause, and the introduction's "with" before the main verb. A
duration before "history of" ("a 5-day history of fever") marks the present illness instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_WITH = re.compile(r"\bwith\b")
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")


@dataclass(frozen=True, slots=True)
class HistoryCues:
    """The compiled cues of `data/case_history.json`."""

    openers: tuple[re.Pattern[str], ...]
    durations: re.Pattern[str]
    verbs: re.Pattern[str]
    closers: re.Pattern[str]
    introduction: re.Pattern[str]


@lru_cache(maxsize=1)
def load_history_cues() -> HistoryCues:
    """The shipped English cues."""
    path = resources.files("dxatlas.rank").joinpath("data", "case_history.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return HistoryCues(
        tuple(re.compile(p) for p in raw["openers"]),
        re.compile(raw["durations"]),
        re.compile(raw["verbs"]),
        re.compile(raw["closers"]),
        re.compile(raw["introduction"]),
    )


def history_spans(text: str, cues: HistoryCues | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` that describe the patient's past or background history."""
    cues = cues or load_history_cues()
    lower = text.lower()
    spans: list[tuple[int, int]] = []
    for opener in cues.openers:
        for found in opener.finditer(lower):
            if cues.durations.search(lower[max(0, found.start() - 30) : found.start()]):
                continue  # "a 5-day history of fever": the illness itself
            spans.append((found.end(), _clause_end(lower, found.end(), cues)))
    for intro in cues.introduction.finditer(lower):
        sentence_end = _sentence_end(lower, intro.end())
        verb = cues.verbs.search(lower, intro.end(), sentence_end)
        if verb is None:
            continue
        with_word = _WITH.search(lower, intro.end(), verb.start())
        if with_word is not None:
            spans.append((with_word.end(), verb.start()))
    return spans


def in_history(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether the words at `start:end` lie inside one of `spans`."""
    return any(low <= start and end <= high for low, high in spans)


def _clause_end(lower: str, start: int, cues: HistoryCues) -> int:
    found = cues.closers.search(lower, start)
    return found.start() if found else len(lower)


def _sentence_end(lower: str, start: int) -> int:
    found = _SENTENCE_END.search(lower, start)
    return found.start() if found else len(lower)
