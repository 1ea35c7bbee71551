"""`dxatlas bench ...`: benchmark commands (accuracy and speed on the shared evaluation data)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import track
from rich.table import Table

from dxatlas.cli.app import app, console, fail, load_kb, load_ranker

bench_app = typer.Typer(
    help="Benchmarks on the shared evaluation data (not tests).", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")


def _parse_buckets(text: str | None) -> set[int] | None:
    if not text:
        return None
    try:
        buckets = {int(part) for part in text.split(",")}
    except ValueError:
        fail(f"--buckets {text!r} is not a comma-separated list of numbers 0-9")
    if not buckets <= set(range(10)):
        fail(f"--buckets {text!r} names a bucket outside 0-9")
    return buckets


@bench_app.command("diagnose")
def bench_diagnose(
    path: Path = typer.Argument(..., help="phenopackets-dev.jsonl (see shared/bench/README.md)."),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
    peer_cases: int = typer.Option(
        10,
        "--peer-cases",
        help="Cases ranked by the pyhpo peer, a fixed sample: it takes about 1-2 minutes per case (0 skips it).",
    ),
    buckets: str | None = typer.Option(
        None, "--buckets", help="Only cases whose sha256(id) % 10 is in this list, e.g. 0,1,2."
    ),
    limit: int | None = typer.Option(None, "--limit", help="Only the first N cases."),
    with_literature: bool = typer.Option(
        False,
        "--with-literature",
        help="Rank the evidence store's literature concepts too (default: curated diseases only).",
    ),
) -> None:
    """Rank every phenopacket case; print top-1/3/10, MRR, latency and the pyhpo peer's figures."""
    from dxatlas.bench.diagnose import peer_sample, read_cases, run_benchmark, run_pyhpo_peer

    if not path.is_file():
        fail(f"benchmark file {path} does not exist")
    try:
        cases = read_cases(path, _parse_buckets(buckets))
    except ValueError as error:
        fail(str(error))
    if limit is not None:
        cases = cases[:limit]
    kb = load_kb()
    ranker = load_ranker(kb, literature=with_literature)
    report = run_benchmark(ranker, cases, lambda items: track(items, description="Ranking cases"))
    if peer_cases > 0:
        sample = peer_sample(cases, peer_cases)
        ours = {r.id: r for r in report.results}
        report.peer = run_pyhpo_peer(
            kb, sample, ours, lambda items: track(items, description="pyhpo peer")
        )
    summary = report.summary()
    table = Table(
        "cases", "n", "top-1", "top-3", "top-10", "MRR", title=f"dxatlas diagnose ({kb.version})"
    )
    table.add_row(
        "all",
        str(summary["n"]),
        *(f"{summary[k]:.1%}" for k in ("top1", "top3", "top10")),
        f"{summary['mrr']:.3f}",
    )
    for name, group in summary["groups"].items():
        table.add_row(
            name,
            str(group["n"]),
            *(f"{group[k]:.1%}" for k in ("top1", "top3", "top10")),
            f"{group['mrr']:.3f}",
        )
    if report.peer is not None:
        for name in ("dxatlas_same_cases", "pyhpo"):
            row = report.peer[name]
            table.add_row(
                f"peer sample: {name}",
                str(row["n"]),
                *(f"{row[k]:.1%}" for k in ("top1", "top3", "top10")),
                f"{row['mrr']:.3f}",
            )
    console.print(table)
    console.print(
        f"not in the knowledge base: {summary['not_in_kb']} cases (counted as misses); "
        f"ranking latency p50 {summary['latency_ms_p50']:.1f} ms, p95 {summary['latency_ms_p95']:.1f} ms; "
        f"unknown HPO ids skipped: {summary['unknown_terms_skipped']}"
    )
    if report.peer is not None:
        ratio = report.peer["latency_ratio_p50"]
        console.print(
            f"pyhpo peer on {report.peer['n']} cases: p50 {report.peer['pyhpo']['latency_ms_p50']:.0f} ms "
            f"per case ({ratio:.0f}x dxatlas)"
            if ratio
            else "pyhpo peer: no latency"
        )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report.as_json(), indent=1))
        console.print(f"report written to {out}")


