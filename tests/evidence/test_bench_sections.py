"""The section benchmark on a tiny MedQuAD-like file the tests write, and its CLI command."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from dxatlas.bench.sections import bucket_of, qtype_sections, run_benchmark
from dxatlas.cli import app
from dxatlas.evidence.sections import SECTIONS, SectionClassifier
from dxatlas.settings import get_settings

RECORDS = [
    {
        "id": "test/0001",
        "focus": "Example syndrome",
        "sections": [
            {"qtype": "symptoms", "question": "q", "text": "Symptoms include fever and a rash."},
            {
                "qtype": "treatment",
                "question": "q",
                "text": "The condition is treated with antibiotics. Surgery may be needed.",
            },
            {
                "qtype": "information",
                "question": "q",
                "text": "Example syndrome is a rare disorder.",
            },
        ],
    },
    {
        "id": "test/0002",
        "focus": "Other disease",
        "sections": [
            {"qtype": "frequency", "question": "q", "text": "It affects 1 in 5,000 people."},
            {"qtype": "symptoms", "question": "q", "text": "Key Points"},
        ],
    },
]


def write_corpus(folder: Path) -> Path:
    path = folder / "medquad.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in RECORDS) + "\n")
    return path


def test_mapping_is_data_and_names_only_real_sections() -> None:
    mapping = qtype_sections()
    assert mapping["symptoms"] == "presentation"
    assert mapping["exams and tests"] == "workup"
    assert set(mapping.values()) <= set(SECTIONS)
    assert "information" not in mapping


def test_benchmark_scores_mapped_qtypes_only(tmp_path: Path) -> None:
    # The cue rules alone: the section model gives "Key Points" (a heading CancerGov answers
    # repeat) a section, and this test is about how a none is counted.
    report = run_benchmark(write_corpus(tmp_path), SectionClassifier(model=False))
    assert report["section_model"] is None
    scored = [s for s in report["sentences"] if s["expected"] is not None]
    assert report["n"] == len(scored) == 5
    # "Key Points" is a fragment: counted in all sentences, left out of prose only.
    assert report["prose_n"] == 4
    assert report["overall"]["prose_only"]["excluded"] == {"fragment": 1}
    assert report["per_qtype"]["frequency"]["accuracy"] == 1.0
    # "X is a rare disorder." says only how rare it is: epidemiology (a definition with content,
    # "a rare disorder that ...", stays overview).
    assert report["unscored_qtypes"]["information"]["predicted"] == {"epidemiology": 1}
    assert report["accuracy"] == 0.8  # the fragment is classified none and counted wrong
    # ... and left out of the accuracy over the sentences given a section.
    assert report["assigned_accuracy"] == 1.0 and report["coverage"] == 0.8
    assert report["per_qtype"]["symptoms"]["assigned_accuracy"] == 1.0
    assert report["sentences_per_s"] > 0
    first = report["sentences"][0]
    assert {"doc_id", "qtype", "text", "section"} <= set(first)
    assert first["doc_id"] == "test/0001"
    assert sum(report["confusion"]["presentation"].values()) == 2
    assert {name for name in report["splits"]} <= {"buckets 0-3", "buckets 4-7", "buckets 8-9"}
    assert 0 <= bucket_of("test/0001") <= 9


def test_benchmark_flags_template_sentences(tmp_path: Path) -> None:
    records = [
        {
            "id": f"t/{number}",
            "focus": f"Disease {number}",
            "sections": [
                {
                    "qtype": "symptoms",
                    "text": f"The list below describes the symptoms of Disease {number}.",
                }
            ],
        }
        for number in range(3)
    ]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records))
    report = run_benchmark(path, template_min_docs=3)
    assert report["overall"]["prose_only"]["excluded"] == {"template": 3}


def test_benchmark_reports_the_sentences_ingest_keeps_as_evidence(tmp_path: Path) -> None:
    """Beside the headline, the accuracy over the sentences ingest's sentence filter keeps;
    the filter's verdict, not the classifier's answer, decides which those are."""
    records = [
        {
            "id": "k/1",
            "focus": "Example syndrome",
            "sections": [
                {
                    "qtype": "symptoms",
                    "text": "Symptoms include fever and a rash. "
                    "The table below gives how often each sign occurs. "
                    "Copyright 2020 by the publisher.",
                }
            ],
        }
    ]
    path = tmp_path / "k.jsonl"
    path.write_text(json.dumps(records[0]) + "\n")
    report = run_benchmark(path)
    assert report["n"] == 3 and report["kept_n"] == 1  # the headline still counts all three
    assert report["kept_accuracy"] == 1.0
    kept = report["overall"]["kept_as_evidence"]
    assert kept["dropped"] == {"boilerplate": 2}
    assert report["per_qtype"]["symptoms"]["kept_as_evidence"]["n"] == 1
    assert [s["dropped"] for s in report["sentences"]] == [None, "boilerplate", "boilerplate"]


def test_bad_record_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "sections": []}\n{"id": "y"}\n')
    runner = CliRunner()
    result = runner.invoke(app, ["bench", "sections", str(path), "--words-only"])
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.output


def test_benchmark_uses_the_section_model_by_default(tmp_path: Path) -> None:
    report = run_benchmark(write_corpus(tmp_path))
    model = report["section_model"]
    assert model is not None and model["trained_on_buckets"] == [0, 1, 2, 3]
    assert model["combination"]["keep"] == ["overview", "pathophysiology"]
    assert report["per_qtype"]["frequency"]["accuracy"] == 1.0


def test_cli_prints_tables_and_writes_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out" / "report.json"
    monkeypatch.setenv("DXATLAS_SECTION_MODEL", "false")  # the rules alone (see above)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            ["bench", "sections", str(write_corpus(tmp_path)), "--out", str(out), "--words-only"],
        )
    finally:
        monkeypatch.delenv("DXATLAS_SECTION_MODEL")
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "cue rules alone" in result.output
    assert "sentences/s" in result.output
    assert "confusion" in result.output
    assert "assigned" in result.output  # accuracy over the sentences given a section
    assert "kept as evidence" in result.output
    report = json.loads(out.read_text())
    assert report["n"] == 5 and report["accuracy"] == 0.8
    assert report["assigned_accuracy"] == 1.0 and report["coverage"] == 0.8
    assert all(set(s) >= {"doc_id", "qtype", "text", "section"} for s in report["sentences"])


def test_cli_missing_file_is_one_clean_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["bench", "sections", str(tmp_path / "nope.jsonl"), "--words-only"]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


FAKE_NAMES = {
    "fever": ("HP:0001945", "finding", None),
    "rash": ("HP:0000988", "finding", None),
    "antibiotics": ("drug:antibiotic", "other", "drug"),
}


class FakeAnnotator:
    """Stands in for the recogniser: 'fever' and 'rash' are findings, 'antibiotics' a drug."""

    def __init__(self) -> None:
        self.calls = 0

    def annotate(self, text: str, sentences: list) -> SimpleNamespace:
        self.calls += 1
        annotated = []
        for span in sentences:
            assert text[span.start : span.end].strip()  # the spans index the answer
            mentions = []
            for word, (concept_id, kind, category) in FAKE_NAMES.items():
                if word in span.text.lower():
                    concept = SimpleNamespace(id=concept_id, kind=kind, category=category)
                    mentions.append(
                        SimpleNamespace(concept=concept, assertion="asserted", text=word)
                    )
            annotated.append(SimpleNamespace(sentence=span, mentions=mentions))
        return SimpleNamespace(sentences=annotated)


def test_benchmark_with_mentions_reports_both_ways(tmp_path: Path) -> None:
    annotator = FakeAnnotator()
    report = run_benchmark(write_corpus(tmp_path), annotator=annotator)
    assert annotator.calls == 5  # once per non-empty answer
    assert report["accuracy"] == 0.8  # the words-only figures stay at the top level
    mentioned = report["with_mentions"]
    assert mentioned["n"] == 5
    assert set(mentioned["splits"]) <= {"buckets 0-3", "buckets 4-7", "buckets 8-9"}
    assert mentioned["per_qtype"]["symptoms"]["n"] == 2
    assert mentioned["sentences_per_s"] > 0 and mentioned["sentences_per_s_classify_only"] > 0
    assert mentioned["seconds_recognize"] >= 0
    first = report["sentences"][0]
    assert first["section_with_mentions"] == "presentation"
    assert "with_mentions" not in run_benchmark(write_corpus(tmp_path))


def test_cli_with_mentions_prints_both_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dxatlas.cli.bench_sections as command

    monkeypatch.setattr(command, "_load_annotator", FakeAnnotator)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["bench", "sections", str(write_corpus(tmp_path)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "+mentions" in result.output
    assert "with mentions:" in result.output
    assert "with_mentions" in json.loads(out.read_text())
