"""`dxatlas diagnose`, `finding` and `disease` on the toy knowledge base, including every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture(autouse=True)
def _toy(toy_env: Path) -> None:
    """Every test here runs on the toy data with a temporary cache."""


def test_diagnose_json_has_the_promised_shape() -> None:
    result = run(
        "diagnose",
        "HP:0001903",
        "neutropenia",
        "--exclude",
        "HP:0001249",
        "--age",
        "P40Y",
        "--sex",
        "female",
        "--json",
        "--top",
        "2",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["kb_version"] == "HPO 2099-01-01"
    assert payload["findings"] == [
        {"id": "HP:0001903", "label": "Anemia", "status": "present"},
        {"id": "HP:0001875", "label": "Neutropenia", "status": "present"},
        {"id": "HP:0001249", "label": "Intellectual disability", "status": "excluded"},
    ]
    assert payload["age"] == 40.0 and payload["sex"] == "female"
    first = payload["differential"][0]
    assert len(payload["differential"]) == 2
    assert {"id", "name", "synonyms", "probability", "score", "explanation"} <= set(first)
    assert first["id"] == "OMIM:100002"
    assert first["explanation"][0]["finding"]["id"] == "HP:0001903"
    assert first["explanation"][0]["annotation"]["id"] == "HP:0001903"


def test_diagnose_table_names_the_release() -> None:
    result = run("diagnose", "anaemia", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "HPO 2099-01-01" in result.stdout
    assert "Blood disorder B" in result.stdout and "OMIM:100002" in result.stdout
    assert "not diagnose" in result.stdout


def test_diagnose_reads_a_phenopacket(tmp_path: Path) -> None:
    packet = {
        "id": "case-1",
        "subject": {
            "id": "p1",
            "sex": "FEMALE",
            "timeAtLastEncounter": {"age": {"iso8601duration": "P30Y"}},
        },
        "phenotypicFeatures": [
            {"type": {"id": "HP:0000505", "label": "Visual impairment"}},
            {"type": {"id": "HP:0001903", "label": "Anemia"}},
            {"type": {"id": "HP:0002069"}, "excluded": True},
        ],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(packet))
    result = run("diagnose", "--phenopacket", str(path), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["sex"] == "female" and payload["age"] == 30.0
    assert [f["status"] for f in payload["findings"]] == ["present", "present", "excluded"]
    assert payload["differential"][0]["id"] == "OMIM:100002"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diagnose", "HP:7777777"], "'HP:7777777' is not a term of HPO 2099-01-01"),
        (["diagnose", "HP:12"], "is not an HPO id"),
        (["diagnose", "neutropenai"], "did you mean 'Neutropenia'"),
        (["diagnose", "HP:0001903", "--age", "P300Y"], "impossible"),
        (["diagnose", "HP:0001903", "--age", "old"], "is not an ISO 8601 duration"),
        (["diagnose", "HP:0001903", "--sex", "yes"], "sex 'yes'"),
        (["diagnose"], "no findings given"),
        (["diagnose", "anemia", "--exclude", "HP:0001903"], "both as present and as excluded"),
        (["diagnose", "--phenopacket", "/nonexistent/case.json"], "cannot read phenopacket"),
        (["finding", "nothing like this at all"], "no finding is named"),
        (["disease", "OMIM:999999"], "not a disease"),
    ],
)
def test_bad_input_is_one_clear_line_with_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error:")


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"id": "x", "phenotypicFeatures": 5}), json.dumps({"id": "x"})],
)
def test_malformed_phenopackets_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = run("diagnose", "--phenopacket", str(path))
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_finding_and_disease_commands() -> None:
    result = run("finding", "low number of red blood cells", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "HP:0001903" and record["kb_version"] == "HPO 2099-01-01"
    assert record["parents"] == [
        {"id": "HP:0001871", "label": "Abnormality of blood and blood-forming tissues"}
    ]
    result = run("disease", "OMIM:100001", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["onset"] == [{"id": "HP:0003577", "label": "Congenital onset"}]
    assert record["inheritance"] == [
        {"id": "HP:0000006", "label": "Autosomal dominant inheritance"}
    ]
    negated = [f for f in record["findings"] if f["negated"]]
    assert [f["id"] for f in negated] == ["HP:0001903"]
    assert record["findings"][0]["frequency"] == "Very frequent (80-99%)"


def test_index_build_reports_the_release() -> None:
    result = run("index", "build")
    assert result.exit_code == 0, result.output
    assert "HPO 2099-01-01" in result.stdout and "3 diseases" in result.stdout


def test_a_phrase_that_is_no_name_is_read_as_text() -> None:
    result = run("diagnose", "recurrent fits", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["findings"][0]["id"] == "HP:0001250"
    assert payload["recognised"] == [
        {"text": "recurrent fits", "words": "fits", "id": "HP:0001250", "label": "Seizure"}
    ]


def test_a_bad_setting_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dxatlas.cli import main
    from dxatlas.settings import get_settings

    monkeypatch.setenv("DXATLAS_HTTP_TIMEOUT_SECONDS", "-1")
    monkeypatch.setattr("sys.argv", ["dxatlas", "diagnose", "HP:0001903"])
    get_settings.cache_clear()
    with pytest.raises(SystemExit) as stopped:
        main()
    get_settings.cache_clear()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "DXATLAS_HTTP_TIMEOUT_SECONDS" in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["ingest"], ["concept", "import"], ["sentences"]])
def test_a_path_longer_than_the_file_system_allows_is_one_line(
    command: list[str],
    toy_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Regression: a 300-character path argument raised "File name too long" as a traceback."""
    from dxatlas.cli import main

    monkeypatch.setattr("sys.argv", ["dxatlas", *command, "x" * 300])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "file name too long (300 characters)" in err and "Traceback" not in err


