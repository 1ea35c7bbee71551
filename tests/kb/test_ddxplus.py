"""Reading DDXPlus's knowledge files as a curated table (`dxatlas kb import`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.kb import ddxplus
from dxatlas.kb.ddxplus import (
    Crosswalk,
    evidences_beside,
    is_ddxplus_conditions,
    packaged_crosswalk,
    read_ddxplus,
)
from dxatlas.kb.knowledge import KnowledgeBase
from dxatlas.kb.risk_factors import load_risk_vocabulary
from dxatlas.kb.table_import import TableError
from tests.conftest import shared_folder

runner = CliRunner()

# A toy crosswalk on the toy ontology's terms (anemia, neutropenia, seizure).
TOY = Crosswalk.from_data(
    {
        "source": "DDXPlus (test)",
        "findings": {"E_1": {"HP:0001903": "Anemia"}, "E_2": {"HP:0001875": "Neutropenia"}},
        "no_finding": {"E_3": "worse at night"},
        "synonyms": {"TF": ["toy fever"]},
        "antecedents": {"E_7": "smoking"},
    }
)


def write_files(folder: Path, conditions: dict | None = None) -> Path:
    """A conditions file and its evidences file, in DDXPlus's shape, written by the test."""
    evidences = {
        "E_1": {"question_en": "pale?", "is_antecedent": False, "code_question": "E_1"},
        "E_2": {"question_en": "infections?", "is_antecedent": False, "code_question": "E_2"},
        "E_3": {"question_en": "at night?", "is_antecedent": False, "code_question": "E_3"},
        "E_4": {"question_en": "where?", "is_antecedent": False, "code_question": "E_1"},
        "E_5": {"question_en": "travel?", "is_antecedent": True, "code_question": "E_5"},
        "E_6": {"question_en": "new?", "is_antecedent": False, "code_question": "E_6"},
        "E_7": {"question_en": "smoke?", "is_antecedent": True, "code_question": "E_7"},
    }
    conditions = conditions or {
        "TF": {
            "cond-name-eng": "TF",
            "symptoms": {"E_1": "", "E_2": "", "E_3": "", "E_4": "", "E_6": ""},
            "antecedents": {"E_5": "", "E_7": ""},
            "severity": 3,
        },
        "Toy cough": {
            "cond-name-eng": "Toy cough",
            "symptoms": {"E_2": ""},
            "antecedents": {},
            "severity": 5,
        },
    }
    path = folder / "release_conditions.json"
    path.write_text(json.dumps(conditions), encoding="utf-8")
    (folder / "release_evidences.json").write_text(json.dumps(evidences), encoding="utf-8")
    return path


def test_rows_are_the_crosswalk_findings_of_symptom_codes(tmp_path: Path) -> None:
    conditions = write_files(tmp_path)
    reading = read_ddxplus(conditions, evidences_beside(conditions), TOY)
    assert [(r.disease, r.finding, r.synonyms) for r in reading.rows] == [
        ("TF", "HP:0001903", ("toy fever",)),
        ("TF", "HP:0001875", ("toy fever",)),
        ("TF", "RISK:smoking", ("toy fever",)),  # an antecedent the crosswalk maps
        ("Toy cough", "HP:0001875", ()),
    ]
    assert all(r.frequency == "" and r.source == "DDXPlus (test)" for r in reading.rows)
    # The follow-up E_4 (asked after E_1), the antecedent E_5 (no risk factor maps it), the
    # no-finding code E_3 and the code the crosswalk does not know (E_6) are left out and counted.
    assert (reading.conditions, reading.follow_ups, reading.antecedents) == (2, 1, 1)
    assert (reading.no_finding, reading.unmapped) == (1, ("E_6",))


def test_bad_files_are_refused_with_the_file_named(tmp_path: Path) -> None:
    unknown = write_files(
        tmp_path, {"X": {"cond-name-eng": "X", "symptoms": {"E_99": ""}, "antecedents": {}}}
    )
    with pytest.raises(TableError, match=r"'X' names symptom 'E_99'.*release_evidences\.json"):
        read_ddxplus(unknown, evidences_beside(unknown), TOY)
    with pytest.raises(TableError, match=r"cannot read DDXPlus file .*absent\.json"):
        read_ddxplus(unknown, tmp_path / "absent.json", TOY)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(TableError, match=r"broken\.json is not JSON"):
        read_ddxplus(broken, evidences_beside(unknown), TOY)
    shapeless = write_files(tmp_path, {"X": {"cond-name-eng": "X", "symptoms": ["E_1"]}})
    with pytest.raises(TableError, match="condition 'X' has no 'symptoms' object"):
        read_ddxplus(shapeless, evidences_beside(shapeless), TOY)


def test_only_a_conditions_file_is_taken_for_ddxplus(tmp_path: Path) -> None:
    assert is_ddxplus_conditions(write_files(tmp_path))
    table = tmp_path / "table.json"
    table.write_text(json.dumps([{"disease": "X", "finding": "HP:0001903"}]), encoding="utf-8")
    assert not is_ddxplus_conditions(table)
    assert not is_ddxplus_conditions(tmp_path / "absent.json")


