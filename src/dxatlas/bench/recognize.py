"""Concept-recognition benchmark: dxatlas's recogniser vs FastHPOCR on texts with gold HPO mentions.

Input: hpo-cr-gsc.jsonl (see shared/bench/README.md): documents with `text` and gold `annotations`
`{start, end, hpo_id}`. Scores:

- document level: the set of HPO ids of each document (gold alt_ids mapped to current ids), micro-
  averaged precision, recall and F1 over all documents;
- mention level: a predicted mention is right when it overlaps a gold span with the same id
  (each gold mention counted once);
- throughput: documents and sentences per second on one core (annotation only, models loaded).
  Each system annotates the whole set `repeats` times, the two systems taking turns, and its best
  pass counts (the least disturbed by other load on the machine); only the annotate calls are
  timed, in CPU seconds of the process (`time.process_time`), so waiting for a core that other
  jobs hold is not counted. What each timing includes differs and is stated in the report (`timing`): dxatlas's
  includes sentence splitting, abbreviation definitions, all concept kinds and the assertion
  (negation, uncertainty, family) of every mention; FastHPOCR's is its tokenisation and
  dictionary matching (longest match), with no sentence splitting and no assertion.
- halves: the scores also on the two halves of the set split by `sha256(id) % 2` (`halves`):
  rules are analysed on half 0 only, so half 1 shows whether they carry over.

Predictions are findings (HPO terms under HP:0000118), whatever their assertion: the gold marks
negated mentions too. FastHPOCR (PyPI `fasthpocr`, needs `pronto`) is run on the same documents
with an index built from the same hp.obo, restricted to HP:0000118.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.recognize.annotator import Annotator
from dxatlas.recognize.mention import Kind
from dxatlas.recognize.sentences import split_sentences

Span = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Document:
    """A benchmark document: its text and gold mentions (ids resolved to current HPO ids)."""

    id: str
    text: str
    gold: tuple[Span, ...]


@dataclass
class SystemResult:
    """One system's predictions and timing over the benchmark."""

    name: str
    predicted: dict[str, list[Span]] = field(default_factory=dict)
    seconds: float = 0.0


def read_documents(path: Path, kb: KnowledgeBase) -> list[Document]:
    """Read the JSON-lines benchmark; gold ids are resolved through alt_id/replaced_by links."""
    documents = []
    onto = kb.ontology
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                gold = []
                for item in record["annotations"]:
                    index = onto.resolve(item["hpo_id"])
                    term = onto.ids[index] if index is not None else item["hpo_id"]
                    gold.append((int(item["start"]), int(item["end"]), term))
                documents.append(Document(record["id"], record["text"], tuple(gold)))
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"{path}:{number}: not a benchmark record ({error})") from error
    return documents


TIMING = {
    "dxatlas": "annotate(): sentence splitting, tokenisation, matching of findings, diseases, "
    "tests and drugs, abbreviation definitions, and assertion (negated/uncertain/family) of "
    "every mention",
    "FastHPOCR": "annotate(longestMatch=True): tokenisation and dictionary matching of HPO "
    "phenotypic abnormalities; no sentence splitting, no assertion",
}


# CPU seconds of this process: time the process waits while other jobs share the machine's cores
# is not annotation time (wall-clock passes on a busy machine vary by tens of percent).
CLOCK = time.process_time


def half_of(document_id: str) -> int:
    """The hash half of a document: `int(sha256(id).hexdigest(), 16) % 2`."""
    return int(hashlib.sha256(document_id.encode("utf-8")).hexdigest(), 16) % 2


def run_dxatlas(annotator: Annotator, documents: list[Document]) -> tuple[SystemResult, int]:
    """Annotate every document; return the findings recognised and the number of sentences.

    Only the `annotate` calls are timed.
    """
    result = SystemResult("dxatlas")
    sentences = 0
    clock = CLOCK
    for document in documents:
        started = clock()
        annotation = annotator.annotate(document.text)
        result.seconds += clock() - started
        sentences += len(annotation.sentences)
        result.predicted[document.id] = [
            (m.start, m.end, m.id) for m in annotation.mentions if m.kind == Kind.FINDING
        ]
    return result, sentences


