"""Section-classifier benchmark on MedQuAD: is each answer sentence put in its question's section?

Input: medquad.jsonl (see shared/corpus/README.md): records `{id, focus, sections: [{qtype,
question, text}]}`. Each answer is split with `split_sentences` and every sentence classified on
its own (with the record's focus as the concept name). The question type gives the expected
section through `bench/data/medquad_sections.json` (symptoms → presentation, ...); other question
types are classified and reported but not scored. A sentence classified as none counts as wrong;
because the classifier may honestly say none (link lists, notes on a table), every accuracy also
comes as `assigned`: the accuracy over the sentences it gave a section, with `coverage`, the share
of sentences it gave one.

Scored figures are given several ways, because MedQuAD answers are not all prose:

- all sentences: every sentence of a scored answer counts;
- prose only: without sentences that are template boilerplate (the same text, the focus masked
  and digits zeroed, in >= `template_min_docs` documents, e.g. GARD's notes on the HPO table),
  heading or list fragments (fewer than 4 words, e.g. CancerGov's "Key Points", "Avocados"), or
  flattened tables (4 or more " - " cells or percentages). These flags come from the text alone,
  never from the classifier's answer;
- kept as evidence: only the sentences ingest would keep as evidence, i.e. those that
  `dxatlas.evidence.relevance.judge_sentence` does not drop (the reference, boilerplate,
  caption, heading, question and length filter `evidence.extract` applies to every sentence
  before classifying it); the dropped ones are counted by reason. The verdict comes from that
  function alone, never from the classifier's answer. Ingest's other filter, sentences about
  another disease (`judge_topic`), is not applied: it needs the store's concept ids, and ingest
  keeps such a sentence when it is classified etiology, so it would make the figure depend on the
  answer.

All sentences stays the headline (`accuracy`, `n`); `prose_accuracy`/`prose_n` and
`kept_accuracy`/`kept_n` sit beside it.

The classifier is the one ingest uses: the cue rules and, unless the `section_model` setting is
off, the section model combined with them (`section_model` in the report names it; null: the
rules alone). The model was fitted on buckets 0-3 only, so 4-7 is the held-out figure.

Each figure is also given for the record-id hash buckets `sha256(id) % 10` 0-3 (the part looked
at while the cue rules were written) and 4-7 (not looked at).

With an `Annotator`, every answer is also run through the concept recogniser (on the same
sentence spans, so each sentence keeps its own mentions) and every sentence is classified a
second time with its mentions; the report then has a `with_mentions` part with the same figures,
and the speed of both ways (recognition time included in the second).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dxatlas.evidence.relevance import judge_sentence
from dxatlas.evidence.sections import SECTIONS, SectionClassifier, SentenceMention
from dxatlas.ingest.sentences import split_sentences

if TYPE_CHECKING:
    from dxatlas.recognize.annotator import Annotator

NONE_LABEL = "none"
SPLITS: dict[str, frozenset[int]] = {
    "buckets 0-3": frozenset(range(4)),
    "buckets 4-7": frozenset(range(4, 8)),
    "buckets 8-9": frozenset(range(8, 10)),
}
_WORD = re.compile(r"[A-Za-z]{2,}")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def qtype_sections() -> dict[str, str]:
    """The MedQuAD question type → page section mapping (package data)."""
    path = resources.files("dxatlas.bench").joinpath("data", "medquad_sections.json")
    mapping = json.loads(path.read_text(encoding="utf-8"))["qtype_sections"]
    unknown = set(mapping.values()) - set(SECTIONS)
    if unknown:
        raise ValueError(f"medquad_sections.json maps to unknown sections: {sorted(unknown)}")
    return dict(mapping)


def bucket_of(record_id: str) -> int:
    """The record's evaluation bucket: `int(sha256(id).hexdigest(), 16) % 10`."""
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % 10


@dataclass(frozen=True, slots=True)
class Record:
    """One MedQuAD document: id, focus (the concept name) and its (qtype, answer text) pairs."""

    id: str
    focus: str | None
    sections: tuple[tuple[str, str], ...]


@dataclass(slots=True)
class SentenceResult:
    """One classified sentence; `expected` is None for unscored question types."""

    doc_id: str
    bucket: int
    qtype: str
    text: str
    section: str
    expected: str | None
    excluded: str | None = None
    with_mentions: str | None = None  # the section when classified with its mentions
    dropped: str | None = None  # why ingest's sentence filter drops it (None: kept as evidence)

    @property
    def correct(self) -> bool:
        """Whether the predicted section is the expected one."""
        return self.section == self.expected


