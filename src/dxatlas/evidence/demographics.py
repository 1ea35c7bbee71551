"""The age and sex of the people a sentence describes, and how many distinct patients a document has.

`read_people` finds each person a sentence describes ("a 49-year-old man", "the baby", "her
mother", "two siblings aged 3 and 5", "a woman in her sixties") and returns one `PersonMention`
per person: age in years (months, weeks and days converted), age band, sex, the words it was
read from, and whether the person is a patient or a relative of the patient. The word lists
(person nouns, family words, number words, units, bands, population cues) are data in
`dxatlas/evidence/data/<lang>/demographics.json`.

How a sentence is read:

- Ages are found first: "49-year-old", "72 year old", "4-months-old", "5 y/o", "aged 3 and 5",
  "age 56 years", "45 years of age", "in his early sixties" (a decade gives its middle year and
  its range). An age after "the", "at", "since", "when" ... ("since the age of 2") is the age of an
  event, not of the patient now, and describes no one by itself.
- Each person noun heads a phrase: the words before it up to a determiner or possessive (and no
  further than a boundary word such as "with" or "was") give its age, sex and band; an age right
  after it ("a man aged 34", "a man in his sixties") is its age too.
- A plural ("men", "patients", "children") is a population, not patients, unless it is counted
  ("two siblings", "both brothers", "twin girls") or given one age per person ("siblings aged
  3 and 5"); then it yields one patient per person.
- A person named with a possessive ("her mother", "the patient's son", "his child") is a
  relative, and so is a family word without its own age ("the mother", "a brother"); joined to a
  patient by "and" ("a girl and her father presented") a relative is a patient too. A family
  word with a count or its own age ("two siblings", "a 30-year-old mother") names patients.
- A description without a number ("an infant", "the man") is read only in a sentence that
  reports a case (past tense, "we report", "case of", or a past verb right after it) and has no
  hypothetical or general word ("may", "if", "usually", "risk", "you"): health pages speak of
  "a man" or "the baby" in general. A description with neither age nor sex ("the patient") is
  dropped: it has nothing to chart.
- A lone patient of unknown sex takes the sex of the sentence's pronouns when they all agree.

`population_cues` names the cues of a statement about a group ("most patients are older than
60", "men are affected twice as often"): such a sentence describes no individual patient.

`describe_document` counts distinct patients over the sentences of one document with a simple,
documented rule: two mentions with the same age (within a thousandth of a year) and the same sex
are the same patient; a mention missing the age or the sex is folded into the nearest (by
sentence) patient it does not contradict, and starts a new patient only if there is none. So
"an infant" in the abstract, "a 4-month-old boy" in the report and "the 4-month-old male infant"
later are one patient. Two different patients of the same age and sex in one document are
counted as one (a known limit), and a patient whose age is given at two times ("a 10-year-old
girl ... a 12-year-old girl at follow-up") as two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal

__all__ = [
    "DemographicsLexicon",
    "DocumentDemographics",
    "Patient",
    "PersonMention",
    "SentenceDemographics",
    "count_patients",
    "describe_document",
    "load_lexicon",
    "parse_lexicon",
    "population_cues",
    "read_demographics",
    "read_people",
]

Sex = Literal["male", "female"]
Relation = Literal["patient", "relative"]

_DAYS_PER_YEAR: Final = 365.25
_UNIT_YEARS: Final[Mapping[str, float]] = {
    "year": 1.0,
    "month": 1.0 / 12.0,
    "week": 7.0 / _DAYS_PER_YEAR,
    "day": 1.0 / _DAYS_PER_YEAR,
}
_SAME_AGE: Final = 1e-3  # years: two ages closer than this are the same age
_MAX_AGE: Final = 130.0
_LEFT_WINDOW: Final = 6  # words a description may reach to the left of its noun
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*(?:-[^\W\d_]+)*|\d+(?:\.\d+)?|[^\w\s]")


@dataclass(frozen=True, slots=True)
class PersonMention:
    """One person a sentence describes.

    `age_years` is the age read from a number (None without one; a decade gives its middle
    year), `age_range` the (min, max) years the words allow (equal ends for an exact age),
    `age_band` one of the lexicon's bands ("neonate", "infant", "child", "adolescent", "adult",
    "older adult"). `relation` says whether the person is a patient or a relative of the
    patient; `kin` is the family word ("father") when one named the person. `start`/`end` are
    offsets of `text` in the sentence.
    """

    text: str
    start: int
    end: int
    age_years: float | None
    age_band: str | None
    sex: Sex | None
    relation: Relation = "patient"
    kin: str | None = None
    age_range: tuple[float, float] | None = None

    @property
    def is_patient(self) -> bool:
        return self.relation == "patient"

    @property
    def complete(self) -> bool:
        """Whether both the age and the sex are known."""
        return self.age_years is not None and self.sex is not None


@dataclass(frozen=True, slots=True)
class SentenceDemographics:
    """The people one sentence describes and, for a population statement, the cues that fired."""

    people: tuple[PersonMention, ...]
    population: tuple[str, ...] = ()

    @property
    def patients(self) -> tuple[PersonMention, ...]:
        return tuple(person for person in self.people if person.is_patient)

    @property
    def relatives(self) -> tuple[PersonMention, ...]:
        return tuple(person for person in self.people if not person.is_patient)


@dataclass(frozen=True, slots=True)
class Patient:
    """One distinct patient of a document, with every mention of them (sentence index, mention)."""

    age_years: float | None
    age_band: str | None
    sex: Sex | None
    age_range: tuple[float, float] | None
    mentions: tuple[tuple[int, PersonMention], ...]


@dataclass(frozen=True, slots=True)
class DocumentDemographics:
    """The distinct patients of a document, its relatives, and its population statements."""

    patients: tuple[Patient, ...]
    relatives: tuple[tuple[int, PersonMention], ...] = ()
    population: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (sentence index, cue names)


# --- the lexicon -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    """What a person noun, family word or age adjective says about the person."""

    word: str
    sex: Sex | None = None
    band: str | None = None
    age_range: tuple[float, float] | None = None
    kin: bool = False
    plural: bool = False
    modifier: bool = False


@dataclass(frozen=True, slots=True)
class _Age:
    """An age expression found in a sentence."""

    start: int
    end: int
    form: str  # "old" (49-year-old), "of-age" (45 years of age), "aged" (aged 34), "decade"
    values: tuple[float, ...]  # years, one per person ("aged 3 and 5" gives two)
    age_range: tuple[float, float]
    approximate: bool = False
    group: bool = False  # a threshold or a range ("aged over 60", "aged 5 to 10")
    event: bool = False  # the age of an event ("since the age of 2")
    pronoun_sex: Sex | None = None  # "in his sixties"
    plural_pronoun: bool = False  # "in their sixties"


@dataclass(frozen=True, slots=True)
class DemographicsLexicon:
    """The compiled word lists of one language (see demographics.json)."""

    language: str
    bands: tuple[tuple[str, float], ...]
    people: Mapping[str, _Word]  # singular and plural forms of person nouns and family words
    age_words: Mapping[str, _Word]
    numbers: Mapping[str, int]
    units: Mapping[str, str]  # spelling -> year/month/week/day
    decades: Mapping[str, int]
    counts: Mapping[str, int]
    determiners: frozenset[str]
    definite: frozenset[str]
    possessives: frozenset[str]
    reader_possessives: frozenset[str]
    male_pronouns: frozenset[str]
    female_pronouns: frozenset[str]
    coordinators: frozenset[str]
    boundaries: frozenset[str]
    event_words: frozenset[str]
    event_clauses: frozenset[str]
    generic: re.Pattern[str]
    report: re.Pattern[str]
    past_verbs: frozenset[str]
    population: tuple[tuple[str, re.Pattern[str]], ...]
    age_patterns: tuple[tuple[str, re.Pattern[str]], ...] = field(default=())
    threshold: frozenset[str] = frozenset()
    approximate: frozenset[str] = frozenset()

    def band_of(self, years: float) -> str | None:
        """The band an age in years falls in."""
        for name, below in self.bands:
            if years < below:
                return name
        return None


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


def _word_entry(word: str, body: Mapping[str, Any], *, kin: bool = False) -> _Word:
    low, high = body.get("min"), body.get("max")
    age_range = (float(low), float(high)) if low is not None and high is not None else None
    return _Word(
        word=word,
        sex=body.get("sex"),
        band=body.get("band"),
        age_range=age_range,
        kin=kin,
        modifier=bool(body.get("modifier", False)),
    )


def _age_patterns(
    numbers: Mapping[str, int], units: Mapping[str, str], decades: Mapping[str, int]
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    number_words = _alternation(numbers)
    number = rf"(?:\d+(?:\.\d+)?|(?:{number_words})(?:[\s-](?:{number_words}))?)"
    unit = rf"(?:{_alternation(units)})(?![a-z])"
    item = rf"{number}(?:\s*{unit})?"
    flags = re.IGNORECASE
    old = re.compile(
        rf"(?<![\w.])(?P<num>{number})[\s-]*(?P<unit>{unit})\.?[\s-]*old\b"
        rf"|(?<![\w.])(?P<num2>\d+(?:\.\d+)?)\s*(?:y/o|y\.o\.|yo)(?![a-z])",
        flags,
    )
    of_age = re.compile(rf"(?<![\w.])(?P<num>{number})\s*(?P<unit>{unit})\s+of\s+age\b", flags)
    aged = re.compile(
        rf"\b(?P<keyword>aged|age)\b[\s:]*(?:of\s+)?"
        rf"(?:(?P<qualifier>[a-z]+(?:\s+than)?|at least|up to|>=?|<=?|\u2265|\u2264)\s*)??"
        rf"(?P<items>{item}(?:\s*(?:,|and|or|&|to|-|\u2013)\s*{item})*)",
        flags,
    )
    decade = re.compile(
        r"\bin\s+(?P<pronoun>his|her|their)\s+(?:(?P<part>early|mid|middle|late)[\s-]*)?"
        rf"(?P<decade>{_alternation(decades)}|[1-9]0['\u2019]?s)\b",
        flags,
    )
    return (("old", old), ("of-age", of_age), ("aged", aged), ("decade", decade))


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Whole-word phrases, case-insensitive; a space matches any run of whitespace."""
    ordered = sorted({phrase.lower() for phrase in phrases}, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE)


