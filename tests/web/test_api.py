"""The JSON API on the toy knowledge base: health, search, concept pages, diagnose, questions."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_healthz(web: TestClient) -> None:
    answer = web.get("/healthz")
    assert answer.status_code == 200
    payload = answer.json()
    assert set(payload) == {"status", "kb_version"} and payload["status"] == "ok"
    assert "2099-01-01" in payload["kb_version"]


def test_openapi_describes_the_api(web: TestClient) -> None:
    paths = web.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/search",
        "/api/v1/concepts/{concept_id}",
        "/api/v1/diagnose",
        "/api/v1/next-question",
    ):
        assert path in paths
    assert "/check" not in paths  # the HTML pages are not part of the API


def test_search_groups_hits_by_kind(web: TestClient, concept_id: str) -> None:
    answer = web.get("/api/v1/search", params={"q": "seiz"})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert set(results) == {"finding", "disease", "concept"}
    finding_ids = [hit["id"] for hit in results["finding"]]
    assert finding_ids[0] == "HP:0001250"  # the shortest prefix match first
    assert "HP:0002069" in finding_ids
    assert results["disease"][0]["id"] == "OMIM:100001"
    assert all(len(hits) <= 10 for hits in results.values())


def test_search_by_synonym_fuzzy_and_stored_concept(web: TestClient, concept_id: str) -> None:
    results = web.get("/api/v1/search", params={"q": "fits"}).json()["results"]
    assert results["finding"][0] == {
        "id": "HP:0001250",
        "name": "Seizure",
        "matched": "Fits",
        "match": "prefix",
    }
    misspelt = web.get("/api/v1/search", params={"q": "anemai"}).json()["results"]
    assert "HP:0001903" in [hit["id"] for hit in misspelt["finding"]]
    stored = web.get("/api/v1/search", params={"q": "pretend"}).json()["results"]
    assert [hit["id"] for hit in stored["concept"]] == [concept_id]


def test_search_too_short_is_400(web: TestClient) -> None:
    answer = web.get("/api/v1/search", params={"q": "a"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "the search query must have at least 2 characters"}
    missing = web.get("/api/v1/search")
    assert missing.status_code == 422
    assert missing.json()["error"].startswith("invalid request: q:")


def test_curated_concept_page(web: TestClient) -> None:
    answer = web.get("/api/v1/concepts/OMIM:100002")
    assert answer.status_code == 200
    page = answer.json()
    assert set(page) == {
        "concept",
        "sections",
        "demographics",
        "curated",
        "kb_version",
        "related",
        "risk_factors",
    }
    assert page["concept"]["name"] == "Blood disorder B"
    assert len(page["sections"]) == 9
    anemia = next(c for c in page["curated"] if c["finding"]["id"] == "HP:0001903")
    assert anemia["references"] == ["PMID:2", "PMID:3"]


def test_stored_concept_page(web: TestClient, concept_id: str) -> None:
    page = web.get(f"/api/v1/concepts/{concept_id}").json()
    assert page["concept"]["synonyms"] == ["Pretend disorder"]
    presentation = next(s for s in page["sections"] if s["key"] == "presentation")
    assert presentation["subsections"][0]["finding"]["label"] == "Seizure"


def test_unknown_concept_is_404_json(web: TestClient) -> None:
    answer = web.get("/api/v1/concepts/OMIM:999999")
    assert answer.status_code == 404
    assert answer.json() == {"error": "no concept has the id 'OMIM:999999'"}
    assert web.get("/api/v1/nothing").json() == {"error": "nothing is at /api/v1/nothing"}


def test_diagnose_with_ids(web: TestClient) -> None:
    answer = web.post("/api/v1/diagnose", json={"present": ["HP:0001903", "HP:0001875"]})
    assert answer.status_code == 200
    payload = answer.json()
    assert payload["differential"][0]["id"] == "OMIM:100002"
    assert {"findings", "kb_version", "n_ranked", "notice", "recognised"} <= set(payload)
    assert payload["recognised"] == []


def test_diagnose_with_names_age_sex_and_top(web: TestClient) -> None:
    body = {"present": ["fits"], "excluded": ["anaemia"], "age": "P2Y", "sex": "female", "top": 2}
    payload = web.post("/api/v1/diagnose", json=body).json()
    assert [(f["id"], f["status"]) for f in payload["findings"]] == [
        ("HP:0001250", "present"),
        ("HP:0001903", "excluded"),
    ]
    assert payload["sex"] == "female" and payload["age"] == 2
    assert len(payload["differential"]) == 2


def test_diagnose_reads_text_with_a_negation(web: TestClient) -> None:
    text = "The child has seizures and intellectual disability. There was no anemia."
    payload = web.post("/api/v1/diagnose", json={"text": text}).json()
    statuses = {f["id"]: f["status"] for f in payload["findings"]}
    assert statuses == {"HP:0001250": "present", "HP:0001249": "present", "HP:0001903": "excluded"}
    recognised = {(r["words"].lower(), r["status"]) for r in payload["recognised"]}
    assert ("anemia", "excluded") in recognised
    curated = [row["id"] for row in payload["differential"] if row["source"] != "literature"]
    assert curated[0] in {"OMIM:100001", "OMIM:100003"}  # the seizure diseases lead


def test_diagnose_reads_a_misspelt_finding_and_says_so(web: TestClient) -> None:
    payload = web.post("/api/v1/diagnose", json={"text": "The child had a seisure."}).json()
    assert [f["id"] for f in payload["findings"]] == ["HP:0001250"]
    (read,) = payload["recognised"]
    assert (read["words"], read["spelling"]) == ("seisure", "seizure")


def test_diagnose_text_gives_age_and_sex_unless_given(web: TestClient) -> None:
    text = "A 7-year-old girl with seizures. No anaemia."
    read = web.post("/api/v1/diagnose", json={"text": text}).json()
    assert (read["age"], read["sex"]) == (7.0, "female")
    given = web.post("/api/v1/diagnose", json={"text": text, "age": "P2Y", "sex": "male"}).json()
    assert (given["age"], given["sex"]) == (2.0, "male")


def test_diagnose_bad_input_is_400_with_a_clear_message(web: TestClient) -> None:
    bad_id = web.post("/api/v1/diagnose", json={"present": ["HP:9999999"]})
    assert bad_id.status_code == 400
    assert "HP:9999999" in bad_id.json()["error"]
    unknown = web.post("/api/v1/diagnose", json={"present": ["zzzz qqqq"]})
    assert unknown.status_code == 400
    assert unknown.json()["error"].startswith("no finding is named 'zzzz qqqq'")
    bad_age = web.post("/api/v1/diagnose", json={"present": ["HP:0001250"], "age": "old"})
    assert bad_age.status_code == 400
    assert "old" in bad_age.json()["error"]
    nothing = web.post("/api/v1/diagnose", json={"excluded": ["HP:0001250"]})
    assert nothing.status_code == 400
    assert nothing.json()["error"].startswith("no present finding given")


def test_diagnose_malformed_body_is_422_in_one_message(web: TestClient) -> None:
    answer = web.post("/api/v1/diagnose", json={"present": "HP:0001250", "top": 0})
    assert answer.status_code == 422
    message = answer.json()["error"]
    assert message.startswith("invalid request: ")
    assert "present:" in message and "top:" in message


def test_next_question(web: TestClient) -> None:
    answer = web.post("/api/v1/next-question", json={"present": ["HP:0001250"], "top": 3})
    assert answer.status_code == 200
    questions = answer.json()["questions"]
    assert 1 <= len(questions) <= 3
    assert {"id", "label", "question", "expected_gain", "p_yes"} <= set(questions[0])
    assert "HP:0001250" not in [q["id"] for q in questions]


def test_warm_up_builds_the_recogniser_in_the_background(web: TestClient) -> None:
    engine = web.app.state.engine  # type: ignore[attr-defined]
    engine.warm_up().join(timeout=60)
    assert engine._annotator is not None


def test_diagnose_refuses_past_history_alone(web: TestClient) -> None:
    answer = web.post("/api/v1/diagnose", json={"text": "A woman with a history of seizures."})
    assert answer.status_code == 400
    assert "past history only: Seizure" in answer.json()["error"]
