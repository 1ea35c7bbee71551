"""`dxatlas bench fuzz` and `dxatlas bench load`: robustness benchmarks (not tests) — many fuzz
examples per input-facing part, and many concurrent clients against a running server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from dxatlas.cli.app import console, fail, load_kb
from dxatlas.cli.bench import bench_app


def _write_json(out: Path | None, payload: dict[str, Any]) -> None:
    if out is None:
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        fail(f"cannot write the report to {out}: {error.strerror or error}")
    console.print(f"Report written to {out}")


@bench_app.command("fuzz")
def bench_fuzz(
    examples: int = typer.Option(
        10_000, "--examples", min=1, help="Examples per target (hypothesis max_examples)."
    ),
    seconds: float = typer.Option(
        300.0, "--seconds", min=1, help="Time budget per target; it stops at whichever comes first."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Random seed (default: a new one)."),
    only: list[str] = typer.Option(
        [], "--only", help="Only targets whose name contains this (repeatable), e.g. pdf."
    ),
    recognise: bool = typer.Option(
        True,
        "--recognise/--no-recognise",
        help="Fuzz the recogniser over the real knowledge base's lexicon too.",
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
) -> None:
    """Run every fuzz property (loaders, sentences, markdown, phenopacket, recogniser) with many
    examples; print examples run, time and failures per target. Exit 1 when one failed."""
    try:
        from dxatlas.bench.fuzz import run_all
        from dxatlas.bench.fuzz_targets import targets
    except ImportError as error:
        fail(f"fuzzing needs hypothesis (pip install -e '.[test]'): {error}")
    annotator = None
    if recognise and (not only or any(name in "recognise" for name in only)):
        from dxatlas.recognize.annotator import Annotator
        from dxatlas.settings import get_settings

        annotator = Annotator.from_kb(load_kb(), get_settings().cache_dir)
    chosen = [t for t in targets(annotator) if not only or any(name in t.name for name in only)]
    if not chosen:
        fail(f"--only {' '.join(only)!r} names no fuzz target")

    def progress(report: Any) -> None:
        status = f"[red]{len(report.failures)} failure(s)[/]" if report.failures else "ok"
        console.print(
            f"{report.name}: {report.examples:,} examples in {report.seconds:.1f} s: {status}"
        )

    reports = run_all(chosen, examples, seconds, seed, progress)
    table = Table("target", "examples", "seconds", "examples/s", "failures", title="dxatlas fuzz")
    for report in reports:
        table.add_row(
            report.name,
            f"{report.examples:,}" + (" (time)" if report.stopped_by_time else ""),
            f"{report.seconds:.1f}",
            f"{report.per_second:.0f}",
            str(len(report.failures)),
        )
    console.print(table)
    for report in reports:
        for failure in report.failures:
            console.print(f"[red]{escape(report.name)}:[/] {escape(failure)}", highlight=False)
    _write_json(
        out,
        {
            "examples_per_target": examples,
            "seconds_per_target": seconds,
            "seed": seed,
            "targets": [report.to_json() for report in reports],
        },
    )
    if any(report.failures for report in reports):
        raise typer.Exit(1)


@bench_app.command("load")
def bench_load(
    url: str | None = typer.Option(
        None, "--url", help="A running server (default: start `dxatlas serve` on a free port)."
    ),
    workers: int = typer.Option(
        2, "--workers", min=1, max=64, help="Worker processes of the server this command starts."
    ),
    clients: int = typer.Option(50, "--clients", min=1, max=2000, help="Concurrent clients."),
    seconds: float = typer.Option(60.0, "--seconds", min=1, help="How long the clients run."),
    warmup: float = typer.Option(5.0, "--warmup", min=0, help="Seconds of load before measuring."),
    seed: int = typer.Option(0, "--seed", help="Seed of the clients' choices."),
    think: float = typer.Option(
        0.0,
        "--think",
        min=0,
        help="Mean pause of a client between answer and next request (0: none, saturation).",
    ),
    mix: str = typer.Option(
        "concept=3,search=3,diagnose=3,next-question=1",
        "--mix",
        help="Weights of the kinds of call (concept, search, diagnose, next-question).",
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
) -> None:
    """Closed-loop clients mixing concept pages, search, diagnose and next-question against a
    server; print requests/s and p50/p95/p99 latency and errors per endpoint. Exit 1 on errors."""
    from contextlib import nullcontext

    from dxatlas.bench.load import LoadError, parse_mix, run_event_loop, run_load, served

    try:
        weights = parse_mix(mix)
        with nullcontext(url) if url else served(workers) as target:
            console.print(f"Load test of {target}")
            report = run_event_loop(
                run_load(
                    target, clients, seconds, warmup, seed, think, weights, progress=console.print
                )
            )
    except LoadError as error:
        fail(str(error))
    figures = report.to_json()
    table = Table(
        "endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
        title=f"dxatlas load: {clients} clients, think {think:g} s, {figures['seconds']} s",
    )  # fmt: skip
    for name, row in figures["endpoints"].items():
        table.add_row(
            name,
            f"{row['requests']:,}",
            f"{row['per_second']:.1f}",
            *(f"{row[key]:.0f}" for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms")),
            str(row["errors"]),
        )
    table.add_row(
        "all", f"{figures['requests']:,}", f"{figures['per_second']:.1f}", "", "", "", "",
        str(figures["errors"]),
    )  # fmt: skip
    console.print(table)
    for sample in figures["error_samples"]:
        console.print(f"[red]error:[/] {escape(sample)}", highlight=False)
    _write_json(out, {**figures, "workers": None if url else workers, "warmup_seconds": warmup})
    if figures["errors"]:
        raise typer.Exit(1)
