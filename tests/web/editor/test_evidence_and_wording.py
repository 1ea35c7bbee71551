"""Hiding and restoring evidence sentences (concept page forms and the API, recorded in the
history), and the question wording editor, whose wording the checker then asks."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dxatlas.store import EvidenceSource, Store
from tests.web.community.conftest import form_token, token

CURATED = "OMIM:100001"
SEIZURE = "HP:0001250"


def add_sentence(app: FastAPI, concept: str, text: str) -> int:
    from dxatlas.ingest.document import make_document
    from dxatlas.ingest.sentences import split_sentences

    with Store.open(app.state.settings.database_url) as store:
        document = make_document(text, url="https://example.org/" + str(abs(hash(text))))
        stored = store.add_document(document, split_sentences(document.text)).document_id
        evidence, _ = store.add_evidence(concept, "treatment", text, [EvidenceSource(stored)])
    return evidence


def test_an_editor_hides_a_sentence_from_the_concept_page_and_restores_it(
    app: FastAPI, signed_in: Callable[..., TestClient]
) -> None:
    text = "Toy disease of the curated kind is treated with warm milk."
    evidence = add_sentence(app, CURATED, text)
    editor = signed_in("editor")
    page = editor.get(f"/concept/{CURATED}")
    assert text in page.text and f'action="/evidence/{evidence}/hide"' in page.text
    user_page = signed_in("user").get(f"/concept/{CURATED}")
    assert text in user_page.text and "/hide" not in user_page.text
    assert "Hidden evidence" not in user_page.text
    csrf = form_token(editor, f"/concept/{CURATED}")
    hidden = editor.post(
        f"/evidence/{evidence}/hide",
        data={"csrf_token": csrf, "reason": "Folk remedy, not evidence", "next": "/concept/x"},
        follow_redirects=False,
    )
    assert hidden.status_code == 303
    assert hidden.headers["location"] == "/concept/x#hidden-evidence"
    page = editor.get(f"/concept/{CURATED}")
    section = page.text[page.text.index('id="hidden-evidence"') :]
    assert text in section and "Folk remedy, not evidence" in section
    assert editor.user_name in section and f'action="/evidence/{evidence}/restore"' in section
    assert text not in TestClient(app).get(f"/concept/{CURATED}").text
    assert evidence not in [
        item["id"]
        for s in editor.get(f"/concept/{CURATED}.json").json()["sections"]
        for item in s["evidence"]
    ]
    history = editor.get(f"/concept/{CURATED}/history")
    assert "Hidden" in history.text and "Folk remedy, not evidence" in history.text
    restored = editor.post(
        f"/evidence/{evidence}/restore", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert restored.status_code == 303
    assert restored.headers["location"] == f"/concept/{CURATED}#evidence-{evidence}"
    assert text in TestClient(app).get(f"/concept/{CURATED}").text
    actions = editor.get(f"/api/v1/concepts/{CURATED}/revisions").json()["evidence_actions"]
    assert [(a["action"], a["author"]) for a in actions[:2]] == [
        ("restore", editor.user_name),
        ("hide", editor.user_name),
    ]


def test_the_evidence_api_and_its_refusals(
    app: FastAPI,
    anonymous: TestClient,
    signed_in: Callable[..., TestClient],
    concept_id: str,
) -> None:
    evidence = add_sentence(app, concept_id, "Toy syndrome responds to a nap.")
    url = f"/api/v1/evidence/{evidence}"
    assert (
        anonymous.post(f"{url}/hide", json={"reason": "x"}, headers=token(anonymous)).status_code
        == 401
    )
    user = signed_in("user")
    assert user.post(f"{url}/hide", json={"reason": "x"}, headers=token(user)).status_code == 403
    editor = signed_in("editor")
    no_reason = editor.post(f"{url}/hide", json={"reason": "  "}, headers=token(editor))
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["error"]
    assert editor.post(f"{url}/hide", json={"reason": "off topic"}).status_code == 403  # no CSRF
    hidden = editor.post(f"{url}/hide", json={"reason": "off topic"}, headers=token(editor))
    assert hidden.status_code == 200 and hidden.json()["action"] == "hide"
    twice = editor.post(f"{url}/hide", json={"reason": "again"}, headers=token(editor))
    assert twice.status_code == 409
    restored = editor.post(f"{url}/restore", json={}, headers=token(editor))
    assert restored.status_code == 200 and restored.json()["action"] == "restore"
    gone = editor.post("/api/v1/evidence/987654/hide", json={"reason": "x"}, headers=token(editor))
    assert gone.status_code == 404 and gone.json()["error"]


def test_question_wording_replaces_the_default_wherever_the_checker_asks(
    signed_in: Callable[..., TestClient], anonymous: TestClient
) -> None:
    case = {"present": ["HP:0001903"], "top": 3}
    first = anonymous.post("/api/v1/next-question", json=case).json()["questions"][0]
    wording = anonymous.get(f"/api/v1/question-wording/{first['id']}").json()
    assert (
        wording["override"] is None and wording["text"] == wording["default"] == first["question"]
    )
    user = signed_in("user")
    body = {"text": "Has a blood test ever shown this?"}
    assert anonymous.put(f"/api/v1/question-wording/{first['id']}", json=body).status_code == 401
    put = user.put(f"/api/v1/question-wording/{first['id']}", json=body, headers=token(user))
    assert put.status_code == 403
    editor = signed_in("editor")
    put = editor.put(f"/api/v1/question-wording/{first['id']}", json=body, headers=token(editor))
    assert put.status_code == 200, put.text
    assert put.json()["override"] == body["text"] and put.json()["updated_by"] == editor.user_name
    asked = anonymous.post("/api/v1/next-question", json=case).json()["questions"][0]
    assert (asked["id"], asked["question"]) == (first["id"], body["text"])
    checked = anonymous.get("/check.json", params={"present": "HP:0001903"}).json()
    assert body["text"] in [q["question"] for q in checked["questions"]]
    check_page = anonymous.get("/check", params={"present": "HP:0001903"}).text
    assert body["text"] in check_page
    reset = editor.put(
        f"/api/v1/question-wording/{first['id']}", json={"text": None}, headers=token(editor)
    )
    assert reset.status_code == 200 and reset.json()["override"] is None
    assert [h["text"] for h in reset.json()["history"]] == [None, body["text"]]
    again = anonymous.post("/api/v1/next-question", json=case).json()["questions"][0]
    assert again["question"] == first["question"]
    assert anonymous.get("/api/v1/question-wording/HP:9999999").status_code == 404
    outside = anonymous.get("/api/v1/question-wording/HP:0000001")
    assert outside.status_code == 422 and "not a finding" in outside.json()["error"]
    too_long = editor.put(
        f"/api/v1/question-wording/{SEIZURE}", json={"text": "x" * 301}, headers=token(editor)
    )
    assert too_long.status_code == 413


def test_the_question_editor_pages(
    signed_in: Callable[..., TestClient], anonymous: TestClient
) -> None:
    signed_out = anonymous.get("/editor/questions", follow_redirects=False)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
    assert signed_in("user").get("/editor/questions").status_code == 403
    editor = signed_in("editor")
    listing = editor.get("/editor/questions", params={"q": "seiz"})
    assert listing.status_code == 200 and SEIZURE in listing.text
    assert "Do you have seizures?" in listing.text or "seizure" in listing.text.lower()
    assert "/editor/questions/HP%3A0001250" in listing.text
    page = editor.get(f"/editor/questions/{SEIZURE}")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    csrf = form_token(editor, f"/editor/questions/{SEIZURE}")
    saved = editor.post(
        f"/editor/questions/{SEIZURE}",
        data={"csrf_token": csrf, "text": "Have you had a fit <script>?", "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = editor.get(f"/editor/questions/{SEIZURE}")
    assert "Have you had a fit &lt;script&gt;?" in page.text and "<script>?" not in page.text
    assert editor.user_name in page.text
    overview = editor.get("/editor/questions")
    assert "Have you had a fit &lt;script&gt;?" in overview.text
    refused = editor.post(
        f"/editor/questions/{SEIZURE}",
        data={"csrf_token": csrf, "text": "x" * 400, "action": "save"},
    )
    assert refused.status_code == 413 and "at most 300" in refused.text
    reset = editor.post(
        f"/editor/questions/{SEIZURE}",
        data={"csrf_token": csrf, "text": "", "action": "reset"},
        follow_redirects=False,
    )
    assert reset.status_code == 303
    assert "back to the default wording" in editor.get(f"/editor/questions/{SEIZURE}").text
    nav = editor.get("/").text
    assert 'href="/editor/questions"' in nav and 'href="/ingest"' in nav
    assert 'href="/editor/questions"' not in signed_in("user").get("/").text
