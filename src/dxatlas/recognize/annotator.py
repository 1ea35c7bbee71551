"""`Annotator`: text in, sentences with their mentions out (concepts, kinds and assertions).

The steps: split sentences; match lexicon names per sentence (longest wins); add short forms that a
curated list allows or that the document defines ("leukemia cutis (LC)"), for the rest of the
document; then assert every mention (negated, uncertain, family or asserted) with the ConText cues.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import attrgetter
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
from dxatlas.recognize.tokens import Scan
from dxatlas.recognize.word_senses import load_word_senses

_SIDE_WORDS = frozenset({"left", "right"})
"""Words for a side of the body that may stand inside an everyday finding's name ("a swollen
left leg"); the second matching pass of `Annotator` skips them."""


class Annotator:
    """Recognises findings, diseases, user concepts and other concepts in text."""

    def __init__(self, lexicon: Lexicon, context: ContextRules | None = None) -> None:
        self.lexicon = lexicon
        self.matcher = Matcher(lexicon)
        self.context = context or ContextRules.for_language(lexicon.language)
        # key -> (concept, alternatives) of keys whose words do not decide: a name found again
        # is not ranked again. Valid while the lexicon is unchanged (`changes`).
        self._named: dict[str, tuple[Concept, tuple[str, ...]]] = {}
        self._named_at = -1

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
        words = self.matcher.scan(text)
        per_sentence = self._match(text, spans, words)
        defined = self._short_forms(text, spans, words, per_sentence)
        context = self.context
        # The cue words of every sentence, read off the document's words in one pass.
        cue_words = context.document_words(text, words.words)
        result = []
        for i, (span, mentions) in enumerate(zip(spans, per_sentence, strict=True)):
            if mentions:  # a sentence without mentions needs no assertion work
                mentions.sort(key=_START)
                for mention in mentions:
                    mention.sentence = i
                at = None
                if cue_words is not None:
                    first = bisect_left(words.starts, span.start)
                    after = bisect_right(words.ends, span.end)
                    at = context.sentence_positions(
                        text,
                        words.words,
                        words.starts,
                        cue_words,
                        (span.start, span.end, first, after),
                    )
                context.assert_mentions(text[span.start : span.end], span.start, mentions, at)
            result.append(AnnotatedSentence(span, mentions))
        return Annotation(text, result, defined)

    def _mention(self, text: str, match: Match, words: list[str]) -> Mention:
        lexicon = self.lexicon
        key = match.key
        if key in lexicon.surface_keys:  # names that compare equal but are written apart
            concept, alternatives = _finding_over_user_disease(
                lexicon,
                *lexicon.concept_for(key, words[match.first_token : match.last_token + 1]),
            )
        else:
            named = self._named.get(key)
            if named is None:
                ranked = lexicon.keys[key]
                named = self._named[key] = _finding_over_user_disease(
                    lexicon,
                    lexicon.concepts[ranked[0][1]],
                    tuple(concept_id for _, concept_id in ranked[1:]),
                )
            concept, alternatives = named
        return Mention(
            match.start,
            match.end,
            text[match.start : match.end],
            concept,
            via=match.via,
            alternatives=alternatives,
        )

    def _match(self, text: str, spans: list[SentenceSpan], words: Scan) -> list[list[Mention]]:
        """Lexicon matches of each sentence (one pass over the document; none crosses sentences).

        Words outside every sentence are blanked in `words.norms` (a copy), so they match nothing.
        """
        norms = words.norms
        cuts: list[int] = []
        inside = 0  # words before this index are accounted for
        blanked = False
        for span in spans:
            first = bisect_left(words.starts, span.start)
            last = bisect_right(words.ends, span.end)
            if first > inside:
                if not blanked:
                    norms, blanked = list(norms), True
                norms[inside:first] = [""] * (first - inside)
            cuts.append(first)
            inside = max(inside, last)
        if inside < len(norms):
            if not blanked:
                norms = list(norms)
            norms[inside:] = [""] * (len(norms) - inside)
        scanned = Scan(words.starts, words.ends, words.words, norms)
        found: list[list[Mention]] = [[] for _ in spans]
        starts = [span.start for span in spans]
        if self._named_at != self.lexicon.changes:
            self._named.clear()
            self._named_at = self.lexicon.changes
        mention = self._mention
        senses = load_word_senses()
        for match in self.matcher.find_scanned(text, scanned, cuts):
            if senses.adjective_use(text, match.start, match.end):
                continue  # "a faint rash": an adjective, no finding
            found[bisect_right(starts, match.start) - 1].append(mention(text, match, words.words))
        self._across_side_words(text, scanned, cuts, found, starts)
        return found

    def _across_side_words(
        self,
        text: str,
        scanned: Scan,
        cuts: list[int],
        found: list[list[Mention]],
        starts: list[int],
    ) -> None:
        """Add the findings a side word interrupts: "a swollen left leg", "a painful right knee".

        Names with a side of their own ("left ventricular hypertrophy") are found by the first
        pass; this second pass skips the side words, and keeps a match only where it spans one
        and no mention found before overlaps it except inside it (which it replaces).
        """
        sides = [i for i, norm in enumerate(scanned.norms) if norm in _SIDE_WORDS]
        if not sides:
            return
        # Only the sentences with a side word are matched again: the rest is blanked.
        norms = [""] * len(scanned.norms)
        bounds = [*cuts, len(norms)]
        for k in sorted({bisect_right(cuts, i) - 1 for i in sides}):
            first = bounds[k] if k >= 0 else 0
            norms[first : bounds[k + 1]] = scanned.norms[first : bounds[k + 1]]
        for i in sides:
            norms[i] = ""
        side_starts = [scanned.starts[i] for i in sides]
        again = Scan(scanned.starts, scanned.ends, scanned.words, norms)
        senses = load_word_senses()
        for match in self.matcher.find_scanned(text, again, cuts):
            at = bisect_right(side_starts, match.start)
            if at >= len(side_starts) or side_starts[at] >= match.end:
                continue  # spans no side word: the first pass has it
            if senses.adjective_use(text, match.start, match.end):
                continue
            new = self._mention(text, match, scanned.words)
            if new.kind != Kind.FINDING:
                continue
            sentence = found[bisect_right(starts, match.start) - 1]
            overlapping = [m for m in sentence if m.start < match.end and match.start < m.end]
            if any(m.start < match.start or m.end > match.end for m in overlapping):
                continue  # crosses a mention found before: keep that one
            inside = [m for m in overlapping if m.kind == Kind.FINDING]
            for m in inside:
                sentence.remove(m)
            sentence.append(new)

    def _short_forms(
        self,
        text: str,
        spans: list[SentenceSpan],
        words: Scan,
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
        present = allowed.keys() & set(words.words)
        if present:  # most texts have none
            for i in [i for i, word in enumerate(words.words) if word in present]:
                if words.words[i] not in defined:
                    hits.append(
                        (
                            words.starts[i],
                            words.ends[i],
                            allowed[words.words[i]],
                            "curated-abbreviation",
                        )
                    )
        if not hits:
            return {short: concept_id for short, (_, concept_id) in defined.items()}
        taken = sorted((m.start, m.end) for m in everything)
        span_starts = [span.start for span in spans]
        for start, end, concept_id, via in sorted(hits):
            if any(start < b and a < end for a, b in taken):
                continue
            sentence = _sentence_of(spans, span_starts, start)
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


def _sentence_of(spans: list[SentenceSpan], starts: list[int], offset: int) -> int | None:
    """The index of the sentence holding `offset` (`starts` are the sentences' starts)."""
    i = bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < spans[i].end else None


_START = attrgetter("start")


def _finding_over_user_disease(
    lexicon: Lexicon, concept: Concept, alternatives: tuple[str, ...]
) -> tuple[Concept, tuple[str, ...]]:
    """Words that name both a stored disease concept and an HPO finding ("sore throat", "fever",
    "back pain": health sites have pages about them) are the finding: in text about a disease
    they say what the patient has, and a disease concept of the same name is still linked by
    its page, its title and its other names. Other user concepts keep winning over the KB."""
    if concept.kind != Kind.DISEASE or not concept.id.startswith("DXATLAS:"):
        return concept, alternatives
    for index, other in enumerate(alternatives):
        found = lexicon.concepts.get(other)
        if found is not None and found.kind == Kind.FINDING:
            rest = (concept.id, *alternatives[:index], *alternatives[index + 1 :])
            return found, rest
    return concept, alternatives
