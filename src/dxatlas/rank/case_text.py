"""Reading a case written in words: the findings it asserts or denies, the patient's age and sex.

"61 year old male. Fever, dry cough and difficulty breathing for four days; lost his sense of
smell. No sore throat, no chest pain." gives fever, dry cough, dyspnea and anosmia present, sore
throat and chest pain excluded, age 61, sex male. The recogniser does the words (lay terms,
clinical terms, negation scope over lists); the demographics reader does the age and sex. Only
findings count: a test, drug or disease named in the text never becomes a finding, and uncertain
or family-history mentions are left out (they say nothing about the patient now). Vital signs
written as numbers ("heart rate 112 bpm", "38.3°C") become findings when abnormal
(`rank.vital_signs`). With a `SpellingCorrector`, misspelt finding words ("athralgias") are read
as the finding word they stand for, and each correction is reported (`CaseText.corrections`).
A finding stated with a verb ("the leg became painful and swollen", "my throat is sore") is read
too (`rank.predicates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from dxatlas.evidence.demographics import PersonMention, read_people
from dxatlas.ingest.sentences import split_sentences
from dxatlas.rank.case_history import history_spans, in_history
from dxatlas.rank.predicates import stated_findings
from dxatlas.rank.risk_mentions import TextRiskFactor, read_risk_factors
from dxatlas.rank.vital_signs import read_vital_signs
from dxatlas.recognize.mention import Assertion, Kind, Mention
from dxatlas.recognize.spelling import Correction, apply_corrections, corrector_for

if TYPE_CHECKING:
    from dxatlas.rank.ranker import Ranker
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.recognize.spelling import SpellingCorrector

Status = Literal["present", "excluded"]

_MALE_PRONOUNS = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_FEMALE_PRONOUNS = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
_UNIT_YEARS = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}
_AGE_PHRASE = re.compile(
    r"\b(\d{1,3}(?:\.\d+)?)[- ](year|month|week|day)s?[- ]old\b(?P<after>(?:\s+[a-z]+){0,3})",
    re.IGNORECASE,
)
_SEX_WORDS = {
    "male": "male", "man": "male", "boy": "male", "son": "male", "gentleman": "male",
    "female": "female", "woman": "female", "girl": "female", "daughter": "female", "lady": "female",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TextFinding:
    """One finding read from the text: the HPO term, the words it was read from, and whether
    the text asserts it (present) or denies it (excluded)."""

    id: str
    label: str
    text: str
    status: Status
    start: int
    end: int
    history: bool = False  # a present finding of the patient's past or background history

    def as_json(self) -> dict[str, str | bool]:
        found: dict[str, str | bool] = {
            "id": self.id,
            "label": self.label,
            "text": self.text,
            "status": self.status,
        }
        if self.history:
            found["history"] = True
        return found


@dataclass(frozen=True, slots=True)
class CaseText:
    """What a case text says: findings in text order, and the patient's age and sex if stated."""

    findings: tuple[TextFinding, ...]
    age_years: float | None
    age_text: str | None
    sex: Literal["male", "female"] | None
    corrections: tuple[Correction, ...] = ()  # misspelt words read as finding words
    risk_factors: tuple[TextRiskFactor, ...] = ()  # smoking, day care ... asserted or denied

    @property
    def present_risk_factors(self) -> list[str]:
        """The risk factor ids the text asserts (`dxatlas.kb.risk_factors`)."""
        return [r.id for r in self.risk_factors if r.status == "present"]

    @property
    def present(self) -> list[str]:
        """Findings of the illness the text asks about (history findings left out)."""
        return list(
            dict.fromkeys(f.id for f in self.findings if f.status == "present" and not f.history)
        )

    @property
    def history(self) -> list[str]:
        """Present findings of the patient's past or background history only."""
        present = set(self.present)
        return list(dict.fromkeys(f.id for f in self.findings if f.history and f.id not in present))

    @property
    def excluded(self) -> list[str]:
        present = set(self.present)
        return list(
            dict.fromkeys(
                f.id for f in self.findings if f.status == "excluded" and f.id not in present
            )
        )


