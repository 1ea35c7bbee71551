"""`GET /api/v1/autocomplete`: suggestions grouped by kind, by name, synonym, lay word or id."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _groups(web: TestClient, **params: Any) -> dict[str, list[dict[str, Any]]]:
    answer = web.get("/api/v1/autocomplete", params=params)
    assert answer.status_code == 200, answer.text
    return {group["kind"]: group["items"] for group in answer.json()["groups"]}


def test_suggestions_are_grouped_by_kind(web: TestClient) -> None:
    answer = web.get("/api/v1/autocomplete", params={"q": "seiz"}).json()
    assert [(g["kind"], g["label"]) for g in answer["groups"]] == [
        ("finding", "Findings"),
        ("disease", "Diseases"),
        ("concept", "Concepts"),
    ]
    groups = {g["kind"]: g["items"] for g in answer["groups"]}
    assert groups["finding"][0] == {
        "id": "HP:0001250",
        "name": "Seizure",
        "matched": "Seizure",
        "match": "prefix",
        "via": "label",
        "url": "/check?present=HP%3A0001250",
    }
    assert {hit["id"] for hit in groups["finding"]} >= {"HP:0002069", "HP:0007359"}
    assert groups["disease"][0]["id"] == "OMIM:100001"
    assert groups["disease"][0]["url"] == "/concept/OMIM%3A100001"
    assert groups["concept"] == []


def test_a_later_word_and_a_lay_word_match(web: TestClient) -> None:
    groups = _groups(web, q="onset", kind="finding")
    assert list(groups) == ["finding"]
    # "Focal-onset seizure" by its second word; "Congenital onset" is not a phenotypic
    # abnormality, so it is never offered as a finding.
    assert [hit["id"] for hit in groups["finding"]] == ["HP:0007359"]
    assert groups["finding"][0]["match"] == "word"
    fits = _groups(web, q="fit", kind="finding")["finding"]
    assert fits[0]["id"] == "HP:0001250"
    assert (fits[0]["matched"], fits[0]["via"]) == ("Fits", "layperson")


def test_stored_concepts_by_synonym_and_kind_lists(web: TestClient, concept_id: str) -> None:
    groups = _groups(web, q="Pretend", kind="concept,disease")
    assert list(groups) == ["disease", "concept"]
    assert groups["concept"][0]["id"] == concept_id
    assert groups["concept"][0]["name"] == "Toy syndrome"
    assert groups["concept"][0]["via"] == "synonym"
    assert groups["concept"][0]["url"] == "/concept/" + concept_id.replace(":", "%3A")


def test_a_typo_falls_back_to_close_spellings(web: TestClient) -> None:
    hits = _groups(web, q="anemai")["finding"]
    assert hits and hits[0]["id"] == "HP:0001903" and hits[0]["match"] == "fuzzy"


def test_ids_suggest_their_concept(web: TestClient) -> None:
    assert _groups(web, q="hp:0001250")["finding"][0]["name"] == "Seizure"
    assert _groups(web, q="OMIM:100002")["disease"][0]["name"] == "Blood disorder B"
    assert _groups(web, q="HP:0000006")["finding"] == []  # inheritance: not a finding


def test_short_queries_are_quiet_and_limits_hold(web: TestClient) -> None:
    groups = _groups(web, q="s")
    assert groups == {"finding": [], "disease": [], "concept": []}
    assert len(_groups(web, q="seiz", limit=1)["finding"]) == 1


def test_bad_kind_and_limit_are_clear_errors(web: TestClient) -> None:
    bad = web.get("/api/v1/autocomplete", params={"q": "seiz", "kind": "drug"})
    assert bad.status_code == 400
    assert bad.json() == {"error": "kind 'drug' is not one of finding, disease, concept or all"}
    too_many = web.get("/api/v1/autocomplete", params={"q": "seiz", "limit": 99})
    assert too_many.status_code == 422
    assert too_many.json()["error"].startswith("invalid request: limit:")
