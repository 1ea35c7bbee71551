"""What sentences about a disease say that the ranking can use: how common the disease is
(a prior), at what age people get it (an age band), and how often a finding is seen (frequency
words such as "most people", "often", "rarely").

The words are data (`data/literature_cues.json`); the patterns that read numbers are here. Every
reader is conservative: a sentence it cannot read exactly gives nothing, never a guess.

- Prevalence: "1 in 10,000 people", "5 per 100,000", "about 2 percent of adults", "3 million
  Americans" (a count is divided by the population its sentence names, the United States by
  default; only in a sentence that says people have or get the disease, and not in one about a
  study or reported cases). A ratio or share followed by "with" or "who" ("1 in 4 people with X have Y") is a
  frequency among patients, not a prevalence, and is skipped, as are shares "of patients" and
  carrier frequencies. Without numbers, "is a rare disorder", "this condition is very rare",
  "is a common disease" give the documented word values; a qualified one ("rare in men younger
  than 40", "the fungus is common") gives nothing.
- Age bands: "most common in children", "usually affects people over 50", "between the ages of
  20 and 40", read only from sentences that say who is affected (common, usually, affects, ...).
- Frequency words of a presentation sentence: its first cue ("most people", "often",
  "sometimes", "rarely") gives the share of patients for the findings it asserts.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from dxatlas.kb.normalize import singular_word

MIN_PREVALENCE = 1e-7
MAX_PREVALENCE = 0.3
"""Bounds on any prevalence read (a misread number must not make a disease certain or impossible)."""

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "a thousand": 1000,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "hundred thousand": 1e5}
_NUM = (
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
_SCALE = r"(?:\s+(hundred thousand|thousand|million|billion))?"
_AFTER_PATIENTS = re.compile(
    r"^\s*(?:[\w,]+\s+){0,6}?(?:with|who|whose|that have|affected)\b"
    r"|^\s*(?:\w+\s+){0,2}?(?:cases|patients|deaths|strokes|births with)\b"
)
_BEFORE_PATIENTS = re.compile(
    r"\b(?:with|among)\s*$|(?<!fewer )(?<!less )(?<!more )(?<!greater )\bthan\s*$"
    r"|\b(?:with|among)\b|\bof (?:those|people|patients|individuals|"
    r"men|women|children|adults) (?:who|with)\b"
)
"""Words before a share that make it a share of patients or a comparison, not a prevalence:
"after 10 years with IgA nephropathy, 20 percent develop ...", "smaller than 97 percent of the
population" (but "fewer than 1 in a million" is a prevalence)."""
_RATIO_BEFORE = re.compile(r"\b(?:in|per|out of|of every|in every|for every)\s+$")
_AGE_CONTEXT = re.compile(
    r"\b(?:common|commonly|usually|mostly|mainly|typically|often|most often|more likely|"
    r"affects?|affecting|occurs?|begins?|starts?|develops?|diagnosed|seen|appears?|peaks?)\b"
)
_AGE_NUMERIC = (
    (re.compile(r"\b(?:over|older than|above|after(?: the)? age(?: of)?|aged|age) (\d{1,3})\b(?! ?(?:percent|%))"), "low"),
    (re.compile(r"\b(\d{1,3}) (?:years? )?(?:and|or) (?:older|over|above)\b"), "low"),
    (re.compile(r"\b(?:under|younger than|below|before(?: the)? age(?: of)?) (\d{1,3})\b"), "high"),
)  # fmt: skip
_AGE_BETWEEN = re.compile(r"\bbetween (?:the )?ages? (?:of )?(\d{1,3}) and (\d{1,3})\b")
_COUNT_VERBS = re.compile(
    r"\b(?:affects?|affected|have|has|get|gets|develop|develops|diagnosed|living with|live with|"
    r"suffer|suffers|estimated|each year|every year|a year|per year|annually)\b"
)
_COUNT_NOT_PREVALENCE = re.compile(
    r"\b(?:study|studies|trial|trials|cohort|sample|survey|series|reported|described|families)\b"
)
_RARE_WORDS = re.compile(
    r"\b(?:is|are)\s+(?:a\s+|an\s+)?((?:very\s+|extremely\s+)?(?:rare|uncommon|common))\s+"
    r"(?:genetic\s+|inherited\s+|skin\s+|type\s+of\s+|form\s+of\s+)?"
    r"(?:disease|disorder|condition|syndrome|infection|cancer|illness|problem|tumou?r|"
    r"malformation)s?\b(?!\s+(?:in|among|of)\b)"
    r"|\b(?:this|the)\s+(?:condition|disorder|disease|syndrome|infection)\s+is\s+"
    r"((?:very\s+|extremely\s+)?(?:rare|uncommon|common))\b(?!\s+(?:in|among)\b)"
    r"|\b(?:is|are)\s+(?:probably\s+|perhaps\s+)?(?:the|one\s+of\s+the)\s+"
    r"(?:second\s+|third\s+)?(most\s+common)\s+(?:type\s+of\s+|kind\s+of\s+)?"
    r"(?:illness|illnesses|infection|infections|disease|diseases|disorder|disorders|condition|"
    r"conditions|cancer|cancers|reason|reasons|medical\s+problems?)\b(?!\s+(?:in|among)\b)"
    r"|\b(?:is|are)\s+((?:very\s+|extremely\s+)?(?:rare|uncommon|common))"
    r"(?:\s+in\s+(?:the\s+united\s+states|the\s+u\.s\.|america|the\s+world))?\s*[.!]?\s*$"
)
_NOT_PREVALENCE = re.compile(
    r"\bcarriers?\b|\bcarrier frequency\b|\bcarry\b|\bvariants?\b|\bmutations?\b|\bcopies\b"
    r"|\bancestry\b|\bdescent\b|\b(?:these|this|certain|some) (?:populations?|regions?|areas|"
    r"communities|groups)\b|\bcommunity\b|\bisolated\b|\bdie\b|\bdies\b|\bdied\b"
    r"|\bnations\b|\bcountries\b|\b(?:american indians?|native americans?|alaska natives?|"
    r"african americans?|hispanics?|latinos?|asian americans?|pacific islanders?|caucasians?|"
    r"ashkenazi|amish|inuit)\b|\bhighest (?:prevalence|rates?|incidence|frequency)\b"
    r"|\b(?:white|black|european|northern european|asian|east asian|african|jewish|finnish|"
    r"japanese|chinese|mediterranean|middle eastern) (?:populations?|people|individuals|origin)\b"
)
"""A sentence about carriers or gene variants, about one population group, ethnic group or
region ("1 in 200 people of Hmong ancestry", "in these populations", "in white populations",
"1 in 10 African American males", "in most Asian nations", "the highest prevalence ... in
Turkey"), or about deaths gives no prevalence of the disease in the people a clinic sees."""
_LIFETIME = re.compile(
    r"\b(?:lifetimes?|lifetime risk|at some (?:point|time) (?:in|during) (?:their|his|her|your) "
    r"li(?:fe|ves)|by the time (?:they|he|she|you) (?:are|reach|turn)|"
    r"at least (?:once|one(?!\s+(?:in|out of|of every|per)\b))|"
    r"by (?:their|his|her|your|the) \w+ birthday|by (?:the )?age (?:of )?\d+)\b"
    r"|\bwill (?:(?:likely|eventually|ever) )?(?:get|develop|have|experience|be diagnosed)\b"
    r"(?![^.;]*\b(?:years?|annually|months?|weeks?)\b)"
)
LIFETIME_TO_CURRENT = 0.1
"""Factor from a lifetime figure ("6.6 percent will develop lung cancer during their lifetime",
"8 out of 10 people at some point in their lives", "three out of four children will have at
least one ear infection by their third birthday", and a share that will get it in no stated
span of time: "one out of every three people ... will get shingles") to the share of people who
have the disease now: a lifetime spans decades, an illness or its diagnosis a few years of them.
A round order of magnitude, not a measured rate."""
_RANGE_BEFORE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)?\s*(?:to|-|\u2013|and)\s*$")
"""The first number of a range whose second number a share matched ("1 to 23 percent", "between
5% and 20%"): the range's geometric middle is read, not its upper end."""
_LIST_OPENER = re.compile(r"\b(?:symptoms?|signs?)\b[^.;:]{0,40}?\b(?:include|includes|are)\b")
_NOT_AGE_BAND = re.compile(r"\b(?:rare|rarely|uncommon|unusual|seldom|never)\b")
_SUBTYPE = re.compile(r"\b(?:type|types|form|forms|kind|kinds|subtype|subtypes|variant)\s+of\b")
"""A sentence about one type of a disease ("a common type of pneumonia that usually affects
people younger than 40") says nothing of the ages the whole disease affects."""


