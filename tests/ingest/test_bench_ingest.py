"""The ingestion benchmark's arithmetic and parsing (the runs themselves are benchmarks, not tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxatlas.bench.ingest import (
    IngestRun,
    estimate,
    parse_clock,
    parse_workers,
    sentences_per_document,
)
from dxatlas.ingest.cluster.feeder import RunClock


def test_worker_counts() -> None:
    assert parse_workers("1,2") == [1, 2]
    assert parse_workers("0") == [0]
    for bad in ("", "one", "1,-2"):
        with pytest.raises(ValueError, match="--workers"):
            parse_workers(bad)


def test_the_run_clock_line_is_read_back() -> None:
    clock = RunClock()
    clock.add("analysis", 120.25, 100.5)
    clock.add("store", 80.0, 75.04)
    clock.add("wait", 3.0, 0.0)
    wall, cpu = parse_clock(["stored 3 new document(s)", clock.summary()])
    assert wall == {"analysis": 120.2, "store": 80.0, "wait": 3.0}  # as printed, to 0.1 s
    assert cpu == {"analysis": 100.5, "store": 75.0, "wait": 0.0}


def test_the_estimate_scales_analysis_over_cores_but_not_the_writer() -> None:
    run = IngestRun(2, 100.0, 1_000, 40_000, 0, (0, 0, 0), (0, 0, 0), [])
    run.cpu = {"analysis": 20.0, "store": 10.0, "focus": 5.0}
    paper = estimate(run, documents=1e6, sentences_each=8.0, cores=4)
    assert paper is not None
    assert paper.analysis_per_core == 2_000 and paper.writer == 4_000
    assert paper.sentences == 8e6
    assert paper.analysis_days == pytest.approx(8e6 / 8_000 / 86_400)
    assert paper.writer_days == pytest.approx(8e6 / 4_000 / 86_400)
    assert paper.cores_to_keep_the_writer_busy == 2
    serial = IngestRun(0, 100.0, 1_000, 40_000, 0, (0, 0, 0), (0, 0, 0), [])
    assert estimate(serial, 1e6, 8.0, 4) is None


def test_sentences_per_abstract(tmp_path: Path) -> None:
    path = tmp_path / "abstracts.jsonl"
    records = [
        {"id": "PMID:1", "text": "One. Two. Three."},
        {"id": "PMID:2", "title": "A title", "text": "Only one sentence here."},
        {"id": "ID-68:9", "text": "Not an abstract. At all. No. No."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert sentences_per_document(path) == (2, 2.5)
    with pytest.raises(ValueError, match="no record"):
        sentences_per_document(path, "DOI:")
