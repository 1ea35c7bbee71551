"""From one annotated document to evidence: which sentences speak of a concept, in which section,
asserting which findings, and which patients the document describes.

Pure: it reads an `Annotation` (sentences with mentions) and returns plain records; the caller
stores them. The rules it applies are those of the concept-page design note: boilerplate and
sentences about other diseases are dropped, negated, uncertain and family-history mentions are
never findings, and tests, drugs and procedures are never findings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from dxatlas.evidence.demographics import describe_document
from dxatlas.evidence.relevance import Reason, judge_sentence, judge_topic, names_concept
from dxatlas.evidence.sections import SectionClassifier, SentenceMention
from dxatlas.kb.normalize import normalize_name
from dxatlas.recognize.mention import AnnotatedSentence, Annotation, Assertion, Kind, Mention

PRESENTATION = "presentation"
WORKUP = "workup"
ETIOLOGY = "etiology"
_CAUSE_SECTIONS = frozenset({ETIOLOGY, "pathophysiology", "overview"})
"""Sections whose sentences can say what the concept causes (`_caused_findings`), besides the
presentation, where "Bronchitis also may cause wheezing" hedges only how often it does."""
_LISTING_SECTIONS = _CAUSE_SECTIONS | {"treatment"}
"""Sections whose symptom lists ("causing symptoms such as ...") name the concept's findings."""
WORKUP_CATEGORIES = frozenset({"test", "procedure"})


@dataclass(frozen=True, slots=True)
class Target:
    """A concept a document is about: its id, the name the page shows, and every name for it."""

    id: str
    name: str
    names: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # other ids of the same disease (ORPHA:636 for OMIM:162200)


@dataclass(frozen=True, slots=True)
class Labelled:
    """An id with its preferred label (a finding, a test, a related disease)."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One sentence that is evidence for a concept."""

    concept_id: str
    sentence: int  # index into the annotation's sentences
    section: str
    text: str
    findings: tuple[Labelled, ...]  # asserted findings (presentation) or tests named (workup)
    score: float


@dataclass(frozen=True, slots=True)
class PatientItem:
    """A distinct patient the document describes, counted once for each target concept."""

    concept_id: str
    sentence: int  # the first sentence describing them
    age_years: float | None
    sex: str | None


@dataclass
class DocumentEvidence:
    """What one document contributes, and why the other sentences were left out."""

    targets: tuple[Target, ...]
    items: list[EvidenceItem] = field(default_factory=list)
    patients: list[PatientItem] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)


def link_targets(
    annotation: Annotation, title: str | None, candidates: dict[str, Target]
) -> list[Target]:
    """The concept(s) a document is about when none is given: the disease it names most often.

    A disease named in the title counts three times; the winner needs at least two counts, so
    a page that names a disease once in passing is about nothing in particular, and at least
    half of all counts and more than any other disease, so a page about many diseases (a
    vaccine schedule naming measles, flu, polio ...) is about none of them: its sentences would
    otherwise all go to the one named most ("Then a rash of tiny, red spots breaks out." on the
    flu's page).
    """
    counts: Counter[str] = Counter()
    for mention in annotation.mentions:
        if mention.kind == Kind.DISEASE and mention.id in candidates:
            counts[mention.id] += 1
    if title:
        for target in candidates.values():
            if names_concept(title, target.names or (target.name,)):
                counts[target.id] += 3
    if not counts:
        return []
    (best, count), *rest = counts.most_common(2)
    dominant = 2 * count >= sum(counts.values()) and not (rest and rest[0][1] == count)
    return [candidates[best]] if count >= 2 and dominant else []


def extract_evidence(
    annotation: Annotation,
    targets: Sequence[Target],
    classifier: SectionClassifier,
) -> DocumentEvidence:
    """Evidence items and patients of one annotated document for each of its target concepts."""
    result = DocumentEvidence(targets=tuple(targets))
    if not targets:
        result.dropped["no concept"] += len(annotation.sentences)
        return result
    defined = annotation.abbreviations  # short form -> concept id, defined in this document
    in_list = False  # after a lead-in ending with a colon, until the next prose sentence
    lead_in = ""  # the last sentence before the current list
    lead_in_section: dict[str, str | None] = {}
    for index, sentence in enumerate(annotation.sentences):
        text = sentence.sentence.text
        verdict = judge_sentence(text)
        short = verdict.reason in (Reason.HEADING, Reason.TOO_SHORT)
        # A short item of a list ("See your doctor if you:" "Have a high fever", or a bulleted
        # "- Muscle pain") has a heading's shape or is too short to stand alone; it stays as a
        # presentation sentence when it names a finding, unless its lead-in says the list is of
        # something else ("Causes of DIC include:" "- Cancer").
        list_item = (
            short
            and (in_list or _after_bullet(annotation.text, sentence.sentence.start))
            and any(m.kind == Kind.FINDING for m in sentence.mentions)
        )
        if list_item and lead_in:
            if lead_in not in lead_in_section:
                lead_in_section[lead_in] = classifier.classify(lead_in, targets[0].name).section
            list_item = lead_in_section[lead_in] in (None, PRESENTATION)
        if not short:
            in_list = text.rstrip().endswith(":")
            lead_in = text
        if verdict.off_topic and not list_item:
            result.dropped[str(verdict.reason)] += 1
            continue
        for target in targets:
            item = _evidence_for(index, sentence, target, defined, classifier, result)
            if item is not None and list_item and item.section != PRESENTATION:
                result.dropped[str(Reason.HEADING)] += 1
            elif item is not None:
                result.items.append(item)
    described = describe_document([s.sentence.text for s in annotation.sentences])
    for patient in described.patients:
        first = patient.mentions[0][0] if patient.mentions else 0
        sex = str(patient.sex) if patient.sex is not None else None
        for target in targets:
            result.patients.append(PatientItem(target.id, first, patient.age_years, sex))
    return result


