"""The differential-diagnosis benchmark on phenopacket-store cases, with pyhpo's set similarity as peer."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dxatlas.bench.stats import bucket, percentiles_ms, topk_summary
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.rank.case import Case, CaseError
from dxatlas.rank.ranker import Ranker


@dataclass(frozen=True, slots=True)
class BenchCase:
    """One line of phenopackets-dev.jsonl, reduced to what the ranking may see plus the answer."""

    id: str
    present: list[str]
    excluded: list[str]
    age: str | None
    sex: str | None
    disease_id: str
    pmid: str | None


@dataclass
class CaseResult:
    id: str
    rank: int | None
    group: str  # "own-publication", "other-publication" or "not-in-kb"
    latency_s: float


@dataclass
class DiagnoseBenchmark:
    """Results of one run; `as_json` gives the report the issue asks for."""

    kb_version: str
    results: list[CaseResult] = field(default_factory=list)
    skipped_terms: int = 0
    peer: dict | None = None

    def summary(self) -> dict:
        ranks = [r.rank for r in self.results]
        overall = topk_summary(ranks)
        groups = {
            name: topk_summary([r.rank for r in self.results if r.group == name])
            for name in ("own-publication", "other-publication", "not-in-kb")
        }
        latency = percentiles_ms([r.latency_s for r in self.results])
        return {
            **overall,
            "latency_ms_p50": latency["p50"],
            "latency_ms_p95": latency["p95"],
            "not_in_kb": groups["not-in-kb"]["n"],
            "groups": groups,
            "unknown_terms_skipped": self.skipped_terms,
            "kb_version": self.kb_version,
        }

    def as_json(self) -> dict:
        return {
            **self.summary(),
            "peer": self.peer,
            "cases": [{"id": r.id, "rank": r.rank, "group": r.group} for r in self.results],
        }


def read_cases(path: Path, buckets: set[int] | None = None) -> list[BenchCase]:
    """Read phenopackets-dev.jsonl (see shared/bench/README.md), optionally only some buckets."""
    cases = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                case = BenchCase(
                    id=raw["id"],
                    present=list(raw["present"]),
                    excluded=list(raw.get("excluded") or []),
                    age=raw.get("age"),
                    sex=raw.get("sex"),
                    disease_id=raw["disease_id"],
                    pmid=raw.get("pmid"),
                )
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a benchmark case ({error})") from error
            if buckets is None or bucket(case.id) in buckets:
                cases.append(case)
    return cases


def _group(kb: KnowledgeBase, case: BenchCase, cited: dict[int, set[str]]) -> str:
    index = kb.disease_index.get(case.disease_id)
    if index is None:
        return "not-in-kb"
    return "own-publication" if case.pmid and case.pmid in cited[index] else "other-publication"


def _cited_references(kb: KnowledgeBase) -> dict[int, set[str]]:
    """The references each disease's annotations cite (to tell the two benchmark groups apart)."""
    cited: dict[int, set[str]] = {}
    references = kb.annotations.references
    for row, disease in enumerate(kb.annotations.disease.tolist()):
        cited.setdefault(disease, set()).update(references[row].split(";"))
    return cited


def run_benchmark(
    ranker: Ranker,
    cases: list[BenchCase],
    progress: Callable[[Iterable[BenchCase]], Iterable[BenchCase]] = lambda items: items,
) -> DiagnoseBenchmark:
    """Rank every case; record the rank of its disease and the time `Ranker.rank` took."""
    kb = ranker.kb
    cited = _cited_references(kb)
    report = DiagnoseBenchmark(kb_version=kb.version)
    for item in progress(cases):
        try:
            case = Case.build(
                kb, item.present, item.excluded, item.age, item.sex, skip_unknown=True
            )
        except CaseError:
            case = Case.build(kb, item.present, item.excluded, None, None, skip_unknown=True)
        report.skipped_terms += len(case.unknown_ids)
        started = time.perf_counter()
        ranker.rank(case, top=10)
        elapsed = time.perf_counter() - started
        rank = None
        target = kb.disease_index.get(item.disease_id)
        if target is not None and case.present:
            rank = ranker.rank_position(ranker.scores(case), target)
        report.results.append(CaseResult(item.id, rank, _group(kb, item, cited), elapsed))
    return report


def run_pyhpo_peer(
    kb: KnowledgeBase,
    cases: list[BenchCase],
    our_results: dict[str, CaseResult],
    progress: Callable[[Iterable[BenchCase]], Iterable[BenchCase]] = lambda items: items,
) -> dict:
    """Rank the same cases by pyhpo's default HPOSet similarity against every disease's HPO set."""
    from pyhpo import HPOSet, Ontology

    started = time.perf_counter()
    Ontology()
    load_s = time.perf_counter() - started
    prefixes = (
        ("OMIM", Ontology.omim_diseases),
        ("ORPHA", Ontology.orpha_diseases),
        ("DECIPHER", Ontology.decipher_diseases),
    )
    diseases = [
        (f"{prefix}:{disease.id}", HPOSet.from_queries(sorted(disease.hpo)))
        for prefix, collection in prefixes
        for disease in collection
        if disease.hpo
    ]
    ranks: list[int | None] = []
    latencies: list[float] = []
    ours: list[int | None] = []
    for item in progress(cases):
        known = [t for t in item.present if kb.ontology.resolve(t) is not None]
        if not known:
            ranks.append(None)
            continue
        query = HPOSet.from_queries(known)
        started = time.perf_counter()
        scores = np.array([query.similarity(other) for _, other in diseases])
        latencies.append(time.perf_counter() - started)
        target = next((i for i, (d, _) in enumerate(diseases) if d == item.disease_id), None)
        ranks.append(None if target is None else int(np.sum(scores >= scores[target])))
        ours.append(our_results[item.id].rank if item.id in our_results else None)
    ours_latency = percentiles_ms(
        [our_results[c.id].latency_s for c in cases if c.id in our_results]
    )
    peer_latency = percentiles_ms(latencies)
    return {
        "method": "pyhpo 4.0.0 HPOSet.similarity with its defaults (combine=funSimAvg) against the HPO set of every OMIM, ORPHA and DECIPHER disease",
        "n": len(cases),
        "pyhpo": {
            **topk_summary(ranks),
            "latency_ms_p50": peer_latency["p50"],
            "latency_ms_p95": peer_latency["p95"],
            "load_s": load_s,
        },
        "dxatlas_same_cases": {**topk_summary(ours), "latency_ms_p50": ours_latency["p50"]},
        "latency_ratio_p50": peer_latency["p50"] / ours_latency["p50"]
        if ours_latency["p50"]
        else None,
        "case_ids": [c.id for c in cases],
    }


def peer_sample(cases: list[BenchCase], size: int) -> list[BenchCase]:
    """A fixed sample of cases for the slow peer: the `size` smallest sha256 hashes of the ids."""
    import hashlib

    return sorted(cases, key=lambda c: hashlib.sha256(c.id.encode()).hexdigest())[:size]
