"""The patient-vignette benchmark: free-text cases with a gold diagnosis written as free text.

A ranked concept counts as the gold diagnosis only by this strict rule (no fuzzy matching):

1. The gold text gives names: the text before the first bracket, and each alternative inside the
   brackets ("Asthma (or acute asthma, status asthmaticus)" gives three; "acetaminophen poisoning
   acceptable" gives "acetaminophen poisoning"; "diagnosis may include acute bronchitis" gives
   "acute bronchitis"). A bracket holding only a severity word ("(severe)") gives no name.
2. A ranked concept's names are its name and synonyms; a trailing bracket in a name
   ("Rocky Mountain spotted fever (RMSF)") is dropped as a further name.
3. Every name is normalised: lower case, accents and punctuation removed, British spelling made
   American ("haemolytic" -> "hemolytic"), a plural last word made singular ("canker sores"),
   and a trailing population qualifier removed ("... in adults", "... in children").
4. A gold name "X exacerbation", "X flare" or "acute exacerbation of X" also accepts X (the
   disease whose exacerbation it is) and the other ways of writing an exacerbation of X ("COPD
   flare" accepts "COPD exacerbation" and "acute exacerbation of COPD": flare and exacerbation
   are one word's two registers).
5. Two normalised names match when they are equal, or when both belong to one group of the
   curated synonym list `data/diagnosis_synonyms.json` (true synonyms only, each with a note).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from dxatlas.bench.stats import percentiles_ms, topk_summary
from dxatlas.kb.normalize import normalize_name, singular_word

_BRACKETS = re.compile(r"\(([^()]*)\)")
_ALTERNATIVE_SPLIT = re.compile(r",|;|\bor\b")
_LEADING = re.compile(r"^(?:diagnosis may include|may include|or)\s+")
_TRAILING = re.compile(r"\s+(?:acceptable|is acceptable)$")
_SEVERITY = frozenset({"severe", "mild", "moderate", "acute", "chronic"})
_POPULATION = re.compile(r"\s+in (?:adults|children|infants|women|men|teens|older adults)$")
_EXACERBATION = (
    re.compile(r"^(?P<x>.+?) (?:exacerbation|flare|flare up|attack)$"),
    re.compile(r"^acute exacerbation of (?P<x>.+)$"),
)


@dataclass(frozen=True, slots=True)
class Vignette:
    """One benchmark case: the text, the gold diagnosis as written, and its triage class."""

    id: str
    text: str
    diagnosis: str
    triage: str | None = None


@dataclass(frozen=True, slots=True)
class VignetteResult:
    """Where the gold diagnosis ranked for one vignette, and the top of the differential."""

    id: str
    diagnosis: str
    rank: int | None
    differential: tuple[dict[str, Any], ...]  # top 10: {"name", "synonyms", "id", "source"}
    findings: tuple[dict[str, str], ...]
    seconds: float


@dataclass
class VignetteBenchmark:
    """All results, and the summary the CLI prints and writes."""

    results: list[VignetteResult] = field(default_factory=list)
    kb_version: str = ""

    def summary(self) -> dict[str, Any]:
        ranks = [r.rank for r in self.results]
        summary = dict(topk_summary(ranks))
        summary["latency_ms"] = percentiles_ms([r.seconds for r in self.results])
        return summary

    def as_json(self) -> dict[str, Any]:
        summary = self.summary()
        return {
            "top1": summary["top1"],
            "top3": summary["top3"],
            "top10": summary["top10"],
            "n": summary["n"],
            "mrr": summary["mrr"],
            "latency_ms": summary["latency_ms"],
            "kb_version": self.kb_version,
            "matching_rule": "see dxatlas.bench.vignettes (strict name or curated-synonym equality)",
            "cases": [
                {
                    "id": r.id,
                    "diagnosis": r.diagnosis,
                    "rank": r.rank,
                    "findings": list(r.findings),
                    "differential": list(r.differential),
                }
                for r in self.results
            ],
        }


def read_vignettes(path: Path) -> list[Vignette]:
    """The vignettes of a JSON Lines file; a malformed line raises ValueError naming it."""
    vignettes: list[Vignette] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                vignettes.append(
                    Vignette(
                        str(record["id"]),
                        str(record["text"]),
                        str(record["diagnosis"]),
                        record.get("triage"),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a vignette record ({error})") from None
    return vignettes


# --- the matching rule ------------------------------------------------------------------------


def normalized(name: str) -> str:
    """Rule 3: the comparison form of a name."""
    key = normalize_name(name)
    key = _POPULATION.sub("", key)
    words = key.split()
    if words:
        words[-1] = singular_word(words[-1])
    return " ".join(words)


def gold_names(diagnosis: str) -> set[str]:
    """Rules 1, 3 and 4: the normalised names a gold diagnosis text accepts."""
    names = [_BRACKETS.sub(" ", diagnosis)]
    for inside in _BRACKETS.findall(diagnosis):
        for part in _ALTERNATIVE_SPLIT.split(inside.lower()):
            part = _TRAILING.sub("", _LEADING.sub("", part.strip())).strip()
            if part and part not in _SEVERITY:
                names.append(part)
    keys = {normalized(n) for n in names if normalized(n)}
    for key in list(keys):
        for pattern in _EXACERBATION:
            found = pattern.match(key)
            if found:
                disease = found.group("x")
                keys |= {disease, f"{disease} exacerbation", f"acute exacerbation of {disease}"}
    return keys


def concept_names(name: str, synonyms: Iterable[str]) -> set[str]:
    """Rules 2 and 3: the normalised names of a ranked concept."""
    names: set[str] = set()
    for text in (name, *synonyms):
        names.add(normalized(text))
        bare = _BRACKETS.sub(" ", text)
        if bare != text:
            names.add(normalized(bare))
    names.discard("")
    return names


@lru_cache(maxsize=1)
def synonym_groups() -> dict[str, frozenset[str]]:
    """Rule 5: each normalised name of the curated list -> every name of its group."""
    data = json.loads(
        (resources.files("dxatlas.bench") / "data" / "diagnosis_synonyms.json").read_text("utf-8")
    )
    groups: dict[str, frozenset[str]] = {}
    for entry in data["groups"]:
        members = frozenset(normalized(n) for n in entry["names"])
        for member in members:
            groups[member] = groups.get(member, frozenset()) | members
    return groups


def matches(gold: set[str], names: set[str]) -> bool:
    """Whether a concept with `names` is the gold diagnosis with `gold` names (rule 5)."""
    if gold & names:
        return True
    groups = synonym_groups()
    return any(groups.get(g, frozenset()) & names for g in gold)


# --- running ----------------------------------------------------------------------------------


Diagnose = Callable[[str], dict[str, Any]]
"""Text -> the JSON of `dxatlas diagnose --text ... --json` (findings and differential)."""


def run_benchmark(
    diagnose: Diagnose,
    vignettes: Sequence[Vignette],
    progress: Callable[[Sequence[Vignette]], Iterable[Vignette]] = lambda items: items,
    kb_version: str = "",
) -> VignetteBenchmark:
    """Rank every vignette from its text alone and find the gold diagnosis in the top 10."""
    report = VignetteBenchmark(kb_version=kb_version)
    for vignette in progress(vignettes):
        gold = gold_names(vignette.diagnosis)
        started = time.perf_counter()
        payload = diagnose(vignette.text)
        seconds = time.perf_counter() - started
        rows = payload["differential"][:10]
        rank = next(
            (
                i
                for i, row in enumerate(rows, 1)
                if matches(gold, concept_names(row["name"], row.get("synonyms", ())))
            ),
            None,
        )
        report.results.append(
            VignetteResult(
                vignette.id,
                vignette.diagnosis,
                rank,
                tuple(
                    {
                        "name": row["name"],
                        "synonyms": list(row.get("synonyms", ())),
                        "id": row["id"],
                        "source": row.get("source", "curated"),
                        "probability": row["probability"],
                    }
                    for row in rows
                ),
                tuple(payload.get("findings", ())),
                seconds,
            )
        )
    return report
