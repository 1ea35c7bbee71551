"""Red flags: findings that call for urgent care whatever the diagnosis (chest pain, seizures...).

The list lives in one place, `data/red_flags.json` (HPO ids). A present finding raises a flag when
it is the flagged term or a more specific term under it ("Focal-onset seizure" under "Seizure").
Excluded findings never raise one. A few findings are red flags only together with others
("a stiff neck with fever": meningism; "petechiae with fever": possible meningococcal sepsis),
listed under "together" in the same file. The symptom checker and the diagnose API report what
they find as `"urgent"`, so that a page can show an emergency banner above any ranking.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from dxatlas.kb.knowledge import KnowledgeBase


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One red-flag finding of the data file (the label is for readers of the file)."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class PairedFlag:
    """A finding that calls for urgent care only with others present too ("a stiff neck with
    fever"): it raises the red flag `red_flag` (nuchal rigidity)."""

    id: str
    label: str
    together_with: tuple[str, ...]
    red_flag: str


def _data() -> dict[str, Any]:
    text = resources.files("dxatlas.rank").joinpath("data/red_flags.json").read_text()
    return json.loads(text)


@lru_cache(maxsize=1)
def red_flags() -> tuple[RedFlag, ...]:
    """The red flags of `data/red_flags.json`, in file order."""
    return tuple(RedFlag(item["id"], item["label"]) for item in _data()["flags"])


@lru_cache(maxsize=1)
def paired_flags() -> tuple[PairedFlag, ...]:
    """The findings of `data/red_flags.json` that are red flags together with others."""
    return tuple(
        PairedFlag(item["id"], item["label"], tuple(item["with"]), item["red_flag"])
        for item in _data().get("together", [])
    )


def urgent_findings(kb: KnowledgeBase, present: Iterable[str]) -> list[dict[str, Any]]:
    """The present findings (HPO ids) that are, or lie under, a red flag, each once, in the order
    given: `{"id", "label", "red_flag": {"id", "label"}}` with the knowledge base's labels.
    Ids the knowledge base does not know (in the case or the file) are skipped."""
    onto = kb.ontology
    flags: dict[int, str] = {}
    for flag in red_flags():
        term = onto.resolve(flag.id)
        if term is not None:
            flags.setdefault(term, onto.ids[term])
    found: list[dict[str, Any]] = []
    seen: set[int] = set()
    for finding_id in present:
        term = onto.resolve(finding_id)
        if term is None or term in seen:
            continue
        seen.add(term)
        # The most specific flag above the finding (the one with the most ancestors).
        above = [int(a) for a in onto.ancestors_of(term) if int(a) in flags]
        if not above:
            continue
        flag = max(above, key=lambda a: (len(onto.ancestors_of(a)), -a))
        found.append(
            {
                "id": onto.ids[term],
                "label": onto.labels[term],
                "red_flag": {"id": onto.ids[flag], "label": onto.labels[flag]},
            }
        )
    return found + _paired(onto, seen, {f["id"] for f in found})


def _paired(onto: Any, present: set[int], flagged: set[str]) -> list[dict[str, Any]]:
    """The paired red flags all of whose findings are present (or more specific ones), for
    findings not flagged on their own: `{"id", "label": "Stiff neck with fever", "red_flag",
    "with": [{"id", "label"}]}`."""

    def shown(term_id: str) -> int | None:
        """The present finding that is `term_id` or lies under it, if any."""
        term = onto.resolve(term_id)
        if term is None:
            return None
        return next((t for t in sorted(present) if term in onto.ancestors_of(t)), None)

    found: list[dict[str, Any]] = []
    for pair in paired_flags():
        term, flag = shown(pair.id), onto.resolve(pair.red_flag)
        others = [shown(other) for other in pair.together_with]
        if term is None or flag is None or None in others or onto.ids[term] in flagged:
            continue
        found.append(
            {
                "id": onto.ids[term],
                "label": f"{onto.labels[term]} with "
                + " and ".join(onto.labels[t].lower() for t in others if t is not None),
                "red_flag": {"id": onto.ids[flag], "label": onto.labels[flag]},
                "with": [{"id": onto.ids[t], "label": onto.labels[t]} for t in others if t],
            }
        )
        flagged.add(onto.ids[term])
    return found
