"""Whether a sentence is off-topic for a concept page: page furniture, or about another disease.

`judge_sentence` rejects what is never evidence, whatever the concept: reference-list entries,
journal and web boilerplate (copyright, licences, submission dates, correspondence, navigation,
review notes, sharing, cookies), author affiliations, figure and table captions and image
credits, headings, questions, and fragments too short or too long to stand alone. The cues are
data, `dxatlas/evidence/data/<lang>/boilerplate.json`, reviewable without code. The verdict
names its reason and the cue that fired.

`judge_topic` decides whether a sentence is about another disease than the page's concept, from
plain data the recogniser provides. The rule:

1. A sentence that names the page's concept (its name, a synonym or an abbreviation) is on
   topic, whatever other diseases it names: "leukemia cutis is more frequent in Down syndrome"
   is etiology, "leukemia cutis may mimic psoriasis" is workup.
2. A sentence whose recognised diseases include the page concept's id is on topic.
3. A sentence that names no disease at all is on topic: it continues the document's subject
   ("the lesions spread to the face").
4. A sentence whose diseases are all "related" to the concept (ids the caller counts as the same
   subject, such as its subtypes) is on topic.
5. Otherwise it names only other diseases and not the concept: it is about them, and off topic
   ("psoriasis is a chronic inflammatory disease" in an article on leukemia cutis).

Both functions are pure and need no I/O after the cue file is loaded once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "BoilerplateRules",
    "Reason",
    "Verdict",
    "judge_sentence",
    "judge_topic",
    "load_rules",
    "names_concept",
    "parse_rules",
]

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*\s*$")


class Reason(StrEnum):
    """Why a sentence is off-topic."""

    REFERENCE = "reference"  # an entry of a reference list
    BOILERPLATE = "boilerplate"  # copyright, licence, navigation, cookies, review notes ...
    AFFILIATION = "affiliation"  # an author's department or institution
    CAPTION = "caption"  # a figure or table caption, an image credit or alt text
    HEADING = "heading"  # a short title without sentence punctuation
    QUESTION = "question"  # asks rather than tells
    FRAGMENT = "fragment"  # mostly digits and symbols: a table row, a formula
    TOO_SHORT = "too-short"
    TOO_LONG = "too-long"
    OTHER_DISEASE = "other-disease"  # about another disease than the page's concept


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether to keep a sentence and, if not, why.

    `cues` names the rules that fired (for a reference, every cue that added weight);
    `score` is the reference weight total when references were considered; `others` the
    other diseases an `OTHER_DISEASE` verdict is about.
    """

    keep: bool
    reason: Reason | None = None
    cues: tuple[str, ...] = ()
    score: float = 0.0
    others: tuple[str, ...] = ()

    @property
    def off_topic(self) -> bool:
        return not self.keep


KEEP = Verdict(True)


@dataclass(frozen=True, slots=True)
class _Cue:
    name: str
    pattern: re.Pattern[str]
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    """The compiled cues of one language (see boilerplate.json)."""

    language: str
    min_words: int
    min_letters: int
    max_words: int
    max_chars: int
    min_letter_share: float
    heading_max_words: int
    reference_threshold: float
    reference: tuple[_Cue, ...]
    caption: tuple[_Cue, ...]
    affiliation: tuple[_Cue, ...]
    boilerplate: tuple[_Cue, ...]
    question: re.Pattern[str]


def _terms_pattern(terms: Iterable[str]) -> str:
    """Whole-word phrases; a space matches any run of whitespace."""
    parts = []
    for term in terms:
        body = r"\s+".join(re.escape(word) for word in term.split())
        start = r"\b" if term[:1].isalnum() else ""
        end = r"\b" if term[-1:].isalnum() else ""
        parts.append(start + body + end)
    return "|".join(parts)


def _compile(entries: Iterable[Mapping[str, Any]]) -> tuple[_Cue, ...]:
    cues = []
    for entry in entries:
        if "regex" in entry:
            source = entry["regex"]
        elif "terms" in entry:
            source = _terms_pattern(entry["terms"])
        else:
            raise ValueError(f"cue {entry.get('name')!r} has neither 'regex' nor 'terms'")
        flags = 0 if entry.get("case") else re.IGNORECASE
        cues.append(
            _Cue(str(entry["name"]), re.compile(source, flags), float(entry.get("weight", 1.0)))
        )
    return tuple(cues)


def parse_rules(data: Mapping[str, Any]) -> BoilerplateRules:
    """Build `BoilerplateRules` from the parsed JSON of a boilerplate file."""
    length = data["length"]
    return BoilerplateRules(
        language=str(data.get("language", "en")),
        min_words=int(length["min_words"]),
        min_letters=int(length["min_letters"]),
        max_words=int(length["max_words"]),
        max_chars=int(length["max_chars"]),
        min_letter_share=float(length["min_letter_share"]),
        heading_max_words=int(data["heading"]["max_words"]),
        reference_threshold=float(data["reference"]["threshold"]),
        reference=_compile(data["reference"]["cues"]),
        caption=_compile(data["caption"]["cues"]),
        affiliation=_compile(data["affiliation"]["cues"]),
        boilerplate=_compile(data["boilerplate"]["cues"]),
        question=re.compile(data["question"]["regex"]),
    )


