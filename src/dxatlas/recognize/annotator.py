"""`Annotator`: text in, sentences with their mentions out (concepts, kinds and assertions).

The steps: split sentences; match lexicon names per sentence (longest wins); add short forms that a
curated list allows or that the document defines ("leukemia cutis (LC)"), for the rest of the
document; then assert every mention (negated, uncertain, family or asserted) with the ConText cues.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize import abbreviations
from dxatlas.recognize.context import ContextRules
from dxatlas.recognize.lexicon import Lexicon, load_or_build
from dxatlas.recognize.matcher import Match, Matcher
from dxatlas.recognize.mention import (
    AnnotatedSentence,
    Annotation,
    Concept,
    Kind,
    Mention,
    SentenceSpan,
)
from dxatlas.recognize.sentences import split_sentences
from dxatlas.recognize.tokens import Token


class Annotator:
    """Recognises findings, diseases, user concepts and other concepts in text."""

    def __init__(self, lexicon: Lexicon, context: ContextRules | None = None) -> None:
        self.lexicon = lexicon
        self.matcher = Matcher(lexicon)
        self.context = context or ContextRules.for_language(lexicon.language)

    @classmethod
    def from_kb(
        cls, kb: KnowledgeBase, cache_dir: Path | None = None, language: str = "en"
    ) -> Annotator:
        """An annotator over the KB's lexicon, cached under `<cache_dir>/recognize/` when given."""
        return cls(load_or_build(kb, cache_dir, language))

    @property
    def version(self) -> str:
        return self.lexicon.version

    def add_concept(
        self,
        concept_id: str,
        name: str,
        synonyms: Sequence[str] = (),
        kind: Kind | str = Kind.DISEASE,
    ) -> Concept:
        """Add a user concept; it is recognised from the next call of `annotate` on."""
        return self.lexicon.add_concept(concept_id, name, tuple(synonyms), kind)

    def annotate(self, text: str, sentences: Sequence[SentenceSpan] | None = None) -> Annotation:
        """Annotate a document (pass `sentences` to reuse a split done elsewhere)."""
        spans = list(sentences) if sentences is not None else split_sentences(text)
        tokens = self.matcher.tokens(text)
        per_sentence = self._match(text, spans, tokens)
        defined = self._short_forms(text, spans, tokens, per_sentence)
        result = []
        for i, (span, mentions) in enumerate(zip(spans, per_sentence, strict=True)):
            mentions.sort(key=lambda m: m.start)
            for mention in mentions:
                mention.sentence = i
            self.context.assert_mentions(text[span.start : span.end], span.start, mentions)
            result.append(AnnotatedSentence(span, mentions))
        return Annotation(text, result, defined)

    def _mention(self, text: str, match: Match) -> Mention:
        ranked = self.lexicon.keys[match.key]
        concept = self.lexicon.concepts[ranked[0][1]]
        return Mention(
            match.start,
            match.end,
            text[match.start : match.end],
            concept,
            via=match.via,
            alternatives=tuple(concept_id for _, concept_id in ranked[1:]),
        )

    def _match(
        self, text: str, spans: list[SentenceSpan], tokens: list[Token]
    ) -> list[list[Mention]]:
        """Lexicon matches of each sentence (one pass over the document; none crosses sentences)."""
        inside: list[Token] = []
        sentence_of: list[int] = []
        position = 0
        for number, span in enumerate(spans):
            while position < len(tokens) and tokens[position].start < span.start:
                position += 1
            while position < len(tokens) and tokens[position].end <= span.end:
                inside.append(tokens[position])
                sentence_of.append(number)
                position += 1
        found: list[list[Mention]] = [[] for _ in spans]
        for match in self.matcher.find(text, inside, sentence_of):
            found[sentence_of[match.first_token]].append(self._mention(text, match))
        return found

    def _short_forms(
        self,
        text: str,
        spans: list[SentenceSpan],
        tokens: list[Token],
        per_sentence: list[list[Mention]],
    ) -> dict[str, str]:
        """Add mentions of allowed and document-defined short forms; return the definitions used."""
        everything = [m for mentions in per_sentence for m in mentions]
        defined: dict[str, tuple[int, str]] = {}  # short form -> (from offset, concept id)
        for definition in abbreviations.find_definitions(text):
            concept_id = self._long_form_concept(text, definition, everything)
            if concept_id is not None and definition.short not in defined:
                defined[definition.short] = (definition.short_start, concept_id)
        hits: list[tuple[int, int, str, str]] = []
        for short, (start, concept_id) in defined.items():
            for s, e in abbreviations.occurrences(text, short, start):
                hits.append((s, e, concept_id, "abbreviation"))
        allowed = self.lexicon.allowed_short_forms
        for token in tokens:
            concept_id = allowed.get(token.text)
            if concept_id is not None and token.text not in defined:
                hits.append((token.start, token.end, concept_id, "curated-abbreviation"))
        taken = sorted((m.start, m.end) for m in everything)
        for start, end, concept_id, via in sorted(hits):
            if any(start < b and a < end for a, b in taken):
                continue
            sentence = _sentence_of(spans, start)
            if sentence is None:
                continue
            concept = self.lexicon.concepts[concept_id]
            per_sentence[sentence].append(Mention(start, end, text[start:end], concept, via=via))
            taken.append((start, end))
        return {short: concept_id for short, (_, concept_id) in defined.items()}

    def _long_form_concept(
        self, text: str, definition: abbreviations.Definition, mentions: list[Mention]
    ) -> str | None:
        """The concept the long form of a definition names: a mention covering it, or a lookup."""
        for mention in mentions:
            if mention.end == definition.long_end and mention.start == definition.long_start:
                return mention.concept.id
        found = self.lexicon.lookup(text[definition.long_start : definition.long_end])
        return found[0].id if found else None


def _sentence_of(spans: list[SentenceSpan], offset: int) -> int | None:
    for i, span in enumerate(spans):
        if span.start <= offset < span.end:
            return i
    return None