def test_malformed_hpo_data_is_a_clean_error(toy_env: Path) -> None:
    (toy_env / "phenotype.hpoa").write_text(
        "#version: x\nOMIM:1\tX\t\tHP:0001903\tPMID:1\tPCS\t\t7/3\t\t\tP\tHPO:x\n"
    )
    result = run("diagnose", "HP:0001903")
    assert result.exit_code == 2
    assert "malformed" in result.stderr and "Traceback" not in result.stderr


def test_diagnose_text_reads_findings_age_and_sex() -> None:
    result = run(
        "diagnose",
        "--text",
        "A 40 year old woman with anaemia and a low neutrophil count. No fits.",
        "--json",
        "--top",
        "2",
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["findings"] == [
        {"id": "HP:0001903", "label": "Anemia", "status": "present", "text": "anaemia"},
        {
            "id": "HP:0001875",
            "label": "Neutropenia",
            "status": "present",
            "text": "low neutrophil count",
        },
        {"id": "HP:0001250", "label": "Seizure", "status": "excluded", "text": "fits"},
    ]
    assert (payload["age"], payload["sex"]) == (40.0, "female")
    first = payload["differential"][0]
    assert first["id"] == "OMIM:100002"
    assert {"id", "name", "synonyms", "probability", "source"} <= set(first)


def test_diagnose_text_given_age_wins_and_bad_text_is_refused(tmp_path: Path) -> None:
    result = run("diagnose", "--text", "A 40 year old man with anaemia.", "--age", "P3Y", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["age"] == 3.0
    nothing = run("diagnose", "--text", "Nothing of note.")
    assert nothing.exit_code == 2 and "no present finding recognised" in nothing.output
    missing = run("diagnose", "--text-file", str(tmp_path / "absent.txt"))
    assert missing.exit_code == 2 and "cannot read the case text" in missing.output
    both = run("diagnose", "--text", "anaemia", "--text-file", str(tmp_path / "x.txt"))
    assert both.exit_code == 2 and "not both" in both.output
    (tmp_path / "case.txt").write_text("Anaemia, no fits.", encoding="utf-8")
    from_file = run("diagnose", "--text-file", str(tmp_path / "case.txt"), "--json")
    assert from_file.exit_code == 0, from_file.output
    assert [f["status"] for f in json.loads(from_file.stdout)["findings"]] == [
        "present",
        "excluded",
    ]


def test_a_misspelt_finding_in_a_case_text_is_read_and_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run("diagnose", "--text", "The child had a seisure.", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [f["id"] for f in payload["findings"]] == ["HP:0001250"]
    assert payload["spelling"] == [{"written": "seisure", "read_as": "seizure"}]
    shown = run("diagnose", "--text", "The child had a seisure.")
    assert "spelling: 'seisure' read as 'seizure'" in shown.stdout
    # With the setting off the text is read as written: nothing is recognised.
    from dxatlas.settings import get_settings

    monkeypatch.setenv("DXATLAS_SPELLING_CORRECTION", "false")
    get_settings.cache_clear()
    try:
        plain = run("diagnose", "--text", "The child had a seisure.")
    finally:
        get_settings.cache_clear()
    assert plain.exit_code == 2 and "no present finding" in plain.output
