"""The symptom checker (`/check` and `/check.json`): chips, follow-up questions, red flags,
explanations with their evidence, and the form state carried between posts."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import EVIDENCE


def _chips(html: str) -> list[tuple[str, str]]:
    """(status, id) of every chip, in page order (the empty chip template has no id)."""
    pattern = r'data-testid="chip" data-id="([^"]+)" data-status="([a-z]+)"'
    return [(status, chip_id) for chip_id, status in re.findall(pattern, html)]


def _question(html: str) -> str | None:
    found = re.search(r'data-testid="next-question" data-finding="([^"]+)"', html)
    return found.group(1) if found else None


def _probabilities(payload: dict[str, Any]) -> dict[str, float]:
    return {row["id"]: row["probability"] for row in payload["differential"]}


def test_the_empty_form_is_labelled_and_says_it_is_not_a_diagnosis(web: TestClient) -> None:
    answer = web.get("/check")
    assert answer.status_code == 200
    html = answer.text
    for field in ("add", "findings", "age", "sex"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert 'data-testid="not-a-diagnosis"' in html and "This is not a diagnosis." in html
    assert '<form id="check-form" class="check" method="post"' in html
    assert 'data-autocomplete="finding"' in html and "/static/combobox.js" in html
    assert 'data-testid="urgent-banner"' not in html and _chips(html) == []
    assert web.get("/static/combobox.js").status_code == 200


def test_typed_findings_become_chips_with_absent_status(web: TestClient) -> None:
    form = {"findings": "anaemia\nlow neutrophil count\nno seizures", "age": "40", "sex": "male"}
    answer = web.post("/check", data=form)
    assert answer.status_code == 200
    html = answer.text
    assert _chips(html) == [
        ("present", "HP:0001903"),
        ("present", "HP:0001875"),
        ("absent", "HP:0001250"),
    ]
    # Each chip carries its state as a hidden field and can be removed with its own button.
    assert '<input type="hidden" name="absent" value="HP:0001250">' in html
    assert '<span class="chip-status">absent</span>' in html
    assert 'name="remove" value="HP:0001250"' in html and 'aria-label="Remove Seizure"' in html
    # Read text leaves the box (it is now chips); the words read are shown.
    assert re.search(r'<textarea id="findings"[^>]*></textarea>', html)
    assert "“seizures” as <em>absent</em> Seizure" in html
    assert 'value="40"' in html and '<option value="male" selected>' in html
    # An absent red flag raises no banner.
    assert 'data-testid="urgent-banner"' not in html
    first = re.search(r'data-testid="differential-row" data-id="([^"]+)"', html)
    assert first is not None and first.group(1) == "OMIM:100002"
    assert "<summary>Why this rank</summary>" in html


def test_a_misspelt_finding_is_shown_with_the_word_it_was_read_as(web: TestClient) -> None:
    html = web.post("/check", data={"findings": "The child had a seisure."}).text
    assert _chips(html) == [("present", "HP:0001250")]
    assert "“seisure” (read as “seizure”) as Seizure" in html


def test_a_chip_can_be_removed(web: TestClient) -> None:
    form = {"present": ["HP:0001903", "HP:0001875"], "absent": "HP:0001250", "remove": "HP:0001875"}
    html = web.post("/check", data=form).text
    assert _chips(html) == [("present", "HP:0001903"), ("absent", "HP:0001250")]


def test_links_and_json_twin_carry_the_same_state(web: TestClient) -> None:
    params = {"present": "HP:0001903", "absent": "hp:0001250", "sex": "female"}
    html = web.get("/check", params=params).text
    assert _chips(html) == [("present", "HP:0001903"), ("absent", "HP:0001250")]
    link = "/check.json?present=HP%3A0001903&amp;absent=HP%3A0001250&amp;sex=female"
    assert f'href="{link}"' in html
    payload = web.get(link.replace("&amp;", "&")).json()
    assert payload["state"] == {
        "present": ["HP:0001903"],
        "absent": ["HP:0001250"],
        "unknown": [],
        "history": [],
        "risk": [],
        "age": "",
        "sex": "female",
        "unread": "",
    }
    # The curated disease with anemia leads the curated rows (the store's literature concept,
    # with its default prior, may stand above them in a three-disease toy knowledge base).
    curated = [row["id"] for row in payload["differential"] if row["source"] != "literature"]
    assert curated[0] == "OMIM:100002"
    assert payload["urgent"] == []
    assert payload["questions"] and {"id", "question", "expected_gain", "p_yes"} <= set(
        payload["questions"][0]
    )
    posted = web.post("/check.json", data=params).json()
    assert _probabilities(posted) == _probabilities(payload)


def test_an_answered_question_updates_the_ranking_and_is_not_asked_again(web: TestClient) -> None:
    start = {"present": "HP:0001903"}
    before = web.post("/check.json", data=start).json()
    asked = before["questions"][0]["id"]
    html = web.post("/check", data=start).text
    assert _question(html) == asked
    assert f'name="answer" value="yes:{asked}"' in html
    assert 'form="check-form"' in html  # the answer buttons post the whole form

    after_html = web.post("/check", data={**start, "answer": f"yes:{asked}"}).text
    assert ("present", asked) in _chips(after_html)
    assert _question(after_html) != asked
    after = web.post("/check.json", data={**start, "answer": f"yes:{asked}"}).json()
    assert after["state"]["present"] == ["HP:0001903", asked]
    assert _probabilities(after) != _probabilities(before)
    assert asked not in [q["id"] for q in after["questions"]]

    no = web.post("/check.json", data={**start, "answer": f"no:{asked}"}).json()
    assert no["state"]["absent"] == [asked]
    assert _probabilities(no) != _probabilities(before)


def test_dont_know_is_kept_and_never_asked_again(web: TestClient) -> None:
    start = {"present": "HP:0001903"}
    asked = web.post("/check.json", data=start).json()["questions"][0]["id"]
    html = web.post("/check", data={**start, "answer": f"unknown:{asked}"}).text
    assert ("unknown", asked) in _chips(html)
    assert f'<input type="hidden" name="unknown" value="{asked}">' in html
    assert _question(html) != asked
    # The next post carries the skipped id back: still not asked, ranking as without it.
    again = web.post("/check.json", data={**start, "unknown": asked}).json()
    assert asked not in [q["id"] for q in again["questions"]]
    assert again["state"]["unknown"] == [asked]
    baseline = web.post("/check.json", data=start).json()
    assert _probabilities(again) == _probabilities(baseline)


def test_a_red_flag_shows_the_urgent_banner(web: TestClient) -> None:
    html = web.post("/check", data={"findings": "focal-onset seizure"}).text
    banner = re.search(r'<section class="urgent" role="alert".*?</section>', html, re.S)
    assert banner is not None
    assert "Focal-onset seizure" in banner.group(0) and "emergency" in banner.group(0)
    payload = web.post("/check.json", data={"present": "HP:0007359"}).json()
    assert payload["urgent"] == [
        {
            "id": "HP:0007359",
            "label": "Focal-onset seizure",
            "red_flag": {"id": "HP:0001250", "label": "Seizure"},
        }
    ]


def test_diagnose_api_carries_urgent(web: TestClient) -> None:
    flagged = web.post("/api/v1/diagnose", json={"present": ["HP:0002069"]}).json()
    assert [u["red_flag"]["id"] for u in flagged["urgent"]] == ["HP:0001250"]
    calm = web.post(
        "/api/v1/diagnose", json={"present": ["HP:0001903"], "excluded": ["HP:0001250"]}
    )
    assert calm.json()["urgent"] == []


def test_explanations_group_findings_and_cite_evidence(web: TestClient, concept_id: str) -> None:
    payload = web.post(
        "/check.json", data={"present": ["HP:0001250", "HP:0001903"], "top": "5"}
    ).json()
    rows = {row["id"]: row for row in payload["differential"]}
    # The literature concept: its seizure sentence, with its source, backs the finding.
    toy = rows[concept_id]["why"]
    seizure = next(e for e in toy["supporting"] if e["finding"]["id"] == "HP:0001250")
    assert seizure["evidence"] == [
        {
            "text": EVIDENCE,
            "sources": [{"url": "https://example.org/toy", "domain": "example.org", "title": None}],
        }
    ]
    assert [e["finding"]["id"] for e in toy["unexplained"]] == ["HP:0001903"]
    # A curated disease: the annotation's PubMed references; a NOT annotation is against it.
    blood = rows["OMIM:100002"]["why"]
    anemia = next(e for e in blood["supporting"] if e["finding"]["id"] == "HP:0001903")
    assert anemia["references"] == ["PMID:2", "PMID:3"] and anemia["evidence"] == []
    seizure_a = rows["OMIM:100001"]["why"]
    assert [e["finding"]["id"] for e in seizure_a["contradicting"]] == ["HP:0001903"]
    html = web.post("/check", data={"present": ["HP:0001250", "HP:0001903"]}).text
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/3/" rel="noopener">PMID:3</a>' in html
    assert EVIDENCE in html
    assert '[<a href="https://example.org/toy" rel="nofollow noopener">example.org</a>]' in html


def test_text_that_reads_as_nothing_stays_in_the_box(web: TestClient) -> None:
    html = web.post("/check", data={"present": "HP:0001903", "findings": "zzz qqq"}).text
    assert 'data-testid="unread"' in html
    assert re.search(r'<textarea id="findings"[^>]*>zzz qqq</textarea>', html)
    assert _chips(html) == [("present", "HP:0001903")]


def test_bad_input_stays_on_the_form_with_a_clear_error(web: TestClient) -> None:
    only_absent = web.post("/check", data={"absent": "HP:0001250"})
    assert only_absent.status_code == 400
    assert 'data-testid="check-error"' in only_absent.text
    assert "no present finding given" in only_absent.text
    assert _chips(only_absent.text) == [("absent", "HP:0001250")]  # nothing entered is lost
    bad_id = web.post("/check", data={"present": "<b>x</b>"})
    assert bad_id.status_code == 400
    assert "present: &#39;&lt;b&gt;x&lt;/b&gt;&#39; is not an HPO id" in bad_id.text
    bad_answer = web.post("/check.json", data={"present": "HP:0001903", "answer": "maybe:HP:1"})
    assert bad_answer.status_code == 400
    assert bad_answer.json()["error"].startswith("answer: 'maybe:HP:1' is not yes, no or unknown")
    bad_sex = web.get("/check.json", params={"present": "HP:0001903", "sex": "robot"})
    assert bad_sex.json() == {"error": "sex: 'robot' is not one of female, male or unknown"}
    unknown_term = web.post("/check.json", data={"present": "HP:9999999"})
    assert unknown_term.status_code == 400 and "HP:9999999" in unknown_term.json()["error"]


def test_the_add_box_works_without_a_script(web: TestClient) -> None:
    # Without the combobox, Enter posts the add-a-finding box; a lay word is read like text.
    html = web.post("/check", data={"present": "HP:0001903", "add": "fits"}).text
    assert _chips(html) == [("present", "HP:0001903"), ("present", "HP:0001250")]
    assert re.search(r'<input id="add" name="add" type="text"', html)
    assert 'value="fits"' not in html  # read, so the box is empty again


def test_implied_findings_collapse_into_the_specific_chip(web: TestClient) -> None:
    # "Seizure" is implied by "Focal-onset seizure": one chip, as the ranker counts one finding.
    payload = web.post("/check.json", data={"present": ["HP:0001250", "HP:0007359"]}).json()
    assert payload["state"]["present"] == ["HP:0007359"]


def test_age_and_sex_typed_in_the_text_fill_the_form(web: TestClient) -> None:
    answer = web.post("/check.json", data={"findings": "A 7-year-old girl with anaemia."})
    assert answer.status_code == 200
    payload = answer.json()
    assert (payload["age"], payload["sex"]) == (7.0, "female")
    html = web.post("/check", data={"findings": "A 7-year-old girl with anaemia."}).text
    assert 'value="7"' in html and '<option value="female" selected>' in html


def test_a_past_condition_typed_in_the_text_is_a_history_chip(web: TestClient) -> None:
    text = "A 40-year-old woman with a history of seizures presents with anaemia."
    payload = web.post("/check.json", data={"findings": text}).json()
    assert payload["state"]["history"] == ["HP:0001250"]
    assert payload["state"]["present"] == ["HP:0001903"]
    assert {"id": "HP:0001250", "label": "Seizure", "status": "present", "history": True} in (
        payload["findings"]
    )
    html = web.post("/check", data={"findings": text}).text
    assert 'name="history" value="HP:0001250"' in html and "past history" in html
    # Sent back as a chip, it stays a past condition.
    again = web.post("/check.json", data={"present": ["HP:0001903"], "history": ["HP:0001250"]})
    assert again.json()["state"]["history"] == ["HP:0001250"]


def test_risk_factors_read_from_the_text_stay_chips_through_the_questions(
    web: TestClient,
) -> None:
    typed = web.post("/check.json", data={"findings": "A smoker with anaemia."}).json()
    assert typed["state"]["risk"] == ["RISK:smoking"]
    assert typed["risk_factors"] == [
        {"id": "RISK:smoking", "label": "Smoking", "status": "present"}
    ]
    said = [r for r in typed["recognised"] if r.get("kind") == "risk factor"]
    assert [(r["words"], r["id"]) for r in said] == [("smoker", "RISK:smoking")]
    state = {"present": typed["state"]["present"], "risk": typed["state"]["risk"]}
    asked = typed["questions"][0]["id"]
    html = web.post("/check", data={**state, "answer": f"no:{asked}"}).text
    assert ("risk", "RISK:smoking") in _chips(html)  # answering a question keeps it
    answered = web.post("/check.json", data={**state, "answer": f"no:{asked}"}).json()
    assert answered["state"]["risk"] == ["RISK:smoking"]
    removed = web.post("/check.json", data={**state, "remove": "RISK:smoking"}).json()
    assert removed["state"]["risk"] == []
    bad = web.post("/check.json", data={**state, "risk": "RISK:gardening"})
    assert bad.status_code == 400 and "is not a risk factor id" in bad.json()["error"]


def test_the_api_takes_risk_factors_by_id(web: TestClient) -> None:
    body = {"present": ["HP:0001903"], "risk_factors": ["RISK:day-care"]}
    answer = web.post("/api/v1/diagnose", json=body)
    assert answer.status_code == 200
    assert answer.json()["risk_factors"][0]["id"] == "RISK:day-care"
    bad = web.post("/api/v1/diagnose", json={**body, "risk_factors": ["gardening"]})
    assert bad.status_code == 400 and "not a risk factor" in bad.text