def _prepare_clusters_quickly(self, base_clusters: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """FastHPOCR's `CRIndexKB.prepareClustersToSerialise`, same result, linear instead of quadratic.

    The original scans all 573k vocabulary tokens once per cluster (hours for hp.obo); this groups
    them by cluster in one pass, keeping the original order, so the index written is identical.
    """
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for token, cluster in base_clusters.items():
        by_cluster[cluster].append(token)
    for token, cluster in self.invertedClusters.items():
        self.clusters[cluster] = [token]
    for cluster, tokens in self.clusters.items():
        merged = list(by_cluster.get(cluster, []))
        seen = set(merged)
        for token in tokens:
            if token not in seen:
                merged.append(token)
                seen.add(token)
        self.clusters[cluster] = merged


def fasthpocr_index(obo: Path, folder: Path) -> Path:
    """FastHPOCR's index of `obo` (phenotypic abnormalities only), built once into `folder`."""
    from FastHPOCR.cr.CRIndexKB import CRIndexKB  # optional dependency: the `bench` extra
    from FastHPOCR.IndexHPO import IndexHPO

    index = folder / "hp.index"
    if not index.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        original = CRIndexKB.prepareClustersToSerialise
        CRIndexKB.prepareClustersToSerialise = _prepare_clusters_quickly
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                IndexHPO(
                    str(obo), str(folder), indexConfig={"rootConcepts": ["HP:0000118"]}
                ).index()
        finally:
            CRIndexKB.prepareClustersToSerialise = original
    return index


def run_fasthpocr(index: Path, documents: list[Document], kb: KnowledgeBase) -> SystemResult:
    """Annotate every document with FastHPOCR (longest matches), timing annotation only."""
    from FastHPOCR.HPOAnnotator import HPOAnnotator

    return run_fasthpocr_with(HPOAnnotator(str(index)), documents, kb)


def run_fasthpocr_with(
    annotator: object, documents: list[Document], kb: KnowledgeBase
) -> SystemResult:
    """Annotate every document with a loaded FastHPOCR `HPOAnnotator`; only `annotate` is timed."""
    result = SystemResult("FastHPOCR")
    onto = kb.ontology
    clock = CLOCK
    for document in documents:
        started = clock()
        found = annotator.annotate(document.text, longestMatch=True)  # type: ignore[attr-defined]
        result.seconds += clock() - started
        spans = []
        for item in found:
            resolved = onto.resolve(item.getHPOUri())
            term = onto.ids[resolved] if resolved is not None else item.getHPOUri()
            spans.append((int(item.getStartOffset()), int(item.getEndOffset()), term))
        result.predicted[document.id] = spans
    return result


def _prf(true_positive: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def document_scores(
    documents: list[Document], predicted: dict[str, list[Span]]
) -> dict[str, float]:
    """Micro-averaged precision/recall/F1 of the per-document sets of HPO ids."""
    tp = n_pred = n_gold = 0
    for document in documents:
        gold = {term for _, _, term in document.gold}
        found = {term for _, _, term in predicted.get(document.id, [])}
        tp += len(gold & found)
        n_pred += len(found)
        n_gold += len(gold)
    precision, recall, f1 = _prf(tp, n_pred, n_gold)
    return {"doc_precision": precision, "doc_recall": recall, "doc_f1": f1}


def mention_scores(documents: list[Document], predicted: dict[str, list[Span]]) -> dict[str, float]:
    """Mention-level precision/recall/F1: overlapping spans with the same id, one-to-one."""
    tp_pred = tp_gold = n_pred = n_gold = 0
    for document in documents:
        spans = predicted.get(document.id, [])
        n_pred += len(spans)
        n_gold += len(document.gold)
        used: set[int] = set()
        for start, end, term in spans:
            for i, (g_start, g_end, g_term) in enumerate(document.gold):
                if i not in used and g_term == term and start < g_end and g_start < end:
                    used.add(i)
                    tp_pred += 1
                    break
        tp_gold += len(used)
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"mention_precision": precision, "mention_recall": recall, "mention_f1": f1}


def _scores(result: SystemResult, documents: list[Document], sentences: int) -> dict:
    seconds = max(result.seconds, 1e-9)
    return {
        **document_scores(documents, result.predicted),
        **mention_scores(documents, result.predicted),
        "seconds": result.seconds,
        "docs_per_s": len(documents) / seconds,
        "sentences_per_s": sentences / seconds,
    }


def run_benchmark(
    path: Path,
    kb: KnowledgeBase,
    annotator: Annotator,
    *,
    peer_folder: Path | None = None,
    obo: Path | None = None,
    progress: Callable[[Iterable[Document]], Iterable[Document]] | None = None,
    repeats: int = 3,
) -> dict:
    """Run dxatlas (and FastHPOCR when `peer_folder` and `obo` are given); return the report.

    Each system runs `repeats` passes over the documents, taking turns; the best pass is timed.
    """
    documents = read_documents(path, kb)
    sentences = sum(len(split_sentences(d.text)) for d in documents)
    annotator.annotate("Warm-up sentence with fever.")  # first-call costs are not throughput
    peer_annotator = peer_error = None
    if peer_folder is not None and obo is not None:
        try:
            from FastHPOCR.HPOAnnotator import HPOAnnotator

            peer_annotator = HPOAnnotator(str(fasthpocr_index(obo, peer_folder)))
        except ImportError as error:
            peer_error = f"not installed: {error}"
    ours = peer = None
    for _ in range(max(1, repeats)):
        run, _ = run_dxatlas(annotator, documents)
        ours = run if ours is None or run.seconds < ours.seconds else ours
        if peer_annotator is not None:
            run = run_fasthpocr_with(peer_annotator, documents, kb)
            peer = run if peer is None or run.seconds < peer.seconds else peer
    assert ours is not None
    halves = {
        f"half_{h}": {
            "n_documents": len(part),
            **document_scores(part, ours.predicted),
            **mention_scores(part, ours.predicted),
        }
        for h in (0, 1)
        for part in [[d for d in documents if half_of(d.id) == h]]
    }
    report: dict = {
        "benchmark": str(path),
        "n_documents": len(documents),
        "n_sentences": sentences,
        "n_gold_mentions": sum(len(d.gold) for d in documents),
        "kb_version": kb.version,
        "lexicon_version": annotator.version,
        **_scores(ours, documents, sentences),
        "repeats": max(1, repeats),
        "clock": "CPU seconds of the benchmark process (time.process_time)",
        "timing": TIMING["dxatlas"],
        "halves": halves,
        "documents": [
            {"id": d.id, "predicted": sorted({term for _, _, term in ours.predicted[d.id]})}
            for d in documents
        ],
    }
    if peer_error is not None:
        report["peer"] = {"name": "FastHPOCR", "error": peer_error}
    elif peer is not None:
        peer_scores = _scores(peer, documents, sentences)
        report["peer"] = {"name": "FastHPOCR", **peer_scores, "timing": TIMING["FastHPOCR"]}
        report["speed_ratio"] = report["docs_per_s"] / max(peer_scores["docs_per_s"], 1e-9)
    return report
