"""A fast, rule-based sentence splitter for real pages: bullets, glued headings, PDF line breaks.

`split_sentences` returns `Sentence`s whose `start`/`end` are offsets into the input; each
sentence's `text` is that slice made readable (hyphenated line breaks joined, whitespace runs
collapsed, a leading bullet marker dropped). The rules (abbreviations, words after which a
line goes on) are data files in `dxatlas/ingest/data/` so they can be reviewed without code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Sentence", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its readable text and its [start, end) offsets in the source text."""

    text: str
    start: int
    end: int


_DASHES = "\u2013\u2014"  # en and em dash
_CITATION = r"(?:\[\d+(?:\s*[-,\u2013]\s*\d+)*\]|\(\d+(?:\s*[-,\u2013]\s*\d+)*\))"
# End punctuation, closing quotes/brackets, and a citation that trails the period ("... [5] Next").
_CLOSERS = "\"'\u201d\u2019)]"  # closing quotes and brackets
_TERMINAL = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?:[ \t]*" + _CITATION + r")?(?=\s)")
# "stage.Leukemia": a heading or sentence glued to the next sentence without a space.
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])|(?<=[)\]][.!?])(?=[A-Z][a-z])")
# "disease.15 The": a superscript reference number glued after the period.
_GLUED_REFERENCE = re.compile(r"(?<=[a-z][.!?])\d{1,3}(?:[,\u2013-]\d{1,3})*(?=\s+[A-Z])")
# "... - Sore throat Is it a cold or the flu?": a question heading glued after a word (pages whose
# line breaks were lost). A capitalised question word after a lower-case word starts a question
# that ends at "?" with no other sentence end between; prose never capitalises it mid-sentence.
_GLUED_QUESTION = re.compile(
    r"(?<=[a-z] )(?=(?:Is|Are|What|How|When|Why|Who|Which|Where|Can|Could|Do|Does|Should|Will)"
    r" [^.!?\n]{1,120}\?)"
)
# "Symptoms include - Fever - A stiff neck Early treatment can help": a sentence glued after the
# last item of a list whose line breaks were lost. Items are marked by " - " before a capital.
_INLINE_ITEM = re.compile(rf" [\-{_DASHES}] (?=[A-Z0-9])")
_ITEM_END = re.compile(r"[.!?\n]")
# In the last item, a capitalised word after a lower-case word (not a name's "National
# Institute"), itself followed by a lower-case word, starts the next sentence; not after a word
# that often comes before a proper noun.
_GLUED_AFTER_ITEM = re.compile(r"(?<=[a-z0-9,)] )(?=[A-Z][a-z]+ [a-z])")
_BEFORE_PROPER_NOUN = frozenset(
    {"to", "in", "of", "from", "with", "by", "the", "and", "or", "for", "as", "at", "on", "a", "an"}
)
# A line break, with the blank space around it.
_LINE_BREAK = re.compile(r"[ \t\r\f\v]*\n\s*")
_BULLETS = "\u2022\u00b7\u25aa\u25e6\u2023\u25cf\u25cb\u25a0\u25a1\u27a2\u2713"  # bullet glyphs
_LEADING_BULLET = re.compile(rf"[{_BULLETS}]\s*|[*\-{_DASHES}]\s+")
_BULLET_START = re.compile(rf"(?:[{_BULLETS}]\s*|[*\-{_DASHES}]\s+|\d{{1,2}}[.)]\s+(?=[A-Z]))")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])")
_WHITESPACE = re.compile(r"\s+")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")
_OPENERS = "\"'\u201c\u2018([{"  # opening quotes and brackets
_CONTINUATION_START = ",;:)]}%"


@dataclass(frozen=True, slots=True)
class _Rules:
    abbreviations: frozenset[str]
    before_number: frozenset[str]
    continuation_words: frozenset[str]


def _data_lines(name: str) -> list[str]:
    text = resources.files("dxatlas.ingest").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """The splitter's word lists, read once from the package data files."""
    always, numbered = set(), set()
    for line in _data_lines("abbreviations.txt"):
        word, _, flag = line.partition(" ")
        (numbered if flag == "#" else always).add(word)
    continuation = frozenset(_data_lines("continuation_words.txt"))
    return _Rules(frozenset(always), frozenset(numbered), continuation)