@dataclass(frozen=True, slots=True)
class Cues:
    """The word lists of `data/literature_cues.json`, compiled."""

    default_population: float
    places: dict[str, float]
    ratio: re.Pattern[str]  # "1 in 10,000 (people)", "5 per 100,000"
    share: re.Pattern[str]  # "2 percent of adults"
    count: re.Pattern[str]  # "3 million Americans"
    prevalence_words: dict[str, float]
    frequency_words: list[tuple[str, float]]  # longest first
    frequency_pattern: re.Pattern[str]
    age_bands: dict[str, tuple[float, float]]
    age_band_pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The shipped English cues."""
    data: dict[str, Any] = json.loads(
        (resources.files("dxatlas.rank") / "data" / "literature_cues.json").read_text("utf-8")
    )
    people = "|".join(re.escape(p) for p in sorted(data["people_nouns"], key=len, reverse=True))
    frequency = {k: float(v) for k, v in data["frequency_words"].items() if k != "about"}
    ordered = sorted(frequency.items(), key=lambda item: -len(item[0]))
    bands = {k: (float(v[0]), float(v[1])) for k, v in data["age_bands"].items() if k != "about"}
    return Cues(
        default_population=float(data["populations"]["default"]),
        places={k: float(v) for k, v in data["populations"]["places"].items()},
        ratio=re.compile(
            rf"\b{_NUM}{_SCALE}\s+(?:in|out of|of every|in every|per|for every)\s+(?:every\s+)?"
            rf"{_NUM}{_SCALE}(?:\s+(?:{people})\b)?"
        ),
        share=re.compile(
            rf"\b{_NUM}\s*(?:%|percent|per cent)\s+of\s+(?:all\s+|the\s+)?(?:{people})\b"
        ),
        count=re.compile(rf"\b{_NUM}{_SCALE}\s+(?:{people})\b"),
        prevalence_words={k: float(v) for k, v in data["prevalence_words"].items() if k != "about"},
        frequency_words=ordered,
        frequency_pattern=re.compile(
            r"\b(?:" + "|".join(re.escape(k) for k, _ in ordered) + r")\b"
        ),
        age_bands=bands,
        age_band_pattern=re.compile(
            r"\b(?:" + "|".join(re.escape(k) for k in sorted(bands, key=len, reverse=True)) + r")\b"
        ),
    )


def _number(text: str, scale: str | None) -> float:
    value = float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else float(text.replace(",", ""))
    return value * _SCALES.get(scale or "", 1.0)


# --- prevalence -------------------------------------------------------------------------------


def prevalence_in(
    sentence: str, cues: Cues | None = None, names: Iterable[str] = ()
) -> float | None:
    """The prevalence (a fraction of people) one sentence states with numbers, or None; a
    lifetime figure is scaled by `LIFETIME_TO_CURRENT`. With the disease's `names`, a sentence
    whose subject is something else is skipped (`subject_elsewhere`)."""
    cues = cues or load_cues()
    text = sentence.lower()
    if _NOT_PREVALENCE.search(text):
        return None  # "1 in 5 people are carriers" is no prevalence of the disease
    value = _stated_prevalence(text, cues)
    if value is None or (names and subject_elsewhere(sentence, names)):
        return None  # the subject is read only once a figure is found: most sentences have none
    return value * LIFETIME_TO_CURRENT if _LIFETIME.search(text) else value


def _range_middle(text: str, start: int, upper: float, unit: float = 1.0) -> float:
    """`upper`, or the geometric middle of a range whose first number (times `unit`) stands
    just before `start` ("1 to 23 percent", "4 to 2,000 per 100,000")."""
    low = _RANGE_BEFORE.search(text[:start])
    if low is None or not 0 < float(low.group(1)) * unit < upper:
        return upper
    return math.sqrt(upper * float(low.group(1)) * unit)


def _stated_prevalence(text: str, cues: Cues) -> float | None:
    """The first ratio, share or count of people in a lower-case sentence that reads as a
    prevalence (ratios first: they are the most explicit)."""
    for found in cues.ratio.finditer(text):
        if _AFTER_PATIENTS.match(text[found.end() :]) or _BEFORE_PATIENTS.search(
            text[: found.start()]
        ):
            continue
        top = _number(found.group(1), found.group(2))
        bottom = _number(found.group(3), found.group(4))
        top = _range_middle(text, found.start(), top)  # "4 to 2,000 per 100,000"
        if 0 < top < bottom:
            return top / bottom
    for found in cues.share.finditer(text):
        if _AFTER_PATIENTS.match(text[found.end() :]) or _BEFORE_PATIENTS.search(
            text[: found.start()]
        ):
            continue
        value = _range_middle(text, found.start(), _number(found.group(1), None) / 100, 0.01)
        if 0 < value < 1:
            return value
    if not _COUNT_VERBS.search(text) or _COUNT_NOT_PREVALENCE.search(text):
        return None  # a count of people is a prevalence only in a sentence about who has it
    for found in cues.count.finditer(text):
        if _AFTER_PATIENTS.match(text[found.end() :]) or found.group(1) in _NUMBER_WORDS:
            continue
        if _RATIO_BEFORE.search(text[: found.start()]):
            continue  # the denominator of a ratio skipped above ("fewer than 1 in 1 million")
        value = _number(found.group(1), found.group(2))
        population = _population(text, cues)
        if 1 <= value < population:
            return value / population
    return None


_LEADING_PHRASE = re.compile(
    r"^(?:(?:in|among|across|according to|throughout|worldwide|overall|each year|every year|"
    r"currently|today|where|although|though|while|for example|for this reason|together|"
    r"combined|collectively|however|summary|by age \d+)\b[^,:]{0,60}[,:]\s*)+"
)
_REPORTING = re.compile(
    r"^(?:[\w\s]{0,40}?\b(?:estimate|estimates|estimated|believe|believes|suggest|suggests|"
    r"show|shows|report|reports|found|find|say|says)\s+that\s+)"
)
_SUBJECT_END = re.compile(
    r"\b(?:is|are|was|were|affects?|affected|affecting|occurs?|occurring|has|have|had|may|can|"
    r"will|develops?|get|gets|accounts?|makes?|causes?|suffer|suffers|appears?|seems?|remains?)\b"
    r"|,"
)
_OWN_SUBJECT = re.compile(
    r"^(?:it|its|this|these|they|that|the (?:condition|disorder|disease|syndrome|illness|"
    r"infection|problem|cancer|tumou?r)s?|such)\b"
    r"|^(?:the )?(?:exact |overall |combined |estimated |true )?(?:prevalence|incidence|"
    r"frequency|estimates?|researchers|experts|studies)\b"
)
_COUNT_SUBJECT = re.compile(
    r"^(?:an? )?(?:estimated|about|approximately|around|nearly|almost|roughly|over|under|"
    r"more than|less than|fewer than|up to|between|only|some|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|\d)"
)
_HAVING_VERB = re.compile(r"(?:has|have|had|get|gets|develops?|suffers?)$")
_OBJECT_END = re.compile(
    r"[,;:]|\.(?!\w)|\b(?:but|and|or|which|who|while|although|by|at|in|before)\b"
)
_OWN_OBJECT = re.compile(
    r"^(?:it|them|one|some form|some type|(?:(?:the|this|these|that|such an?) )?(?:condition|"
    r"disorder|disease|syndrome|illness|infection|problem|cancer|tumou?r)s?)\b"
)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9-]*[A-Z0-9]\b")
_NAME_STOPWORDS = frozenset(
    {"disease", "disorder", "syndrome", "condition", "deficiency", "type", "of", "the", "and",
     "in", "a", "an", "with", "to", "for", "acute", "chronic", "problems", "problem"}
)  # fmt: skip


def subject_elsewhere(sentence: str, names: Iterable[str]) -> bool:
    """Whether a sentence's subject is something other than the disease named by
    `names` ("small pituitary adenomas are common, affecting about 17 percent of the population"
    on a page about acromegaly): its figure is then no prevalence of the disease. A subject that
    is a pronoun, a number ("an estimated 3 million people") or shares a word with a name is the
    disease's own."""
    clause = _LEADING_PHRASE.sub("", sentence.strip().lower())
    clause = _LEADING_PHRASE.sub("", _REPORTING.sub("", clause))
    end = _SUBJECT_END.search(clause)
    subject = clause[: end.start()].strip() if end else ""
    if not subject or _OWN_SUBJECT.match(subject):
        return False
    if _COUNT_SUBJECT.match(subject):
        # "An estimated 3 million people have glaucoma": the disease is what they have; a
        # broader one on a subtype's page ("1 in 10 adults over 50 have osteoporosis" on a
        # page about juvenile osteoporosis) is another subject.
        if end is None or not _HAVING_VERB.match(end.group(0)):
            return False
        rest = clause[end.end() :].strip()
        stop = _OBJECT_END.search(rest)
        thing = (rest[: stop.start()] if stop else rest).strip()
        if not thing or _OWN_OBJECT.match(thing) or _is_acronym(sentence, thing):
            return False
        return not _names_all_words(thing, names)
    if _is_acronym(sentence, subject):
        return False  # "GSDI", "NBCIE": most often the page's own abbreviation of the disease
    words = _words(subject)
    return not any((_words(name) - _NAME_STOPWORDS) & words for name in names)


