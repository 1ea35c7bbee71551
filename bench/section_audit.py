"""Hand audit of the section benchmark's errors: how many are errors by the sentence's words?

MedQuAD labels a sentence with the question its answer was written for, which is the heading
the sentence sat under; issue 4 asks that a sentence's own words decide its section. The audit
file (`bench/data/section_audit.json`) holds a random sample of the classifier's errors on the
held-out buckets 4-7, over the sentences ingest keeps as evidence that are not headings, list
fragments or flattened tables (the benchmark's shape flags), each read by hand and given a
verdict:

- `words`: the classifier's section is what the sentence's words state, at least as well as the
  question's section ("It may be found during a chest x-ray done for another condition." in a
  symptoms answer is workup);
- `ambiguous`: neither section is clearly stated ("During a stroke, every minute counts.");
- `question`: the question's section is what the words state; a real error of the classifier.

The file names each sentence by record id, the answer's position in the record and the
sentence's index among `split_sentences(answer)` (no corpus text is kept in the repository). This script re-measures the
error rate with the current classifier, prints the estimate of the accuracy judged by the words
(`kept accuracy + error rate x share of "words" verdicts`, with a 95% Wilson interval of that
share), and with `--show` prints every audited sentence with its verdict and today's section, so
the verdicts can be checked or redone. Sentences the classifier now gets right are counted apart.

Usage: python bench/section_audit.py ../shared/corpus/medquad.jsonl [--show]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from dxatlas.bench.sections import _shape_flag as shape_flag
from dxatlas.bench.sections import bucket_of, qtype_sections, read_records
from dxatlas.evidence.relevance import judge_sentence
from dxatlas.evidence.sections import SectionClassifier
from dxatlas.ingest.sentences import split_sentences

AUDIT = Path(__file__).parent / "data" / "section_audit.json"
HELD_OUT = range(4, 8)


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion (`successes` of `n`)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half, centre + half)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("medquad", type=Path)
    parser.add_argument("--audit", type=Path, default=AUDIT)
    parser.add_argument("--show", action="store_true", help="print every audited sentence")
    args = parser.parse_args()

    audit = json.loads(args.audit.read_text(encoding="utf-8"))
    wanted = {(item["doc_id"], item["answer"], item["sentence"]): item for item in audit}
    mapping = qtype_sections()
    classifier = SectionClassifier()
    kept = wrong = 0
    found: dict[tuple[str, int, int], tuple[str, str]] = {}
    for record in read_records(args.medquad):
        if bucket_of(record.id) not in HELD_OUT:
            continue
        for position, (qtype, answer) in enumerate(record.sections):
            expected = mapping.get(qtype)
            if expected is None:
                continue
            for index, sentence in enumerate(split_sentences(answer)):
                if not judge_sentence(sentence.text).keep or shape_flag(sentence.text):
                    continue
                section = classifier.classify(sentence.text, record.focus).section or "none"
                kept += 1
                wrong += section != expected
                if (record.id, position, index) in wanted:
                    found[(record.id, position, index)] = (sentence.text, section)

    missing = [key for key in wanted if key not in found]
    if missing:
        raise SystemExit(
            f"{len(missing)} audited sentences are not in {args.medquad}: {missing[:3]}"
        )
    verdicts: Counter[str] = Counter()
    now_right = 0
    for key, item in wanted.items():
        text, section = found[key]
        expected = mapping[item["qtype"]]
        if section == expected:
            now_right += 1
        else:
            verdicts[item["verdict"]] += 1
        if args.show:
            print(
                f"[{item['verdict']}] {item['qtype']} -> {expected}; audited as "
                f"{item['classified']}, now {section}: {text}"
            )
    audited = sum(verdicts.values())
    error_rate = wrong / kept
    share = verdicts["words"] / audited
    low, high = wilson(verdicts["words"], audited)
    accuracy = 1 - error_rate
    print(
        f"held-out buckets 4-7, kept as evidence, prose shape: {kept} sentences, accuracy {accuracy:.3f}"
    )
    print(f"audited errors still wrong: {audited} ({dict(verdicts)}); now right: {now_right}")
    print(
        f"share of errors where the words give the classifier's section: {share:.2f} "
        f"(95% CI {low:.2f}-{high:.2f})"
    )
    print(
        f"accuracy judged by the words: {accuracy + error_rate * share:.3f} "
        f"({accuracy + error_rate * low:.3f}-{accuracy + error_rate * high:.3f}); "
        f"counting ambiguous as right too: "
        f"{accuracy + error_rate * (share + verdicts['ambiguous'] / audited):.3f}"
    )


if __name__ == "__main__":
    main()
