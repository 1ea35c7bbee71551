"""`dxatlas bench recognize`: concept-recognition accuracy and speed vs FastHPOCR."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from dxatlas.cli.app import console, fail, load_kb
from dxatlas.cli.bench import bench_app


@bench_app.command("recognize")
def bench_recognize(
    path: Path = typer.Argument(..., help="hpo-cr-gsc.jsonl (see shared/bench/README.md)."),
    out: Path | None = typer.Option(None, "--out", help="Write the report as JSON to this file."),
    peer: bool = typer.Option(True, "--peer/--no-peer", help="Also run FastHPOCR (bench extra)."),
    repeats: int = typer.Option(
        3, "--repeats", min=1, help="Passes per system (taking turns); the best one is timed."
    ),
) -> None:
    """Document- and mention-level P/R/F1 and documents/s, for dxatlas and FastHPOCR."""
    from dxatlas.bench.recognize import run_benchmark
    from dxatlas.kb.source import locate_hpo_data
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.settings import get_settings

    if not path.is_file():
        fail(f"benchmark file {path} does not exist")
    settings = get_settings()
    kb = load_kb()
    annotator = Annotator.from_kb(kb, settings.cache_dir)
    obo = locate_hpo_data(settings.hpo_data_dir).obo
    try:
        report = run_benchmark(
            path,
            kb,
            annotator,
            peer_folder=settings.cache_dir / "bench" / f"fasthpocr-{kb.ontology.version}"
            if peer
            else None,
            obo=obo if peer else None,
            repeats=repeats,
        )
    except ValueError as error:
        fail(str(error))
    table = Table(
        "system",
        "doc P",
        "doc R",
        "doc F1",
        "mention F1",
        "docs/s",
        "sentences/s",
        title=f"concept recognition, {report['n_documents']} documents ({kb.version})",
    )
    rows = [("dxatlas", report)]
    if "peer" in report and "error" not in report["peer"]:
        rows.append(("FastHPOCR", report["peer"]))
    for name, row in rows:
        table.add_row(
            name,
            *(f"{row[k]:.3f}" for k in ("doc_precision", "doc_recall", "doc_f1", "mention_f1")),
            f"{row['docs_per_s']:.0f}",
            f"{row['sentences_per_s']:.0f}",
        )
    console.print(table)
    for half, row in report["halves"].items():
        console.print(
            f"dxatlas on {half} ({row['n_documents']} documents, sha256(id) % 2): doc P "
            f"{row['doc_precision']:.3f} R {row['doc_recall']:.3f} F1 {row['doc_f1']:.3f}, "
            f"mention F1 {row['mention_f1']:.3f}"
        )
    console.print(f"timing (best of {report['repeats']} passes, one core):")
    console.print(f"  dxatlas: {report['timing']}")
    if "peer" in report and "timing" in report["peer"]:
        console.print(f"  FastHPOCR: {report['peer']['timing']}")
    if "speed_ratio" in report:
        console.print(f"dxatlas is {report['speed_ratio']:.2f}x FastHPOCR's throughput")
    elif "peer" in report:
        console.print(f"FastHPOCR: {report['peer']['error']}")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1))
        console.print(f"report written to {out}")
