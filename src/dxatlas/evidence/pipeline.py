"""The evidence pipeline: one document in, its sentences, mentions, evidence and patients stored.

Three steps, kept apart so that `ingest --workers` can run the middle one on other machines:

- `FocusResolver.resolve` reads (and may write) the store: the concept a document declares it is
  about (a corpus record's `focus`), made a new literature concept when nothing has that name;
- `DocumentAnalyser.analyse` is pure computation: split, recognise, link, extract. Its only state
  is the vocabulary it recognises, which grows when it `learn`s a concept made for a focus;
- `EvidenceWriter.record` stores the document, its sentences and evidence in one transaction.

`EvidencePipeline` chains the three for one document at a time (the serial `dxatlas ingest`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from dxatlas.evidence.extract import DocumentEvidence, Target, extract_evidence, link_targets
from dxatlas.evidence.sections import SectionClassifier
from dxatlas.evidence.targets import target_of_curated, target_of_state
from dxatlas.ingest.document import Document
from dxatlas.ingest.sentences import Sentence, split_sentences
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.normalize import normalize_name
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.mention import Annotation, Kind, Mention, SentenceSpan
from dxatlas.store.curated import CuratedNames
from dxatlas.store.documents import IngestOutcome
from dxatlas.store.errors import DatabaseUnavailable, StoreError
from dxatlas.store.literature import declares_disorder, not_disorders
from dxatlas.store.store import Store

FOCUS_AUTHOR = "dxatlas ingest"  # the author of concepts made from a document's declared focus


@dataclass(frozen=True, slots=True)
class DocumentRows:
    """What the store needs of an analysed document: plain, picklable rows (no document text)."""

    sentences: list[Sentence]
    mentions: list[Mention]
    evidence: DocumentEvidence


@dataclass(frozen=True, slots=True)
class Analysis:
    """A document's sentences, their annotation and the evidence extracted from them."""

    sentences: list[Sentence]
    annotation: Annotation
    evidence: DocumentEvidence

    def rows(self) -> DocumentRows:
        """The rows to store."""
        return DocumentRows(self.sentences, self.annotation.mentions, self.evidence)


@dataclass(frozen=True, slots=True)
class Focus:
    """The concept a document declares it is about, if any; `new` when it was made for it (the
    analyser must then `learn` it before analysing the document)."""

    target: Target | None = None
    new: bool = False


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


def stored_targets(store: Store) -> dict[str, Target]:
    """The store's (visible) concepts as targets, by id: what a run starts out recognising."""
    return {state.id: target_of_state(state) for state in store.concepts()}


class FocusResolver:
    """Finds (or makes) the concept a document declares it is about; reads and writes the store."""

    def __init__(self, kb: KnowledgeBase, store: Store, stored: dict[str, Target]) -> None:
        """`stored`: the run's known concepts by id; concepts made here are added to it."""
        self.kb = kb
        self.store = store
        self.stored = stored
        self.curated = CuratedNames.from_kb(kb)

    def resolve(self, document: Document) -> Focus:
        """The concept a document declares (a corpus record's `focus`, e.g. MedQuAD): a stored
        concept or curated disease of that name, else a new literature concept, which this adds to
        the store. The record's `synonyms` are used only when they are a list; its non-string
        items are ignored. A name the store refuses (empty, too long) is no focus; a database
        that fails (disk full, gone) raises `DatabaseUnavailable`."""
        focus = document.metadata.get("focus")
        if not isinstance(focus, str) or not focus.strip():
            return Focus()
        # A name beats a synonym, and a curated disease's name a stored concept's synonym: a
        # page on "Amyotrophic lateral sclerosis" is not about "ALS type 6", whose page lists
        # that name as a synonym (which name won had depended on the order of the records).
        state = self.store.find_concept(focus, synonyms=False)
        curated = self.curated.named(focus)
        if state is None and not curated:
            state = self.store.find_concept(focus)
        if state is not None:
            return Focus(self.stored.get(state.id) or target_of_state(state))
        if curated:
            return Focus(target_of_curated(self.kb, curated[0]))
        declared = document.metadata.get("synonyms")
        listed = declared if isinstance(declared, list) else []  # a string is not its letters
        synonyms = [s for s in listed if isinstance(s, str)]
        try:
            change = self.store.add_concept(
                focus, synonyms, author=FOCUS_AUTHOR, source="literature"
            )
        except DatabaseUnavailable:
            raise
        except StoreError:
            return Focus()  # an unusable name: the document links by its mentions
        target = target_of_state(change.concept)
        self.stored[target.id] = target
        return Focus(target, new=True)