def _previous_word(text: str, end: int) -> str:
    """The whitespace-delimited word ending at `end`, lower-cased, opening punctuation removed."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS).lower()


def _next_visible(text: str, position: int) -> int:
    """The index of the first non-space character at or after `position` (len(text) if none)."""
    length = len(text)
    while position < length and text[position].isspace():
        position += 1
    return position


def _starts_sentence(text: str, position: int) -> bool:
    """Whether a sentence can begin at `position`: a capital, a digit, a bullet or an opener."""
    if position >= len(text):
        return False
    char = text[position]
    if char.isupper() or char.isdigit() or _BULLET_START.match(text, position):
        return True
    if char in _OPENERS and position + 1 < len(text):
        following = text[position + 1]
        return following.isupper() or following.isdigit()
    return False


def _is_abbreviation(text: str, dot: int, next_char: str, rules: _Rules) -> bool:
    """Whether the period at `dot` closes an abbreviation or an initial rather than a sentence."""
    word = _previous_word(text, dot)
    if not word:
        return False
    dotted = word + "."
    if dotted in rules.abbreviations or (dotted in rules.before_number and next_char.isdigit()):
        return True
    if _INITIALISM.fullmatch(word):  # e.g, i.e, u.s written without the final dot in the list
        return True
    # A single capital letter before a capitalised word is an initial ("J. Smith").
    return len(word) == 1 and text[dot - 1].isupper() and next_char.isupper()


def _is_list_number(text: str, dot: int) -> bool:
    """Whether the period at `dot` ends a list or heading number opening a line ("2. Methods")."""
    start = dot
    while start > 0 and text[start - 1].isdigit():
        start -= 1
    if start == dot or dot - start > 2:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def _punctuation_cuts(text: str, rules: _Rules) -> list[int]:
    cuts = []
    for match in _TERMINAL.finditer(text):
        following = _next_visible(text, match.end())
        if not _starts_sentence(text, following):
            continue
        punctuation = text[match.start() : match.end()]
        if punctuation == "." and _is_list_number(text, match.start()):
            continue
        if (
            punctuation.startswith(".")
            and not punctuation.startswith("..")
            and _is_abbreviation(text, match.start(), text[following], rules)
        ):
            continue
        cuts.append(match.end())
    return cuts


def _line_break_cuts(text: str, rules: _Rules) -> list[int]:
    """Cuts at line breaks that end a heading, a caption or a bullet; wrapped lines are joined."""
    cuts = []
    for match in _LINE_BREAK.finditer(text):
        before, after = match.start(), match.end()
        if before == 0 or after >= len(text):
            continue
        last, first = text[before - 1], text[after]
        if last in ".!?" or (last in _CLOSERS and text[before - 2 : before - 1] in (".", "!", "?")):
            continue  # decided by the punctuation rule
        if _BULLET_START.match(text, after):
            cuts.append(after)
            continue
        if first.islower() or first in _CONTINUATION_START:
            continue
        if first in "([" and after + 1 < len(text) and text[after + 1].isdigit():
            continue  # a citation on the next line: "... 10 months\n[3]."
        if last in ",;-/&(" or last in _DASHES:
            continue
        if _previous_word(text, before).rstrip(",;") in rules.continuation_words:
            continue
        cuts.append(after)
    return cuts


def _inline_list_cuts(text: str) -> list[int]:
    """Cuts after the last item of a list written on one line (two items or more), where a
    new sentence was glued to it: "... - Fatigue - Low blood pressure Lab tests can confirm"."""
    cuts = []
    markers = [m.end() for m in _INLINE_ITEM.finditer(text)]
    for index, start in enumerate(markers):
        stop = _ITEM_END.search(text, start)
        end = stop.start() if stop else len(text)
        if index + 1 < len(markers) and markers[index + 1] <= end:
            continue  # not the last item: the next marker ends it
        if index == 0 or _ITEM_END.search(text, markers[index - 1], start):
            continue  # a single dash, not a list
        for found in _GLUED_AFTER_ITEM.finditer(text, start, end):
            before = text[text.rfind(" ", 0, found.start() - 1) + 1 : found.start() - 1]
            if before[:1].islower() and before.lower() not in _BEFORE_PROPER_NOUN:
                cuts.append(found.start())
                break
    return cuts


def _clean(segment: str) -> str:
    segment = _HYPHEN_BREAK.sub("", segment)
    return _WHITESPACE.sub(" ", segment).strip()


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences with offsets; drops only blank or symbol-only stretches."""
    if not text:
        return []
    rules = _rules()
    cuts = set(_punctuation_cuts(text, rules))
    cuts.update(_line_break_cuts(text, rules))
    cuts.update(match.start() for match in _GLUED.finditer(text))
    cuts.update(match.end() for match in _GLUED_REFERENCE.finditer(text))
    cuts.update(match.start() for match in _GLUED_QUESTION.finditer(text))
    cuts.update(_inline_list_cuts(text))
    sentences = []
    previous = 0
    for cut in [*sorted(cuts), len(text)]:
        start, end = previous, cut
        previous = cut
        start = _next_visible(text, start)
        if bullet := _LEADING_BULLET.match(text, start, end):
            start = _next_visible(text, bullet.end())
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        body = text[start:end]
        if not any(char.isalnum() for char in body):
            continue
        sentences.append(Sentence(_clean(body), start, end))
    return sentences
