"""`dxatlas bench sections`: sentence section-classifier accuracy and speed on MedQuAD answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from dxatlas.cli.app import console, fail
from dxatlas.cli.bench import bench_app


def _percent(figures: dict[str, Any]) -> str:
    return "-" if figures["accuracy"] is None else f"{figures['accuracy']:.1%}"


@bench_app.command("sections")
def bench_sections(
    path: Path = typer.Argument(..., help="medquad.jsonl (see shared/corpus/README.md)."),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
) -> None:
    """Classify every MedQuAD answer sentence; print accuracy per split and qtype, and speed."""
    from dxatlas.bench.sections import run_benchmark
    from dxatlas.evidence.sections import SECTIONS

    if not path.is_file():
        fail(f"benchmark file {path} does not exist")
    try:
        report = run_benchmark(path)
    except (ValueError, UnicodeDecodeError) as error:
        fail(str(error))
    if report["n"] == 0:
        fail(f"{path} has no sentence of a scored question type")

    splits = Table(
        "records",
        "all sentences",
        "n",
        "prose only",
        "n",
        "excluded",
        title="section classifier on MedQuAD (scored question types)",
    )
    for name, figures in [("all", report["overall"]), *report["splits"].items()]:
        prose = figures["prose_only"]
        excluded = ", ".join(f"{reason} {count}" for reason, count in prose["excluded"].items())
        splits.add_row(
            name,
            _percent(figures["all_sentences"]),
            str(figures["all_sentences"]["n"]),
            _percent(prose),
            str(prose["n"]),
            excluded or "-",
        )
    console.print(splits)

    qtypes = Table("qtype", "section", "n", "accuracy", "prose only", "buckets 4-7")
    for qtype, row in report["per_qtype"].items():
        qtypes.add_row(
            qtype,
            row["section"],
            str(row["n"]),
            _percent(row),
            _percent(row["prose_only"]),
            _percent(row["buckets_4_7"]),
        )
    console.print(qtypes)

    labels = [*SECTIONS, "none"]
    confusion = Table(
        "expected",
        *(label[:4] for label in labels),
        title="confusion (rows: expected section; columns: predicted, first 4 letters)",
    )
    for expected, row in report["confusion"].items():
        confusion.add_row(expected, *(str(row[label]) for label in labels))
    console.print(confusion, width=max(console.width, 120))
    console.print(
        f"{report['n_sentences_classified']} sentences classified (all question types) in "
        f"{report['seconds']:.2f} s: {report['sentences_per_s'] or 0:.0f} sentences/s"
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1))
        console.print(f"report written to {out}")
