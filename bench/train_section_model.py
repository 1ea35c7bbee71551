"""Train the section model on MedQuAD buckets 0-3 and write dxatlas/evidence/data/en/section_model.*.

    .venv/bin/python bench/train_section_model.py ../shared/corpus/medquad.jsonl

Needs scikit-learn (the `bench` extra); the written model does not. The sentences are the ones
`dxatlas bench sections` scores, read the same way (`read_records`, `classify_records`: the
same sentence splitter, focus as the concept name, question type to section through
`medquad_sections.json`, `bucket_of` for the split). Each sentence's label is its question's
section; its features are those of `dxatlas.evidence.section_model.features`, with the section
the cue rules give it from its words alone.

Only buckets 0-3 are used to fit and to choose: leave-one-bucket-out cross-validation inside
0-3 gives out-of-fold probabilities, from which the combination with the rules is chosen (see
`choose_combination`); then one model is fitted on all of 0-3, written, loaded back as the
classifier will load it, and scored once on buckets 4-7. Deterministic: fixed hyperparameters,
the lbfgs solver (no random sampling), rows in file order.
"""

from __future__ import annotations

import argparse
import json
import math
import shlex
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
from sklearn.linear_model import LogisticRegression

from dxatlas.bench.sections import SentenceResult, classify_records, read_records
from dxatlas.evidence.section_model import (
    Combination,
    SectionModel,
    bucket_counts,
    features,
    smooth_idf,
)
from dxatlas.evidence.sections import Classification, SectionClassifier

TRAIN_BUCKETS = (0, 1, 2, 3)
HELD_OUT_BUCKETS = (4, 5, 6, 7)
N_BUCKETS = 2**16  # 2**17 and 2**18 gave +0.1 point out of fold, at twice and four times the size
MIN_DF = 2  # a bucket seen in one training sentence only is dropped (idf 0)
C = 4.0
KEEP = ("overview", "pathophysiology")  # the model has no such class: the rules' answer stands
STRONG_SCORE = 4.0  # a rules' answer this strong stands (see choose_combination)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)  # from "more likely than not" up
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/dxatlas/evidence/data/en"
ATTRIBUTION = {
    "corpus": "MedQuAD (github:abachaa/MedQuAD), answers of collections 1-9 as converted in "
    "shared/corpus/medquad.jsonl",
    "licence": "CC BY 4.0",
    "attribution": "Ben Abacha A, Demner-Fushman D. A question-entailment approach to question "
    "answering. BMC Bioinformatics 20:511 (2019).",
    "note": "The file holds hashed-feature weights only (numbers), no text of the corpus.",
}


@dataclass(frozen=True, slots=True)
class Row:
    """One scored sentence: its prepared text, the rules' answer, label, bucket, kept flag."""

    prepared: str
    rules: Classification
    label: str
    bucket: int
    kept: bool
    text: str
    focus: str | None

    @property
    def rule(self) -> str | None:
        """The rules' section (None: none)."""
        return self.rules.section


def read_rows(path: Path) -> list[Row]:
    """The scored sentences of the corpus as the bench reads them, with the rules' answers
    (words only, as `bench sections` scores its headline)."""
    records = read_records(path)
    focus = {record.id: record.focus for record in records}
    rules = SectionClassifier(model=False)
    results, _ = classify_records(records, rules)
    return [_row(result, focus[result.doc_id], rules) for result in results if result.expected]


def _row(result: SentenceResult, focus: str | None, rules: SectionClassifier) -> Row:
    prepared = rules.prepare(result.text, focus)
    return Row(
        prepared=prepared,
        rules=rules.classify_prepared(prepared, focus),
        label=str(result.expected),
        bucket=result.bucket,
        kept=result.dropped is None,
        text=result.text,
        focus=focus,
    )


def count_matrix(rows: Sequence[Row]) -> sparse.csr_matrix:
    """Bucket counts of every row's features, one row per sentence."""
    indptr, indices, values = [0], [], []
    for row in rows:
        counts = bucket_counts(features(row.prepared, row.rule), N_BUCKETS)
        indices.extend(counts)
        values.extend(counts.values())
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(values, float), np.asarray(indices), np.asarray(indptr)),
        shape=(len(rows), N_BUCKETS),
    )


def weigh(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """(1 + ln tf) * idf, each row L2-normalised: what `section_model.tfidf` computes."""
    weighted = counts.copy()
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = (weighted @ sparse.diags(idf)).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ weighted).tocsr()


def fit(counts: sparse.csr_matrix, labels: np.ndarray) -> tuple[LogisticRegression, np.ndarray]:
    """A model fitted on `counts` (its idf from these rows only)."""
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = smooth_idf(df, counts.shape[0], MIN_DF)
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=3000)
    model.fit(weigh(counts, idf), labels)
    return model, idf


