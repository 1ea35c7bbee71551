"""What a concept revision changed, field by field, as difflib lines: the history page shows them
(deleted lines struck through, added ones marked) and the revisions API returns them.

Lists (synonyms, xrefs) are one item per line; the description is one sentence per line, so an
edit of one sentence shows as that sentence changed rather than the whole paragraph.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from dxatlas.store.concept import ConceptState, Revision

FIELDS = (
    ("name", "Name"),
    ("synonyms", "Synonyms"),
    ("description", "Description"),
    ("parent_id", "Parent"),
    ("xrefs", "Cross-references"),
    ("hidden", "Hidden"),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a field's diff: `kind` is "add", "del" or "same"."""

    kind: str
    text: str

    @property
    def marked(self) -> str:
        """The line as unified diff writes it (`+ `, `- ` or two spaces before it)."""
        return {"add": "+ ", "del": "- "}.get(self.kind, "  ") + self.text


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """The change of one field."""

    field: str
    label: str
    lines: tuple[DiffLine, ...]


def field_lines(state: ConceptState | None, field: str) -> list[str]:
    """The field of a state as the lines its diff compares (none for no state)."""
    if state is None:
        return []
    value: Any = getattr(state, field)
    if field == "synonyms":
        return [s.text if s.scope == "exact" else f"{s.text} ({s.scope})" for s in value]
    if field == "xrefs":
        return list(value)
    if field == "description":
        return [part for part in _SENTENCE_END.split(value or "") if part.strip()]
    if field == "hidden":
        return ["yes" if value else "no"]
    return [str(value)] if value else []


def diff_states(before: ConceptState | None, after: ConceptState) -> list[FieldDiff]:
    """The fields that differ, each with its lines (difflib's comparison, hints left out)."""
    found = []
    for field, label in FIELDS:
        old, new = field_lines(before, field), field_lines(after, field)
        if old == new or (before is None and field == "hidden" and not after.hidden):
            continue  # a new concept that is not hidden says nothing about hiding
        lines = []
        for line in difflib.ndiff(old, new):
            code, text = line[:2], line[2:]
            if code == "? ":
                continue
            kind = {"+ ": "add", "- ": "del"}.get(code, "same")
            lines.append(DiffLine(kind, text))
        found.append(FieldDiff(field, label, tuple(lines)))
    return found


def revision_diff(revision: Revision) -> list[FieldDiff]:
    """What one revision changed."""
    return diff_states(revision.before, revision.after)


def revision_json(revision: Revision) -> dict[str, Any]:
    """A revision for the API: the store's JSON and "diff", field -> unified diff lines."""
    payload = revision.to_json()
    payload["diff"] = {d.field: [line.marked for line in d.lines] for d in revision_diff(revision)}
    return payload