_BULLET_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?:[\u2022\u00b7\u25aa\u25e6\u25cf*]|[-\u2013\u2014])[ \t]*$"
)


def _after_bullet(text: str, start: int) -> bool:
    """Whether the sentence at `start` opens a line with a bullet ("- Muscle pain")."""
    return bool(_BULLET_BEFORE.search(text, max(0, start - 40), start))


def _evidence_for(
    index: int,
    sentence: AnnotatedSentence,
    target: Target,
    defined: dict[str, str],
    classifier: SectionClassifier,
    result: DocumentEvidence,
) -> EvidenceItem | None:
    text = sentence.sentence.text
    mentions = sentence.mentions
    names = (*target.names, *(short for short, concept in defined.items() if concept == target.id))
    diseases = {m.id for m in mentions if m.kind == Kind.DISEASE}
    classification = classifier.classify(text, target.name, [_for_classifier(m) for m in mentions])
    section = classification.section
    topic = judge_topic(
        target.id, diseases, names_concept(text, names or (target.name,)), target.related
    )
    # A sentence about another disease is off-topic, except under etiology: in a document about
    # the concept, a disease named there is a cause or predisposition (Down syndrome for
    # leukemia cutis), and the page links it.
    if topic.off_topic and section != ETIOLOGY:
        result.dropped[str(topic.reason)] += 1
        return None
    if section is None:
        result.dropped["no section"] += 1
        return None
    # The concept is no finding of itself ("Half the people who have pulmonary embolism have no
    # symptoms" lists no finding of pulmonary embolism, though the HPO has a term of that name).
    own = frozenset(normalize_name(name) for name in names or (target.name,))
    listed = _findings(mentions, section, text)
    if section in _CAUSE_SECTIONS or section == PRESENTATION:
        listed = _unique([*listed, *_caused_findings(sentence, names or (target.name,))])
    findings = tuple(f for f in listed if normalize_name(f.label) not in own)
    # Informative first: a confident section, findings named.
    score = classification.confidence + 0.25 * min(len(findings), 4)
    shown = without_repeated_list(text.strip())
    return EvidenceItem(target.id, index, section, shown, findings, round(score, 3))


_LIST_DASH = re.compile(r"\s+-\s+")
_TAIL = re.compile(r"^(?P<item>.*?[.!?])\s+(?P<tail>[^.!?]+)[.!?]?$")


def without_repeated_list(text: str) -> str:
    """`text` without the copy of its one-line list that some flattened pages append after the
    full stop ("Counseling can be provided by - psychiatrists - social workers. psychiatrists
    social workers."): the items again, without their dashes."""
    parts = _LIST_DASH.split(text)
    if len(parts) < 3:
        return text
    last = _TAIL.match(parts[-1])
    if last is None:
        return text
    items = [*parts[1:-1], last.group("item")]
    said = "".join("".join(items).lower().split()).rstrip(".!?")
    tail = "".join(last.group("tail").lower().split())
    if len(tail) < 10 or not said.startswith(tail):
        return text
    return text[: len(text) - len(parts[-1])] + last.group("item")


_SYMPTOM_LIST = re.compile(
    r"\b(?:symptoms?|signs?|features?|complaints?|manifestations?)\b[^.;]{0,60}?"
    r"\b(?:include|includes|including|such as|are|:)"
    r"|^(?:they|these|this|it|the disease|the condition|the infection)\s+"
    r"(?:(?:may|can|might|could|often|usually|commonly)\s+)?(?:include|includes|cause|causes)\b",
    re.IGNORECASE,
)
"""A sentence that lists what a disease presents with: "Symptoms may include ...", "causing
symptoms such as ...", "They may include ...". Its hedge ("may") says the findings vary between
patients, not that they are doubtful: they are the disease's findings."""


