"""The HTML pages and their `.json` twins; user text is always escaped."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import EVIDENCE


def test_home_has_a_labelled_search_box(web: TestClient) -> None:
    answer = web.get("/")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert '<meta name="viewport"' in html
    assert '<form class="search" method="get" action="/search"' in html
    assert '<label for="q">' in html and 'id="q"' in html
    assert "/static/style.css" in html
    assert web.get("/static/style.css").status_code == 200


def test_search_page_groups_results_with_links(web: TestClient) -> None:
    html = web.get("/search", params={"q": "disorder"}).text
    assert "<h2>Diseases (3)</h2>" in html
    assert '<a href="/concept/OMIM%3A100002">Blood disorder B</a>' in html
    assert web.get("/search.json", params={"q": "disorder"}).json()["results"]["disease"]


def test_search_page_too_short(web: TestClient) -> None:
    answer = web.get("/search", params={"q": "x"})
    assert answer.status_code == 400
    assert "at least 2 characters" in answer.text


def test_the_empty_search_page_shows_the_box_without_an_error(web: TestClient) -> None:
    answer = web.get("/search")
    assert answer.status_code == 200
    assert 'role="alert"' not in answer.text and 'action="/search"' in answer.text


def test_search_escapes_a_script_payload(web: TestClient) -> None:
    payload = "<script>alert(1)</script>"
    html = web.get("/search", params={"q": payload}).text
    assert payload not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_curated_concept_page(web: TestClient) -> None:
    answer = web.get("/concept/OMIM:100002")
    assert answer.status_code == 200
    html = answer.text
    assert "<h1>Blood disorder B</h1>" in html
    for title in ("Overview", "Presentation", "Workup", "Etiology", "Prevention"):
        assert f"<h2>{title}</h2>" in html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/3/" rel="noopener">PMID:3</a>' in html
    assert "Very frequent" in html
    assert "<dt>Patients</dt><dd>0</dd>" in html
    twin = web.get("/concept/OMIM:100002.json")
    assert twin.json() == web.get("/api/v1/concepts/OMIM:100002").json()


def test_stored_concept_page_cites_its_source(web: TestClient, concept_id: str) -> None:
    html = web.get(f"/concept/{concept_id}").text
    assert "Also called: Pretend disorder" in html
    assert "<h3>Seizure" in html
    assert EVIDENCE in html
    assert '[<a href="https://example.org/toy" rel="nofollow noopener">example.org</a>]' in html


def test_unknown_concept_page_is_404(web: TestClient) -> None:
    answer = web.get("/concept/OMIM:999999")
    assert answer.status_code == 404
    assert "no concept has the id" in answer.text and "<html" in answer.text
    assert web.get("/concept/OMIM:999999.json").json() == {
        "error": "no concept has the id 'OMIM:999999'"
    }


def test_check_form_and_differential(web: TestClient) -> None:
    empty = web.get("/check")
    assert empty.status_code == 200
    assert '<label for="findings">' in empty.text and '<label for="age">' in empty.text
    assert "This is not a diagnosis." in empty.text
    params = {"findings": "anaemia\nlow neutrophil count\nno seizures", "age": "40", "sex": "male"}
    html = web.get("/check", params=params).text
    assert "This is not a diagnosis." in html
    assert "Blood disorder B" in html
    assert "<details>" in html and "%</span>" in html
    assert 'data-id="HP:0001250" data-status="absent"' in html  # "no seizures": an absent chip
    twin = web.get("/check.json", params=params).json()
    assert twin["differential"][0]["name"] == "Blood disorder B"


def test_check_errors_stay_on_the_form(web: TestClient) -> None:
    answer = web.get("/check", params={"findings": "HP:0001903", "age": "<b>old</b>"})
    assert answer.status_code == 400
    assert '<p class="error" role="alert"' in answer.text
    assert "<b>old</b>" not in answer.text