def _words(data: Mapping[str, Any], key: str) -> frozenset[str]:
    value = data.get(key, ())
    if isinstance(value, Mapping):
        value = value.get("words", ())
    return frozenset(str(word).lower() for word in value)


def parse_lexicon(data: Mapping[str, Any]) -> DemographicsLexicon:
    """Build a `DemographicsLexicon` from the parsed JSON of a demographics file."""
    people: dict[str, _Word] = {}
    for section, kin in (("people", False), ("kin", True)):
        for word, body in data[section]["words"].items():
            entry = _word_entry(word, body, kin=kin)
            people[word] = entry
            if body.get("plural"):
                people[body["plural"]] = _Word(
                    word=word,
                    sex=entry.sex,
                    band=entry.band,
                    age_range=entry.age_range,
                    kin=kin,
                    plural=True,
                    modifier=entry.modifier,
                )
    age_words = {word: _word_entry(word, body) for word, body in data["age_words"]["words"].items()}
    numbers = {word: int(value) for word, value in data["numbers"]["words"].items()}
    units = {
        spelling: unit
        for unit in _UNIT_YEARS
        for spelling in data["units"].get(unit, ())
        if isinstance(spelling, str)
    }
    decades = {word: int(value) for word, value in data["decades"]["words"].items()}
    bands = tuple((str(band["band"]), float(band["below"])) for band in data["bands"]["order"])
    generic_pattern = _phrase_pattern(_words(data, "generic"))
    population = tuple(
        (str(cue["name"]), re.compile(cue["regex"], re.IGNORECASE))
        for cue in data["population"]["cues"]
    )
    pronouns = data["pronouns"]
    qualifiers = data.get("age_qualifiers", {})
    return DemographicsLexicon(
        language=str(data.get("language", "en")),
        bands=bands,
        people=people,
        age_words=age_words,
        numbers=numbers,
        units=units,
        decades=decades,
        counts={word: int(value) for word, value in data["counts"]["words"].items()},
        determiners=_words(data, "determiners"),
        definite=_words(data, "definite"),
        possessives=_words(data, "possessives"),
        reader_possessives=_words(data, "reader_possessives"),
        male_pronouns=frozenset(pronouns["male"]),
        female_pronouns=frozenset(pronouns["female"]),
        coordinators=_words(data, "coordinators"),
        boundaries=_words(data, "boundaries"),
        event_words=_words(data, "event_words"),
        event_clauses=_words(data, "event_clauses"),
        generic=generic_pattern,
        report=_phrase_pattern(data["report"]["sentence"]),
        past_verbs=frozenset(data["report"]["after"]),
        population=population,
        age_patterns=_age_patterns(numbers, units, decades),
        threshold=frozenset(qualifiers.get("threshold", ())),
        approximate=frozenset(qualifiers.get("approximate", ())),
    )