def out_of_fold(rows: Sequence[Row]) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-bucket-out probabilities for every row of buckets 0-3, and the classes."""
    counts = count_matrix(rows)
    labels = np.array([row.label for row in rows])
    buckets = np.array([row.bucket for row in rows])
    classes = np.array(sorted(set(labels)))
    probabilities = np.zeros((len(rows), len(classes)))
    for bucket in TRAIN_BUCKETS:
        held = buckets == bucket
        model, idf = fit(counts[~held], labels[~held])
        if list(model.classes_) != list(classes):
            raise SystemExit(f"fold {bucket}: a class is missing from the training part")
        probabilities[held] = model.predict_proba(weigh(counts[held], idf))
        print(f"  fold: bucket {bucket} held out, {held.sum()} sentences", flush=True)
    return probabilities, classes


def combine(
    rows: Sequence[Row], predicted: np.ndarray, probability: np.ndarray, combination: Combination
) -> np.ndarray:
    """The combined section of each row ("none" for none), as the classifier decides it."""
    sections = []
    for row, section, p in zip(rows, predicted, probability, strict=True):
        chosen = row.rule
        if combination.asks_model(row.rules):
            chosen = combination.choose(row.rule, str(section), float(p))
        sections.append(chosen or "none")
    return np.array(sections)


def accuracy(rows: Sequence[Row], sections: np.ndarray, kept_only: bool = False) -> float:
    """Share of rows (or of the kept-as-evidence rows) whose section is their label."""
    pairs = [(s, r.label) for s, r in zip(sections, rows, strict=True) if r.kept or not kept_only]
    return sum(s == label for s, label in pairs) / len(pairs)


def choose_combination(
    rows: Sequence[Row], probabilities: np.ndarray, classes: np.ndarray
) -> tuple[Combination, float]:
    """The combination, from out-of-fold probabilities of buckets 0-3; returns it and its
    out-of-fold accuracy.

    Accuracy on MedQuAD alone would let the model decide everything: its labels are the
    answer's question, so the model learns the style of MedQuAD's answers (a sentence about
    recovery in a treatment answer is "treatment") and the templates they repeat, and it has
    no overview, pathophysiology or none. Four parts are therefore fixed by design, and their
    cost is printed: the rules' overview and pathophysiology stand (`KEEP`); a rules' answer
    with a strong cue stands (`STRONG_SCORE`, the weight of the cue file's strongest single
    cues), and so does one a frame voted for (a pattern stating the relation, "is caused by",
    "is treated with": the sentence's own words name the section); a sentence the rules'
    boilerplate cues left without a section stays without one (else GARD's table notes and
    MedQuAD's link lists come back under sections, as the model learned their answers' labels).

    The two thresholds are measured, by one criterion: the model may change the rules' answer
    (replace a weaker section; give one to a sentence the rules left without one for want of
    cues) from the lowest probability, at least 0.5 (more likely than not), at which such
    changes, on the sentences ingest keeps as evidence, are right at least as often as the
    rules' own sections are on the kept sentences they give one.
    """
    predicted = classes[probabilities.argmax(axis=1)]
    top = probabilities.max(axis=1)
    labels = np.array([row.label for row in rows])
    kept = np.array([row.kept for row in rows])
    rule = np.array([row.rule or "none" for row in rows])
    assigned = kept & (rule != "none")
    rules_precision = float(np.mean(rule[assigned] == labels[assigned]))
    model = Combination(
        keep=frozenset(KEEP), strong_score=STRONG_SCORE, frames_stand=True, boilerplate_stands=True
    )
    asked = np.array([model.asks_model(row.rules) for row in rows]) & kept & (predicted != rule)
    print(f"rules alone: {_both(rows, rule)}; right on {rules_precision:.4f} of the kept")
    print(f"sentences they give a section; model alone: {_both(rows, predicted)}")
    thresholds = {}
    for name, which in (
        ("min_probability", rule != "none"),
        ("min_probability_over_none", rule == "none"),
    ):
        for threshold in THRESHOLDS:
            changed = asked & which & (top >= threshold)
            right = float(np.mean(predicted[changed] == labels[changed])) if changed.any() else 0.0
            print(
                f"  {name} {threshold}: the model changes {changed.sum()} kept, right {right:.4f}"
            )
            if right >= rules_precision:
                thresholds[name] = threshold
                break
        else:
            thresholds[name] = 1.01  # never: no threshold is as reliable as the rules
    chosen = replace(model, **thresholds)
    print("out of fold (all / kept as evidence), the chosen combination and each part undone:")
    variants = {
        "chosen": chosen,
        "model decides overview/pathophysiology sentences too": replace(chosen, keep=frozenset()),
        "strong rules do not stand": replace(chosen, strong_score=math.inf),
        "frames do not stand": replace(chosen, frames_stand=False),
        "model overrides boilerplate cues": replace(chosen, boilerplate_stands=False),
        "model replaces weak rules at any probability": replace(chosen, min_probability=0.0),
        "model names a section for any uncued sentence": replace(
            chosen, min_probability_over_none=0.0
        ),
    }
    score = 0.0
    for name, combination in variants.items():
        sections = combine(rows, predicted, top, combination)
        print(f"  {name}: {_both(rows, sections)}")
        if name == "chosen":
            score = accuracy(rows, sections)
    return chosen, score


def _both(rows: Sequence[Row], sections: np.ndarray) -> str:
    return f"{accuracy(rows, sections):.4f} / {accuracy(rows, sections, kept_only=True):.4f}"


def float16_agreement(rows: Sequence[Row], model: SectionModel) -> float:
    """Share of training rows whose predicted class is the same with float16 weights."""
    rounded = SectionModel(
        model.classes,
        model.weights.astype(np.float16).astype(np.float32),
        model.intercepts,
        model.idf.astype(np.float16).astype(np.float32),
        model.metadata,
    )
    same = sum(
        model.predict(row.prepared, row.rule)[0] == rounded.predict(row.prepared, row.rule)[0]
        for row in rows
    )
    return same / len(rows)


def held_out_figures(rows: Sequence[Row], model: SectionModel) -> dict[str, float]:
    """Accuracy on the held-out rows through the classifier as ingest and the bench use it,
    beside the rules alone and the model alone (what is best on MedQuAD)."""
    runs = {
        "combined": SectionClassifier(model=model),
        "rules_alone": SectionClassifier(model=False),
    }
    figures: dict[str, float] = {"n": len(rows)}
    for name, classifier in runs.items():
        sections = np.array([classifier.classify(r.text, r.focus).section or "none" for r in rows])
        figures[name] = round(accuracy(rows, sections), 4)
        figures[f"{name}_kept_as_evidence"] = round(accuracy(rows, sections, kept_only=True), 4)
    alone = np.array([model.predict(r.prepared, r.rule)[0] for r in rows])
    figures["model_alone"] = round(accuracy(rows, alone), 4)
    figures["model_alone_kept_as_evidence"] = round(accuracy(rows, alone, kept_only=True), 4)
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="medquad.jsonl")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = read_rows(args.corpus)
    train = [row for row in rows if row.bucket in TRAIN_BUCKETS]
    held = [row for row in rows if row.bucket in HELD_OUT_BUCKETS]
    print(f"{len(train)} training sentences (buckets 0-3), {len(held)} held out (4-7)")
    probabilities, classes = out_of_fold(train)
    combination, cv_accuracy = choose_combination(train, probabilities, classes)
    print(f"chosen: {combination}")

    fitted, idf = fit(count_matrix(train), np.array([row.label for row in train]))
    model = SectionModel(
        tuple(str(c) for c in fitted.classes_),
        np.ascontiguousarray(fitted.coef_.T, dtype=np.float32),
        fitted.intercept_.astype(np.float32),
        idf.astype(np.float32),
    )
    agreement = float16_agreement(train, model)
    print(f"float16 weights: same class on {agreement:.4%} of the training sentences")
    command = "python bench/train_section_model.py " + shlex.join(sys.argv[1:] or [])
    metadata = {
        "about": "Section model: multinomial logistic regression on hashed TF-IDF word 1-2 grams "
        "and the cue rules' section; see dxatlas/evidence/section_model.py.",
        "training_command": command.strip(),
        **ATTRIBUTION,
        "trained_on_buckets": list(TRAIN_BUCKETS),
        "split": "bucket = int(sha256(record id).hexdigest(), 16) % 10 (dxatlas.bench.sections)",
        "n_training_sentences": len(train),
        "hyperparameters": {"n_buckets": N_BUCKETS, "min_df": MIN_DF, "C": C, "solver": "lbfgs"},
        "combination": combination.to_metadata(),
        "cross_validation_buckets_0_3": {"combined": round(cv_accuracy, 4)},
        "float16_agreement_on_training": round(agreement, 5),
    }
    model = SectionModel(model.classes, model.weights, model.intercepts, model.idf, metadata)
    arrays = model.save(args.out_dir)
    loaded = SectionModel.load(arrays, _json(arrays.with_suffix(".json")))
    figures = held_out_figures(held, loaded)
    print(f"held out (buckets 4-7, words only): {figures}")
    meta = _json(arrays.with_suffix(".json"))
    meta["held_out_buckets_4_7_words_only"] = figures
    arrays.with_suffix(".json").write_text(_dumps(meta), encoding="utf-8")
    size = arrays.stat().st_size
    print(f"wrote {arrays} ({size:,} bytes) in {time.perf_counter() - started:.0f} s")


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _dumps(data: dict) -> str:
    return json.dumps(data, indent=1) + "\n"


if __name__ == "__main__":
    main()
