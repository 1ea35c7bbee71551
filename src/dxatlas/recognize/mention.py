"""`Mention`: one recognised concept in a text, with what it is and whether the text asserts it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a concept is, so later steps never treat a test or a drug as a symptom."""

    FINDING = "finding"  # a phenotypic abnormality (HPO term under HP:0000118)
    DISEASE = "disease"  # a curated disease or a user concept
    MODIFIER = "modifier"  # other HPO terms: inheritance, onset, frequency, clinical course
    OTHER = "other"  # a test, procedure, drug, organism or body part (see `category`)


class Assertion(StrEnum):
    """What the text says about the concept."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    UNCERTAIN = "uncertain"  # possible, suspected, hypothetical ("if ... develops")
    FAMILY = "family"  # about someone else: "her mother had ..."


@dataclass(frozen=True, slots=True)
class Concept:
    """A concept the recogniser knows: id, preferred label, kind and (for `other`) a category."""

    id: str
    label: str
    kind: Kind
    category: str | None = None


@dataclass(slots=True)
class Mention:
    """A concept found at `start:end` of the document (offsets index the original text)."""

    start: int
    end: int
    text: str
    concept: Concept
    sentence: int = 0  # index of the sentence it is in
    assertion: Assertion = Assertion.ASSERTED
    # How it was found: "lexicon"; "inside-disease-name" / "inside-finding-name" (a finding named
    # within a longer name); "coordination" ("cleft lip and palate"); "abbreviation" (defined in the
    # text) or "curated-abbreviation".
    via: str = "lexicon"
    alternatives: tuple[str, ...] = ()  # other concept ids named by the same words

    @property
    def id(self) -> str:
        return self.concept.id

    @property
    def label(self) -> str:
        return self.concept.label

    @property
    def kind(self) -> Kind:
        return self.concept.kind

    def inside_a_longer(self, others: Iterable[Mention]) -> bool:
        """Whether one of `others` spans this mention's words and more ("cough" in
        "non-productive cough", "smoke" in "both parents smoke"): the longer words say it."""
        return any(
            other.start <= self.start
            and self.end <= other.end
            and (other.end - other.start) > (self.end - self.start)
            for other in others
        )

    def to_dict(self) -> dict:
        """A JSON-ready record."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "id": self.concept.id,
            "label": self.concept.label,
            "kind": str(self.concept.kind),
            "category": self.concept.category,
            "assertion": str(self.assertion),
            "sentence": self.sentence,
            "via": self.via,
            "alternatives": list(self.alternatives),
        }


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence of the document: its text and offsets."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class AnnotatedSentence:
    """A sentence with the mentions that lie in it."""

    sentence: SentenceSpan
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {**asdict(self.sentence), "mentions": [m.to_dict() for m in self.mentions]}


@dataclass(slots=True)
class Annotation:
    """The result of annotating one document: its sentences with their mentions."""

    text: str
    sentences: list[AnnotatedSentence]
    abbreviations: dict[str, str] = field(default_factory=dict)  # short form -> concept id

    @property
    def mentions(self) -> list[Mention]:
        return [mention for sentence in self.sentences for mention in sentence.mentions]

    def to_dict(self) -> dict:
        return {
            "sentences": [s.to_dict() for s in self.sentences],
            "abbreviations": self.abbreviations,
        }