@lru_cache(maxsize=8)
def load_lexicon(language: str = "en") -> DemographicsLexicon:
    """The packaged lexicon of `language`, read and compiled once per process."""
    path = resources.files("dxatlas.evidence").joinpath("data", language, "demographics.json")
    return parse_lexicon(json.loads(path.read_text(encoding="utf-8")))


# --- ages ----------------------------------------------------------------------------------------


def _number(text: str, lexicon: DemographicsLexicon) -> float | None:
    """A number written in digits or words ("4", "2.5", "twenty-one"); None if not one."""
    text = text.strip().lower()
    try:
        return float(text)
    except ValueError:
        pass
    total = 0
    for part in re.split(r"[\s-]+", text):
        if part not in lexicon.numbers:
            return None
        total += lexicon.numbers[part]
    return float(total)


def _years(number: float, unit: str | None, lexicon: DemographicsLexicon) -> float:
    kind = lexicon.units.get(unit.lower(), "year") if unit else "year"
    return round(number * _UNIT_YEARS[kind], 4)


def _word_before(text: str, start: int) -> str:
    match = re.search(r"([^\W\d_]+)\W*$", text[:start])
    return match[1].lower() if match else ""


def _split_items(items: str, lexicon: DemographicsLexicon) -> tuple[list[float], bool]:
    """The ages of an "aged" list and whether it is a range ("5 to 10", "5-10")."""
    unit_pattern = _alternation(lexicon.units)
    parts = re.split(r"\s*(,|\band\b|\bor\b|&|\bto\b|(?<=\d)-(?=\s*\d)|\u2013)\s*", items)
    values: list[tuple[float, str | None]] = []
    is_range = False
    for index, part in enumerate(parts):
        if index % 2:  # a separator
            is_range = is_range or part.lower() in ("to", "-", "\u2013")
            continue
        match = re.fullmatch(rf"(.+?)(?:\s*({unit_pattern}))?", part.strip(), re.IGNORECASE)
        if match is None:
            continue
        number = _number(match[1], lexicon)
        if number is not None:
            values.append((number, match[2]))
    last_unit = next((unit for _, unit in reversed(values) if unit), None)
    years = [_years(number, unit or last_unit, lexicon) for number, unit in values]
    return years, is_range


