"""`dxatlas kb import`: a user's curated table (CSV, JSON, JSON Lines) into the ranking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.kb.frequency import FrequencyError
from dxatlas.kb.risk_factors import load_risk_vocabulary
from dxatlas.kb.table_import import TableError, read_frequency, read_table
from dxatlas.rank.parameters import ModelParameters

runner = CliRunner()
WORDS = {"often": 0.6, "rarely": 0.05}


def test_frequencies_in_every_accepted_form() -> None:
    assert read_frequency("0.4", WORDS) == 0.4
    assert read_frequency("40%", WORDS) == 0.4
    assert read_frequency("4/10", WORDS) == 0.4
    assert read_frequency("HP:0040281", WORDS) == pytest.approx(0.895)
    assert read_frequency("Very frequent", WORDS) == pytest.approx(0.895)
    assert read_frequency("often", WORDS) == 0.6
    assert read_frequency("", WORDS) is None
    for bad in ("1.5", "150%", "5/4", "sometimes-ish"):
        with pytest.raises(FrequencyError):
            read_frequency(bad, WORDS)


def test_csv_json_and_jsonl_tables(tmp_path: Path) -> None:
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("Disease;Finding;Frequency\nFlu;fever;often\n", encoding="utf-8")
    assert read_table(csv_file)[0].finding == "fever"
    json_file = tmp_path / "b.json"
    json_file.write_text(json.dumps({"rows": [{"disease": "Flu", "finding": "HP:0001945"}]}))
    assert read_table(json_file)[0].disease == "Flu"
    lines = tmp_path / "c.jsonl"
    lines.write_text(
        '{"disease": "Flu", "finding": "cough"}\n\n{"disease": "Flu", "finding": "x"}\n'
    )
    assert [r.line for r in read_table(lines)] == [1, 3]
    no_header = tmp_path / "d.csv"
    no_header.write_text("Flu,fever\n")
    with pytest.raises(TableError, match="header row"):
        read_table(no_header)
    with pytest.raises(TableError, match="empty"):
        (tmp_path / "e.csv").write_text("  \n")
        read_table(tmp_path / "e.csv")


@pytest.fixture
def env(toy_env: Path) -> Path:
    return toy_env


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_import_ranks_the_table_and_is_idempotent(env: Path, tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    table.write_text(
        "disease,finding,frequency,source\n"
        "Toy flu,low number of red blood cells,often,Handbook p. 3\n"
        "Toy flu,neutropenia,90%,Handbook p. 3\n"
        "OMIM:100001,poor vision,rarely,PMID:5\n",
        encoding="utf-8",
    )
    first = run("kb", "import", str(table))
    assert first.exit_code == 0, first.output
    assert "3 new row(s), 0 already stored; 1 new concept(s)" in " ".join(first.output.split())
    again = run("kb", "import", str(table))
    assert "0 new row(s), 3 already stored; 0 new concept(s)" in " ".join(again.output.split())
    ranked = run("diagnose", "HP:0001903", "HP:0001875", "--json")
    assert ranked.exit_code == 0, ranked.output
    rows = json.loads(ranked.stdout)["differential"]
    flu = next(r for r in rows if r["name"] == "Toy flu")
    assert flu["source"] == "literature"
    frequencies = {e["finding"]["id"]: e["frequency"] for e in flu["explanation"]}
    assert frequencies["HP:0001875"] == "1 source(s), ~90%"
    # A row under a curated id joins that disease: its finding now counts for it.
    vision = run("diagnose", "HP:0000505", "--json")
    merged = next(r for r in json.loads(vision.stdout)["differential"] if r["id"] == "OMIM:100001")
    assert merged["source"] == "both"


def test_a_bad_table_is_refused_whole(env: Path, tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text(
        "disease,finding,frequency\n"
        "Toy flu,neutropenia,often\n"
        "Toy flu,zzzz qqqq,\n"
        "OMIM:999999,anemia,\n"
        "Toy flu,anemia,250%\n",
        encoding="utf-8",
    )
    result = run("kb", "import", str(table))
    assert result.exit_code == 2
    assert "3 bad row(s), nothing imported" in result.output
    assert f"{table}:3: no finding is named 'zzzz qqqq'" in result.output
    assert f"{table}:4:" in result.output and f"{table}:5:" in result.output
    ranked = run("diagnose", "HP:0001875", "--json")
    assert all(r["name"] != "Toy flu" for r in json.loads(ranked.stdout)["differential"])
    missing = run("kb", "import", str(tmp_path / "absent.csv"))
    assert missing.exit_code == 2 and "cannot read table" in missing.output


def test_a_table_row_can_name_a_risk_factor(env: Path, tmp_path: Path) -> None:
    table = tmp_path / "risks.csv"
    table.write_text(
        "disease,finding,source\nToy flu,neutropenia,Handbook\nToy flu,risk:Day-Care,Handbook\n",
        encoding="utf-8",
    )
    result = run("kb", "import", str(table))
    assert result.exit_code == 0, result.output
    ranked = run("diagnose", "HP:0001875", "--risk", "RISK:day-care", "--json")
    assert ranked.exit_code == 0, ranked.output
    payload = json.loads(ranked.stdout)
    assert payload["risk_factors"] == [
        {"id": "RISK:day-care", "label": "Day care", "status": "present"}
    ]
    flu = next(r for r in payload["differential"] if r["name"] == "Toy flu")
    ratio = ModelParameters().risk_factor_frequency / load_risk_vocabulary().shares["RISK:day-care"]
    assert [(f["id"], f["likelihood_ratio"]) for f in flu["risk_factors"]] == [
        ("RISK:day-care", pytest.approx(ratio))
    ]
    assert [e["finding"]["id"] for e in flu["explanation"]] == ["HP:0001875"]  # no finding
    # An unknown risk factor is refused with the ones dxatlas knows, in a table and a case.
    bad = tmp_path / "bad.csv"
    bad.write_text("disease,finding\nToy flu,RISK:gardening\n", encoding="utf-8")
    refused = run("kb", "import", str(bad))
    assert refused.exit_code == 2
    said = " ".join(refused.output.split())
    assert "risk factor 'RISK:gardening' is not one dxatlas knows (RISK:alcohol," in said
    wrong = run("diagnose", "HP:0001875", "--risk", "gardening")
    assert wrong.exit_code == 2 and "'gardening' is not a risk factor dxatlas knows" in wrong.output