def read_case_text(
    text: str, annotator: Annotator, spelling: SpellingCorrector | None = None
) -> CaseText:
    """The findings, age and sex of a case text (see the module docstring)."""
    findings: list[TextFinding] = []
    corrections = spelling.corrections(text) if spelling is not None else []
    read, original = apply_corrections(text, corrections)
    read = _unlist_redness(read)
    mentions = [m for m in annotator.annotate(read).mentions if m.kind == Kind.FINDING]
    past = history_spans(read)
    for mention in mentions:
        # A mention inside a longer one ("cough" in "non-productive cough") is part of that
        # finding, not a finding of its own: the longer words say what the patient has.
        if mention.inside_a_longer(mentions) or _describes_another(mention, read):
            continue
        if mention.assertion == Assertion.ASSERTED:
            status: Status = "present"
        elif mention.assertion == Assertion.NEGATED:
            status = "excluded"
        else:
            continue
        start, end = original(mention.start), original(mention.end)
        findings.append(
            TextFinding(
                mention.id,
                mention.label,
                text[start:end],
                status,
                start,
                end,
                history=status == "present" and in_history(mention.start, mention.end, past),
            )
        )
    read_ids = {f.id for f in findings}
    for stated in stated_findings(read, annotator):
        if stated.id in read_ids:
            continue  # in words already ("a swollen leg ... the leg is swollen")
        start, end = original(stated.start), original(stated.end)
        history = in_history(stated.start, stated.end, past)
        findings.append(
            TextFinding(stated.id, stated.label, text[start:end], "present", start, end, history)
        )
        read_ids.add(stated.id)
    age_years, age_text, sex = _patient(text)
    named = {f.id for f in findings if f.status == "present"}
    concepts = annotator.lexicon.concepts
    for vital in read_vital_signs(text, age_years):
        if vital.id in named or vital.id not in concepts:
            continue  # already in words ("febrile, 38.5°C"), or a term this HPO lacks
        findings.append(
            TextFinding(
                vital.id,
                concepts[vital.id].label,
                text[vital.start : vital.end],
                "present",
                vital.start,
                vital.end,
            )
        )
        named.add(vital.id)
    findings.sort(key=lambda f: f.start)
    used = [c for c in corrections if any(f.start <= c.start < f.end for f in findings)]
    return CaseText(tuple(findings), age_years, age_text, sex, tuple(used), read_risk_factors(text))


