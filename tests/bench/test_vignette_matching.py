"""The vignette benchmark's strict rule for when a ranked concept is the gold diagnosis."""

from __future__ import annotations

import json
from pathlib import Path

from dxatlas.bench.vignettes import (
    concept_names,
    gold_names,
    matches,
    normalized,
    read_vignettes,
    run_benchmark,
)


def is_gold(diagnosis: str, name: str, *synonyms: str) -> bool:
    return matches(gold_names(diagnosis), concept_names(name, synonyms))


def test_gold_text_gives_its_name_and_bracketed_alternatives() -> None:
    assert gold_names("Asthma (or acute asthma, status asthmaticus)") == {
        "asthma",
        "acute asthma",
        "status asthmaticus",
    }
    assert gold_names("Acute liver failure (acetaminophen poisoning acceptable)") == {
        "acute liver failure",
        "acetaminophen poisoning",
    }
    # A severity word is no name; an exacerbation accepts its disease and its other spellings.
    assert gold_names("COPD exacerbation (severe)") == {
        "copd exacerbation",
        "copd",
        "acute exacerbation of copd",
    }


def test_a_flare_is_an_exacerbation() -> None:
    assert is_gold("COPD flare", "Acute COPD exacerbation / infection", "COPD exacerbation")
    assert is_gold("COPD flare", "Acute exacerbation of COPD")
    assert is_gold("Asthma attack", "Asthma exacerbation")
    assert not is_gold("COPD flare", "Asthma exacerbation")
    assert not is_gold("COPD flare", "Acute bronchitis")


def test_normalisation_spelling_plural_and_population() -> None:
    assert normalized("Haemolytic uraemic syndrome") == "hemolytic uremic syndrome"
    assert normalized("Canker Sores") == "canker sore"
    assert normalized("Urinary Tract Infection in Adults") == "urinary tract infection"
    assert normalized("Meningitis") == "meningitis"  # not a plural


def test_equal_names_synonyms_and_curated_groups_match() -> None:
    assert is_gold("Haemolytic uremic syndrome", "Hemolytic Uremic Syndrome")
    assert is_gold("Rocky Mountain Spotted Fever", "Rocky Mountain Spotted Fever (RMSF)")
    assert is_gold("Influenza", "Flu", "Grippe")
    assert is_gold("Myocardial infarction (heart attack)", "Heart Attack")
    assert is_gold("Shingles", "Herpes zoster")
    assert is_gold("Viral upper respiratory tract infection", "Common Cold")
    assert is_gold("Acute bronchitis", "Bronchitis")  # the lay name of the acute illness
    assert is_gold("Vomiting", "Nausea and Vomiting")  # MedlinePlus's name of the condition


def test_no_fuzzy_acceptance_of_a_different_disease() -> None:
    assert not is_gold("Pneumonia", "Cryptogenic organizing pneumonia")
    assert not is_gold("Acute bronchitis", "Chronic bronchitis")
    assert not is_gold("Meningitis", "Mollaret meningitis")
    assert not is_gold("Stroke", "Heat stroke")
    assert not is_gold("Vomiting", "Cyclic vomiting syndrome")
    assert not is_gold("Back pain", "Neck pain")


def test_run_benchmark_reports_ranks_and_the_top_ten(tmp_path: Path) -> None:
    path = tmp_path / "vignettes.jsonl"
    records = [
        {"id": "v1", "text": "fever", "diagnosis": "Influenza"},
        {"id": "v2", "text": "rash", "diagnosis": "Shingles"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    answers = {
        "fever": [{"id": "X:1", "name": "Common Cold", "probability": 0.6},
                  {"id": "X:2", "name": "Flu", "synonyms": ["Grippe"], "probability": 0.4}],
        "rash": [{"id": "X:3", "name": "Measles", "probability": 1.0}],
    }  # fmt: skip
    report = run_benchmark(
        lambda text: {"findings": [], "differential": answers[text]}, read_vignettes(path)
    )
    out = report.as_json()
    assert [c["rank"] for c in out["cases"]] == [2, None]
    assert (out["top1"], out["top3"], out["top10"]) == (0.0, 0.5, 0.5)
    assert out["cases"][0]["differential"][1]["synonyms"] == ["Grippe"]


def test_a_malformed_line_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "v1"}\n')
    try:
        read_vignettes(path)
    except ValueError as error:
        assert f"{path}:1" in str(error)
    else:
        raise AssertionError("a record without text must be refused")