_GENERIC_MODAL = re.compile(
    r"\b(?:you|people|persons|patients|individuals|children|kids|adults|babies|infants|"
    r"newborns|teens|women|men|girls|boys|females|males|some|many|most|they|it|this condition|"
    r"the (?:condition|disease|disorder|infection|illness|skin|rash|area|sores?|blisters?|"
    r"symptoms?)|your \w+)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:may|might|can|could)\s+(?!have had\b|have been\b|be\b)",
    re.IGNORECASE,
)
"""A modal said of people in general, of "you" or of the condition: "You may feel tired",
"People with X may have a sore throat", "The skin may blister". On a disease's page this says
a finding varies between patients, as a hedged symptom list does. Doubt about one patient ("The
patient may have pneumonia", "A boy with X may have had seizures") does not match."""

_DOUBT = re.compile(
    r"\b(?:if|whether|possibl[ey]|probabl[ey]|suspect(?:ed)?|unlikely|rule[ds]? out|"
    r"risk|versus|vs|evaluat\w*|screen\w*|worr\w*|concern\w*|complications?)\b",
    re.IGNORECASE,
)
"""Words of real doubt or of what might come later, with which a modal stays a hedge."""


_NAMED_SYMPTOMS = re.compile(
    r"\b(?:symptoms?|signs?)\b[^.;]{0,60}?\b(?:include|includes|including|such as)\b",
    re.IGNORECASE,
)
"""The words of a symptom list in a sentence of another section: "The air sacs fill with fluid,
causing symptoms such as a cough, fever and chills" (etiology), "to relieve symptoms such as
fever, bleeding, or pain" (treatment). The symptoms it names are the concept's all the same."""


def _findings(mentions: Sequence[Mention], section: str, text: str = "") -> tuple[Labelled, ...]:
    """Presentation sentences list their asserted findings (and, in a sentence that lists a
    disease's symptoms or says what people with it may have, its hedged ones), and so does a
    symptom list in an etiology, mechanism, overview or treatment sentence; workup sentences
    the tests they name."""
    if section == PRESENTATION or (section in _LISTING_SECTIONS and _NAMED_SYMPTOMS.search(text)):
        hedged_ok = bool(_SYMPTOM_LIST.search(text)) or bool(
            _GENERIC_MODAL.search(text) and not _DOUBT.search(text)
        )
        chosen = (
            m
            for m in mentions
            if m.kind == Kind.FINDING
            and (
                m.assertion == Assertion.ASSERTED
                or (hedged_ok and m.assertion == Assertion.UNCERTAIN)
            )
        )
    elif section == WORKUP:
        chosen = (
            m
            for m in mentions
            if m.kind == Kind.OTHER
            and m.concept.category in WORKUP_CATEGORIES
            and m.assertion != Assertion.NEGATED
        )
    else:
        return ()
    return _unique(Labelled(m.id, m.label) for m in chosen)


_CAUSES = re.compile(
    r"\b(?:causes|causing|cause|produces|producing|produce|results in|resulting in)\b"
    r"(?!\s+(?:of|by|for|is|are|was|were|include|includes|can|may)\b)",
    re.IGNORECASE,
)
_NOUN_BEFORE = re.compile(
    r"\b(?:a|an|the|its|their|no|one|main|genetic|common|underlying|different|many|known|"
    r"apparent|exact|specific|primary|root|same|likely|possible|other|several|whose|any)\s*$",
    re.IGNORECASE,
)
_MECHANISM = re.compile(
    r"\b(?:how|why|whether|unclear|unknown|gene|genes|mutations?|variants?|changes? in)\b",
    re.IGNORECASE,
)
_SUBJECT_MAX = 100  # characters before the verb that can still be the sentence's subject


def _caused_findings(sentence: AnnotatedSentence, names: Sequence[str]) -> list[Labelled]:
    """The findings a sentence says the concept causes, named after the verb: "Rickets is a
    condition that causes children to have soft, weak bones", "Women can get vaginal yeast
    infections, causing itchiness, pain and discharge". The concept must be named before the
    verb (its subject), and a sentence about how genes cause it gives none."""
    text = sentence.sentence.text
    verb = next(
        (v for v in _CAUSES.finditer(text) if not _NOUN_BEFORE.search(text, 0, v.start())),
        None,
    )
    if verb is None or verb.start() > _SUBJECT_MAX:
        return []
    subject = text[: verb.start()]
    if _MECHANISM.search(subject) or not names_concept(subject, names):
        return []
    after = sentence.sentence.start + verb.end()
    return [
        Labelled(m.id, m.label)
        for m in sentence.mentions
        if m.kind == Kind.FINDING
        and m.start >= after
        and m.assertion in (Assertion.ASSERTED, Assertion.UNCERTAIN)
    ]


def _unique(items) -> tuple[Labelled, ...]:  # type: ignore[no-untyped-def]
    seen: dict[str, Labelled] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return tuple(seen.values())


def _for_classifier(mention: Mention) -> SentenceMention:
    kind = mention.concept.category if mention.kind == Kind.OTHER else str(mention.kind)
    return SentenceMention(kind or "other", str(mention.assertion), mention.id, mention.text)
