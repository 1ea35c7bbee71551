"""`dxatlas bench sections`: sentence section-classifier accuracy and speed on MedQuAD answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from dxatlas.cli.app import console, fail, load_kb
from dxatlas.cli.bench import bench_app


def _percent(figures: dict[str, Any] | None) -> str:
    if figures is None or figures["accuracy"] is None:
        return "-"
    return f"{figures['accuracy']:.1%}"


def _assigned(figures: dict[str, Any]) -> str:
    """Accuracy over the sentences given a section, and the share given one."""
    if figures.get("assigned_accuracy") is None:
        return "-"
    return f"{figures['assigned_accuracy']:.1%} ({figures['coverage']:.0%})"


def _load_annotator() -> Any:
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings

    return Annotator.from_kb(load_kb(), get_settings().cache_dir)


@bench_app.command("sections")
def bench_sections(
    path: Path = typer.Argument(..., help="medquad.jsonl (see shared/corpus/README.md)."),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
    mentions: bool = typer.Option(
        True,
        "--mentions/--words-only",
        help="Also run the concept recogniser (needs the knowledge base) and classify each "
        "sentence with its mentions; --words-only skips it.",
    ),
) -> None:
    """Classify every MedQuAD answer sentence; print accuracy per split and qtype, and speed."""
    from dxatlas.bench.sections import run_benchmark
    from dxatlas.evidence.sections import SECTIONS

    if not path.is_file():
        fail(f"benchmark file {path} does not exist")
    annotator = _load_annotator() if mentions else None
    try:
        report = run_benchmark(path, annotator=annotator)
    except (ValueError, UnicodeDecodeError) as error:
        fail(str(error))
    if report["n"] == 0:
        fail(f"{path} has no sentence of a scored question type")
    mentioned = report.get("with_mentions")
    runs = [("words", report)] + ([("+mentions", mentioned)] if mentioned else [])

    splits = Table(
        "records",
        "classifier",
        "all sentences",
        "n",
        "assigned (coverage)",
        "prose only",
        "n",
        "kept as evidence",
        "n",
        title="section classifier on MedQuAD (scored question types)",
    )
    for name in ["all", *report["splits"]]:
        for label, run in runs:
            figures = run["overall"] if name == "all" else run["splits"][name]
            prose = figures["prose_only"]
            kept = figures["kept_as_evidence"]
            splits.add_row(
                name,
                label,
                _percent(figures["all_sentences"]),
                str(figures["all_sentences"]["n"]),
                _assigned(figures["all_sentences"]),
                _percent(prose),
                str(prose["n"]),
                _percent(kept),
                str(kept["n"]),
            )
    console.print(splits, width=max(console.width, 120))
    for what, counts in (
        ("not prose", report["overall"]["prose_only"]["excluded"]),
        (
            "not kept as evidence (ingest's sentence filter)",
            report["overall"]["kept_as_evidence"]["dropped"],
        ),
    ):
        if counts:
            console.print(f"{what}: " + ", ".join(f"{reason} {n}" for reason, n in counts.items()))

    columns = ["qtype", "section", "n", "accuracy", "prose only", "kept", "buckets 4-7"]
    if mentioned:
        columns += ["+mentions", "prose only", "kept", "buckets 4-7"]
    qtypes = Table(*columns)
    for qtype, row in report["per_qtype"].items():
        cells = [
            qtype,
            row["section"],
            str(row["n"]),
            _percent(row),
            _percent(row["prose_only"]),
            _percent(row["kept_as_evidence"]),
            _percent(row["buckets_4_7"]),
        ]
        if mentioned:
            other = mentioned["per_qtype"][qtype]
            cells += [
                _percent(other),
                _percent(other["prose_only"]),
                _percent(other["kept_as_evidence"]),
                _percent(other["buckets_4_7"]),
            ]
        qtypes.add_row(*cells)
    console.print(qtypes, width=max(console.width, 120))

    labels = [*SECTIONS, "none"]
    final = runs[-1]
    confusion = Table(
        "expected",
        *(label[:4] for label in labels),
        title=f"confusion, {final[0]} (rows: expected section; columns: predicted, first 4 "
        "letters)",
    )
    for expected, row in final[1]["confusion"].items():
        confusion.add_row(expected, *(str(row[label]) for label in labels))
    console.print(confusion, width=max(console.width, 120))
    model = report.get("section_model")
    if model is None:
        console.print("classifier: cue rules alone (the section_model setting is off)")
    else:
        buckets = model.get("trained_on_buckets") or []
        trained = f", trained on buckets {min(buckets)}-{max(buckets)}" if buckets else ""
        console.print(f"classifier: cue rules + section model{trained}")
    console.print(
        f"{report['n_sentences_classified']} sentences classified (all question types) in "
        f"{report['seconds']:.2f} s: {report['sentences_per_s'] or 0:.0f} sentences/s"
    )
    if mentioned:
        console.print(
            f"with mentions: recognition {mentioned['seconds_recognize']:.2f} s + classification "
            f"{mentioned['seconds_classify']:.2f} s: {mentioned['sentences_per_s'] or 0:.0f} "
            f"sentences/s ({mentioned['sentences_per_s_classify_only'] or 0:.0f} sentences/s "
            "classification alone)"
        )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1))
        console.print(f"report written to {out}")