def _find_ages(text: str, lexicon: DemographicsLexicon) -> list[_Age]:
    found: list[_Age] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for form, pattern in lexicon.age_patterns:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not free(start, end):
                continue
            age = _read_age(form, match, text, lexicon)
            if age is None:
                continue
            found.append(age)
            taken.append((age.start, age.end))
    found.sort(key=lambda age: age.start)
    return found


def _read_age(
    form: str, match: re.Match[str], text: str, lexicon: DemographicsLexicon
) -> _Age | None:
    start, end = match.span()
    before = _word_before(text, start)
    if form in ("old", "of-age"):
        raw = match["num"] if match["num"] is not None else match.groupdict().get("num2")
        number = _number(raw or "", lexicon)
        if number is None:
            return None
        years = _years(number, match["unit"] if match["num"] is not None else None, lexicon)
        if years > _MAX_AGE:
            return None
        # "when 3 months old", "at 2 weeks of age" (but not "a case of 4-month-old twins")
        event = before in lexicon.event_words and before not in ("the", "of")
        return _Age(start, end, form, (years,), (years, years), event=event)
    if form == "aged":
        keyword = match["keyword"].lower()
        if keyword == "age" and before in ("mean", "median", "average", "typical", "of", "the"):
            # "mean age 45" is a population; "the age of 2" an event.
            event = before in ("of", "the")
            return _Age(start, end, form, (), (0.0, 0.0), group=not event, event=event)
        qualifier = (match["qualifier"] or "").lower()
        if qualifier and qualifier not in lexicon.threshold | lexicon.approximate:
            return None  # "age at onset", "aged care": not a number after all
        values, is_range = _split_items(match["items"], lexicon)
        if not values or max(values) > _MAX_AGE:
            return None
        after = text[end : end + 30].lower()
        group = (
            qualifier in lexicon.threshold
            or is_range
            or re.match(
                r"\s*(?:years?\s*)?(?:or|and)\s+(?:older|over|above|more|younger|under|less)", after
            )
            is not None
        )
        event = keyword == "age" and before in lexicon.event_words
        return _Age(
            start,
            end,
            form,
            tuple(values),
            (min(values), max(values)),
            approximate=qualifier in lexicon.approximate,
            group=group,
            event=event,
        )
    # a decade: "in his sixties", "in her early 40s"
    word = match["decade"].lower()
    first = lexicon.decades.get(word)
    if first is None:
        first = int(word[0]) * 10
    low = float(first)
    high = 20.0 if first == 13 else low + 10.0  # the teens end at 20 like any decade
    part = (match["part"] or "").lower()
    if part == "early":
        high = low + 4
    elif part in ("mid", "middle"):
        low, high = low + 3, low + 7
    elif part == "late":
        low = high - 4
    pronoun = match["pronoun"].lower()
    sex: Sex | None = "male" if pronoun == "his" else "female" if pronoun == "her" else None
    return _Age(
        start,
        end,
        form,
        ((low + high) / 2,),
        (low, high),
        approximate=True,
        pronoun_sex=sex,
        plural_pronoun=pronoun == "their",
    )


