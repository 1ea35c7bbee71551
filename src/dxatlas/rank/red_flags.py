"""Red flags: findings that call for urgent care whatever the diagnosis (chest pain, seizures...).

The list lives in one place, `data/red_flags.json` (HPO ids). A present finding raises a flag when
it is the flagged term or a more specific term under it ("Focal-onset seizure" under "Seizure").
Excluded findings never raise one. The symptom checker and the diagnose API report what they find
as `"urgent"`, so that a page can show an emergency banner above any ranking.
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


@lru_cache(maxsize=1)
def red_flags() -> tuple[RedFlag, ...]:
    """The red flags of `data/red_flags.json`, in file order."""
    text = resources.files("dxatlas.rank").joinpath("data/red_flags.json").read_text()
    return tuple(RedFlag(item["id"], item["label"]) for item in json.loads(text)["flags"])


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
    return found