def test_import_cli_ranks_the_conditions_and_keeps_their_names(
    toy_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ddxplus, "packaged_crosswalk", lambda: TOY)
    conditions = write_files(tmp_path)
    first = runner.invoke(app, ["kb", "import", str(conditions)])
    assert first.exit_code == 0, first.output
    said = " ".join(first.output.split())
    assert "DDXPlus: 2 condition(s), 3 finding row(s) and 1 risk-factor row(s)" in said
    assert "1 antecedent(s) no risk factor maps" in said
    assert "1 symptom code(s) the crosswalk does not know, not imported: E_6" in said
    assert "4 new row(s), 0 already stored; 2 new concept(s)" in said
    again = runner.invoke(app, ["kb", "import", str(conditions)])
    assert "0 new row(s), 4 already stored; 0 new concept(s)" in " ".join(again.output.split())
    ranked = runner.invoke(app, ["diagnose", "HP:0001903", "HP:0001875", "--json"])
    row = next(r for r in json.loads(ranked.stdout)["differential"] if r["name"] == "TF")
    assert row["synonyms"] == ["toy fever"] and row["source"] == "literature"
    # The concept's page lists the imported rows as curated findings, with their source.
    page = json.loads(runner.invoke(app, ["page", "TF", "--format", "json"]).stdout)
    assert {(c["finding"]["id"], tuple(c["references"])) for c in page["curated"]} == {
        ("HP:0001903", ("DDXPlus (test)",)),
        ("HP:0001875", ("DDXPlus (test)",)),
    }
    # ... and its imported risk factors apart from them, under etiology in Markdown.
    assert page["risk_factors"] == [
        {
            "risk_factor": {"id": "RISK:smoking", "label": "Smoking"},
            "references": ["DDXPlus (test)"],
        }
    ]
    markdown = runner.invoke(app, ["page", "TF", "--format", "md"]).stdout
    etiology = markdown.split("## Etiology", 1)[1]
    assert "### Risk factors (imported tables)" in etiology
    assert "- Smoking [RISK:smoking] (DDXPlus (test))" in etiology
    # A smoker's case text ranks TF above the concept that shares its finding without the risk.
    text = "A smoker with neutropenia."
    ranked = json.loads(runner.invoke(app, ["diagnose", "--text", text, "--json"]).stdout)
    assert ranked["risk_factors"] == [
        {"id": "RISK:smoking", "label": "Smoking", "text": "smoker", "status": "present"}
    ]
    names = [r["name"] for r in ranked["differential"]]
    assert names.index("TF") < names.index("Toy cough")
    tf = next(r for r in ranked["differential"] if r["name"] == "TF")
    assert [f["id"] for f in tf["risk_factors"]] == ["RISK:smoking"]
    # --evidences is for DDXPlus only; a missing evidences file is named.
    csv = tmp_path / "t.csv"
    csv.write_text("disease,finding\nX,HP:0001903\n", encoding="utf-8")
    wrong = runner.invoke(app, ["kb", "import", str(csv), "--evidences", str(conditions)])
    assert wrong.exit_code == 2 and "--evidences is for DDXPlus files" in wrong.output
    alone = tmp_path / "alone"
    alone.mkdir()
    moved = alone / "release_conditions.json"
    moved.write_text(conditions.read_text(encoding="utf-8"), encoding="utf-8")
    missing = runner.invoke(app, ["kb", "import", str(moved)])
    assert missing.exit_code == 2 and "cannot read DDXPlus file" in missing.output


def test_the_crosswalk_names_current_terms_by_their_labels(real_kb: KnowledgeBase) -> None:
    onto = real_kb.ontology
    crosswalk = json.loads(
        (Path(ddxplus.__file__).parent / "data" / "ddxplus.json").read_text(encoding="utf-8")
    )
    assert crosswalk["findings"]
    for code, findings in crosswalk["findings"].items():
        assert code not in crosswalk["no_finding"], code
        for term, label in findings.items():
            assert onto.index.get(term) is not None, (code, term)
            assert onto.labels[onto.index[term]] == label, (code, term)
    known = load_risk_vocabulary().labels
    for code, factor in crosswalk["antecedents"].items():
        assert f"RISK:{factor}" in known, (code, factor)


def test_the_shared_ddxplus_files_are_read_whole() -> None:
    folder = shared_folder("corpus") / "ddxplus"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    conditions = folder / "release_conditions.json"
    reading = read_ddxplus(conditions, evidences_beside(conditions), packaged_crosswalk())
    assert reading.conditions == 49 and reading.unmapped == ()
    assert len({row.disease for row in reading.rows}) == 49  # every condition has a finding
    assert set(packaged_crosswalk().synonyms) <= {row.disease for row in reading.rows}
    risks = {(row.disease, row.finding) for row in reading.rows if row.finding.startswith("RISK:")}
    assert {("Pulmonary embolism", "RISK:recent-surgery"), ("URTI", "RISK:day-care")} <= risks
    assert not any(finding == "RISK:travel" for _, finding in risks)  # asked of all 49