class DocumentAnalyser:
    """Split, recognise, link and extract: a document in, its `Analysis` out; writes nothing."""

    def __init__(
        self,
        kb: KnowledgeBase,
        annotator: Annotator,
        known: Mapping[str, Target],
        targets: Sequence[Target] = (),
        classifier: SectionClassifier | None = None,
    ) -> None:
        """`known`: the concepts `annotator` already recognises as diseases (stored concepts), by
        id; `targets`: the concepts every document is about (`--concept`), else none."""
        self.kb = kb
        self.annotator = annotator
        self.known = dict(known)
        self.targets = list(targets)
        self.classifier = classifier or SectionClassifier()

    @classmethod
    def teaching(
        cls,
        kb: KnowledgeBase,
        annotator: Annotator,
        concepts: Iterable[Target],
        targets: Sequence[Target] = (),
        classifier: SectionClassifier | None = None,
    ) -> DocumentAnalyser:
        """An analyser whose annotator first learns `concepts` (the store's, at the run's start)."""
        analyser = cls(kb, annotator, {}, targets, classifier)
        for target in concepts:
            analyser.learn(target)
        return analyser

    def learn(self, target: Target) -> None:
        """Recognise a concept's names as a disease from the next document on."""
        self.annotator.add_concept(target.id, target.name, target.names[1:], Kind.DISEASE)
        self.known[target.id] = target

    def analyse(self, document: Document, focus: Target | None = None) -> Analysis:
        """Split, recognise, find the concepts the document is about, and extract evidence.

        The concepts: `targets` when given, else `focus` (the document's declared one), else the
        disease the document names most.
        """
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

    def _candidates(self, annotation: Annotation) -> dict[str, Target]:
        """Targets for every disease the document names (stored concepts and curated diseases)."""
        candidates: dict[str, Target] = {}
        for mention in annotation.mentions:
            if mention.kind != Kind.DISEASE or mention.id in candidates:
                continue
            target = self.known.get(mention.id) or target_of_curated(self.kb, mention.id)
            if target is not None:
                candidates[mention.id] = target
        return candidates


class EvidenceWriter:
    """Stores analysed documents (one transaction each) and counts what was stored."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.totals = PipelineTotals()

    def record(self, document: Document, rows: DocumentRows) -> IngestOutcome:
        """Store one document with its rows; idempotent on the content hash (see `Store`)."""
        outcome = self.store.add_document_with_evidence(
            document, rows.sentences, rows.mentions, rows.evidence
        )
        totals = self.totals
        if outcome.status == "unchanged":
            totals.unchanged += 1
            return outcome
        if outcome.status == "linked":
            totals.linked += 1
        else:
            totals.added += 1
        evidence = rows.evidence
        totals.evidence += len(evidence.items)
        totals.patients += len(evidence.patients)
        totals.dropped.update(evidence.dropped)
        if not evidence.targets:
            totals.without_concept += 1
        for target in evidence.targets:
            totals.concepts[target.name] += 1
        return outcome


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
        """The store's concepts are added to `annotator`, so documents that name them link."""
        self.kb = kb
        self.annotator = annotator
        self.store = store
        self.targets = targets or []
        known = stored_targets(store)
        # A concept whose pages say it is no disorder (surgery, blood, a drug with street names
        # such as "ice" and "speed") is not recognised as a disease in text: its everyday words
        # would make sentences of other pages "about another disease" and link documents to it.
        no_disorder = not_disorders(store.declared_foci())
        self.analyser = DocumentAnalyser.teaching(
            kb,
            annotator,
            [t for t in known.values() if normalize_name(t.name) not in no_disorder],
            self.targets,
            classifier,
        )
        self.resolver = FocusResolver(kb, store, known)
        self.writer = EvidenceWriter(store)

    @property
    def totals(self) -> PipelineTotals:
        """What the run stored so far."""
        return self.writer.totals

    def analyse(self, document: Document) -> Analysis:
        """Find the document's focus (with `--concept` targets, none), then analyse it.

        Not pure: a declared focus that names no stored concept or curated disease is added to the
        store as a new literature concept (see `FocusResolver`), in its own transaction.
        """
        focus = Focus() if self.targets else self.resolver.resolve(document)
        if focus.new and focus.target is not None and declares_disorder(document.metadata):
            self.analyser.learn(focus.target)
        return self.analyser.analyse(document, focus.target)

    def process(self, document: Document) -> Analysis:
        """Analyse one document and store it with its evidence (one transaction)."""
        analysis = self.analyse(document)
        self.writer.record(document, analysis.rows())
        return analysis
