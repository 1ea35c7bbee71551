"""`ContextRules`: NegEx/ConText-style assertion of mentions (negated, uncertain, family, asserted).

The cues are data (data/<lang>/context_rules.json). In each sentence the cues are found (pseudo-cues
first, which silence any cue they overlap; where cues overlap the longest wins); each cue governs a
scope forward, backward or both ways, up to the sentence boundary, the nearest terminator ("but",
"however", ";", ...) or its `max_tokens`. A mention in the scope of a cue takes its category. A cue
inside a mention ("Absent thumb") never applies to that mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dxatlas.recognize.kinds import read_data
from dxatlas.recognize.mention import Assertion, Mention

PRIORITY = (Assertion.FAMILY, Assertion.NEGATED, Assertion.UNCERTAIN)
_TOKEN = re.compile(r"[^\W_]+|[;:]")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    category: Assertion
    direction: str
    max_tokens: int | None


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    category: Assertion
    direction: str
    max_tokens: int | None
    first_word: str | None  # a literal cue can only match where its first word occurs


def _literal(text: str) -> str:
    """A whole-word, whitespace-tolerant regex for a literal cue."""
    words = [re.escape(word) for word in text.split()]
    left = r"(?<![\w/])" if text[0].isalnum() else ""
    right = r"(?![\w/])" if text[-1].isalnum() else ""
    return left + r"\s+".join(words) + right


class ContextRules:
    """Assertion cues of one language, compiled."""

    def __init__(self, data: dict) -> None:
        self.rules: list[_Rule] = []
        for rule in data["rules"]:
            source = rule.get("pattern") or _literal(rule["literal"])
            literal = rule.get("literal", "")
            first = _WORD.findall(literal.lower())
            self.rules.append(
                _Rule(
                    re.compile(source, re.IGNORECASE),
                    Assertion(rule["category"]),
                    rule["direction"],
                    rule.get("max_tokens"),
                    first[0] if first and literal[:1].isalnum() else None,
                )
            )
        terminators = [_literal(t) for t in data.get("terminators", [])]
        terminators += [re.escape(t) for t in data.get("terminator_patterns", [])]
        self.terminator = re.compile("|".join(terminators), re.IGNORECASE) if terminators else None
        self.pseudo: list[tuple[str, re.Pattern[str]]] = [
            (_WORD.findall(p.lower())[0], re.compile(_literal(p), re.IGNORECASE))
            for p in data.get("pseudo", [])
        ]

    @classmethod
    @lru_cache(maxsize=4)
    def for_language(cls, language: str = "en") -> ContextRules:
        """The shipped rules of `language` (data/<language>/context_rules.json)."""
        return cls(read_data(language, "context_rules.json"))

    def cues(self, sentence: str) -> list[Cue]:
        """The cues of a sentence, pseudo-cues removed and overlaps resolved (longest wins)."""
        words = set(_WORD.findall(sentence.lower()))
        blocked = [
            m.span()
            for first, pattern in self.pseudo
            if first in words
            for m in pattern.finditer(sentence)
        ]
        found: list[Cue] = []
        for rule in self.rules:
            if rule.first_word is not None and rule.first_word not in words:
                continue
            for match in rule.pattern.finditer(sentence):
                start, end = match.span()
                if any(start < b_end and b_start < end for b_start, b_end in blocked):
                    continue
                found.append(Cue(start, end, rule.category, rule.direction, rule.max_tokens))
        found.sort(key=lambda cue: (cue.start - cue.end, cue.start))
        kept: list[Cue] = []
        for cue in found:
            if all(cue.end <= other.start or other.end <= cue.start for other in kept):
                kept.append(cue)
        kept.sort(key=lambda cue: cue.start)
        return kept

    def terminators(self, sentence: str) -> list[tuple[int, int]]:
        """Spans of the scope terminators of a sentence."""
        return [m.span() for m in self.terminator.finditer(sentence)] if self.terminator else []

    def assert_mentions(self, sentence: str, offset: int, mentions: list[Mention]) -> None:
        """Set the `assertion` of each mention of one sentence (mention offsets are document offsets)."""
        if not mentions:
            return
        cues = self.cues(sentence)
        if not cues:
            return
        stops = self.terminators(sentence)
        tokens = [m.start() for m in _TOKEN.finditer(sentence)]
        for mention in mentions:
            start, end = mention.start - offset, mention.end - offset
            categories = {
                cue.category
                for cue in cues
                if not (start <= cue.start and cue.end <= end)
                and _in_scope(cue, start, end, stops, tokens)
            }
            mention.assertion = next(
                (category for category in PRIORITY if category in categories), Assertion.ASSERTED
            )


def _in_scope(
    cue: Cue, start: int, end: int, stops: list[tuple[int, int]], tokens: list[int]
) -> bool:
    """True when the mention at `start:end` (sentence offsets) lies in the scope of `cue`."""
    if cue.direction in ("forward", "bidirectional") and start >= cue.end:
        limit = min((s for s, _ in stops if s >= cue.end), default=None)
        if (limit is None or end <= limit) and _within(cue.max_tokens, cue.end, start, tokens):
            return True
    if cue.direction in ("backward", "bidirectional") and end <= cue.start:
        limit = max((e for _, e in stops if e <= cue.start), default=None)
        if (limit is None or start >= limit) and _within(cue.max_tokens, end, cue.start, tokens):
            return True
    return False


def _within(max_tokens: int | None, left: int, right: int, tokens: list[int]) -> bool:
    """True when at most `max_tokens` tokens start between offsets `left` and `right`."""
    if max_tokens is None:
        return True
    between = sum(1 for t in tokens if left <= t < right)
    return between <= max_tokens
