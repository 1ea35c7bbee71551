"""`dxatlas ask` on the toy knowledge base: the JSON shape, the table, and bad input."""

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


def test_ask_json_has_the_promised_shape() -> None:
    result = run("ask", "anaemia", "--sex", "male", "--age", "P30Y", "--top", "2", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"questions", "kb_version"}
    assert payload["kb_version"] == "HPO 2099-01-01"
    assert len(payload["questions"]) == 2
    first = payload["questions"][0]
    assert set(first) == {"id", "label", "question", "expected_gain", "p_yes"}
    assert first == {
        "id": "HP:0001875",
        "label": "Neutropenia",
        "question": "Do you have a low neutrophil count?",
        "expected_gain": first["expected_gain"],
        "p_yes": first["p_yes"],
    }
    assert first["expected_gain"] > 0 and 0 < first["p_yes"] < 1
    assert payload["questions"][1]["expected_gain"] <= first["expected_gain"]


def test_ask_never_repeats_a_given_finding() -> None:
    result = run("ask", "HP:0001903", "--exclude", "neutropenia", "--top", "20", "--json")
    assert result.exit_code == 0, result.output
    asked = {q["id"] for q in json.loads(result.stdout)["questions"]}
    assert asked and not asked & {"HP:0001903", "HP:0001875"}


def test_ask_table_shows_the_questions() -> None:
    result = run("ask", "HP:0001903", "--sex", "male")
    assert result.exit_code == 0, result.output
    assert "HPO 2099-01-01" in result.stdout
    assert "neutrophil" in result.stdout and "HP:0001875" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", "anemiaa"], "no finding is named 'anemiaa'; did you mean"),
        (["ask", "HP:0001903", "-x", "HP:7777777"], "'HP:7777777' is not a term of"),
        (["ask", "HP:12"], "seven digits"),
        (["ask", "HP:0001903", "--sex", "robot"], "sex 'robot'"),
        (["ask", "HP:0001903", "--age", "P300Y"], "impossible"),
        (["ask"], "no findings given"),
    ],
)
def test_ask_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    # One line, after the notice that the toy index is being built.
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error:") and message in last