def read_records(path: Path) -> list[Record]:
    """Read the JSON-lines corpus; `ValueError` naming the line of a malformed record."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                sections = tuple(
                    (str(section["qtype"]), str(section.get("text") or ""))
                    for section in raw["sections"]
                )
                records.append(Record(str(raw["id"]), raw.get("focus") or None, sections))
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ValueError(f"{path}:{number}: not a MedQuAD record ({error})") from None
    return records


def _template_key(text: str, focus: str | None) -> str:
    key = _SPACE.sub(" ", text).strip().lower()
    if focus:
        key = key.replace(focus.lower(), "<focus>")
    return _DIGITS.sub("0", key)


def _shape_flag(text: str) -> str | None:
    """'table' or 'fragment' when a sentence is not prose, judged from its shape alone."""
    if text.count(" - ") >= 4 or text.count("%") >= 4:
        return "table"
    if len(_WORD.findall(text)) < 4:
        return "fragment"
    return None


def _dropped_by_ingest(text: str) -> str | None:
    """The reason ingest's sentence filter drops `text` (a reference, boilerplate, a heading
    ...), or None when it keeps it as evidence; the same function ingest calls."""
    verdict = judge_sentence(text)
    return None if verdict.keep else str(verdict.reason)


def mention_tuple(mention: Any) -> SentenceMention:
    """A recogniser `Mention` as the classifier's plain tuple (other kinds by their category)."""
    concept = mention.concept
    kind = concept.category or str(concept.kind)
    return SentenceMention(kind, str(mention.assertion), concept.id, mention.text)


def recognize_sentences(
    annotator: Annotator, answer: str, sentences: list[Any]
) -> list[tuple[SentenceMention, ...]]:
    """The mentions of each of `sentences` (ingest `Sentence`s of `answer`), in their order."""
    from dxatlas.recognize.mention import SentenceSpan

    spans = [SentenceSpan(sentence.text, sentence.start, sentence.end) for sentence in sentences]
    annotation = annotator.annotate(answer, spans)
    return [
        tuple(mention_tuple(mention) for mention in annotated.mentions)
        for annotated in annotation.sentences
    ]


def classify_records(
    records: Iterable[Record],
    classifier: SectionClassifier,
    mapping: Mapping[str, str] | None = None,
    template_min_docs: int = 5,
    annotator: Annotator | None = None,
) -> tuple[list[SentenceResult], dict[str, float]]:
    """Split and classify every answer; return the results and the seconds spent per step.

    The seconds are `classify` (words only) and, with an `annotator`, `recognize` and
    `classify_with_mentions`.
    """
    mapping = qtype_sections() if mapping is None else mapping
    results: list[SentenceResult] = []
    focus_of: dict[str, str | None] = {}
    seconds = {"classify": 0.0}
    if annotator is not None:
        seconds |= {"recognize": 0.0, "classify_with_mentions": 0.0}
    for record in records:
        bucket = bucket_of(record.id)
        focus_of[record.id] = record.focus
        for qtype, answer in record.sections:
            split = split_sentences(answer)
            sentences = [sentence.text for sentence in split]
            started = time.perf_counter()
            sections = [classifier.classify(text, record.focus).section for text in sentences]
            seconds["classify"] += time.perf_counter() - started
            with_mentions: list[str | None] = [None] * len(sentences)
            if annotator is not None and sentences:
                started = time.perf_counter()
                mentions = recognize_sentences(annotator, answer, split)
                seconds["recognize"] += time.perf_counter() - started
                started = time.perf_counter()
                with_mentions = [
                    classifier.classify(text, record.focus, found).section or NONE_LABEL
                    for text, found in zip(sentences, mentions, strict=True)
                ]
                seconds["classify_with_mentions"] += time.perf_counter() - started
            for text, section, other in zip(sentences, sections, with_mentions, strict=True):
                results.append(
                    SentenceResult(
                        doc_id=record.id,
                        bucket=bucket,
                        qtype=qtype,
                        text=text,
                        section=section or NONE_LABEL,
                        expected=mapping.get(qtype),
                        excluded=_shape_flag(text),
                        with_mentions=other,
                        dropped=_dropped_by_ingest(text),
                    )
                )
    documents: dict[str, set[str]] = defaultdict(set)
    keys = [_template_key(result.text, focus_of[result.doc_id]) for result in results]
    for key, result in zip(keys, results, strict=True):
        documents[key].add(result.doc_id)
    for key, result in zip(keys, results, strict=True):
        if result.excluded is None and len(documents[key]) >= template_min_docs:
            result.excluded = "template"
    return results, seconds


def _accuracy(results: list[SentenceResult]) -> dict[str, Any]:
    """Accuracy over all `results` (none counts as wrong) and over those given a section."""
    n = len(results)
    right = sum(result.correct for result in results)
    assigned = sum(result.section != NONE_LABEL for result in results)
    return {
        "n": n,
        "correct": right,
        "accuracy": round(right / n, 4) if n else None,
        "assigned": assigned,
        "assigned_accuracy": round(right / assigned, 4) if assigned else None,
        "coverage": round(assigned / n, 4) if n else None,
    }


def _kept_figures(scored: list[SentenceResult]) -> dict[str, Any]:
    """Accuracy over the sentences ingest keeps as evidence, and why the others are dropped."""
    kept = [result for result in scored if result.dropped is None]
    dropped = Counter(result.dropped for result in scored if result.dropped is not None)
    return {**_accuracy(kept), "dropped": dict(sorted(dropped.items()))}


