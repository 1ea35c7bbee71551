"""`Matcher`: finds lexicon names in a text; longest match wins, only on whole tokens.

The text is tokenised and normalised like the lexicon (see tokens.py), the token forms are joined
with single spaces, and an Aho-Corasick automaton (pyahocorasick) of `" " + key + " "` patterns
finds every name in one pass; the spaces make every hit start and end on a token boundary. Hits are
then chosen longest first, left to right, without overlaps. Offsets come back from the tokens, so
normalisation never loses track of the original text.

Two refinements: a name whose words come in another order ("brachydactyly type A1" for "Type A1
brachydactyly", "hypoplasia of the corpus callosum" for "Corpus callosum hypoplasia") is found by
comparing the sorted words of short windows with the sorted words of multi-word names; and inside a
chosen disease name, the findings it names ("brachydactyly" in "Brachydactyly, type A1") are
reported too, and so are the more general findings named inside a finding's name ("vestibular
schwannoma" in "bilateral vestibular schwannoma"): the text says them as well. Coordinated names share their head: "cleft lip or palate" also names
"cleft palate", "renal and hepatic cysts" also names "hepatic cysts" (`distributed` matches, kept
where they overlap nothing chosen).
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick

from dxatlas.recognize.lexicon import Lexicon
from dxatlas.recognize.mention import Kind
from dxatlas.recognize.tokens import Token, tokenize


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon name found in the text: `start:end` are character offsets of the original text."""

    start: int
    end: int
    key: str
    first_token: int  # index in the token list (stop words included)
    last_token: int
    via: str = "lexicon"  # or "inside-disease-name", "inside-finding-name", "coordination"


