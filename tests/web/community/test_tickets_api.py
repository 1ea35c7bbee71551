"""The tickets API: any signed-in user reports; editors see all, set the status and comment."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from dxatlas.store.community import Community
from dxatlas.store.schema import EvidenceRow
from tests.web.community.conftest import token
from tests.web.conftest import EVIDENCE

Signed = Callable[..., TestClient]


def _evidence_id(community: Community, concept_id: str) -> int:
    """The id of the evidence sentence the store was seeded with for the user concept."""
    with community.transaction() as session:
        found = session.scalar(select(EvidenceRow.id).where(EvidenceRow.concept_id == concept_id))
    assert found is not None
    return found


def report(browser: TestClient, concept_id: str, **extra: object):  # type: ignore[no-untyped-def]
    body = {"concept_id": concept_id, "text": "The sentence is about another disease."} | extra
    return browser.post("/api/v1/tickets", json=body, headers=token(browser))


def test_a_ticket_about_an_evidence_sentence_and_its_triage(
    signed_in: Signed, community: Community, concept_id: str
) -> None:
    reader, editor, stranger = signed_in("user"), signed_in("editor"), signed_in("user")
    evidence_id = _evidence_id(community, concept_id)
    created = report(reader, concept_id, evidence_id=evidence_id)
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["status"] == "open" and ticket["evidence_text"] == EVIDENCE
    number = ticket["id"]

    assert number in [t["id"] for t in reader.get("/api/v1/tickets").json()]
    assert number not in [t["id"] for t in stranger.get("/api/v1/tickets").json()]
    assert number in [t["id"] for t in editor.get("/api/v1/tickets").json()]
    assert number not in [t["id"] for t in editor.get("/api/v1/tickets?mine=true").json()]
    assert stranger.get(f"/api/v1/tickets/{number}").status_code == 403

    # Only editors change the status; both the author and editors comment.
    refused = reader.patch(
        f"/api/v1/tickets/{number}", json={"status": "closed"}, headers=token(reader)
    )
    assert refused.status_code == 403
    moved = editor.patch(
        f"/api/v1/tickets/{number}",
        json={"status": "in_progress", "comment": "Checking the source."},
        headers=token(editor),
    )
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    commented = reader.post(
        f"/api/v1/tickets/{number}/comments", json={"text": "Thank you."}, headers=token(reader)
    )
    assert commented.status_code == 201
    assert (
        stranger.post(
            f"/api/v1/tickets/{number}/comments", json={"text": "Me too"}, headers=token(stranger)
        ).status_code
        == 403
    )
    closed = editor.patch(
        f"/api/v1/tickets/{number}", json={"status": "closed"}, headers=token(editor)
    )
    history = [(c["text"], c["status"]) for c in closed.json()["comments"]]
    assert history == [
        ("Checking the source.", "in_progress"),
        ("Thank you.", None),
        ("", "closed"),
    ]
    assert number in [t["id"] for t in editor.get("/api/v1/tickets?status=closed").json()]
    assert number not in [t["id"] for t in editor.get("/api/v1/tickets?status=open").json()]


def test_ticket_refusals(
    signed_in: Signed, anonymous: TestClient, community: Community, concept_id: str
) -> None:
    reader, editor = signed_in("user"), signed_in("editor")
    assert report(anonymous, concept_id).status_code == 401
    assert anonymous.get("/api/v1/tickets").status_code == 401
    unknown = report(reader, "OMIM:999999")
    assert unknown.status_code == 404 and "no concept has the id" in unknown.json()["error"]
    wrong_sentence = report(reader, "OMIM:100001", evidence_id=_evidence_id(community, concept_id))
    assert wrong_sentence.status_code == 404
    assert "has no evidence sentence" in wrong_sentence.json()["error"]
    assert report(reader, concept_id, text="w" * 5001).status_code == 413
    assert report(reader, concept_id, text="  ").status_code == 422
    number = report(reader, "OMIM:100002").json()["id"]  # a curated disease has a page too
    bad = editor.patch(f"/api/v1/tickets/{number}", json={"status": "done"}, headers=token(editor))
    assert bad.status_code == 422 and "unknown ticket status 'done'" in bad.json()["error"]
    assert editor.get("/api/v1/tickets?status=done").status_code == 422
    missing = editor.patch(
        "/api/v1/tickets/99999", json={"status": "closed"}, headers=token(editor)
    )
    assert missing.status_code == 404
    no_token = editor.patch(f"/api/v1/tickets/{number}", json={"status": "closed"})
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["error"]
