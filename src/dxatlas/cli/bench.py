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
