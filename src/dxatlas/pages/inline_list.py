"""A list written on one line, as health pages flatten their bullets: "Pulmonary embolism can
cause - Permanent damage to the lung - Low oxygen levels in your blood" is a lead-in and two
items. Pages show such a sentence as its lead-in with the items under it; the stored evidence
text stays as it was read."""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"\s+[-\u2013\u2014\u2022]\s+(?=\S)")


def split_inline_list(text: str) -> tuple[str, list[str]]:
    """(lead-in, items) of a sentence that lists items after " - " separators: three or more, or
    two that begin with a capital ("can cause - Permanent damage - Low oxygen levels"); (text,
    []) for any other sentence: a lone dash, or a pair around words ("Fever - a sign of
    infection - is common"), is punctuation."""
    parts = _SEPARATOR.split(text.strip())
    lead, items = parts[0].strip(), [p.strip() for p in parts[1:] if p.strip()]
    capitalised = all(item[0].isupper() or item[0].isdigit() for item in items)
    if not lead or len(items) < 2 or (len(items) == 2 and not capitalised):
        return text, []
    return lead, items