# --- tokens and phrases --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    text: str  # lower-case
    start: int
    end: int
    age: _Age | None = None
    acronym: bool = False  # capitals after the first letter ("chILD", "MAN"): not a word

    @property
    def is_word(self) -> bool:
        return self.age is None and self.text[:1].isalpha()

    @property
    def base(self) -> str:
        """The word without a possessive ending ("patient's" -> "patient")."""
        for ending in ("'s", "\u2019s"):
            if self.text.endswith(ending):
                return self.text[: -len(ending)]
        return self.text

    @property
    def possessive(self) -> bool:
        return self.base != self.text


def _tokens(text: str, ages: Sequence[_Age]) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        while index < len(ages) and ages[index].end <= start:
            index += 1
        if index < len(ages) and ages[index].start < end:
            age = ages[index]
            if not tokens or tokens[-1].age is not age:
                tokens.append(_Token(text[age.start : age.end].lower(), age.start, age.end, age))
            continue
        word = match[0]
        tokens.append(_Token(word.lower(), start, end, acronym=any(c.isupper() for c in word[1:])))
    return tokens


@dataclass(slots=True)
class _Phrase:
    """A person noun and the words that describe it (built left to right, then read)."""

    head: int
    word: _Word
    first: int  # index of the first token of the phrase
    last: int  # index of the last token
    determiner: str | None = None
    possessive: bool = False
    reader: bool = False
    count: int | None = None
    sex: Sex | None = None
    modifier_band: _Word | None = None
    age_word: _Word | None = None
    ages: list[_Age] = field(default_factory=list)
    relation: Relation = "patient"


def _ends_phrase(tokens: Sequence[_Token], index: int, lexicon: DemographicsLexicon) -> bool:
    """Whether the noun phrase can end before token `index` (a modifier noun is then a head)."""
    if index >= len(tokens):
        return True
    token = tokens[index]
    if token.age is not None:
        return token.age.form in ("aged", "decade", "of-age")
    if not token.is_word:
        return True
    return token.text in lexicon.boundaries or token.text.endswith("ed")


def _heads(tokens: Sequence[_Token], lexicon: DemographicsLexicon) -> list[int]:
    heads = []
    for index, token in enumerate(tokens):
        if not token.is_word or token.possessive:
            continue
        word = lexicon.people.get(token.text)
        if word is None or token.acronym:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.is_word and following.base in lexicon.people:
            continue  # "male infant", "baby girl": the last noun heads the phrase
        if word.modifier and not _ends_phrase(tokens, index + 1, lexicon):
            continue  # "infant formula", "male pattern", "patient care"
        heads.append(index)
    return heads


def _count(token: _Token, lexicon: DemographicsLexicon) -> int | None:
    if token.text.isdigit():
        value = int(token.text)
        return value if 2 <= value <= 10 else None
    return lexicon.counts.get(token.text)


def _coordinated_after(tokens: Sequence[_Token], head: int, lexicon: DemographicsLexicon) -> bool:
    following = head + 1
    return following < len(tokens) and tokens[following].text in lexicon.coordinators | {"or"}


def _build_phrase(
    tokens: Sequence[_Token], head: int, claimed: set[int], lexicon: DemographicsLexicon
) -> _Phrase:
    word = lexicon.people[tokens[head].text]
    phrase = _Phrase(head=head, word=word, first=head, last=head, sex=word.sex)
    index, steps = head - 1, 0
    while index >= 0 and steps < _LEFT_WINDOW:
        token = tokens[index]
        if token.age is not None:
            if token.age.form != "old" or index in claimed:
                break
            phrase.ages.insert(0, token.age)
            claimed.add(index)
        elif not token.is_word:
            if token.text not in "-\u2010":
                break
        else:
            text = token.text
            if token.possessive:  # "the patient's mother"
                phrase.possessive = True
                phrase.first = index
                if index >= 1 and tokens[index - 1].text in lexicon.determiners:
                    phrase.first = index - 1
                break
            if text in lexicon.reader_possessives:
                phrase.reader = True
                phrase.first = index
                break
            if text in lexicon.possessives:
                phrase.possessive = True
                phrase.first = index
                break
            if text in lexicon.determiners:
                phrase.determiner = text
                phrase.first = index
                break
            count = _count(token, lexicon)
            if count is not None:
                before = tokens[index - 1].text if index >= 1 else ""
                if not (
                    (text == "both" and _coordinated_after(tokens, head, lexicon))
                    or before in lexicon.approximate | lexicon.threshold | {"least", "than"}
                ):
                    # "both children and adults", "at least two children": no count
                    phrase.count = count
            elif text in lexicon.boundaries:
                break
            elif text in lexicon.age_words:
                phrase.age_word = phrase.age_word or lexicon.age_words[text]
            elif text in lexicon.people:
                modifier = lexicon.people[text]
                phrase.sex = phrase.sex or modifier.sex
                if modifier.band is not None and phrase.modifier_band is None:
                    phrase.modifier_band = modifier
        phrase.first = index
        index -= 1
        steps += 1
    if tokens[phrase.first].text in "-\u2010":
        phrase.first += 1
    return phrase


