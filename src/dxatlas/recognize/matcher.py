"""`Matcher`: finds lexicon names in a text; longest match wins, only on whole tokens.

The text is tokenised and normalised like the lexicon (see tokens.py), the token forms are joined
with single spaces, and an Aho-Corasick automaton (ahocorasick-rs) of `" " + key + " "` patterns
finds every name in one pass; the spaces make every hit start and end on a token boundary. Hits are
then chosen longest first, left to right, without overlaps. Offsets come back from the tokens, so
normalisation never loses track of the original text.

Refinements:

- Word order: a name of 2-5 words is also indexed under every rotation of its words, so "hypoplasia
  of the corpus callosum" finds "Corpus callosum hypoplasia" and "brachydactyly type A1" finds
  "Type A1 brachydactyly" in the same automaton pass. A rotated hit never spans a comma, semicolon
  or parenthesis ("global developmental delay, severe photosensitivity" is two findings). When a
  rotation is itself a disease name ("brachydactyly type C"), the rotated finding is found too.
- Lists: a name written without a comma never matches across a comma or semicolon ("branchial
  clefts, lip pits" names no cleft lip), and one written with a comma ("Global developmental
  delay, severe") gives way to a name running out of it across the comma.
- Nested names: inside a chosen disease name every finding it names is reported too
  ("brachydactyly" in "Brachydactyly, type C"), and inside a finding's name the more general
  findings named there, recursively ("bilateral vestibular schwannoma" also names "vestibular
  schwannoma" and "schwannoma"): the text says them as well.
- Coordination: coordinated names share their head: "cleft lip or palate" also names "cleft
  palate", "renal and hepatic cysts" also names "hepatic cysts", and a site after a two-item list
  completes its first item ("pain or tenderness in the leg" names leg pain; a two-word name is
  found in either word order) (`distributed` matches, kept where they overlap nothing chosen).
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import compress, islice, pairwise
from typing import NamedTuple

from ahocorasick_rs import AhoCorasick, MatchKind

from dxatlas.recognize.lexicon import SOURCE_RANK, Lexicon
from dxatlas.recognize.mention import Kind
from dxatlas.recognize.tokens import Scan, Token, scan, tokenize

MAX_ROTATED = 5  # names of 2..5 words are also found with their words rotated
RECENT_KEYS = 128  # added names indexed apart before all added names are indexed as one
_NO_REORDER = re.compile(r"[,;:()\[\]]")  # a rotated name never spans these
_LIST_COMMA = re.compile(r"[,;]|\s[-\u2013\u2014]\s")  # a spaced dash is a list bullet
_SEPARATOR = re.compile(r"[,/]")  # between list items


class Match(NamedTuple):
    """A lexicon name found in the text: `start:end` are character offsets of the original text.

    A named tuple (not a dataclass): a document makes many and a tuple is made fastest.
    """

    start: int
    end: int
    key: str
    first_token: int  # index in the token list (stop words included)
    last_token: int
    via: str = "lexicon"  # or "inside-disease-name", "inside-finding-name", "coordination"


Candidate = tuple[int, int, str, bool]  # first, last (content-word numbering), key, reordered


Pattern = tuple[str, int, bool, tuple[str, ...]]  # key, spaces in key, reordered, rotations


class _Automaton:
    """An Aho-Corasick automaton (ahocorasick-rs) of `" " + name + " "` patterns and a value per
    pattern: every occurrence, overlapping ones too, in one pass over a text."""

    def __init__(self, patterns: dict[str, Pattern]) -> None:
        names = sorted(patterns)
        self.names = patterns.keys()  # what it finds, to tell whether another automaton overlaps
        self.values = [patterns[name] for name in names]
        self.automaton = AhoCorasick([f" {name} " for name in names], matchkind=MatchKind.Standard)

    def iter(self, haystack: str) -> list[tuple[int, Pattern]]:
        """`(start, value)` of every occurrence; `start` is the offset of its leading space."""
        values = self.values
        return [
            (start, values[index])
            for index, start, _ in self.automaton.find_matches_as_indexes(
                haystack, overlapping=True
            )
        ]


def _patterns(
    keys: list[str], known: dict, carries: Callable[[str], bool] = bool
) -> tuple[dict[str, Pattern], set[str]]:
    """Patterns `key` -> (key, spaces in key, reordered, rotated names written the same way),
    plus the rotations of short names; and the known names that carry a rotated one along.

    A rotation that is itself a name for which `carries` is true ("brachydactyly type C" names a
    disease, and the findings inside a disease name are reported) keeps that name and carries the
    rotated one along ("Type C brachydactyly"), so both are found.
    """
    patterns: dict[str, Pattern] = {}
    also: dict[str, tuple[str, ...]] = {}  # a name -> further names it is a rotation of
    for key in keys:
        words = key.split(" ")
        if 2 <= len(words) <= MAX_ROTATED:
            for r in range(1, len(words)):
                if len(words[r]) == 1:
                    continue  # a designator never leads: "A brachydactyly type" is no name
                rotated = " ".join(words[r:] + words[:r])
                if rotated in known:
                    if rotated != key and carries(rotated):
                        also[rotated] = (*also.get(rotated, ()), key)
                else:
                    patterns.setdefault(rotated, (key, len(words) - 1, True, ()))
    for key in keys:
        patterns[key] = (key, key.count(" "), False, also.get(key, ()))
    return patterns, set(also)


def _automaton(
    keys: list[str], known: dict, carries: Callable[[str], bool] = bool
) -> _Automaton | None:
    """The automaton of `keys` and their rotations (see `_patterns`); None for no keys."""
    if not keys:
        return None
    return _Automaton(_patterns(keys, known, carries)[0])


# The automaton of a lexicon's keys takes a second to build: matchers of one lexicon share it.
_SHARED: weakref.WeakKeyDictionary[Lexicon, tuple[int, _Automaton | None]] = (
    weakref.WeakKeyDictionary()
)


class Matcher:
    """Longest, token-aligned, non-overlapping matches of a lexicon's names."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        shared = _SHARED.get(lexicon)
        if shared is None or shared[0] > len(lexicon.keys):
            shared = (
                len(lexicon.keys),
                _automaton(list(lexicon.keys), lexicon.keys, lexicon.is_curated_disease),
            )
            _SHARED[lexicon] = shared
        self._base_keys, self._base = shared
        # Names added to the lexicon after the base was built (user and literature concepts): most
        # in `_extra`, rebuilt now and then; the latest few in `_recent`, rebuilt as they come.
        self._keys = lexicon.keys
        self._extra: _Automaton | None = None
        self._extra_keys: list[str] = []
        self._recent: _Automaton | None = None
        self._recent_keys: list[str] = []
        # key -> (its best concept id, its role): read once while the lexicon is unchanged.
        self._roles: dict[str, tuple[str, str]] = {}
        self._roles_at = -1

    def _role(self, key: str) -> tuple[str, str]:
        """The best concept of a key and what it is here: a finding, a curated disease name (whose
        findings are reported too), another concept (a body part, a test...) or none of these."""
        rank, concept_id = self.lexicon.keys[key][0]
        kind = self.lexicon.concepts[concept_id].kind
        if kind == Kind.FINDING:
            role = _FINDING
        elif kind == Kind.DISEASE and rank // 10 == SOURCE_RANK[Kind.DISEASE]:
            role = _DISEASE_NAME
        elif kind == Kind.OTHER:
            role = _OTHER
        else:
            role = ""
        found = self._roles[key] = (concept_id, role)
        return found

    def _refresh(self) -> None:
        """Index names added to the lexicon after the matcher was built (user concepts).

        Rebuilding one automaton of every added name for each new concept cost a full MedQuAD
        ingest about a minute, so the latest names get a small automaton of their own and join
        the others once there are `RECENT_KEYS` of them. The two find exactly what one automaton
        of all added names would: when a recent pattern is also one of the others (a new name that
        is an older name's rotation, or a rotation both share), or a recent name's rotation is an
        older name that carries it, all are rebuilt as one.
        """
        keys = self.lexicon.keys
        seen = self._base_keys + len(self._extra_keys) + len(self._recent_keys)
        if keys is self._keys and len(keys) == seen:
            return
        if keys is not self._keys or len(keys) < seen:  # the lexicon was reset: start afresh
            self._keys = keys
            self._join(list(islice(keys, self._base_keys, None)))
            return
        # Keys are only ever added, and a dict keeps their order: the new ones are the last.
        added = list(islice(reversed(keys), len(keys) - seen))[::-1]
        recent = self._recent_keys + added
        if self._extra is None or len(recent) > RECENT_KEYS:
            self._join(self._extra_keys + recent)
            return
        patterns, carriers = _patterns(sorted(recent), keys, self.lexicon.is_curated_disease)
        if not self._extra.names.isdisjoint(patterns) or not carriers.isdisjoint(self._extra.names):
            self._join(self._extra_keys + recent)
            return
        self._recent_keys = recent
        self._recent = _Automaton(patterns)

    def _join(self, extra_keys: list[str]) -> None:
        """One automaton of every added name (sorted, as each rotation goes to the first name)."""
        self._extra_keys = extra_keys
        self._extra = _automaton(
            sorted(extra_keys), self.lexicon.keys, self.lexicon.is_curated_disease
        )
        self._recent_keys = []
        self._recent = None

    def tokens(self, text: str) -> list[Token]:
        """The tokens of `text`, normalised like the lexicon."""
        return tokenize(text, self.lexicon.normalizer)

    def scan(self, text: str) -> Scan:
        """The words of `text` as parallel lists, normalised like the lexicon (the fast path)."""
        return scan(text, self.lexicon.normalizer)

    def find(
        self, text: str, tokens: list[Token] | None = None, sentence_of: list[int] | None = None
    ) -> list[Match]:
        """Every chosen match in `text`, in text order.

        `sentence_of` gives each token's sentence number; no match spans two sentences.
        """
        if tokens is None:
            words = self.scan(text)
        else:
            words = Scan(
                [t.start for t in tokens],
                [t.end for t in tokens],
                [t.text for t in tokens],
                [t.norm for t in tokens],
            )
        cuts = []
        if sentence_of is not None:
            cuts = [i for i in range(1, len(sentence_of)) if sentence_of[i] != sentence_of[i - 1]]
        return self.find_scanned(text, words, cuts)

    def find_scanned(self, text: str, words: Scan, cuts: list[int]) -> list[Match]:
        """Every chosen match among scanned words; `cuts` are the word indices starting a sentence.

        A word whose form is empty (a stop word, or a word outside every sentence) is skipped.
        """
        self._refresh()
        if self._roles_at != self.lexicon.changes:
            self._roles.clear()
            self._roles_at = self.lexicon.changes
        kept = list(compress(range(len(words.norms)), words.norms))
        if not kept:
            return []
        pieces = list(filter(None, words.norms))
        boundary = [False] * len(kept)
        for cut in cuts:
            n = bisect_left(kept, cut)
            if 0 < n < len(kept):
                boundary[n] = True
        edges = [0, *compress(range(len(kept)), boundary), len(kept)]
        # " a b | c d ": "|" ends a sentence (no name contains it), so no match runs across it.
        haystack = " " + " | ".join(" ".join(pieces[a:b]) for a, b in pairwise(edges)) + " "
        starts, ends = words.starts, words.ends
        candidates: list[Candidate] = []
        for automaton in (self._base, self._extra, self._recent):
            if automaton is None:
                continue
            # The content word a hit starts at is the spaces before it, less one, less the "|"s:
            # counted on from the previous hit (hits come nearly in text order).
            mark, before = 0, -1
            for space, (key, spaces, reordered, rotations) in automaton.iter(haystack):
                at = space + 1
                if at >= mark:
                    before += haystack.count(" ", mark, at) - haystack.count("|", mark, at)
                else:
                    before -= haystack.count(" ", at, mark) - haystack.count("|", at, mark)
                mark = at
                first, last = before, before + spaces
                crosses = (reordered or rotations) and _NO_REORDER.search(
                    text, starts[kept[first]], ends[kept[last]]
                )
                if reordered and crosses:
                    continue
                candidates.append((first, last, key, reordered))
                if rotations and not crosses:
                    candidates.extend((first, last, rotated, True) for rotated in rotations)
        candidates = _drop_list_spanning(
            candidates, text, starts, ends, kept, self.lexicon.comma_keys
        )
        chosen = _longest_first(candidates, len(kept))
        nested = self._nested_findings(chosen, candidates)
        # Content words followed by a comma or slash (before the next content word).
        kept_starts = list(map(starts.__getitem__, kept))
        separated = {
            bisect_right(kept_starts, match.start()) - 1
            for match in _SEPARATOR.finditer(text, kept_starts[0], kept_starts[-1])
        }
        distributed = self._distributed(chosen, pieces, separated, boundary)
        if distributed:
            taken = bytearray(len(kept))
            # A one-word name ("skin" in "skin and genital anomalies", "swelling" in "leg pain
            # and swelling") gives way to the longer name the coordination completes it to.
            yielding = {}
            for candidate in chosen:
                a, b, key, _ = candidate
                taken[a : b + 1] = b"\x01" * (b - a + 1)
                if a == b:
                    yielding[a] = candidate
            for a, b, key in distributed:
                if a == b and a in yielding:
                    chosen.remove(yielding.pop(a))
                elif any(taken[a : b + 1]):
                    continue
                taken[a : b + 1] = b"\x01" * (b - a + 1)
                nested.append((a, b, key, "coordination"))
        return [
            Match(starts[kept[a]], ends[kept[b]], key, kept[a], kept[b], via)
            for a, b, key, via in sorted(
                [(a, b, key, "lexicon") for a, b, key, _ in chosen] + nested
            )
        ]

    def _distributed(
        self,
        chosen: list[Candidate],
        forms: list[str],
        separated: set[int],
        boundary: list[bool],
    ) -> list[tuple[int, int, str]]:
        """Names completed by a coordinated neighbour: "A, B and C <head>" and "<head> A or B".

        The shared head is the chosen name less its first word ("renal and hepatic cysts": "hepatic
        cysts" is the name) or the whole chosen name ("periventricular and perirolandic white matter
        changes": "white matter changes"). Every one-word item of the list is tried; only names
        are kept. `separated` holds the content words followed by a comma or slash. A body part's
        name lends its first words to no list ("small bowel, stomach, pancreas").
        """
        keys = self.lexicon.keys
        found: list[tuple[int, int, str]] = []
        count = len(forms)
        conjunctions = set(compress(range(count), map(CONJUNCTIONS.__contains__, forms)))
        if not conjunctions and not separated:
            return found
        # Content words n followed by "and", "or", "," or "/" in the same sentence: "listed".
        listed = {n for n in conjunctions | separated if 0 <= n < count - 1 and not boundary[n + 1]}

        def key_of(words: list[str]) -> str | None:
            """The lexicon key of `words`, or of a pair of them in the other order ("leg pain" for
            "pain ... leg": a name's two words are found in either order)."""
            candidate = " ".join(words)
            if candidate in keys:
                return candidate
            if len(words) == 2 and (swapped := f"{words[1]} {words[0]}") in keys:
                return swapped
            return None

        def walk_left(n: int, tail: list[str]) -> None:
            """Items left of content word n + 1, which starts a list item, each with `tail`."""
            for _ in range(MAX_LIST):
                if n not in listed:
                    return
                if n in conjunctions:
                    n -= 1
                if n < 0 or n in conjunctions:
                    return
                candidate = key_of([forms[n], *tail])
                if candidate is not None:
                    found.append((n, n, candidate))
                n -= 1

        concepts = self.lexicon.concepts
        for first, last, key, reordered in chosen:
            if reordered:
                continue
            if last > first and first - 1 in listed:
                # Head after: "renal and hepatic cysts" -> "renal cysts".
                walk_left(first - 1, forms[first + 1 : last + 1])
            # The whole name as the head: "thalamic and perirolandic white matter changes".
            if (
                first >= 2
                and first - 2 in listed
                and first - 1 not in conjunctions
                and first - 1 not in separated
            ):
                walk_left(first - 2, forms[first : last + 1])
            n = last + 1
            if last == first:
                # A site after a list of one-word items: "pain or tenderness in the leg" and
                # "warmth, swelling, pain and redness of the leg" -> "leg pain" (the other items
                # need not be names with the site).
                site = _site_after_list(first, count, conjunctions, separated, boundary)
                if (
                    site is not None
                    and (candidate := key_of([forms[first], forms[site]])) is not None
                ):
                    found.append((first, first, candidate))
                continue
            if n >= count or boundary[n]:
                continue
            if n not in conjunctions and last not in separated:
                continue
            if all(concepts[cid].kind == Kind.OTHER for _, cid in keys[key]):
                continue  # a body part's words: "small bowel, stomach" is no small stomach
            # Head before: "cleft lip or palate" -> "cleft palate" (walk right over the list).
            head = forms[first:last]
            while n < count and not boundary[n] and (n in conjunctions or n - 1 in separated):
                if n in conjunctions:
                    n += 1
                if n >= count or n in conjunctions:
                    break
                candidate = " ".join([*head, forms[n]])
                if candidate not in keys:
                    break
                found.append((n, n, candidate))
                n += 1
        # Items of a list of one-word items before the word they qualify, where the last item
        # and that word name nothing: "a swollen and tender leg" and "a swollen, tender knee"
        # ("tender leg" is no name, so the head-after rule above never sees the list).
        for first in range(count):
            if first - 1 in listed or first in conjunctions or first - 1 in conjunctions:
                continue  # inside a list (or a conjunction): its start was tried
            in_list = _list_before_site(first, count, conjunctions, separated, boundary)
            if in_list is None:
                continue
            items, site = in_list
            if any(forms[n] in _NOT_ITEMS for n in items):
                continue  # "a sample of blood or from urine"
            for item in items[:-1]:
                # In the order written only: "muscular, balloon-shaped" is no "shape muscle".
                tails = [forms[site : site + 1]]
                if site + 1 < count and not boundary[site + 1]:
                    tails.append(forms[site : site + 2])  # "swollen ... lymph nodes"
                for tail in tails:
                    candidate = " ".join([forms[item], *tail])
                    if candidate in keys:
                        found.append((item, item, candidate))
                        break
        return found

    def _nested_findings(
        self, chosen: list[Candidate], candidates: list[Candidate]
    ) -> list[tuple[int, int, str, str]]:
        """Findings named inside chosen names, longest first, recursively.

        Inside a curated disease name every finding counts ("Brachydactyly, type A1"), even one
        named by all its words; inside a finding's name only its ancestors do ("vestibular
        schwannoma" and "schwannoma" in "bilateral vestibular schwannoma", but not "lip" findings
        in "cleft lip"). A one-word name has no other name inside it.
        """
        lexicon = self.lexicon
        roles, role_of = self._roles, self._role
        found: list[tuple[int, int, str, str]] = []
        outers = [c for c in chosen if c[1] > c[0]]
        if not outers:
            return found
        findings = []  # (candidate, concept id) of the candidates naming findings
        for candidate in candidates:
            concept_id, role = roles.get(candidate[2]) or role_of(candidate[2])
            if role is _FINDING:
                findings.append((candidate, concept_id))
        if not findings:
            return found

        def inside(first: int, last: int, outer: str | None, via: str) -> None:
            if outer is not None and first == last:
                return  # a finding's one word names no other finding inside it
            ancestors = lexicon.ancestors(outer) if outer is not None else None
            inner = []
            for candidate, concept_id in findings:
                a, b = candidate[0], candidate[1]
                if a < first or b > last or (outer is not None and a == first and b == last):
                    continue
                if concept_id == outer:
                    continue
                if ancestors is None or concept_id in ancestors:
                    inner.append(candidate)
            for a, b, key, _ in _longest_first(inner, last + 1) if inner else ():
                found.append((a, b, key, via))
                inside(a, b, roles[key][0], "inside-finding-name")

        for first, last, key, _ in outers:
            concept_id, role = roles.get(key) or role_of(key)
            if role is _DISEASE_NAME:
                inside(first, last, None, "inside-disease-name")
            elif role is _FINDING:
                inside(first, last, concept_id, "inside-finding-name")
        return found


