"""Acceptance: the leukemia cutis seeds ingested under a user concept give a cited page.

Runs the real CLI on the shipped HPO data; skipped when the shared folder is absent. Only
properties of the page are asserted: no text of the shared folder is copied here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxatlas.cli import app
from dxatlas.settings import get_settings
from tests.conftest import shared_folder

pytestmark = [pytest.mark.shared, pytest.mark.integration]
runner = CliRunner()


def seeds_folder() -> Path:
    return shared_folder("seeds")


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = seeds_folder()
    home = tmp_path_factory.mktemp("seed-page")
    env = {
        "DXATLAS_DATABASE_URL": f"sqlite:///{home / 'store.db'}",
        "DXATLAS_CACHE_DIR": str(home / "cache"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        get_settings.cache_clear()
        added = runner.invoke(
            app,
            [
                "concept",
                "add",
                "Leukemia cutis",
                "--synonym",
                "cutaneous leukemia",
                "--synonym",
                "leukaemia cutis",
            ],
        )
        assert added.exit_code == 0, added.output
        ingested = runner.invoke(app, ["ingest", str(folder), "--concept", "Leukemia cutis"])
        assert ingested.exit_code == 0, ingested.output
        assert "stored 4 new document(s)" in ingested.stdout
        again = runner.invoke(app, ["ingest", str(folder), "--concept", "Leukemia cutis"])
        assert "stored 0 new document(s), 4 unchanged" in again.stdout
        shown = runner.invoke(app, ["page", "leukaemia cutis", "--format", "json"])
        assert shown.exit_code == 0, shown.output
        markdown = runner.invoke(app, ["page", "cutaneous leukemia"])
        assert markdown.exit_code == 0 and "## Presentation" in markdown.stdout
        diagnosed = runner.invoke(
            app,
            [
                "diagnose",
                "violaceous papules",
                "anemia",
                "neutropenia",
                "--age",
                "P4M",
                "--sex",
                "male",
                "--json",
            ],
        )
        assert diagnosed.exit_code == 0, diagnosed.output
    get_settings.cache_clear()
    return {**json.loads(shown.stdout), "diagnosis": json.loads(diagnosed.stdout)}


def _section(page: dict, key: str) -> dict:
    return next(s for s in page["sections"] if s["key"] == key)


def test_header_and_shape(seed_page: dict) -> None:
    assert seed_page["concept"]["name"] == "Leukemia cutis"
    assert {"cutaneous leukemia", "leukaemia cutis"} <= set(seed_page["concept"]["synonyms"])
    assert [s["key"] for s in seed_page["sections"]] == [
        "overview",
        "presentation",
        "workup",
        "treatment",
        "prognosis",
        "etiology",
        "epidemiology",
        "pathophysiology",
        "prevention",
    ]


def test_presentation_has_skin_lesion_subsections(seed_page: dict) -> None:
    labels = {
        sub["finding"]["label"].lower()
        for sub in _section(seed_page, "presentation")["subsections"]
    }
    assert labels & {"papule", "nodule", "plaque", "skin nodule", "skin plaque"}, labels
    assert {"anemia", "neutropenia"} & labels


def test_workup_names_the_tests(seed_page: dict) -> None:
    tests = {
        sub["finding"]["label"].lower() for sub in _section(seed_page, "workup")["subsections"]
    }
    assert {"skin biopsy", "immunophenotyping", "bone marrow biopsy"} <= tests


def test_treatment_and_prognosis(seed_page: dict) -> None:
    treatment = " ".join(e["text"].lower() for e in _section(seed_page, "treatment")["evidence"])
    for therapy in ("chemotherapy", "radiotherapy", "targeted therapy"):
        assert therapy in treatment
    assert _section(seed_page, "prognosis")["evidence"]


def test_etiology_links_predisposing_diseases(seed_page: dict) -> None:
    related = {
        r["label"].lower()
        for e in _section(seed_page, "etiology")["evidence"]
        for r in e["related"]
    }
    assert {"down syndrome", "bloom syndrome", "fanconi anemia"} <= related


def test_demographics_count_the_infant_boy_once(seed_page: dict) -> None:
    demographics = seed_page["demographics"]
    assert demographics["sex"] == {"male": 1, "female": 0}
    assert demographics["ages_years"] == [pytest.approx(4 / 12, abs=0.01)]


def test_no_evidence_is_shown_twice(seed_page: dict) -> None:
    for section in seed_page["sections"]:
        texts = [e["text"] for e in section["evidence"]]
        assert len(texts) == len(set(texts))


def test_diagnose_ranks_the_concept_from_its_literature(seed_page: dict) -> None:
    differential = seed_page["diagnosis"]["differential"]
    found = [row for row in differential if row["name"] == "Leukemia cutis"]
    assert found, [row["name"] for row in differential]
    assert found[0]["rank"] <= 10 and found[0]["source"] == "literature"
    supporting = {
        e["finding"]["label"] for e in found[0]["explanation"] if e["likelihood_ratio"] > 1
    }
    assert {"Papule", "Neutropenia"} <= supporting
    assert all(e["source"] == "literature" for e in found[0]["explanation"])