def _attach_right(
    tokens: Sequence[_Token], phrase: _Phrase, claimed: set[int], lexicon: DemographicsLexicon
) -> None:
    """An age right after the noun ("a man aged 34", "a woman, 45 years old,") is its age."""
    index = phrase.head + 1
    bracket = index < len(tokens) and tokens[index].text == "("
    if index < len(tokens) and tokens[index].text in (",", "("):
        index += 1
    if index < len(tokens) and index not in claimed and tokens[index].age is not None:
        age = tokens[index].age
        if age is not None and not age.event:
            phrase.ages.append(age)
            phrase.last = index
            claimed.add(index)
            if bracket and index + 1 < len(tokens) and tokens[index + 1].text == ")":
                phrase.last = index + 1


def _names_patients(phrase: _Phrase, lexicon: DemographicsLexicon) -> bool:
    """Whether a phrase, read alone, describes patients rather than relatives of a patient."""
    if phrase.possessive:
        return False  # "her mother", "the patient's son", "his child"
    if not phrase.word.kin:
        return True
    if phrase.word.plural:
        return phrase.count is not None or len(phrase.ages) > 0  # "two siblings (aged 3 and 5)"
    # "a 30-year-old mother presented": a family word with its own age and no article "the".
    return bool(phrase.ages) and phrase.determiner not in lexicon.definite


def _relations(
    tokens: Sequence[_Token], phrases: list[_Phrase], lexicon: DemographicsLexicon
) -> None:
    """Decide patient or relative for each phrase (in sentence order)."""
    by_last = {phrase.last: phrase for phrase in phrases}
    for phrase in phrases:
        before = phrase.first - 1
        if not _names_patients(phrase, lexicon):
            phrase.relation = "relative"
            # "a girl and her father presented with ...": joined to a patient, a patient too.
            if (
                before >= 1
                and tokens[before].text in lexicon.coordinators
                and (other := by_last.get(before - 1)) is not None
                and other.relation == "patient"
            ):
                phrase.relation = "patient"
        # "the mother, a 30-year-old woman, ...": an apposition names the same person.
        if before >= 1 and tokens[before].text == ",":
            other = by_last.get(before - 1)
            if other is not None and other.relation == "relative":
                phrase.relation = "relative"


def _band_and_range(
    phrase: _Phrase,
    age: float | None,
    age_range: tuple[float, float] | None,
    lexicon: DemographicsLexicon,
) -> tuple[str | None, tuple[float, float] | None]:
    if age is not None:
        return lexicon.band_of(age), age_range
    for source in (phrase.age_word, phrase.modifier_band, phrase.word):
        if source is not None and (source.band is not None or source.age_range is not None):
            band = source.band
            if band is None and source.age_range is not None:
                low, high = source.age_range
                band = (
                    lexicon.band_of(low)
                    if lexicon.band_of(low) == lexicon.band_of(high - 1e-6)
                    else None
                )
            return band, source.age_range
    return None, None


def _mentions_of(
    text: str,
    tokens: Sequence[_Token],
    phrase: _Phrase,
    lexicon: DemographicsLexicon,
    generic: bool,
    reported: bool,
) -> list[PersonMention]:
    if phrase.reader:
        return []
    start, end = tokens[phrase.first].start, tokens[phrase.last].end
    span = text[start:end]
    kin = phrase.word.word if phrase.word.kin else None
    # One (age, range) per person the ages name: "aged 3 and 5" names two.
    values = [
        (value, age.age_range if age.approximate else (value, value))
        for age in phrase.ages
        if not age.group and not age.event
        for value in age.values
    ]
    if phrase.word.plural:
        size = phrase.count
        if size is None and len(values) >= 2:
            size = len(values)
        if size is None or any(age.group for age in phrase.ages):
            return []  # "patients", "men", "children aged 5 to 10": a population
        if len(values) == 1:
            values = values * size  # "twin boys aged 4 months": one age for all
        if len(values) != size:
            values = []
    else:
        values = values[:1]
    if not values and (generic or not (reported or _past_after(tokens, phrase.last, lexicon))):
        # "a child with this condition may ...", "a man receives local anesthesia": nobody in
        # particular. A description with a number ("a 4-month-old boy") is always read.
        return []
    people = phrase.count if phrase.word.plural and phrase.count else max(len(values), 1)
    mentions = []
    for index in range(people):
        age, age_range = values[index] if values else (None, None)
        band, age_range = _band_and_range(phrase, age, age_range, lexicon)
        if age is None and band is None and age_range is None and phrase.sex is None:
            continue  # "the patient": nothing to chart
        mentions.append(
            PersonMention(
                text=span,
                start=start,
                end=end,
                age_years=age,
                age_band=band,
                sex=phrase.sex,
                relation=phrase.relation,
                kin=kin,
                age_range=age_range,
            )
        )
    return mentions