def _automaton(keys: list[str]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(f" {key} ", key)
    automaton.make_automaton()
    return automaton


class Matcher:
    """Longest, token-aligned, non-overlapping matches of a lexicon's names."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._base = _automaton(list(lexicon.keys))
        self._base_keys = len(lexicon.keys)
        self._extra: ahocorasick.Automaton | None = None
        self._extra_keys: set[str] = set()
        self._base_key_set: set[str] | None = None
        self._bags: dict[str, str] = {}
        self._bag_vocabulary: set[str] = set()
        self._bag_keys = 0
        self._max_bag = 0

    def _refresh(self) -> None:
        """Index names added to the lexicon after the matcher was built (user concepts)."""
        if len(self.lexicon.keys) == self._base_keys + len(self._extra_keys):
            return
        if self._base_key_set is None:
            # Keys present when the base automaton was built (dicts keep insertion order).
            self._base_key_set = set(list(self.lexicon.keys)[: self._base_keys])
        self._extra_keys = {key for key in self.lexicon.keys if key not in self._base_key_set}
        self._extra = _automaton(sorted(self._extra_keys))

    def _refresh_bags(self) -> None:
        """Index multi-word names by their sorted words (for names written in another order)."""
        if self._bag_keys == len(self.lexicon.keys):
            return
        for key in list(self.lexicon.keys)[self._bag_keys :]:
            words = key.split(" ")
            if len(words) < 2:
                continue
            bag = " ".join(sorted(words))
            self._bags.setdefault(bag, key)
            self._bag_vocabulary.update(words)
            self._max_bag = max(self._max_bag, len(words))
        self._bag_keys = len(self.lexicon.keys)

    def tokens(self, text: str) -> list[Token]:
        """The tokens of `text`, normalised like the lexicon."""
        return tokenize(text, self.lexicon.normalizer)

    def find(
        self, text: str, tokens: list[Token] | None = None, sentence_of: list[int] | None = None
    ) -> list[Match]:
        """Every chosen match in `text`, in text order.

        `sentence_of` gives each token's sentence number; no match spans two sentences.
        """
        self._refresh()
        self._refresh_bags()
        if tokens is None:
            tokens = self.tokens(text)
        kept = [i for i, token in enumerate(tokens) if token.norm]
        if not kept:
            return []
        pieces = []
        parts = [" "]
        boundary = [False] * len(kept)
        starts: dict[int, int] = {}
        position = 1
        for n, i in enumerate(kept):
            if n and sentence_of is not None and sentence_of[i] != sentence_of[kept[n - 1]]:
                boundary[n] = True
                parts.append("| ")  # no name contains "|", so no match runs across it
                position += 2
            starts[position] = n
            form = tokens[i].norm
            pieces.append(form)
            parts.append(form + " ")
            position += len(form) + 1
        haystack = "".join(parts)
        candidates: list[tuple[int, int, str]] = []  # (first, last) in `kept` numbering, key
        for automaton in (self._base, self._extra):
            if automaton is None:
                continue
            for end_index, key in automaton.iter(haystack):
                first = starts[end_index - len(key)]
                candidates.append((first, first + key.count(" "), key))
        candidates.extend(self._bag_candidates(pieces, boundary))
        chosen = _longest_first(candidates, len(kept))
        nested = self._nested_findings(chosen, candidates)
        separators = [
            _separator(text[tokens[kept[n - 1]].end : tokens[kept[n]].start]) if n else False
            for n in range(len(kept))
        ]
        distributed = self._distributed(chosen, pieces, separators, boundary)
        taken = bytearray(len(kept))
        for a, b, _ in chosen:
            taken[a : b + 1] = b"\x01" * (b - a + 1)
        for a, b, key in distributed:
            if not any(taken[a : b + 1]):
                taken[a : b + 1] = b"\x01" * (b - a + 1)
                nested.append((a, b, key, "coordination"))
        return [
            Match(tokens[kept[a]].start, tokens[kept[b]].end, key, kept[a], kept[b], via)
            for a, b, key, via in sorted([(a, b, key, "lexicon") for a, b, key in chosen] + nested)
        ]

    def _distributed(
        self,
        chosen: list[tuple[int, int, str]],
        forms: list[str],
        separators: list[bool],
        boundary: list[bool],
    ) -> list[tuple[int, int, str]]:
        """Names completed by a coordinated neighbour: "A, B and C <head>" and "<head> A or B"."""
        keys = self.lexicon.keys
        found = []
        for first, last, _ in chosen:
            if last == first:
                continue
            # Head after: "renal and hepatic cysts" -> "renal cysts" (walk left over the list).
            tail = forms[first + 1 : last + 1]
            n = first - 1
            while (
                n >= 0 and not boundary[n + 1] and (forms[n] in CONJUNCTIONS or separators[n + 1])
            ):
                if forms[n] in CONJUNCTIONS:
                    n -= 1
                if n < 0 or forms[n] in CONJUNCTIONS:
                    break
                candidate = " ".join([forms[n], *tail])
                if candidate not in keys:
                    break
                found.append((n, n, candidate))
                n -= 1
            # Head before: "cleft lip or palate" -> "cleft palate" (walk right over the list).
            head = forms[first:last]
            n = last + 1
            while (
                n < len(forms) and not boundary[n] and (forms[n] in CONJUNCTIONS or separators[n])
            ):
                if forms[n] in CONJUNCTIONS:
                    n += 1
                if n >= len(forms) or forms[n] in CONJUNCTIONS:
                    break
                candidate = " ".join([*head, forms[n]])
                if candidate not in keys:
                    break
                found.append((n, n, candidate))
                n += 1
        return found

    def _bag_candidates(self, forms: list[str], boundary: list[bool]) -> list[tuple[int, int, str]]:
        """Windows of 2+ words (within a sentence) whose sorted words are a multi-word name's."""
        found = []
        vocabulary = self._bag_vocabulary
        for i in range(len(forms)):
            if forms[i] not in vocabulary:
                continue
            stop = min(len(forms), i + self._max_bag)
            j = i + 1
            while j < stop and forms[j] in vocabulary and not boundary[j]:
                key = self._bags.get(" ".join(sorted(forms[i : j + 1])))
                if key is not None:
                    found.append((i, j, key))
                j += 1
        return found

    def _nested_findings(
        self, chosen: list[tuple[int, int, str]], candidates: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str, str]]:
        """Findings named inside chosen names, longest first, without overlaps.

        Inside a curated disease name every finding counts ("Brachydactyly, type A1"); inside a
        finding's name only its ancestors do ("vestibular schwannoma" in "bilateral vestibular
        schwannoma", but not "lip" findings in "cleft lip").
        """
        lexicon = self.lexicon
        concepts, keys = lexicon.concepts, lexicon.keys
        found: list[tuple[int, int, str, str]] = []
        for first, last, key in chosen:
            outer = concepts[keys[key][0][1]]
            if lexicon.is_curated_disease(key):
                via, ancestors = "inside-disease-name", None
            elif outer.kind == Kind.FINDING:
                via, ancestors = "inside-finding-name", lexicon.ancestors(outer.id)
            else:
                continue
            inner = []
            for candidate in candidates:
                if not (first <= candidate[0] and candidate[1] <= last) or candidate[2] == key:
                    continue
                concept = concepts[keys[candidate[2]][0][1]]
                if concept.kind == Kind.FINDING and (ancestors is None or concept.id in ancestors):
                    inner.append(candidate)
            found.extend((a, b, k, via) for a, b, k in _longest_first(inner, last + 1))
        return found


CONJUNCTIONS = frozenset({"and", "or"})


def _separator(gap: str) -> bool:
    """True when the text between two tokens separates list items (a comma or a slash)."""
    return "," in gap or "/" in gap


def _longest_first(candidates: list[tuple[int, int, str]], n: int) -> list[tuple[int, int, str]]:
    """Pick non-overlapping candidates: most tokens first, then leftmost; return in text order."""
    taken = bytearray(n)
    chosen = []
    for first, last, key in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if any(taken[first : last + 1]):
            continue
        taken[first : last + 1] = b"\x01" * (last - first + 1)
        chosen.append((first, last, key))
    chosen.sort()
    return chosen
