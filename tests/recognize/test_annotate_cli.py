"""`dxatlas annotate` on the toy knowledge base of tests/conftest.py: table, JSON, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _toy(toy_env: Path) -> None:
    """Every test here runs on the toy data with a temporary cache."""


def test_json_output_with_a_user_concept(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(
        "Leukemia cutis (LC) with anemia. No seizures. The LC grew; cutaneous leukemia spread.",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "annotate",
            str(note),
            "--json",
            "--concept",
            "Leukemia cutis",
            "--synonym",
            "cutaneous leukemia",
            "--synonym",
            "leukaemia cutis",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kb_version"].startswith("HPO ")
    mentions = [m for s in data["sentences"] for m in s["mentions"]]
    seen = {(m["text"], m["id"], m["kind"], m["assertion"]) for m in mentions}
    assert ("Leukemia cutis", "DXATLAS:leukemia-cutis", "disease", "asserted") in seen
    assert ("LC", "DXATLAS:leukemia-cutis", "disease", "asserted") in seen
    assert ("cutaneous leukemia", "DXATLAS:leukemia-cutis", "disease", "asserted") in seen
    assert ("anemia", "HP:0001903", "finding", "asserted") in seen
    assert ("seizures", "HP:0001250", "finding", "negated") in seen


def test_table_output_for_a_text_argument() -> None:
    result = runner.invoke(app, ["annotate", "Her mother had anemia."])
    assert result.exit_code == 0, result.output
    assert "HP:0001903" in result.stdout and "family" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annotate", "missing/note.txt"], "does not exist"),
        (["annotate", "   "], "empty"),
        (["annotate", "fever", "--synonym", "x"], "--synonym needs a --concept"),
    ],
)
def test_bad_input_is_one_clean_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_text_longer_than_a_file_name_is_read_as_text() -> None:
    """Regression: a one-line text of more than 255 characters without a slash made the check
    for a file of that name raise "File name too long", a traceback instead of an annotation."""
    text = "Her mother had anemia and " + "a long story about her week, " * 12 + "nothing else."
    assert len(text) > 255 and "/" not in text
    result = runner.invoke(app, ["annotate", text])
    assert result.exit_code == 0, result.output
    assert "HP:0001903" in result.stdout


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["annotate", str(tmp_path)])
    assert result.exit_code == 2 and "folder" in result.output


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa fever")
    result = runner.invoke(app, ["annotate", str(bad)])
    assert result.exit_code == 2 and "UTF-8" in result.output


def test_a_user_concept_gets_the_id_the_store_would_give_it() -> None:
    from dxatlas.store.concepts import slug_of

    result = runner.invoke(
        app, ["annotate", "Leukaemia cutis was seen.", "--json", "--concept", "Leukaemia cutis"]
    )
    assert result.exit_code == 0, result.output
    ids = {m["id"] for s in json.loads(result.stdout)["sentences"] for m in s["mentions"]}
    assert ids == {"DXATLAS:leukemia-cutis"} == {f"DXATLAS:{slug_of('Leukaemia cutis')}"}


@pytest.mark.parametrize("name", ["!!!", "--- ..."])
def test_a_concept_name_without_letters_or_digits_is_refused(name: str) -> None:
    result = runner.invoke(app, ["annotate", "Some text here.", "--concept", name])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --concept")
    assert "no letters or digits" in lines[0] and "Traceback" not in result.output
