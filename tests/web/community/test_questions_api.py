"""The questions API: asking (with every refusal), the moderation flow, answers, deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.community.conftest import token

TITLE = "How is it diagnosed in adults?"
Signed = Callable[..., TestClient]


def ask(browser: TestClient, **changes: Any):  # type: ignore[no-untyped-def]
    body = {"title": TITLE, "body": "Age 40, **female**, seizures for 2 weeks.", "consent": True}
    return browser.post("/api/v1/questions", json=body | changes, headers=token(browser))


def test_openapi_lists_every_community_route(anonymous: TestClient) -> None:
    paths = anonymous.get("/openapi.json").json()["paths"]
    expected = {
        "/api/v1/auth/register": {"post"},
        "/api/v1/auth/login": {"post"},
        "/api/v1/auth/logout": {"post"},
        "/api/v1/auth/me": {"get"},
        "/api/v1/questions": {"get", "post"},
        "/api/v1/questions/{question_id}": {"get", "delete"},
        "/api/v1/questions/{question_id}/answers": {"post"},
        "/api/v1/questions/{question_id}/approve": {"post"},
        "/api/v1/answers/{answer_id}": {"delete"},
        "/api/v1/tickets": {"get", "post"},
        "/api/v1/tickets/{ticket_id}": {"get", "patch"},
        "/api/v1/tickets/{ticket_id}/comments": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    assert "/questions" not in paths and "/login" not in paths  # HTML pages are not the API
    assert "413" in paths["/api/v1/questions"]["post"]["responses"]
    for path, method in (("/api/v1/questions", "post"), ("/api/v1/auth/login", "post")):
        headers = [p["name"] for p in paths[path][method]["parameters"] if p["in"] == "header"]
        assert headers == ["X-CSRF-Token"], path


def test_the_moderation_flow(signed_in: Signed, anonymous: TestClient, concept_id: str) -> None:
    asker, moderator, reader = signed_in("user"), signed_in("moderator"), signed_in("user")
    created = ask(asker, concept_id=concept_id)
    assert created.status_code == 201, created.text
    question = created.json()
    assert question["status"] == "pending" and question["author"] == asker.user_name  # type: ignore[attr-defined]
    number = question["id"]

    # Pending: its author and the moderators see it; nobody else does.
    assert asker.get(f"/api/v1/questions/{number}").status_code == 200
    assert reader.get(f"/api/v1/questions/{number}").status_code == 404
    assert anonymous.get(f"/api/v1/questions/{number}").status_code == 404
    assert number not in [q["id"] for q in anonymous.get("/api/v1/questions").json()]
    queue = moderator.get("/api/v1/questions", params={"status": "pending"}).json()
    assert number in [q["id"] for q in queue]

    # Only moderators approve.
    refused = reader.post(f"/api/v1/questions/{number}/approve", headers=token(reader))
    assert refused.status_code == 403
    assert refused.json()["error"].startswith("this needs the moderator role")
    early = reader.post(
        f"/api/v1/questions/{number}/answers", json={"body": "hi"}, headers=token(reader)
    )
    assert early.status_code == 404  # not visible to the reader yet
    approved = moderator.post(f"/api/v1/questions/{number}/approve", headers=token(moderator))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    # Approved: everyone sees it, on its own and under its concept.
    assert anonymous.get(f"/api/v1/questions/{number}").json()["title"] == TITLE
    about = anonymous.get("/api/v1/questions", params={"concept_id": concept_id}).json()
    assert number in [q["id"] for q in about]
    general = anonymous.get("/api/v1/questions", params={"general": True}).json()
    assert number not in [q["id"] for q in general]

    answer = reader.post(
        f"/api/v1/questions/{number}/answers", json={"body": "A _biopsy_."}, headers=token(reader)
    )
    assert answer.status_code == 201 and answer.json()["author"] == reader.user_name  # type: ignore[attr-defined]
    shown = anonymous.get(f"/api/v1/questions/{number}").json()
    assert [a["body"] for a in shown["answers"]] == ["A _biopsy_."]

    # Moderators delete answers and questions; others cannot.
    answer_id = answer.json()["id"]
    assert reader.delete(f"/api/v1/answers/{answer_id}", headers=token(reader)).status_code == 403
    assert (
        moderator.delete(f"/api/v1/answers/{answer_id}", headers=token(moderator)).status_code
        == 204
    )
    assert anonymous.get(f"/api/v1/questions/{number}").json()["answers"] == []
    assert asker.delete(f"/api/v1/questions/{number}", headers=token(asker)).status_code == 403
    assert (
        moderator.delete(f"/api/v1/questions/{number}", headers=token(moderator)).status_code == 204
    )
    assert anonymous.get(f"/api/v1/questions/{number}").status_code == 404
    gone = moderator.delete(f"/api/v1/questions/{number}", headers=token(moderator))
    assert gone.status_code == 404 and gone.json() == {"error": f"no question has the id {number}"}


def test_the_queue_is_for_moderators(signed_in: Signed, anonymous: TestClient) -> None:
    assert anonymous.get("/api/v1/questions", params={"status": "pending"}).status_code == 401
    user = signed_in("user")
    assert user.get("/api/v1/questions", params={"status": "pending"}).status_code == 403
    assert (
        signed_in("admin").get("/api/v1/questions", params={"status": "pending"}).status_code == 200
    )
    bad = anonymous.get("/api/v1/questions", params={"status": "deleted"})
    assert bad.status_code == 422


def test_asking_needs_an_account(anonymous: TestClient) -> None:
    answer = ask(anonymous)
    assert answer.status_code == 401
    assert answer.json() == {"error": "you are not signed in: sign in (or register) first"}


def test_answering_a_pending_question_is_409(signed_in: Signed) -> None:
    moderator = signed_in("moderator")
    number = ask(signed_in("user")).json()["id"]
    answer = moderator.post(
        f"/api/v1/questions/{number}/answers", json={"body": "Soon."}, headers=token(moderator)
    )
    assert answer.status_code == 409 and "waits for moderation" in answer.json()["error"]


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"body": "x" * 5001}, 413, "the question is 5,001 characters long; at most 5,000"),
        ({"title": "t" * 201}, 413, "the title is 201 characters long"),
        ({"body": "Mail me: ana@example.org"}, 422, "contains an e-mail address"),
        ({"body": "Call 555-123-4567 please"}, 422, "contains a phone number"),
        ({"title": "Phone +44 20 7946 0958 now"}, 422, "contains a phone number"),
        ({"consent": False}, 422, "consent: agree to the terms"),
        ({"title": "Hi"}, 422, "title is too short"),
        ({"body": " \n "}, 422, "the question is empty"),
        ({"concept_id": "OMIM:999999"}, 404, "no concept has the id 'OMIM:999999'"),
        ({"unexpected": 1}, 422, "invalid request"),
    ],
)
def test_refused_questions(
    signed_in: Signed, changes: dict[str, Any], status: int, message: str
) -> None:
    moderator = signed_in("moderator")
    before = len(moderator.get("/api/v1/questions", params={"status": "pending"}).json())
    answer = ask(signed_in("user"), **changes)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]
    after = len(moderator.get("/api/v1/questions", params={"status": "pending"}).json())
    assert after == before  # nothing was stored


def test_a_body_of_exactly_5000_characters_is_taken(signed_in: Signed) -> None:
    assert ask(signed_in("user"), body="y" * 5000).status_code == 201


def test_an_over_long_answer_is_413(signed_in: Signed) -> None:
    moderator = signed_in("moderator")
    number = ask(signed_in("user")).json()["id"]
    moderator.post(f"/api/v1/questions/{number}/approve", headers=token(moderator))
    answer = moderator.post(
        f"/api/v1/questions/{number}/answers", json={"body": "z" * 5001}, headers=token(moderator)
    )
    assert answer.status_code == 413 and "at most 5,000" in answer.json()["error"]