_FINDING, _DISEASE_NAME, _OTHER = "finding", "disease name", "other"  # roles of a key
CONJUNCTIONS = frozenset({"and", "or"})


def _site_after_list(
    first: int, count: int, conjunctions: set[int], separated: set[int], boundary: list[bool]
) -> int | None:
    """The content word right after the list of one-word items that starts at `first` ("leg" in
    "pain, swelling or redness of the leg"), or None when `first` starts no list."""
    found = _list_before_site(first, count, conjunctions, separated, boundary)
    return found[1] if found is not None else None


def _list_before_site(
    first: int, count: int, conjunctions: set[int], separated: set[int], boundary: list[bool]
) -> tuple[list[int], int] | None:
    """The one-word items of the list that starts at `first` and the content word right after
    it ("swollen", "tender" and "leg" in "a swollen and tender leg"), or None when `first`
    starts no list or nothing follows it in the sentence."""
    items, last = [first], first
    while True:
        if last + 1 in conjunctions and last + 2 < count and last + 2 not in conjunctions:
            step = 2  # "pain or tenderness"
        elif last in separated and last + 1 < count and last + 1 not in conjunctions:
            step = 1  # "pain, swelling"
        else:
            break
        if any(boundary[last + 1 : last + step + 1]):
            return None
        last += step
        items.append(last)
    site = last + 1
    if last == first or site >= count or boundary[site] or last in separated:
        return None
    return None if site in conjunctions else (items, site)


