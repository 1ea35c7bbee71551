"""Reading the DDXPlus knowledge files as a curated table of disease findings (`dxatlas kb import`).

DDXPlus (Fansi Tchango et al., NeurIPS 2022) describes 49 mostly common conditions (respiratory,
cardiac, ENT, emergencies) in two JSON files: `release_conditions.json` lists, per condition, the
evidence codes of its symptoms and antecedents; `release_evidences.json` says what each code asks.
The files give no frequencies and no HPO ids, so this module reads them through a crosswalk kept
as data (`dxatlas/kb/data/ddxplus.json`, written for this project): the HPO findings each symptom
code asks about, the codes that ask about no finding, and names for conditions that DDXPlus names
by an abbreviation ("URTI"), and the risk factors some antecedent codes ask about (smoking, a
recent operation, day care: `dxatlas.kb.risk_factors`). Each (condition, finding) and each
(condition, risk factor) becomes one table row without a frequency, checked and stored like any
other table (`dxatlas.kb.table_import`).

Not read, by design: follow-up questions (a code whose `code_question` is another code: where the
pain is, how the rash looks; they describe their parent's finding), and antecedents the crosswalk
does not map (a past disease, family history, travel, which DDXPlus asks of every condition).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from dxatlas.kb.risk_factors import RISK_PREFIX
from dxatlas.kb.table_import import TableError, TableRow

EVIDENCES_FILE = "release_evidences.json"


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """What the DDXPlus codes mean in HPO terms (see the module docstring)."""

    findings: Mapping[str, tuple[str, ...]]
    """Symptom code -> the HPO ids it asks about."""
    no_finding: frozenset[str]
    """Symptom codes that ask about no HPO finding (how symptoms behave, an exposure)."""
    synonyms: Mapping[str, tuple[str, ...]]
    """Condition name as DDXPlus writes it -> further names of the condition."""
    source: str
    """The source every imported row names."""
    risk_factors: Mapping[str, str] = field(default_factory=dict)
    """Antecedent code -> the risk factor id it asks about (`RISK:smoking`)."""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Crosswalk:
        """A crosswalk from the parsed JSON of a crosswalk file."""
        return cls(
            findings={code: tuple(ids) for code, ids in data["findings"].items()},
            no_finding=frozenset(data.get("no_finding", {})),
            synonyms={name: tuple(names) for name, names in data.get("synonyms", {}).items()},
            source=str(data["source"]),
            risk_factors={
                code: RISK_PREFIX + factor for code, factor in data.get("antecedents", {}).items()
            },
        )


@lru_cache(maxsize=1)
def packaged_crosswalk() -> Crosswalk:
    """The crosswalk shipped with dxatlas."""
    path = resources.files("dxatlas.kb").joinpath("data", "ddxplus.json")
    return Crosswalk.from_data(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True, slots=True)
class DdxplusReading:
    """The rows read from DDXPlus and what was left out, for the import's report."""

    rows: list[TableRow]
    conditions: int
    follow_ups: int
    antecedents: int
    """Antecedent codes no risk factor maps (a past disease, family history): not imported."""
    no_finding: int
    unmapped: tuple[str, ...]
    """Symptom codes the crosswalk does not know (a newer DDXPlus release): not imported."""


def is_ddxplus_conditions(path: Path) -> bool:
    """Whether `path` looks like DDXPlus's conditions file: a JSON object of conditions, each
    with `cond-name-eng` and `symptoms` (cheap: a table file is never read whole for this)."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return head.lstrip().startswith("{") and '"cond-name-eng"' in head and '"symptoms"' in head


def evidences_beside(conditions: Path) -> Path:
    """Where DDXPlus keeps the evidences file: beside the conditions file."""
    return conditions.with_name(EVIDENCES_FILE)


def read_ddxplus(
    conditions_path: Path, evidences_path: Path, crosswalk: Crosswalk | None = None
) -> DdxplusReading:
    """The table rows of DDXPlus's conditions: one per (condition, HPO finding of a symptom
    code), without frequency. Raises TableError naming the file and what is wrong."""
    crosswalk = crosswalk or packaged_crosswalk()
    conditions = _json_object(conditions_path)
    evidences = _json_object(evidences_path)
    rows: list[TableRow] = []
    follow_ups = antecedents = no_finding = 0
    unmapped: set[str] = set()
    problems: list[str] = []
    for number, (key, condition) in enumerate(conditions.items(), 1):
        if not isinstance(condition, dict) or not isinstance(condition.get("symptoms"), dict):
            problems.append(f"{conditions_path}: condition {key!r} has no 'symptoms' object")
            continue
        name = str(condition.get("cond-name-eng") or key).strip()
        seen: set[str] = set()
        asked_before = list(condition.get("antecedents") or {})  # history, exposures
        for code in condition["symptoms"]:
            evidence = evidences.get(code)
            if not isinstance(evidence, dict):
                problems.append(
                    f"{conditions_path}: condition {name!r} names symptom {code!r}, "
                    f"which {evidences_path.name} does not define"
                )
                continue
            if evidence.get("is_antecedent"):
                asked_before.append(code)
                continue
            if evidence.get("code_question", code) != code:
                follow_ups += 1
                continue
            if code in crosswalk.no_finding:
                no_finding += 1
                continue
            if code not in crosswalk.findings:
                unmapped.add(code)
                continue
            for finding in crosswalk.findings[code]:
                if finding not in seen:
                    seen.add(finding)
                    rows.append(_row(number, name, finding, crosswalk))
        for code in asked_before:  # a risk factor where the crosswalk maps one
            factor = crosswalk.risk_factors.get(code)
            if factor is None:
                antecedents += 1
            elif factor not in seen:
                seen.add(factor)
                rows.append(_row(number, name, factor, crosswalk))
    if problems:
        raise TableError(
            f"DDXPlus files cannot be imported ({len(problems)} problem(s), nothing imported):\n"
            + "\n".join(problems[:20])
        )
    if not rows:
        raise TableError(f"{conditions_path}: no condition has a symptom the crosswalk can read")
    return DdxplusReading(
        rows,
        len(conditions),
        follow_ups,
        antecedents,
        no_finding,
        tuple(sorted(unmapped, key=_code_order)),
    )


def _row(number: int, name: str, finding: str, crosswalk: Crosswalk) -> TableRow:
    return TableRow(
        number, name, finding, source=crosswalk.source, synonyms=crosswalk.synonyms.get(name, ())
    )


def _json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise TableError(f"cannot read DDXPlus file {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TableError(f"DDXPlus file {path} is not JSON: {error}") from None
    if not isinstance(data, dict) or not data:
        raise TableError(f"DDXPlus file {path} must be a non-empty JSON object keyed by code")
    return data


def _code_order(code: str) -> tuple[int, str]:
    digits = code.rpartition("_")[2]
    return (int(digits) if digits.isdigit() else 1 << 30, code)