def _words(text: str) -> set[str]:
    return {singular_word(w) for w in re.findall(r"[a-z0-9]+", text.lower())}


def _is_acronym(sentence: str, part: str) -> bool:
    """Whether `part` (lower case) of `sentence` is written with an acronym."""
    start = sentence.lower().find(part)
    return start >= 0 and bool(_ACRONYM.search(sentence[start : start + len(part)]))


def _names_all_words(thing: str, names: Iterable[str]) -> bool:
    """Whether `thing` holds every word of one of `names` (stop words aside)."""
    words = _words(thing)
    return any((own := _words(name) - _NAME_STOPWORDS) and own <= words for name in names)


def _population(text: str, cues: Cues) -> float:
    for place, size in sorted(cues.places.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{re.escape(place)}(?!\w)", text):
            return size
    return cues.default_population


def prevalence_word(
    sentence: str, cues: Cues | None = None, names: Iterable[str] = ()
) -> float | None:
    """The prevalence a sentence implies in words ("X is a rare disorder", "shingles is very
    common."), or None; with the disease's `names`, None when its subject is something else."""
    cues = cues or load_cues()
    found = _RARE_WORDS.search(sentence.lower())
    if found is None or (names and subject_elsewhere(sentence, names)):
        return None
    phrase = re.sub(r"\s+", " ", next(g for g in found.groups() if g))
    return cues.prevalence_words.get(phrase)


def prevalence_of(
    sentences: Iterable[str], cues: Cues | None = None, names: Iterable[str] = ()
) -> float | None:
    """A disease's prevalence from its sentences: the median (on a log scale) of the numbers
    they state; the median of their words when none states a number; None when none says.
    With the disease's `names`, figures about another subject are skipped."""
    cues = cues or load_cues()
    names = tuple(names)
    numbers: list[float] = []
    words: list[float] = []
    for sentence in sentences:
        value = prevalence_in(sentence, cues, names)
        if value is not None:
            numbers.append(value)
            continue
        word = prevalence_word(sentence, cues, names)
        if word is not None:
            words.append(word)
    chosen = numbers or words
    if not chosen:
        return None
    middle = 10 ** statistics.median(math.log10(v) for v in chosen)
    return min(max(middle, MIN_PREVALENCE), MAX_PREVALENCE)


# --- age bands --------------------------------------------------------------------------------


def age_band_in(sentence: str, cues: Cues | None = None) -> tuple[float, float] | None:
    """The ages (years, low and high) a sentence says a disease is found at, or None."""
    cues = cues or load_cues()
    text = sentence.lower()
    if not _AGE_CONTEXT.search(text) or _NOT_AGE_BAND.search(text) or _SUBTYPE.search(text):
        return None  # "it rarely occurs in men younger than 40" names ages it avoids
    between = _AGE_BETWEEN.search(text)
    if between:
        low, high = float(between.group(1)), float(between.group(2))
        return (low, high) if low < high else None
    for pattern, side in _AGE_NUMERIC:
        found = pattern.search(text)
        if found:
            age = float(found.group(1))
            if age > 110:
                return None
            return (age, 120.0) if side == "low" else (0.0, age)
    found = cues.age_band_pattern.search(text)
    if found:
        return cues.age_bands[found.group(0)]
    return None


def age_band_of(
    sentences: Iterable[str], cues: Cues | None = None, names: Iterable[str] = ()
) -> tuple[float, float] | None:
    """The union of the age bands a disease's sentences state (conservative: any stated age is
    inside), or None when none states one. With the disease's `names`, a sentence about one of
    its kinds ("chronic bronchitis ... occurs more often in people who are older than 45" on a
    page about bronchitis) is skipped: its ages are that kind's."""
    cues = cues or load_cues()
    names = tuple(names)
    bands = [
        band
        for sentence in sentences
        if (band := age_band_in(sentence, cues)) is not None
        and not (names and about_a_kind(sentence, names))
    ]
    if not bands:
        return None
    return min(b[0] for b in bands), max(b[1] for b in bands)


_KINDS = (
    "acute", "chronic", "juvenile", "childhood", "adult-onset", "early-onset", "late-onset",
    "infantile", "neonatal", "congenital",
)  # fmt: skip
"""Words that name one kind of a disease ("acute bronchitis", "juvenile arthritis")."""


def about_a_kind(sentence: str, names: Iterable[str]) -> bool:
    """Whether `sentence` names a kind of the disease named by `names` ("chronic bronchitis"
    for "Bronchitis", and for "Acute Bronchitis"), other than the kind a name itself is."""
    text = " ".join(re.sub(r"[^\w-]+", " ", sentence.lower()).split())
    for name in names:
        bare = " ".join(re.sub(r"[^\w-]+", " ", name.lower()).split())
        own = next((k for k in _KINDS if bare.startswith(f"{k} ")), None)
        stem = bare[len(own) + 1 :] if own else bare  # "acute bronchitis": bronchitis
        if not stem or stem not in text:
            continue
        for kind in _KINDS:
            if kind != own and re.search(rf"\b{re.escape(kind)}[ -]{re.escape(stem)}\b", text):
                return True
    return False


_NAMED_GROUP = re.compile(r"\b(?:in|for)\s+((?:[a-z-]+\s+)?[a-z-]+)(?:\s+and\s+([a-z-]+))?\s*$")
ADULT_AGE = 18.0
"""Where childhood ends: the group pages and statements "for adults" say, and the ranking's
split of patients into children and adults (`rank.literature.AGE_GROUPS`)."""
_ADULTS = (ADULT_AGE, 120.0)


def age_band_of_name(name: str, cues: Cues | None = None) -> tuple[float, float] | None:
    """The ages a concept's name restricts it to ("Chronic Diarrhea in Children" 0-18, "Diabetes
    in Children and Teens" 0-20, "Nephrotic Syndrome in Adults" 18+), or None. A page written
    for one age group is about the disease in that group."""
    cues = cues or load_cues()
    found = _NAMED_GROUP.search(name.lower().strip())
    if found is None:
        return None
    bands = []
    for group in filter(None, found.groups()):
        band = _ADULTS if group == "adults" else cues.age_bands.get(group)
        if band is None:
            return None
        bands.append(band)
    return min(b[0] for b in bands), max(b[1] for b in bands)


_GROUP_OPENER = re.compile(
    r"^(?:(?:on the other hand|but|however|also),?\s+)?(?:(?:in|among)\s+)?"
    r"(?:(?:a|an|some|many|most|all|the)\s+)?(?P<group>[a-z-]+(?:\s+(?!(?:and|or|with|who|that|having|affected)\b)[a-z-]+)?)\b"
)
_ONE_OF_A_GROUP = {
    "child": "children",
    "infant": "infants",
    "baby": "babies",
    "kid": "kids",
    "adult": "adults",
}


def group_of_statement(sentence: str, cues: Cues | None = None) -> tuple[float, float] | None:
    """The ages of the group a sentence opens with, when it says how the disease shows in that
    group ("Children may have a high fever", "In older adults, confusion may be the only sign"):
    what it asserts holds for them, not for every patient. None for a sentence about patients in
    general, or about the disease's patients of a group ("Infants with Cant syndrome have ...",
    what a disease of childhood is like at any age)."""
    cues = cues or load_cues()
    text = sentence.lower()
    found = _GROUP_OPENER.match(text)
    if found is None:
        return None
    if found.group("group").startswith("affected ") or _PATIENTS_OF_IT.match(text, found.end()):
        return None  # "Children with Cant syndrome have ...": the disease's patients, all ages
    band = _group_band(found.group("group"), cues)
    also = _ALSO_GROUP.match(text, found.end())
    if band is None or also is None:
        return band
    other = _group_band(also.group("group"), cues)  # "Children and teens": both; "and adults"
    return None if other is None else (min(band[0], other[0]), max(band[1], other[1]))


_PEOPLE = frozenset({"people", "patients", "persons", "individuals", "men", "women"})
_AFTER_A_GROUP = frozenset(
    [
        "may",
        "might",
        "can",
        "could",
        "will",
        "often",
        "usually",
        "sometimes",
        "also",
        "typically",
        "generally",
        "commonly",
        "frequently",
        "rarely",
        "have",
        "has",
        "had",
        "are",
        "is",
        "were",
        "was",
        "tend",
        "do",
        "does",
        "more",
        "less",
    ]
)
"""Words that follow a group of people as the subject ("children may have", "infants often")."""
_PATIENTS_OF_IT = re.compile(r"\s+(?:with|who|affected|that|having)\b")
_ALSO_GROUP = re.compile(
    r"\s*(?:and|or)\s+(?:(?:some|many|most|all|the)\s+)?(?P<group>[a-z-]+(?:\s+[a-z-]+)?)"
)


def _group_band(words: str, cues: Cues) -> tuple[float, float] | None:
    """The ages of a group named by one or two words ("children", "older children", "young
    adults", "a child"), or None when they name no group."""
    split = words.split()
    tried = [words, split[-1]]  # "older children": the head noun names the group
    if len(split) == 1 or split[-1] in _PEOPLE or split[-1] in _AFTER_A_GROUP:
        # "elderly people", "children may": the first word; but "CHILD syndrome" is no group
        tried.append(split[0])
    for group in dict.fromkeys(tried):
        group = _ONE_OF_A_GROUP.get(group, group)
        if group == "adults":
            return _ADULTS
        if group in cues.age_bands:
            return cues.age_bands[group]
    return None


# --- frequency words --------------------------------------------------------------------------


def frequency_cue(sentence: str, cues: Cues | None = None) -> float | None:
    """The share of patients a presentation sentence's first frequency word implies, or None."""
    cues = cues or load_cues()
    text = sentence.lower()
    found = cues.frequency_pattern.search(text)
    if found is None:
        return None
    opener = _LIST_OPENER.search(text)
    if opener is not None and found.start() >= opener.end():
        # "Symptoms include fever, sore throat - sometimes a swollen spleen": a frequency
        # word after a list's opener qualifies what follows it, not the list before it.
        return None
    return dict(cues.frequency_words)[found.group(0)]