@bench_app.command("ingest")
def bench_ingest(
    path: Path = typer.Argument(..., help="A corpus to ingest, e.g. medquad.jsonl."),
    workers: str = typer.Option(
        "1,2", "--workers", help="Worker counts to compare, e.g. 1,2 (0: a serial run)."
    ),
    abstracts: Path | None = typer.Option(
        None,
        "--abstracts",
        help="JSONL of PubMed abstracts (ids PMID:...) to count sentences per abstract for the "
        "PubMed estimate, e.g. hpo-cr-gsc.jsonl; without it 10 are assumed.",
    ),
    pubmed: float = typer.Option(36e6, "--pubmed", help="Abstracts in PubMed, for the estimate."),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
) -> None:
    """Documents/s of `dxatlas ingest` with each worker count, into temporary stores."""
    import os
    from dataclasses import asdict

    from dxatlas.bench.ingest import (
        BenchError,
        estimate,
        parse_workers,
        run_benchmark,
        sentences_per_document,
    )

    if not path.is_file():
        fail(f"benchmark file {path} does not exist")
    try:
        counts = parse_workers(workers)
        measured = sentences_per_document(abstracts) if abstracts is not None else None
    except (ValueError, OSError) as error:
        fail(str(error))
    try:
        runs = run_benchmark(path, counts, progress=lambda text: console.print(text))
    except BenchError as error:
        fail(str(error))
    table = Table(
        "run",
        "seconds",
        "documents",
        "docs/s",
        "sentences/s",
        "speed-up",
        "load before/after",
        title=f"dxatlas ingest {path.name} ({os.cpu_count()} cores)",
    )
    first = runs[0]
    for run in runs:
        table.add_row(
            run.label,
            f"{run.seconds:.1f}",
            f"{run.documents:,}",
            f"{run.documents_per_second:.2f}",
            f"{run.sentences_per_second:,.0f}",
            f"{first.seconds / run.seconds:.2f}",
            f"{run.load_before[0]:.1f} / {run.load_after[0]:.1f}",
        )
    console.print(table)
    for run in runs:
        for line in run.output[2:]:
            console.print(f"  {run.label}: {line}", highlight=False, soft_wrap=True)
    sentences_each = measured[1] if measured else 10.0
    source = (
        f"{sentences_each:.2f} sentences per abstract, measured on {measured[0]} abstracts of {abstracts}"
        if measured
        else "10 sentences per abstract (assumed)"
    )
    distributed = [run for run in runs if run.workers]
    paper = (
        estimate(distributed[-1], pubmed, sentences_each, os.cpu_count() or 1)
        if distributed
        else None
    )
    if paper is not None:
        console.print(
            f"PubMed estimate ({pubmed:,.0f} abstracts, {source}): analysis "
            f"{paper.analysis_per_core:,.0f} sentences/s per core, {paper.analysis_days:.1f} days "
            f"on {paper.cores} cores; the one writer stores {paper.writer:,.0f} sentences/s, "
            f"{paper.writer_days:.1f} days however many cores analyse (it keeps "
            f"{paper.cores_to_keep_the_writer_busy:.1f} analysing cores busy)",
            highlight=False,
            soft_wrap=True,
        )
    if out is not None:
        report = {
            "corpus": str(path),
            "cores": os.cpu_count(),
            "runs": [
                {
                    **asdict(run),
                    "documents_per_second": run.documents_per_second,
                    "sentences_per_second": run.sentences_per_second,
                    "speed_up": first.seconds / run.seconds,
                }
                for run in runs
            ],
            "sentences_per_abstract": {"value": sentences_each, "source": source},
            "pubmed_estimate": paper.to_json() if paper is not None else None,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1))
        console.print(f"report written to {out}")
