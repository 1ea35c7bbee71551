"""Latency of `diagnose --text` in one process: read a 150-word case and rank it, N times.

Usage: DXATLAS_DATABASE_URL=sqlite:///mq.db python bench/case_text_latency.py [--runs 40]
Prints p50 / p95 in ms and the store's literature concept count. The case is written here (not
taken from any benchmark) and has the usual shape of a vignette: age, sex, complaints with
durations, negations, past history and examination findings.
"""

from __future__ import annotations

import argparse
import statistics
import time

CASE = (
    "A 34-year-old woman presents with a five-day history of fever, dry cough and a sore "
    "throat. She reports headache, muscle aches and tiredness, and since yesterday she has "
    "felt short of breath when climbing stairs. She has a history of asthma, treated with an "
    "inhaler, and is otherwise healthy. She has had no chest pain, no vomiting and no "
    "diarrhoea, and she denies a rash. Her two children had a cold last week. She does not "
    "smoke and drinks little alcohol. On examination she looks unwell and is flushed; her "
    "temperature is 38.9 C, pulse 104 and respiratory rate 22. Her throat is red without "
    "exudate, and there are a few tender lymph nodes in her neck. Chest examination shows "
    "scattered wheezing and crackles at the right base. Her abdomen is soft and not tender, "
    "and there is no neck stiffness. She is worried because she has an important exam next "
    "week and wants to know whether she needs antibiotics or a chest X-ray today."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()

    from dxatlas.cli.app import load_kb, load_ranker
    from dxatlas.rank.case_text import diagnose_text
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings

    kb = load_kb()
    ranker = load_ranker(kb)
    annotator = Annotator.from_kb(kb, get_settings().cache_dir)
    diagnose_text(ranker, annotator, CASE)  # warm caches
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        diagnose_text(ranker, annotator, CASE)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    n_literature = len(ranker.literature) if ranker.literature is not None else 0
    print(
        f"{len(CASE.split())} words, {args.runs} runs, {n_literature} literature concepts: "
        f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
