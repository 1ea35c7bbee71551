"""Risk factors named in a case text ("history of smoking", "attends day care", "denies sick
contacts") or in a page's sentence ("smoking raises the risk"), asserted like findings.

The words are the vocabulary's (`dxatlas.kb.risk_factors`); the ConText cues decide what a text
denies ("no tobacco use", "it is not contagious"); another person's habit counts only where it is
the patient's exposure ("both parents smoke" is secondhand smoke, not the toddler's smoking).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dxatlas.ingest.sentences import split_sentences
from dxatlas.kb.risk_factors import RiskFactor, RiskVocabulary, load_risk_vocabulary
from dxatlas.recognize.context import ContextRules
from dxatlas.recognize.mention import Assertion, Concept, Kind, Mention

RISK_FACTOR_CATEGORY = "risk factor"
Status = Literal["present", "excluded"]


@dataclass(frozen=True, slots=True)
class TextRiskFactor:
    """One risk factor read in a case text: the words, and whether the text asserts or denies it."""

    id: str
    label: str
    text: str
    status: Status
    start: int
    end: int

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "text": self.text, "status": self.status}


def read_risk_factors(
    text: str,
    vocabulary: RiskVocabulary | None = None,
    context: ContextRules | None = None,
) -> tuple[TextRiskFactor, ...]:
    """The risk factors a case text asserts or denies, in text order, each once (an assertion
    wins over a denial: "never smoked cigars but smokes cigarettes")."""
    vocabulary = vocabulary or load_risk_vocabulary()
    context = context or ContextRules.for_language("en")
    found: dict[str, TextRiskFactor] = {}
    for sentence in split_sentences(text):
        for factor, mention in _mentions(
            sentence.text, sentence.start, vocabulary, context, lambda f: f.in_cases
        ):
            if mention.assertion == Assertion.NEGATED:
                status: Status = "excluded"
            elif mention.assertion == Assertion.ASSERTED or (
                mention.assertion == Assertion.FAMILY and factor.others_count
            ):
                status = "present"
            else:
                continue  # uncertain, or another person's habit
            known = found.get(factor.id)
            if known is None or (known.status == "excluded" and status == "present"):
                found[factor.id] = TextRiskFactor(
                    factor.id, factor.label, text[mention.start : mention.end], status,
                    mention.start, mention.end,
                )  # fmt: skip
    return tuple(sorted(found.values(), key=lambda factor: factor.start))


def page_risk_factors(
    sentence: str,
    vocabulary: RiskVocabulary | None = None,
    context: ContextRules | None = None,
) -> set[str]:
    """The risk factor ids a page's sentence about a disease names and does not deny ("Smoking
    may raise your risk": a page's hedge is no doubt; not "It is not contagious")."""
    vocabulary = vocabulary or load_risk_vocabulary()
    lower = sentence.lower()
    if len(lower) != len(sentence) or not vocabulary.any_in_pages.search(lower):
        return set()  # most name none (and a rare lower case that is longer would shift offsets)
    context = context or ContextRules.for_language("en")
    return {
        factor.id
        for factor, mention in _mentions(lower, 0, vocabulary, context, lambda f: f.in_pages)
        if mention.assertion != Assertion.NEGATED
    }


def _mentions(
    sentence: str,
    offset: int,
    vocabulary: RiskVocabulary,
    context: ContextRules,
    words: Callable[[RiskFactor], re.Pattern[str]],
) -> list[tuple[RiskFactor, Mention]]:
    """Each risk factor mention of one sentence (document offsets), its assertion set."""
    mentions: list[tuple[RiskFactor, Mention]] = []
    for factor in vocabulary.factors:
        concept = Concept(factor.id, factor.label, Kind.OTHER, RISK_FACTOR_CATEGORY)
        for hit in words(factor).finditer(sentence):
            start, end = offset + hit.start(), offset + hit.end()
            mentions.append((factor, Mention(start, end, hit.group(), concept)))
    # Words inside a longer factor's words ("smoke" in "both parents smoke") are that one.
    found = [mention for _, mention in mentions]
    mentions = [(f, mention) for f, mention in mentions if not mention.inside_a_longer(found)]
    context.assert_mentions(sentence, offset, [m for _, m in mentions])
    return mentions