_ATTRIBUTIVE_REDNESS = re.compile(r"erythematous|erythematic", re.IGNORECASE)
_SKIN_HEAD = re.compile(
    r"\s+(?:skin|patch|patches|area|areas|plaques?|macules?|papules?|nodules?|lesions?|"
    r"streaks?|swelling)\b",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(
    r"\s+(?!(?:and|or|but|with|without|in|on|over|at|around|to|from|near|along|when|if)\b)[a-z]",
    re.IGNORECASE,
)  # a word that is not a conjunction or preposition: "erythematous and swollen" is said of it


def _describes_another(mention: Mention, text: str) -> bool:
    """ "Erythematous" right before what it describes ("an erythematous macular rash", "a
    bulging, erythematous tympanic membrane") is the colour of that rash or membrane, not a
    second finding of skin redness: the rash says it, and a red eardrum is no skin erythema.
    Said of the skin ("erythematous skin", "the area is erythematous") it stays erythema."""
    if not _ATTRIBUTIVE_REDNESS.fullmatch(mention.text):
        return False
    after = text[mention.end :]
    return bool(_NEXT_WORD.match(after)) and not _SKIN_HEAD.match(after)


_LISTED_REDNESS = re.compile(r"(?<=\w),\s*(?:erythematous|erythematic)(?=\s+[a-z])", re.IGNORECASE)


def _unlist_redness(text: str) -> str:
    """The text with a listed attributive redness word blanked out (same length: offsets hold):
    in "a bulging, erythematous tympanic membrane" the redness is the membrane's colour (never a
    finding of its own, see `_describes_another`), and without it the words left name one
    finding, "bulging tympanic membrane", which the list had kept apart."""
    out = text
    for found in _LISTED_REDNESS.finditer(text):
        word_end = found.end()
        if _NEXT_WORD.match(text, word_end) and not _SKIN_HEAD.match(text, word_end):
            out = out[: found.start()] + " " * (found.end() - found.start()) + out[found.end() :]
    return out


def _patient(text: str) -> tuple[float | None, str | None, Literal["male", "female"] | None]:
    """The age and sex of the first patient the text describes; the sex falls back to the text's
    third-person pronouns when they all agree ("lost his sense of smell")."""
    people: list[PersonMention] = []
    for sentence in split_sentences(text):
        people.extend(p for p in read_people(sentence.text) if p.is_patient)
    aged = next((p for p in people if p.age_years is not None), None)
    sexed = next((p for p in people if p.sex is not None), None)
    sex = sexed.sex if sexed is not None else None
    if aged is not None:
        return aged.age_years, aged.text, sex or _pronoun_sex(text)  # type: ignore[return-value]
    # The demographics reader wants a person noun it knows ("an 18-year-old male student", "a
    # 5-month-old baby boy" escape it); a case text describes one patient, so its first
    # "N-unit-old" phrase is that patient's age, and a sex word just after it their sex.
    found = _AGE_PHRASE.search(text)
    if found is None:
        return None, None, sex or _pronoun_sex(text)  # type: ignore[return-value]
    years = float(found.group(1)) * _UNIT_YEARS[found.group(2).lower()]
    words = found.group("after").lower().split()
    sex = sex or next((_SEX_WORDS[w] for w in words if w in _SEX_WORDS), None)
    phrase = found.group(0)[: found.start("after") - found.start()]
    return years, phrase, sex or _pronoun_sex(text)  # type: ignore[return-value]


def _pronoun_sex(text: str) -> Literal["male", "female"] | None:
    male = bool(_MALE_PRONOUNS.search(text))
    female = bool(_FEMALE_PRONOUNS.search(text))
    if male and not female:
        return "male"
    if female and not male:
        return "female"
    return None


def no_complaint_message(read: CaseText | None = None) -> str:
    """The error for a case text with no present finding; it names what was read as past
    history only (a ranking from a patient's past conditions alone would mean nothing)."""
    message = (
        "no present finding recognised in the text: name findings in plain words "
        "(e.g. 'fever', 'sore throat') or give HPO ids"
    )
    past = list(dict.fromkeys(f.label for f in read.findings if f.history)) if read else []
    if past:
        message += f" (read as past history only: {', '.join(past)}; describe the complaint too)"
    return message


def findings_with_words(findings: list[dict[str, Any]], read: CaseText) -> list[dict[str, Any]]:
    """The findings of a differential's JSON, each with the words of the text it was read from
    ("text"; the id itself for a finding given as an id or name)."""
    words: dict[tuple[str, str], list[str]] = {}
    for found in read.findings:
        words.setdefault((found.id, found.status), []).append(found.text)
    for finding in findings:
        said = words.get((finding["id"], finding["status"]))
        finding["text"] = "; ".join(dict.fromkeys(said)) if said else finding["id"]
    return findings


def risk_factors_with_words(given: list[dict[str, Any]], read: CaseText) -> list[dict[str, Any]]:
    """The answer's risk factors (`differential_json`: those the case was ranked with) with the
    words each was read from, then those the text denies."""
    words = {r.id: r.text for r in read.risk_factors}
    out = [{**item, "text": words.get(item["id"], item["id"])} for item in given]
    out += [r.as_json() for r in read.risk_factors if r.status == "excluded"]
    return out


def diagnose_text(
    ranker: Ranker,
    annotator: Annotator,
    text: str,
    *,
    age: str | float | None = None,
    sex: str | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """The JSON of `dxatlas diagnose --text TEXT --json`: findings read from the text (an age or
    sex given wins over the text's), ranked. Raises `CaseError` when no present finding is read."""
    from dxatlas.rank.case import Case, CaseError
    from dxatlas.rank.report import differential_json

    read = read_case_text(text, annotator, corrector_for(ranker.kb))
    if not read.present:
        raise CaseError(no_complaint_message(read))
    case = Case.build(
        ranker.kb,
        read.present,
        read.excluded,
        age if age is not None else read.age_years,
        sex or read.sex,
        history=read.history,
        risk_factors=read.present_risk_factors,
    )
    payload = differential_json(ranker.kb, case, ranker.rank(case, top=top))
    payload["findings"] = findings_with_words(payload["findings"], read)
    payload["risk_factors"] = risk_factors_with_words(payload["risk_factors"], read)
    if read.corrections:
        payload["spelling"] = [c.as_json() for c in read.corrections]
    return payload