MAX_LIST = 4  # list items tried before a coordinated head
_NOT_ITEMS = frozenset({"a", "an", "as", "at", "by", "for", "from", "into", "on", "than", "to"})
"""Words the tokeniser keeps that are no item of a list of qualities ("blood or from urine")."""


def _drop_list_spanning(
    candidates: list[Candidate],
    text: str,
    starts: list[int],
    ends: list[int],
    kept: list[int],
    comma_keys: set[str],
) -> list[Candidate]:
    """Drop names matched across a comma, semicolon or spaced dash (a flattened list's bullet:
    "Itching eyes - Red and watery eyes"), which usually separate list items.

    A name written without one never spans one ("branchial clefts, lip pseudoclefts" names no
    cleft lip). A name written with one ("Global developmental delay, severe") gives way to
    another name running out of it across the comma: in "global developmental delay, severe
    photosensitivity", "severe photosensitivity" is the finding.
    """
    spanning = [
        c
        for c in candidates
        if c[1] > c[0] and _LIST_COMMA.search(text, starts[kept[c[0]]], ends[kept[c[1]]])
    ]
    if not spanning:
        return candidates
    dropped = set()
    for c in spanning:
        if c[2] not in comma_keys:
            dropped.add(c)
            continue
        first, last = c[0], c[1]
        for d in candidates:
            if (first < d[0] <= last < d[1]) or (d[0] < first <= d[1] < last):
                dropped.add(c)
                break
    return [c for c in candidates if c not in dropped] if dropped else candidates


def _longest_first(candidates: list[Candidate], n: int) -> list[Candidate]:
    """Pick non-overlapping candidates: most tokens first, then leftmost, then in text order
    before reordered; return them in text order."""
    taken = bytearray(n)
    chosen = []
    for candidate in sorted(candidates, key=lambda c: (c[0] - c[1], c[0], c[3])):
        first, last = candidate[0], candidate[1]
        if any(taken[first : last + 1]):
            continue
        taken[first : last + 1] = b"\x01" * (last - first + 1)
        chosen.append(candidate)
    chosen.sort()
    return chosen
