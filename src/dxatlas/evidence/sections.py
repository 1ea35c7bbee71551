"""Which concept-page section a sentence belongs to, decided by the sentence's own content.

The rules are weighted cues kept in a JSON file per language,
`dxatlas/evidence/data/<lang>/section_cues.json`, so a clinician can review them without reading
code: terms (words, `*` stems, phrases), word endings (INN drug stems, -ectomy, -scopy, -algia)
and regular expressions for syntactic frames ("is caused by", "is treated with", "symptoms
include"). Each cue that occurs in a sentence adds its weight to its section, once. Frames are
strong; topic words (findings, drugs, tests, genes) are grouped and each group is capped, so a
list of symptoms cannot outvote "side effects include". Term matches compete for their words
like a longest-match tokenizer ("reduce the risk" is not also "risk"). The best section wins
when its total reaches the file's `min_score` and beats the total of the boilerplate ("none")
cues. The result names the cues that fired, so a page can say why.

The caller may also pass what a concept recogniser found in the sentence, as plain
`SentenceMention` tuples `(kind, assertion, concept_id, text)`: several asserted findings make a
list of signs and symptoms, a named test points to the workup, a drug to treatment, a mode of
inheritance to etiology. These mention cues are in the same JSON file (`mention_cues`) and share
the caps of the word cues on the same topic. This module does not import the recogniser: the
tuples are its whole interface.

Term cues are indexed by their first word and pattern cues by a word they need, so the cost of a
sentence grows with its length, not with the number of cues (about 20,000 sentences per second
of CPU).

By default the rules are combined with a small linear text model trained on MedQuAD
(`dxatlas.evidence.section_model`, turned off by the `section_model` setting): the rules'
answer stands where it is strong (a strong cue or a frame, a boilerplate verdict, overview and
pathophysiology), and elsewhere the model's section is taken when it is sure enough (its
`Combination`, chosen by `bench/train_section_model.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Final, NamedTuple

from dxatlas.evidence.section_model import SectionModel, load_section_model

__all__ = [
    "SECTIONS",
    "Classification",
    "Cue",
    "CueSet",
    "MentionCue",
    "SectionClassifier",
    "SentenceMention",
    "classify_sentence",
    "load_cues",
]

SECTIONS: Final[tuple[str, ...]] = (
    "overview",
    "presentation",
    "workup",
    "treatment",
    "prognosis",
    "etiology",
    "epidemiology",
    "pathophysiology",
    "prevention",
)
NONE: Final = "none"
FRAME_MIN_WEIGHT = 2.0
"""The weight from which a pattern cue is a frame that states the relation ("is caused by",
"is treated with": 2 typical, 3 nearly decisive in the cue file's scale) and lets the rules'
answer stand beside the section model. A lighter pattern ("people with X ...", "may have") is a
hint like a word: the section model may overrule it."""
CONCEPT_PLACEHOLDER: Final = "xconceptx"

_SPACE = re.compile(r"\s+")


_TOKEN = re.compile(r"[^\W_]+")
_TERM_WORD = re.compile(r"[^\W_]+\*?")


def tokenize(text: str) -> list[str]:
    """The words of prepared text as term cues see them: runs of letters and digits."""
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True, eq=False)
class Cue:
    """One rule: a term (a sequence of words) or a pattern, its section, weight and name.

    A term cue has `words`, each an exact word or a stem ending in `*`, matched on consecutive
    tokens; a suffix cue has `suffixes`, one of which ends a word after at least `min_stem`
    letters (the words in its `exceptions` excepted); a pattern cue has a compiled `pattern` matched on the prepared text, tried only
    when one of its `anchors` occurs there (a cheap pre-filter: a word-like anchor must begin
    a word, any other must occur anywhere).
    `group` names the cue file entry the cue came from (its number; an entry's `max` caps
    it) and `shared` the named group the entry belongs to (`group_caps` caps it): a cap
    limits the weight all the cues of an entry or group together add to one sentence.
    """

    section: str
    name: str
    weight: float
    pattern: re.Pattern[str] | None = None
    anchors: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    group: str = ""
    shared: str = ""
    suffixes: tuple[str, ...] = ()
    min_stem: int = 3
    exceptions: frozenset[str] = frozenset()

    def fires(self, text: str) -> bool:
        """Whether the cue occurs in `text` (prepared: lower-cased, concept name replaced)."""
        if self.suffixes:
            return any(self.ends_word(token) for token in tokenize(text))
        if self.pattern is None:
            tokens = tokenize(text)
            return any(_words_match(tokens, start, self.words) for start in range(len(tokens)))
        if self.anchors and not any(anchor in text for anchor in self.anchors):
            return False
        return self.pattern.search(text) is not None

    def ends_word(self, token: str) -> bool:
        """Whether `token` (or its singular, without a final s) ends in one of the cue's
        suffixes after `min_stem` letters, and is not one of its `exceptions`."""
        if token in self.exceptions:
            return False
        if token.endswith("s") and not token.endswith(self.suffixes):
            token = token[:-1]  # a plural: "statins" ends in -statin
        if not token.endswith(self.suffixes):
            return False
        return any(
            token.endswith(suffix) and len(token) - len(suffix) >= self.min_stem
            for suffix in self.suffixes
        )


def _word_matches(token: str, word: str) -> bool:
    return token.startswith(word[:-1]) if word.endswith("*") else token == word


def _words_match(tokens: list[str], start: int, words: Sequence[str]) -> bool:
    """Whether `words` (exact or `*` stems) occur in `tokens` from `start` on."""
    if start + len(words) > len(tokens):
        return False
    return all(_word_matches(tokens[start + offset], word) for offset, word in enumerate(words))


class SentenceMention(NamedTuple):
    """A concept recognised in the sentence, as the classifier needs it (a plain tuple).

    `kind` is "finding", "disease" or "modifier", or for other concepts their category ("test",
    "procedure", "drug", "organism", "anatomy"); `assertion` is "asserted", "negated",
    "uncertain" or "family"; `concept_id` e.g. "HP:0001250"; `text` the words that named it
    (optional: a mention whose words lie inside the concept's own name is not counted).
    """

    kind: str
    assertion: str
    concept_id: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class MentionCue:
    """A rule on the recognised mentions: enough distinct matching concepts add weight to a section.

    A mention matches when its kind is in `kinds`, its assertion in `assertions`, and (when
    `ids` is not empty) its concept id in `ids`, and its id is not in `exclude_ids`. With `n`
    distinct matching concepts and `n >= min_count`, the cue adds
    `min(weight + per_extra * (n - min_count), max_weight)`, within the cap of its `shared`
    group (e.g. findings named by words and by mentions share one cap).
    """

    section: str
    name: str
    weight: float
    kinds: frozenset[str]
    assertions: frozenset[str]
    ids: frozenset[str] = frozenset()
    exclude_ids: frozenset[str] = frozenset()
    min_count: int = 1
    per_extra: float = 0.0
    max_weight: float | None = None
    shared: str = ""

    def matches(self, mention: SentenceMention) -> bool:
        """Whether one mention is of the kind, assertion and id this cue counts."""
        return (
            mention.kind in self.kinds
            and mention.assertion in self.assertions
            and (not self.ids or mention.concept_id in self.ids)
            and mention.concept_id not in self.exclude_ids
        )

    def weight_for(self, count: int) -> float:
        """The weight added for `count` distinct matching concepts (0 below `min_count`)."""
        if count < self.min_count:
            return 0.0
        weight = self.weight + self.per_extra * (count - self.min_count)
        return weight if self.max_weight is None else min(weight, self.max_weight)


@dataclass(frozen=True, slots=True)
class CueSet:
    """The cues of one language, with the decision threshold and the tie-break order.

    `group_caps` maps a group (of word or mention cues) to the most weight its cues together
    may add to one sentence.
    """

    language: str
    cues: tuple[Cue, ...]
    min_score: float
    priority: tuple[str, ...]
    mention_cues: tuple[MentionCue, ...] = ()
    group_caps: Mapping[str, float] = field(default_factory=dict)

    def sections(self) -> set[str]:
        """Every section (and `none`) that some word cue points to."""
        return {cue.section for cue in self.cues}


@dataclass(frozen=True, slots=True)
class Classification:
    """The section of one sentence (None when no section fits), why, and how sure.

    `score` is the winning section's total weight; `confidence` its share of all the weight
    that fired (1.0 = every cue agreed); `cues` the names of the cues that fired for it;
    `scores` every section's total, for inspection; `boilerplate` the total weight of the
    boilerplate ("none") cues that fired; `framed` whether a frame (a pattern cue: "is caused
    by", "is treated with") voted for the section. When the section model decided (`source`
    "model"), `score` and `confidence` are its probability and `cues` is ("section model",).
    `probability` is the model's probability for the section when the model chose it or agreed
    with the rules (None otherwise).
    """

    section: str | None
    score: float
    confidence: float
    cues: tuple[str, ...]
    scores: Mapping[str, float] = field(default_factory=dict)
    boilerplate: float = 0.0
    framed: bool = False
    source: str = "rules"
    probability: float | None = None


def _term_words(term: str) -> tuple[str, ...]:
    """A cue term as words: split at spaces and hyphens, a trailing `*` kept (= any ending)."""
    words = tuple(_TERM_WORD.findall(term.lower()))
    if not words:
        raise ValueError(f"the cue term {term!r} has no word")
    return words


class _Entries:
    """Compiles cue file entries: each entry is a group (capped by its `max`), and may belong
    to a named group shared with other entries and mention cues (capped in `group_caps`)."""

    def __init__(self, caps: Mapping[str, float]) -> None:
        self.cues: list[Cue] = []
        self.caps: dict[str, float] = {str(name): float(cap) for name, cap in caps.items()}
        self.count = 0

    def add(self, section: str, entries: Iterable[Mapping[str, Any]]) -> None:
        for entry in entries:
            group = f"#{self.count}"
            shared = str(entry.get("group") or "")
            self.count += 1
            weight = float(entry["weight"])
            if "max" in entry:
                self.caps[group] = float(entry["max"])
            if "terms" in entry:
                for term in entry["terms"]:
                    words = _term_words(term)
                    cue = Cue(section, term, weight, words=words, group=group, shared=shared)
                    self.cues.append(cue)
            elif "suffixes" in entry:
                suffixes = tuple(suffix.lower() for suffix in entry["suffixes"])
                name = str(entry.get("name") or "word ending in " + "/".join(suffixes))
                min_stem = int(entry.get("min_stem", 3))
                exceptions = frozenset(word.lower() for word in entry.get("except", ()))
                cue = Cue(
                    section,
                    name,
                    weight,
                    group=group,
                    shared=shared,
                    suffixes=suffixes,
                    min_stem=min_stem,
                    exceptions=exceptions,
                )
                self.cues.append(cue)
            elif "regex" in entry:
                anchors = tuple(anchor.lower() for anchor in entry.get("anchors", ()))
                name = str(entry.get("name") or entry["regex"])
                pattern = re.compile(entry["regex"])
                cue = Cue(section, name, weight, pattern, anchors, group=group, shared=shared)
                self.cues.append(cue)
            else:
                raise ValueError(f"a {section} cue has no 'terms', 'suffixes' or 'regex': {entry}")


def _compile_mention_cues(entries: Iterable[Mapping[str, Any]]) -> list[MentionCue]:
    cues: list[MentionCue] = []
    for entry in entries:
        section = str(entry["section"])
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section!r} in a mention cue")
        max_weight = entry.get("max_weight")
        cues.append(
            MentionCue(
                section=section,
                name=str(entry["name"]),
                weight=float(entry["weight"]),
                kinds=frozenset(entry["kinds"]),
                assertions=frozenset(entry.get("assertions", ("asserted",))),
                ids=frozenset(entry.get("ids", ())),
                exclude_ids=frozenset(entry.get("exclude_ids", ())),
                min_count=int(entry.get("min_count", 1)),
                per_extra=float(entry.get("per_extra", 0.0)),
                max_weight=None if max_weight is None else float(max_weight),
                shared=str(entry.get("group") or ""),
            )
        )
    return cues


def parse_cues(data: Mapping[str, Any]) -> CueSet:
    """Build a `CueSet` from the parsed JSON of a cue file; `ValueError` on an unknown section."""
    entries = _Entries(data.get("group_caps", {}))
    for section, body in data["sections"].items():
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section!r} in the cue file")
        entries.add(section, body["cues"])
    entries.add(NONE, data.get("none", {}).get("cues", ()))
    priority = tuple(data.get("priority", SECTIONS))
    if set(priority) != set(SECTIONS):
        raise ValueError("the cue file's 'priority' must list each of the nine sections once")
    return CueSet(
        language=str(data.get("language", "en")),
        cues=tuple(entries.cues),
        min_score=float(data.get("min_score", 1.0)),
        priority=priority,
        mention_cues=tuple(_compile_mention_cues(data.get("mention_cues", {}).get("cues", ()))),
        group_caps=entries.caps,
    )


@lru_cache(maxsize=8)
def load_cues(language: str = "en") -> CueSet:
    """The packaged cue set of `language`, read and compiled once per process."""
    path = resources.files("dxatlas.evidence").joinpath("data", language, "section_cues.json")
    return parse_cues(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=4096)
def _concept_pattern(concept: str) -> re.Pattern[str] | None:
    words = concept.lower().split()
    if not words:
        return None
    last = words[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        words[-1] = last[:-1]  # "Thalassemias" is also named "thalassemia"
    joined = r"[\s-]+".join(re.escape(word) for word in words)
    return re.compile(r"\b" + joined + r"(?:s|es)?\b")  # "arrhythmias" is the concept too


@lru_cache(maxsize=4096)
def _acronym_pattern(concept: str) -> re.Pattern[str] | None:
    """The concept's initials as texts abbreviate it ("Cystic Fibrosis" -> "CF"), matched
    in capitals only (so "as" or "it" is never taken for one), with or without a plural s."""
    initials = "".join(word[0] for word in re.findall(r"[^\W_]+", concept) if word[0].isalpha())
    if len(initials) < 2:
        return None
    return re.compile(r"\b" + re.escape(initials.upper()) + r"s?\b")


# A term cue that may start at a token, the words that must follow it, and whether any of them
# is a stem (if not, one list comparison checks them all).
_Start = tuple[Cue, list[str], bool]
_CACHE_LIMIT: Final = 200_000


def _model_of(model: SectionModel | bool | None, cues: CueSet | None) -> SectionModel | None:
    """The section model a classifier uses: None (rules only), the packaged one or `model`.

    By default (None) the packaged model goes with the packaged cues only, as its features
    include their answer, and only while the `section_model` setting is on.
    """
    if isinstance(model, SectionModel):
        return model
    if model is None:
        from dxatlas.settings import get_settings

        model = cues is None and get_settings().section_model
    language = cues.language if cues is not None else "en"
    return load_section_model(language) if model else None


class SectionClassifier:
    """Classifies sentences into page sections with one language's cue set and, unless turned
    off, the section model (`dxatlas.evidence.section_model`); pure, no I/O after loading.

    Term cues are indexed by their first word (exact words in a dict, stems by prefix), so a
    sentence costs one lookup per token, whatever the number of cues; what a token can start
    is cached per token.
    """

    def __init__(
        self, cues: CueSet | None = None, model: SectionModel | bool | None = None
    ) -> None:
        """`model`: a `SectionModel`, True (the language's packaged model), False (the rules
        alone) or None: the packaged model with the packaged cues (`cues` None) unless the
        `section_model` setting is off, else the rules alone."""
        self.model = _model_of(model, cues)
        self.cues = cues if cues is not None else load_cues()
        self.combination = self.model.combination if self.model is not None else None
        self._rank = {section: index for index, section in enumerate(self.cues.priority)}
        self._exact: dict[str, list[_Start]] = {}
        self._stems: dict[str, list[_Start]] = {}
        self._suffix_cues: list[Cue] = []
        # Pattern cues: by a word their anchor begins (`_anchors`), by a substring anchor
        # (`_substrings`), or tried on every sentence (`_always`).
        self._anchors: dict[str, list[Cue]] = {}
        substrings: dict[str, list[Cue]] = {}
        always: list[Cue] = []
        for cue in self.cues.cues:
            if cue.suffixes:
                self._suffix_cues.append(cue)
            elif cue.pattern is not None:
                if not cue.anchors:
                    always.append(cue)
                for anchor in cue.anchors:
                    word = anchor.strip().split(" ")[0]
                    if word and _TOKEN.fullmatch(word):
                        self._anchors.setdefault(word, []).append(cue)
                    else:
                        substrings.setdefault(anchor, []).append(cue)
            else:
                first, rest = cue.words[0], list(cue.words[1:])
                start = (cue, rest, any(word.endswith("*") for word in rest))
                if first.endswith("*"):
                    self._stems.setdefault(first[:-1], []).append(start)
                else:
                    self._exact.setdefault(first, []).append(start)
        self._stem_lengths = sorted({len(stem) for stem in self._stems})
        self._anchor_lengths = sorted({len(anchor) for anchor in self._anchors})
        self._substrings = tuple((anchor, tuple(group)) for anchor, group in substrings.items())
        self._always = tuple(always)
        self._starts: dict[str, tuple[tuple[_Start, ...], tuple[Cue, ...]]] = {}
        # The capped groups each cue's weight counts against (most cues: none).
        caps = self.cues.group_caps
        self._capped = {
            cue: tuple(group for group in (cue.group, cue.shared) if group in caps)
            for cue in self.cues.cues
        }
        self._capped_mentions = {
            cue.name: (cue.shared,) if cue.shared in caps else () for cue in self.cues.mention_cues
        }

    def _starts_of(self, token: str) -> tuple[tuple[_Start, ...], tuple[Cue, ...]]:
        """What `token` can start: term cues whose first word it matches, and pattern cues
        one of whose anchors it begins with (cached per token)."""
        found = self._starts.get(token)
        if found is not None:
            return found
        starts = list(self._exact.get(token, ()))
        for length in self._stem_lengths:
            if length > len(token):
                break
            starts.extend(self._stems.get(token[:length], ()))
        starts.extend((cue, [], False) for cue in self._suffix_cues if cue.ends_word(token))
        patterns: list[Cue] = []
        for length in self._anchor_lengths:
            if length > len(token):
                break
            patterns.extend(self._anchors.get(token[:length], ()))
        if len(self._starts) > _CACHE_LIMIT:
            self._starts.clear()
        found = self._starts[token] = (tuple(starts), tuple(patterns))
        return found

    def prepare(self, sentence: str, concept: str | None = None) -> str:
        """The text the cues see: lower-cased, whitespace collapsed, the concept name (and
        its initials, "CF" for "Cystic Fibrosis") masked."""
        text = _SPACE.sub(" ", sentence).strip()
        if concept:
            acronym = _acronym_pattern(concept)
            if acronym is not None:
                text = acronym.sub(CONCEPT_PLACEHOLDER, text)
        text = text.lower()
        if concept:
            pattern = _concept_pattern(concept)
            if pattern is not None:
                text = pattern.sub(CONCEPT_PLACEHOLDER, text)
        return text

    def fired_cues(self, text: str) -> list[Cue]:
        """The cues that occur in prepared `text`, each once.

        Term matches compete for their words, as in a longest-match tokenizer: a match that
        shares a word with a longer match of any section is dropped ("reduce the risk" is not
        also "risk"), and of two overlapping matches of one section only the longer (then the
        heavier) counts ("signs and symptoms" is not also "symptoms").
        """
        tokens = tokenize(text)
        matches: list[tuple[Cue, int, int]] = []
        candidates: dict[Cue, None] = dict.fromkeys(self._always)
        for index, token in enumerate(tokens):
            starts, patterns = self._starts_of(token)
            if patterns:
                candidates.update(dict.fromkeys(patterns))
            for cue, rest, stems in starts:
                if rest:
                    after = index + 1
                    if stems:
                        if not _words_match(tokens, after, rest):
                            continue
                    elif tokens[after : after + len(rest)] != rest:
                        continue
                matches.append((cue, index, index + 1 + len(rest)))
        fired: dict[Cue, None] = {}
        if matches:
            # Longest first, then heaviest: a token claimed by a longer match is taken, and
            # a token claimed by a match of the same section is taken for that section.
            matches.sort(key=lambda match: (match[1] - match[2], -match[0].weight))
            longest = [0] * len(tokens)
            claims: dict[int, set[str]] = {}
            for cue, start, end in matches:
                if cue in fired:
                    continue
                section = cue.section
                if end - start == 1:  # most matches: one word, checked without a loop
                    if longest[start] > 1 or section in claims.get(start, ()):
                        continue
                    longest[start] = max(longest[start], 1)
                    claims.setdefault(start, set()).add(section)
                    fired[cue] = None
                    continue
                length = end - start
                span = range(start, end)
                if any(longest[i] > length for i in span):
                    continue
                if any(section in claims.get(i, ()) for i in span):
                    continue
                for i in span:
                    longest[i] = max(longest[i], length)
                    claims.setdefault(i, set()).add(section)
                fired[cue] = None
        for anchor, group in self._substrings:
            if anchor in text:
                candidates.update(dict.fromkeys(group))
        for cue in candidates:
            if cue.pattern is not None and cue.pattern.search(text) is not None:
                fired[cue] = None
        return list(fired)

    def classify(
        self,
        sentence: str,
        concept: str | None = None,
        mentions: Iterable[SentenceMention | tuple[str, ...]] | None = None,
    ) -> Classification:
        """The section of `sentence`; `concept` is the name of the disease it is about, if known.

        Masking the concept name keeps words of the name ("hereditary", "cell") from voting,
        and lets a sentence that opens with the name and a copula read as a definition.
        `mentions` are the concepts a recogniser found in the sentence (see `SentenceMention`);
        without them only the words count. With a section model, the rules' answer is one of
        its features and the two are combined as its `Combination` says.
        """
        text = self.prepare(sentence, concept)
        rules = self.classify_prepared(text, concept, mentions)
        if self.model is None or self.combination is None:
            return rules
        if not self.combination.asks_model(rules):
            return rules
        model_section, probability = self.model.predict(text, rules.section)
        section = self.combination.choose(rules.section, model_section, probability)
        if section == rules.section:
            asked = round(probability, 3) if section == model_section else None
            return replace(rules, probability=asked)
        sure = round(probability, 3)
        return replace(
            rules,
            section=section,
            score=sure,
            confidence=sure,
            cues=("section model",),
            source="model",
            probability=sure,
        )

    def classify_prepared(
        self,
        text: str,
        concept: str | None = None,
        mentions: Iterable[SentenceMention | tuple[str, ...]] | None = None,
    ) -> Classification:
        """The rules' section of prepared `text` (see `prepare`), without the section model."""
        scores: dict[str, float] = {}
        fired: dict[str, list[str]] = {}
        used: dict[str, float] = {}
        caps = self.cues.group_caps
        votes: list[tuple[str, str, float, tuple[str, ...], bool]] = [
            (cue.section, cue.name, cue.weight, self._capped[cue], cue.pattern is not None)
            for cue in self.fired_cues(text)
        ]
        if mentions is not None and self.cues.mention_cues:
            votes.extend(
                (
                    cue.section,
                    f"mentions: {cue.name}",
                    weight,
                    self._capped_mentions[cue.name],
                    False,
                )
                for cue, weight in self._mention_weights(mentions, concept)
            )
        framed: set[str] = set()  # the sections a frame (a pattern cue, not a hint) voted for
        for section, name, weight, groups, frame in votes:
            frame = frame and weight >= FRAME_MIN_WEIGHT
            for group in groups:
                weight = min(weight, caps[group] - used.get(group, 0.0))
            if weight <= 0:
                continue
            for group in groups:
                used[group] = used.get(group, 0.0) + weight
            scores[section] = scores.get(section, 0.0) + weight
            fired.setdefault(section, []).append(name)
            if frame:
                framed.add(section)
        boilerplate = scores.pop(NONE, 0.0)
        total = sum(scores.values()) + boilerplate
        if not scores:
            why = tuple(fired.get(NONE, ()))
            return Classification(None, 0.0, 0.0, why, {}, boilerplate=boilerplate)
        best = min(scores, key=lambda section: (-scores[section], self._rank[section]))
        score = scores[best]
        if score < self.cues.min_score or boilerplate >= score:
            why = tuple(fired.get(NONE, ())) or tuple(fired[best])
            return Classification(None, score, 0.0, why, scores, boilerplate=boilerplate)
        confidence = round(score / total, 3)
        cues = tuple(fired[best])
        return Classification(
            best, score, confidence, cues, scores, boilerplate, framed=best in framed
        )

    def _mention_weights(
        self, mentions: Iterable[SentenceMention | tuple[str, ...]], concept: str | None
    ) -> list[tuple[MentionCue, float]]:
        """The mention cues that fire and their weights; a mention named by words of the
        concept, or by its initials, is skipped."""
        name = _SPACE.sub(" ", concept).strip().lower() if concept else ""
        acronym = _acronym_pattern(concept) if concept else None
        usable = []
        for raw in mentions:
            mention = raw if isinstance(raw, SentenceMention) else SentenceMention(*raw)
            words = _SPACE.sub(" ", mention.text).strip()
            if name and words and words.lower() in name:
                continue
            if acronym is not None and acronym.fullmatch(words):
                continue
            usable.append(mention)
        if not usable:
            return []
        weights = []
        for cue in self.cues.mention_cues:
            count = len({m.concept_id for m in usable if cue.matches(m)})
            weight = cue.weight_for(count)
            if weight > 0:
                weights.append((cue, weight))
        return weights


@lru_cache(maxsize=1)
def _default_classifier() -> SectionClassifier:
    return SectionClassifier()


def classify_sentence(
    sentence: str,
    concept: str | None = None,
    mentions: Iterable[SentenceMention | tuple[str, ...]] | None = None,
) -> Classification:
    """Classify one sentence with the English cues (see `SectionClassifier.classify`)."""
    return _default_classifier().classify(sentence, concept, mentions)
