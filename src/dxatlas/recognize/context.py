"""`ContextRules`: NegEx/ConText-style assertion of mentions (negated, uncertain, family, asserted).

The cues are data (data/<lang>/context_rules.json). In each sentence the cues are found (pseudo-cues
first, which silence any cue they overlap; where cues overlap the longest wins); each cue governs a
scope forward, backward or both ways, up to the sentence boundary, the nearest terminator ("but",
"however", ";", ...) or its `max_tokens`. A mention in the scope of a cue takes its category. A cue
inside a mention ("Absent thumb") never applies to that mention, except a cue of direction "self":
a word that names a finding and states its absence at once ("afebrile": no fever) applies to the
mention it lies in, and to nothing else.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

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
    any_word: frozenset[str] | None = None  # a pattern cue needs one of these words


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
                    frozenset(rule["any_word"]) if "any_word" in rule else None,
                )
            )
        # Literal rules are indexed by their first word and tried only where that word occurs
        # (`pattern.match` at its positions, not a scan of the sentence per rule); pattern rules
        # are scanned in a sentence holding one of their `any_word`s, or always.
        self._by_word: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        self._always: list[int] = []
        for number, rule in enumerate(self.rules):
            if rule.first_word is None:
                self._always.append(number)
            else:
                self._by_word.setdefault(rule.first_word, []).append((number, rule.pattern))
        self._terminator_words: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        others = list(data.get("terminator_patterns", []))  # regular expressions
        for literal in data.get("terminators", []):
            first = _WORD.findall(literal.lower())
            if first and literal[:1].isalnum():
                pattern = re.compile(_literal(literal), re.IGNORECASE)
                self._terminator_words.setdefault(first[0], []).append((0, pattern))
            else:
                others.append(_literal(literal))
        self._terminator_other = re.compile("|".join(others), re.IGNORECASE) if others else None
        self.pseudo: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        for p in data.get("pseudo", []):
            self.pseudo.setdefault(_WORD.findall(p.lower())[0], []).append(
                (0, re.compile(_literal(p), re.IGNORECASE))
            )
        # The only words whose positions matter: first words of literals and `any_word`s.
        self._wanted = frozenset(
            [*self._by_word, *self._terminator_words, *self.pseudo]
            + [word for rule in self.rules for word in rule.any_word or ()]
        )

    @classmethod
    @lru_cache(maxsize=4)
    def for_language(cls, language: str = "en") -> ContextRules:
        """The shipped rules of `language` (data/<language>/context_rules.json)."""
        return cls(read_data(language, "context_rules.json"))

    def positions(self, sentence: str) -> dict[str, list[int]]:
        """Where the cue words of a sentence start (lower-cased word -> offsets)."""
        return _word_positions(sentence, self._wanted)

    def cues(self, sentence: str, at: dict[str, list[int]] | None = None) -> list[Cue]:
        """The cues of a sentence, pseudo-cues removed and overlaps resolved (longest wins).

        `at` is `positions(sentence)` when the caller has it already.
        """
        if at is None:
            at = self.positions(sentence)
        blocked = [span for _, span in _hits(self.pseudo, at, sentence)]
        found: list[tuple[int, int, int]] = []  # (start, end, rule number)
        for number in self._always:
            rule = self.rules[number]
            if rule.any_word is None or not rule.any_word.isdisjoint(at):
                found.extend((*m.span(), number) for m in rule.pattern.finditer(sentence))
        found.extend((*span, number) for number, span in _hits(self._by_word, at, sentence))
        # Longest first, then leftmost, then in rule order.
        found.sort(key=lambda hit: (hit[0] - hit[1], hit[0], hit[2]))
        kept: list[Cue] = []
        for start, end, number in found:
            if any(start < b_end and b_start < end for b_start, b_end in blocked):
                continue
            if all(end <= other.start or other.end <= start for other in kept):
                rule = self.rules[number]
                kept.append(Cue(start, end, rule.category, rule.direction, rule.max_tokens))
        kept.sort(key=lambda cue: cue.start)
        return kept

    def terminators(
        self, sentence: str, at: dict[str, list[int]] | None = None
    ) -> list[tuple[int, int]]:
        """Spans of the scope terminators of a sentence, in text order."""
        if at is None:
            at = self.positions(sentence)
        found = [span for _, span in _hits(self._terminator_words, at, sentence)]
        if self._terminator_other is not None:
            found.extend(m.span() for m in self._terminator_other.finditer(sentence))
        found.sort()
        return found

    def document_words(self, text: str, words: list[str]) -> list[int] | None:
        """The indices of a document's words (`tokens.scan`'s) that are cue words, for
        `sentence_positions`; None when the text is not ASCII (its words are then not this
        module's words)."""
        if not text.isascii():
            return None
        return list(
            compress(range(len(words)), map(self._wanted.__contains__, map(str.lower, words)))
        )

    def sentence_positions(
        self,
        text: str,
        words: list[str],
        starts: list[int],
        cue_words: list[int],
        span: tuple[int, int, int, int],
    ) -> dict[str, list[int]] | None:
        """`positions` of the sentence at `span` = (start, end, first word, word after the last)
        from the document's cue words; None when a word runs across the sentence's edge."""
        start, end, first, after = span
        if (0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum()) or (
            0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
        ):
            return None
        at: dict[str, list[int]] = {}
        for i in cue_words[bisect_left(cue_words, first) : bisect_left(cue_words, after)]:
            at.setdefault(words[i].lower(), []).append(starts[i] - start)
        return at

    def assert_mentions(
        self,
        sentence: str,
        offset: int,
        mentions: list[Mention],
        at: dict[str, list[int]] | None = None,
    ) -> None:
        """Set the `assertion` of each mention of one sentence (mention offsets are document offsets).

        `at` is `positions(sentence)` when the caller has it already.
        """
        if not mentions:
            return
        if at is None:
            at = self.positions(sentence)
        cues = self.cues(sentence, at)
        if not cues:
            return
        stops = self.terminators(sentence, at)
        limited = any(cue.max_tokens is not None for cue in cues)
        tokens = [m.start() for m in _TOKEN.finditer(sentence)] if limited else []
        for mention in mentions:
            start, end = mention.start - offset, mention.end - offset
            categories = {
                cue.category
                for cue in cues
                if (start <= cue.start and cue.end <= end) == (cue.direction == "self")
                and (cue.direction == "self" or _in_scope(cue, start, end, stops, tokens))
            }
            mention.assertion = next(
                (category for category in PRIORITY if category in categories), Assertion.ASSERTED
            )


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # what `_WORD` matches


def _word_positions(sentence: str, wanted: frozenset[str]) -> dict[str, list[int]]:
    """Where each wanted word (lower case, whole `_WORD` run) starts in a sentence."""
    lowered = sentence.lower()
    if len(lowered) != len(sentence):  # a character whose lower case is longer: keep offsets
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)
    at: dict[str, list[int]] = {}
    for word in wanted.intersection(_WORD.findall(lowered)):
        found = []
        i = lowered.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or lowered[i - 1] not in _WORD_CHARS) and (
                end == len(lowered) or lowered[end] not in _WORD_CHARS
            ):
                found.append(i)
            i = lowered.find(word, i + 1)
        at[word] = found
    return at


def _hits(
    table: dict[str, list[tuple[int, re.Pattern[str]]]], at: dict[str, list[int]], sentence: str
) -> list[tuple[int, tuple[int, int]]]:
    """Matches of literals indexed by first word (`word -> [(tag, pattern)]`) where the word occurs:
    `(tag, (start, end))` pairs."""
    found = []
    for word in table.keys() & at.keys():
        for tag, pattern in table[word]:
            for position in at[word]:
                match = pattern.match(sentence, position)
                if match is not None:
                    found.append((tag, match.span()))
    return found


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
    """True when at most `max_tokens` tokens start between offsets `left` and `right` (`tokens`
    are the sorted token starts)."""
    if max_tokens is None:
        return True
    return bisect_left(tokens, right) - bisect_left(tokens, left) <= max_tokens