@lru_cache(maxsize=8)
def load_rules(language: str = "en") -> BoilerplateRules:
    """The packaged rules of `language`, read and compiled once per process."""
    path = resources.files("dxatlas.evidence").joinpath("data", language, "boilerplate.json")
    return parse_rules(json.loads(path.read_text(encoding="utf-8")))


def _first(cues: Iterable[_Cue], text: str) -> str | None:
    for cue in cues:
        if cue.pattern.search(text):
            return cue.name
    return None


def _is_heading(text: str, words: list[str], rules: BoilerplateRules) -> bool:
    if len(words) > rules.heading_max_words or _SENTENCE_END.search(text):
        return False
    first = text.lstrip()[:1]
    return first.isupper() or first.isdigit()


def judge_sentence(sentence: str, rules: BoilerplateRules | None = None) -> Verdict:
    """Whether `sentence` can be evidence on any concept page; if not, the reason.

    The checks run from the most specific to the most general: caption, reference,
    affiliation, boilerplate, question, then the shape of the text (fragment, length, heading),
    so that "Figure 1." is a caption rather than merely short.
    """
    rules = rules if rules is not None else load_rules()
    text = sentence.strip()
    if not text:
        return Verdict(False, Reason.TOO_SHORT, ("empty",))
    if name := _first(rules.caption, text):
        return Verdict(False, Reason.CAPTION, (name,))
    fired = [cue for cue in rules.reference if cue.pattern.search(text)]
    score = sum((cue.weight for cue in fired), 0.0)
    if score >= rules.reference_threshold:
        return Verdict(False, Reason.REFERENCE, tuple(cue.name for cue in fired), score)
    if name := _first(rules.affiliation, text):
        return Verdict(False, Reason.AFFILIATION, (name,), score)
    if name := _first(rules.boilerplate, text):
        return Verdict(False, Reason.BOILERPLATE, (name,), score)
    if rules.question.search(text):
        return Verdict(False, Reason.QUESTION, ("question mark",), score)
    words = _WORD.findall(text)
    letters = sum(char.isalpha() for char in text)
    visible = sum(not char.isspace() for char in text)
    if visible >= rules.min_letters and letters / visible < rules.min_letter_share:
        return Verdict(False, Reason.FRAGMENT, (f"{letters}/{visible} letters",), score)
    if len(words) < rules.min_words or letters < rules.min_letters:
        return Verdict(False, Reason.TOO_SHORT, (f"{len(words)} words",), score)
    if len(words) > rules.max_words or len(text) > rules.max_chars:
        return Verdict(False, Reason.TOO_LONG, (f"{len(words)} words",), score)
    if _is_heading(text, words, rules):
        return Verdict(False, Reason.HEADING, ("no sentence punctuation",), score)
    return Verdict(True, None, (), score)


def judge_topic(
    concept: str,
    diseases: Collection[str],
    names_the_concept: bool,
    related: Collection[str] = (),
) -> Verdict:
    """Whether a sentence is about the page's `concept` or about other diseases only.

    `diseases` are the ids of the concepts of kind "disease" recognised in the sentence,
    `names_the_concept` whether the concept's name, a synonym or an abbreviation occurs in it,
    `related` ids that count as the concept itself (e.g. its subtypes). See the module doc for
    the rule.
    """
    if names_the_concept:
        return Verdict(True, None, ("names the concept",))
    if concept in diseases:
        return Verdict(True, None, ("concept recognised",))
    if not diseases:
        return Verdict(True, None, ("no disease named",))
    others = tuple(sorted(set(diseases) - set(related) - {concept}))
    if not others:
        return Verdict(True, None, ("related disease",))
    return Verdict(False, Reason.OTHER_DISEASE, ("only other diseases named",), others=others)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    # Punctuation between a name's words is optional ("Neurofibromatosis, type 1" is named by
    # "Neurofibromatosis type 1"; "5q- syndrome" by "5q- syndrome" and "5q syndrome"; "Type 1.5
    # diabetes" keeps its point).
    words = re.findall(r"\w+(?:'\w+)?", name)
    if not words:
        return None
    body = r"[\s,;:/().-]+".join(re.escape(word) for word in words)
    # An abbreviation ("LC", "AML") must match its case; a name matches in any case.
    flags = 0 if name.isupper() and len(name) <= 6 else re.IGNORECASE
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])", flags)


def names_concept(sentence: str, names: Iterable[str]) -> bool:
    """Whether `sentence` contains one of `names` (a concept's name, synonyms, abbreviations)
    as whole words; short upper-case names (abbreviations) must match their case."""
    for name in names:
        pattern = _name_pattern(name.strip())
        if pattern is not None and pattern.search(sentence):
            return True
    return False