def _past_after(tokens: Sequence[_Token], last: int, lexicon: DemographicsLexicon) -> bool:
    """Whether the word after a description is a verb in the past ("an infant developed ...")."""
    if last + 1 >= len(tokens) or not tokens[last + 1].is_word:
        return False
    word = tokens[last + 1].text
    return word in lexicon.past_verbs or (word.endswith("ed") and len(word) > 4)


def _lone_ages(
    text: str,
    tokens: Sequence[_Token],
    claimed: set[int],
    phrases: Mapping[int, _Phrase],
    lexicon: DemographicsLexicon,
    generic: bool,
) -> list[PersonMention]:
    """Patients given by an age alone: "a 49-year-old with ...", "she was 45 years old",
    "aged 34, she ...", "in her sixties"."""
    mentions = []
    for index, token in enumerate(tokens):
        age = token.age
        if age is None or index in claimed or age.group or age.event or len(age.values) != 1:
            continue
        sex: Sex | None = age.pronoun_sex
        start, end = token.start, token.end
        previous = tokens[index - 1].text if index >= 1 else ""
        if age.form in ("old", "of-age"):
            if previous in ("was", "is") and index >= 2:
                subject = tokens[index - 2]
                phrase = phrases.get(index - 2)
                opening = phrase.first if phrase is not None else index - 2
                if opening >= 1 and tokens[opening - 1].text in lexicon.event_clauses:
                    continue  # "when she was 3 years old", "before the baby is 6 weeks old"
                if phrase is not None:
                    if not phrase.ages:
                        phrase.ages.append(age)
                        phrase.last = index
                    continue
                if subject.text in lexicon.male_pronouns:
                    sex = "male"
                elif subject.text in lexicon.female_pronouns:
                    sex = "female"
                else:
                    continue
                start = subject.start
            elif age.form == "old" and previous in lexicon.determiners:
                if not _ends_phrase(tokens, index + 1, lexicon):
                    continue  # "a 10-year-old lesion"
                start = tokens[index - 1].start
            else:
                continue
        elif age.form == "decade":
            if age.plural_pronoun or generic:
                continue
        elif age.form == "aged" and (
            generic or not token.text.startswith("aged") or previous not in ("", ",", "(")
        ):
            continue  # only "Aged 34, she ..." stands alone; "until about age 5" is no one
        value = age.values[0]
        mentions.append(
            PersonMention(
                text=text[start:end],
                start=start,
                end=end,
                age_years=value,
                age_band=lexicon.band_of(value),
                sex=sex,
                age_range=age.age_range,
            )
        )
    return mentions


def _pronoun_sex(tokens: Sequence[_Token], lexicon: DemographicsLexicon) -> Sex | None:
    words = {token.text for token in tokens if token.is_word}
    male = bool(words & lexicon.male_pronouns)
    female = bool(words & lexicon.female_pronouns)
    if male == female:
        return None
    return "male" if male else "female"


def read_people(
    sentence: str, lexicon: DemographicsLexicon | None = None
) -> tuple[PersonMention, ...]:
    """Every person `sentence` describes, in order, patients and relatives (see the module doc)."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    ages = _find_ages(sentence, lexicon)
    tokens = _tokens(sentence, ages)
    if not tokens:
        return ()
    generic = lexicon.generic.search(sentence) is not None
    reported = lexicon.report.search(sentence) is not None
    claimed: set[int] = set()
    phrases = [_build_phrase(tokens, head, claimed, lexicon) for head in _heads(tokens, lexicon)]
    for phrase in phrases:
        _attach_right(tokens, phrase, claimed, lexicon)
    _relations(tokens, phrases, lexicon)
    by_head = {phrase.head: phrase for phrase in phrases}
    lone = _lone_ages(sentence, tokens, claimed, by_head, lexicon, generic)
    people = [
        mention
        for phrase in phrases
        for mention in _mentions_of(sentence, tokens, phrase, lexicon, generic, reported)
    ]
    people.extend(lone)
    people.sort(key=lambda person: person.start)
    unsexed = [person for person in people if person.sex is None]
    if len(people) == 1 and unsexed and people[0].is_patient:
        sex = _pronoun_sex(tokens, lexicon)
        if sex is not None:
            people[0] = _with_sex(people[0], sex)
    return tuple(people)


def _with_sex(person: PersonMention, sex: Sex) -> PersonMention:
    return PersonMention(
        text=person.text,
        start=person.start,
        end=person.end,
        age_years=person.age_years,
        age_band=person.age_band,
        sex=sex,
        relation=person.relation,
        kin=person.kin,
        age_range=person.age_range,
    )


def population_cues(sentence: str, lexicon: DemographicsLexicon | None = None) -> tuple[str, ...]:
    """The names of the population-statement cues in `sentence` (empty: not a group statement)."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    return tuple(name for name, pattern in lexicon.population if pattern.search(sentence))


