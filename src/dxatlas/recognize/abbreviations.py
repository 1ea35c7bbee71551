"""Abbreviations defined in a document: "leukemia cutis (LC)" makes "LC" mean leukemia cutis.

Definitions are found with the Schwartz & Hearst (2003) rule: a short form in parentheses after a
long form whose words spell it out (every short-form character appears in order in the long form,
the first one at the start of a word). The long form is then looked up among the document's
matches; when it names a concept, later uses of the short form (case-sensitive, whole words)
resolve to it for the rest of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAREN = re.compile(r"\(\s*([^()\s][^()]{0,9}?)\s*\)")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Definition:
    """`short` defined by the long form at `long_start:long_end`; the short form is at `short_start`."""

    short: str
    long_start: int
    long_end: int
    short_start: int
    short_end: int


def _is_short_form(candidate: str) -> bool:
    words = candidate.split()
    return (
        1 <= len(words) <= 2
        and 2 <= len(candidate) <= 10
        and candidate[0].isalnum()
        and any(c.isupper() for c in candidate)
        and any(c.isalpha() for c in candidate)
    )


def _best_long_form(short: str, long_text: str) -> int | None:
    """Where in `long_text` the long form of `short` starts (Schwartz-Hearst backward scan)."""
    s = len(short) - 1
    pos = len(long_text) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while pos >= 0 and (
            long_text[pos].lower() != char or (s == 0 and pos > 0 and long_text[pos - 1].isalnum())
        ):
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
        s -= 1
    return long_text.rfind(" ", 0, pos + 2) + 1


def find_definitions(text: str) -> list[Definition]:
    """Every "long form (SF)" definition in `text`, in text order."""
    found = []
    for paren in _PAREN.finditer(text):
        short = paren.group(1).strip()
        if not _is_short_form(short):
            continue
        # The long-form window: at most min(|SF| + 5, 2 |SF|) words before the parenthesis.
        before = text[max(0, paren.start() - 200) : paren.start()]
        limit = min(len(short) + 5, 2 * len(short))
        words = before.rsplit(None, limit)  # [earlier text, *the last `limit` words]
        if not words:
            continue
        if len(words) > limit:  # the window starts at the first word after the earlier text
            window_start = before.index(words[1], len(words[0]))
        else:
            window_start = len(before) - len(before.lstrip())
        window = before[window_start:].rstrip()
        offset = paren.start() - len(before) + window_start
        start = _best_long_form(short, window)
        if start is None:
            continue
        long_form = window[start:]
        if len(long_form) <= len(short) or short.lower() in long_form.lower().split():
            continue
        found.append(
            Definition(
                short,
                offset + start,
                offset + len(window),
                paren.start(1),
                paren.start(1) + len(short),
            )
        )
    return found


def occurrences(text: str, short: str, start: int = 0) -> list[tuple[int, int]]:
    """Whole-word, case-sensitive occurrences of `short` in `text` from `start` on."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text, start)]