def _split_figures(scored: list[SentenceResult]) -> dict[str, Any]:
    prose = [result for result in scored if result.excluded is None]
    excluded = Counter(result.excluded for result in scored if result.excluded is not None)
    return {
        "all_sentences": _accuracy(scored),
        "prose_only": {**_accuracy(prose), "excluded": dict(sorted(excluded.items()))},
        "kept_as_evidence": _kept_figures(scored),
    }


def _figures(results: list[SentenceResult]) -> dict[str, Any]:
    """Accuracy (all buckets, both ways), per split, per qtype and the confusion table."""
    scored = [result for result in results if result.expected is not None]
    overall = _split_figures(scored)
    splits = {}
    for name, buckets in SPLITS.items():
        part = [result for result in scored if result.bucket in buckets]
        if part:
            splits[name] = _split_figures(part)
    by_qtype: dict[str, list[SentenceResult]] = defaultdict(list)
    for result in results:
        by_qtype[result.qtype].append(result)
    per_qtype: dict[str, Any] = {}
    unscored: dict[str, Any] = {}
    for qtype, group in sorted(by_qtype.items()):
        expected = group[0].expected
        if expected is None:
            unscored[qtype] = {
                "n": len(group),
                "predicted": dict(Counter(result.section for result in group).most_common()),
            }
            continue
        held_out = [result for result in group if result.bucket in SPLITS["buckets 4-7"]]
        per_qtype[qtype] = {
            "section": expected,
            **_accuracy(group),
            "prose_only": _accuracy([result for result in group if result.excluded is None]),
            "kept_as_evidence": _accuracy([result for result in group if result.dropped is None]),
            "buckets_4_7": _accuracy(held_out),
        }
    labels = [*SECTIONS, NONE_LABEL]
    confusion = {
        expected: {label: 0 for label in labels}
        for expected in sorted({result.expected for result in scored if result.expected})
    }
    for result in scored:
        confusion[result.expected][result.section] += 1  # type: ignore[index]
    return {
        "accuracy": overall["all_sentences"]["accuracy"],
        "n": overall["all_sentences"]["n"],
        "assigned_accuracy": overall["all_sentences"]["assigned_accuracy"],
        "coverage": overall["all_sentences"]["coverage"],
        "prose_accuracy": overall["prose_only"]["accuracy"],
        "prose_n": overall["prose_only"]["n"],
        "kept_accuracy": overall["kept_as_evidence"]["accuracy"],
        "kept_n": overall["kept_as_evidence"]["n"],
        "overall": overall,
        "splits": splits,
        "per_qtype": per_qtype,
        "unscored_qtypes": unscored,
        "confusion": confusion,
    }


def _per_second(count: int, seconds: float) -> float | None:
    return round(count / seconds, 1) if seconds > 0 else None


def summarize(
    results: list[SentenceResult], seconds: float | Mapping[str, float]
) -> dict[str, Any]:
    """The report: accuracy (all buckets, both ways), per split, per qtype, confusion, speed.

    The top level is the words-only classifier; when the results were also classified with
    their mentions, `with_mentions` holds the same figures for that run, and its speed.
    """
    timings = {"classify": seconds} if isinstance(seconds, int | float) else dict(seconds)
    count = len(results)
    report: dict[str, Any] = {
        **_figures(results),
        "n_sentences_classified": count,
        "seconds": round(timings["classify"], 3),
        "sentences_per_s": _per_second(count, timings["classify"]),
    }
    mentioned = "classify_with_mentions" in timings
    if mentioned:
        swapped = [
            replace(result, section=result.with_mentions or NONE_LABEL) for result in results
        ]
        recognize, classify = timings["recognize"], timings["classify_with_mentions"]
        report["with_mentions"] = {
            **_figures(swapped),
            "seconds_recognize": round(recognize, 3),
            "seconds_classify": round(classify, 3),
            "sentences_per_s": _per_second(count, recognize + classify),
            "sentences_per_s_classify_only": _per_second(count, classify),
        }
    report["sentences"] = [
        {
            "doc_id": result.doc_id,
            "qtype": result.qtype,
            "text": result.text,
            "section": result.section,
            **({"section_with_mentions": result.with_mentions} if mentioned else {}),
            "expected": result.expected,
            "excluded": result.excluded,
            "dropped": result.dropped,
        }
        for result in results
    ]
    return report


def run_benchmark(
    path: Path,
    classifier: SectionClassifier | None = None,
    template_min_docs: int = 5,
    annotator: Annotator | None = None,
) -> dict[str, Any]:
    """Read `path`, classify every answer sentence and return the report (see `summarize`).

    With an `annotator`, each sentence is also classified with its recognised mentions.
    """
    records = read_records(path)
    classifier = classifier if classifier is not None else SectionClassifier()
    results, seconds = classify_records(
        records, classifier, template_min_docs=template_min_docs, annotator=annotator
    )
    return {**summarize(results, seconds), "section_model": describe_model(classifier)}


def describe_model(classifier: SectionClassifier) -> dict[str, Any] | None:
    """What the report says of the classifier's section model (None: the rules alone)."""
    model = classifier.model
    if model is None:
        return None
    meta = model.metadata
    keys = ("sha256", "trained_on_buckets", "combination", "held_out_buckets_4_7_words_only")
    return {key: meta[key] for key in keys if key in meta}