def read_demographics(
    sentence: str, lexicon: DemographicsLexicon | None = None
) -> SentenceDemographics:
    """The people `sentence` describes and its population cues."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    return SentenceDemographics(read_people(sentence, lexicon), population_cues(sentence, lexicon))


# --- documents -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cluster:
    age: float | None
    sex: Sex | None
    age_range: tuple[float, float] | None
    band: str | None
    mentions: list[tuple[int, PersonMention]]

    def accepts(self, person: PersonMention) -> bool:
        """Whether `person` may be this patient: no sex, age or age range contradicts."""
        if self.sex is not None and person.sex is not None and self.sex != person.sex:
            return False
        if self.age is not None and person.age_years is not None:
            return abs(self.age - person.age_years) <= _SAME_AGE
        mine = self.age_range or ((self.age, self.age) if self.age is not None else None)
        theirs = person.age_range or (
            (person.age_years, person.age_years) if person.age_years is not None else None
        )
        if mine is None or theirs is None:
            return True
        return mine[0] <= theirs[1] + _SAME_AGE and theirs[0] <= mine[1] + _SAME_AGE

    def add(self, index: int, person: PersonMention) -> None:
        self.mentions.append((index, person))
        if self.sex is None:
            self.sex = person.sex
        if self.age is None and person.age_years is not None:
            self.age = person.age_years
            self.band = person.age_band
        if person.age_range is not None:
            if self.age_range is None:
                self.age_range = person.age_range
            else:
                low = max(self.age_range[0], person.age_range[0])
                high = min(self.age_range[1], person.age_range[1])
                if low <= high:
                    self.age_range = (low, high)
        if self.band is None:
            self.band = person.age_band

    def distance(self, index: int) -> int:
        return min(abs(index - other) for other, _ in self.mentions)


def _specificity(person: PersonMention) -> int:
    return (2 if person.age_years is not None else 0) + (1 if person.sex is not None else 0)


def describe_document(
    sentences: Sequence[str], lexicon: DemographicsLexicon | None = None
) -> DocumentDemographics:
    """The distinct patients described in one document's sentences (see the module doc)."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    patients: list[tuple[int, PersonMention]] = []
    relatives: list[tuple[int, PersonMention]] = []
    population: list[tuple[int, tuple[str, ...]]] = []
    for index, sentence in enumerate(sentences):
        found = read_demographics(sentence, lexicon)
        patients.extend((index, person) for person in found.patients)
        relatives.extend((index, person) for person in found.relatives)
        if found.population:
            population.append((index, found.population))
    clusters: list[_Cluster] = []
    # Complete mentions first (they define the patients), then the partial ones.
    for index, person in sorted(patients, key=lambda item: (-_specificity(item[1]), item[0])):
        fitting = [cluster for cluster in clusters if cluster.accepts(person)]
        if person.complete:
            fitting = [
                cluster
                for cluster in fitting
                if cluster.sex == person.sex and cluster.age is not None
            ]
        if fitting:
            min(fitting, key=lambda cluster: cluster.distance(index)).add(index, person)
        else:
            cluster = _Cluster(None, None, None, None, [])
            cluster.add(index, person)
            clusters.append(cluster)
    clusters.sort(key=lambda cluster: min(index for index, _ in cluster.mentions))
    return DocumentDemographics(
        patients=tuple(
            Patient(
                age_years=cluster.age,
                age_band=cluster.band,
                sex=cluster.sex,
                age_range=cluster.age_range,
                mentions=tuple(sorted(cluster.mentions, key=lambda item: (item[0], item[1].start))),
            )
            for cluster in clusters
        ),
        relatives=tuple(relatives),
        population=tuple(population),
    )


def count_patients(sentences: Sequence[str], lexicon: DemographicsLexicon | None = None) -> int:
    """How many distinct patients one document's sentences describe."""
    return len(describe_document(sentences, lexicon).patients)
