"""`EvidencePipeline`: one document in, its sentences, mentions, evidence and patients stored.

`analyse` is the per-document step (split, recognise, link, extract); it writes nothing of the
document, but when a document declares a focus no concept has yet (a corpus record's `focus`) it
adds that concept to the store, so it is not pure. `process` then stores the document, its
sentences and evidence in one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dxatlas.evidence.extract import DocumentEvidence, Target, extract_evidence, link_targets
from dxatlas.evidence.sections import SectionClassifier
from dxatlas.evidence.targets import target_of_curated, target_of_state
from dxatlas.ingest.document import Document
from dxatlas.ingest.sentences import Sentence, split_sentences
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.mention import Annotation, Kind, SentenceSpan
from dxatlas.store.curated import CuratedNames
from dxatlas.store.errors import StoreError
from dxatlas.store.store import Store

FOCUS_AUTHOR = "dxatlas ingest"  # the author of concepts made from a document's declared focus


@dataclass(frozen=True, slots=True)
class Analysis:
    """A document's sentences, their annotation and the evidence extracted from them."""

    sentences: list[Sentence]
    annotation: Annotation
    evidence: DocumentEvidence


@dataclass
class PipelineTotals:
    """What a run stored, for the summary line."""

    added: int = 0
    unchanged: int = 0
    linked: int = 0  # known documents that became evidence for a further concept
    evidence: int = 0
    patients: int = 0
    without_concept: int = 0
    concepts: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        named = ", ".join(f"{name} ({n})" for name, n in self.concepts.most_common(5))
        return (
            f"stored {self.added} new document(s), {self.unchanged} unchanged"
            + (f", {self.linked} linked to a further concept" if self.linked else "")
            + "; "
            f"{self.evidence} evidence sentence(s), {self.patients} patient(s)"
            + (f"; about: {named}" if named else "")
            + (
                f"; {self.without_concept} document(s) about no known concept"
                if self.without_concept
                else ""
            )
        )


class EvidencePipeline:
    """Recognise, extract and store documents for the given concepts (or the ones they name)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        annotator: Annotator,
        store: Store,
        targets: list[Target] | None = None,
        classifier: SectionClassifier | None = None,
    ) -> None:
        self.kb = kb
        self.annotator = annotator
        self.store = store
        self.targets = targets or []
        self.classifier = classifier or SectionClassifier()
        self.stored: dict[str, Target] = {}
        for state in store.concepts():
            target = target_of_state(state)
            self.stored[state.id] = target
            annotator.add_concept(state.id, state.name, target.names[1:], Kind.DISEASE)
        self.curated = CuratedNames.from_kb(kb)
        self.totals = PipelineTotals()

    def analyse(self, document: Document) -> Analysis:
        """Split, recognise, find the concepts the document is about, and extract evidence.

        Not pure: a declared focus that names no stored concept or curated disease is added to the
        store as a new literature concept (see `_focus_target`), in its own transaction.
        """
        focus = None if self.targets else self._focus_target(document)
        sentences = split_sentences(document.text)
        spans = [SentenceSpan(s.text, s.start, s.end) for s in sentences]
        annotation = self.annotator.annotate(document.text, spans)
        if self.targets:
            targets = self.targets
        elif focus is not None:
            targets = [focus]
        else:
            targets = link_targets(annotation, document.title, self._candidates(annotation))
        return Analysis(
            sentences, annotation, extract_evidence(annotation, targets, self.classifier)
        )

    def process(self, document: Document) -> Analysis:
        """Analyse one document and store it with its evidence (one transaction)."""
        analysis = self.analyse(document)
        outcome = self.store.add_document_with_evidence(
            document, analysis.sentences, analysis.annotation.mentions, analysis.evidence
        )
        totals = self.totals
        if outcome.status == "unchanged":
            totals.unchanged += 1
            return analysis
        if outcome.status == "linked":
            totals.linked += 1
        else:
            totals.added += 1
        totals.evidence += len(analysis.evidence.items)
        totals.patients += len(analysis.evidence.patients)
        totals.dropped.update(analysis.evidence.dropped)
        if not analysis.evidence.targets:
            totals.without_concept += 1
        for target in analysis.evidence.targets:
            totals.concepts[target.name] += 1
        return analysis

    def _focus_target(self, document: Document) -> Target | None:
        """The concept a document declares it is about (a corpus record's `focus`, e.g. MedQuAD):
        a stored concept or curated disease of that name, else a new literature concept, which
        this adds to the store. The record's `synonyms` are used only when they are a list; its
        non-string items are ignored."""
        focus = document.metadata.get("focus")
        if not isinstance(focus, str) or not focus.strip():
            return None
        state = self.store.find_concept(focus)
        if state is not None:
            return self.stored.get(state.id) or target_of_state(state)
        curated = self.curated.named(focus)
        if curated:
            return target_of_curated(self.kb, curated[0])
        declared = document.metadata.get("synonyms")
        listed = declared if isinstance(declared, list) else []  # a string is not its letters
        synonyms = [s for s in listed if isinstance(s, str)]
        try:
            change = self.store.add_concept(
                focus, synonyms, author=FOCUS_AUTHOR, source="literature"
            )
        except StoreError:
            return None  # an unusable name (empty, too long): the document links by mentions
        target = target_of_state(change.concept)
        self.stored[target.id] = target
        self.annotator.add_concept(target.id, target.name, target.names[1:], Kind.DISEASE)
        return target

    def _candidates(self, annotation: Annotation) -> dict[str, Target]:
        """Targets for every disease the document names (stored concepts and curated diseases)."""
        candidates: dict[str, Target] = {}
        for mention in annotation.mentions:
            if mention.kind != Kind.DISEASE or mention.id in candidates:
                continue
            target = self.stored.get(mention.id) or target_of_curated(self.kb, mention.id)
            if target is not None:
                candidates[mention.id] = target
        return candidates
