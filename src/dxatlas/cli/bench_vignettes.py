"""`dxatlas bench vignettes`: free-text patient vignettes, ranked from their words alone."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import track
from rich.table import Table

from dxatlas.cli.app import console, fail, load_kb, load_ranker
from dxatlas.cli.bench import bench_app


@bench_app.command("vignettes")
def bench_vignettes(
    path: Path = typer.Argument(..., help="vignettes-dev.jsonl (see shared/bench/README.md)."),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
    without_literature: bool = typer.Option(
        False, "--without-literature", help="Rank curated diseases only (ignore the store)."
    ),
) -> None:
    """Read each vignette's findings, age and sex from its text, rank, and look for the gold
    diagnosis in the top 10 by the strict name rule of `dxatlas.bench.vignettes`."""
    from dxatlas.bench.vignettes import read_vignettes, run_benchmark
    from dxatlas.rank.case import CaseError
    from dxatlas.rank.case_text import diagnose_text
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings

    if not path.is_file():
        fail(f"benchmark file {path} does not exist")
    try:
        vignettes = read_vignettes(path)
    except ValueError as error:
        fail(str(error))
    kb = load_kb()
    ranker = load_ranker(kb, literature=not without_literature)
    annotator = Annotator.from_kb(kb, get_settings().cache_dir)

    def diagnose(text: str) -> dict:
        try:
            return diagnose_text(ranker, annotator, text)
        except CaseError:
            return {"findings": [], "differential": []}

    report = run_benchmark(
        diagnose,
        vignettes,
        lambda items: track(items, description="Ranking vignettes"),
        kb_version=kb.version,
    )
    summary = report.summary()
    n_literature = len(ranker.literature) if ranker.literature is not None else 0
    table = Table(
        "n", "top-1", "top-3", "top-10", "MRR",
        title=f"dxatlas vignettes ({kb.version}; {n_literature:,} literature concepts)",
    )  # fmt: skip
    table.add_row(
        str(summary["n"]),
        *(f"{summary[k]:.1%}" for k in ("top1", "top3", "top10")),
        f"{summary['mrr']:.3f}",
    )
    console.print(table)
    misses = Table("case", "gold", "rank", "top 3 given", title="Not first", show_lines=True)
    for result in report.results:
        if result.rank == 1:
            continue
        misses.add_row(
            result.id,
            result.diagnosis,
            str(result.rank or "-"),
            "; ".join(row["name"] for row in result.differential[:3]),
        )
    console.print(misses)
    latency = summary["latency_ms"]
    console.print(f"latency (read + rank) p50 {latency['p50']:.1f} ms, p95 {latency['p95']:.1f} ms")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report.as_json(), indent=1))
        console.print(f"report written to {out}")
