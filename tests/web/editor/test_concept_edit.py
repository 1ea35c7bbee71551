"""Editing concepts from the web: the edit form and PATCH, the history with diffs, and reverts;
each write role-checked (401 signed out, 403 below editor), CSRF-checked and rate limited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.community.conftest import form_token, token

CURATED = "OMIM:100001"


def patch(client: TestClient, concept: str, body: dict, csrf: bool = True):
    headers = token(client) if csrf else {}
    return client.patch(f"/api/v1/concepts/{concept}", json=body, headers=headers)


def new_concept(app: FastAPI, name: str) -> str:
    from dxatlas.store import Store

    with Store.open(app.state.settings.database_url) as store:
        return store.add_concept(name, ["First synonym"], author="seed").concept.id


def test_editing_needs_an_editor(
    app: FastAPI, anonymous: TestClient, signed_in: Callable[..., TestClient]
) -> None:
    concept = new_concept(app, "Roles disease")
    assert patch(anonymous, concept, {"name": "Other"}).status_code == 401
    user = signed_in("user")
    answer = patch(user, concept, {"name": "Other"})
    assert answer.status_code == 403 and "editor role" in answer.json()["error"]
    editor = signed_in("editor")
    answer = patch(editor, concept, {"name": "Other"}, csrf=False)
    assert answer.status_code == 403 and "CSRF" in answer.json()["error"]
    assert patch(signed_in("admin"), concept, {"description": "By an admin."}).status_code == 200
    # Pages: signed out goes to sign in, a user is refused.
    page = anonymous.get(f"/concept/{concept}/edit", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
    assert user.get(f"/concept/{concept}/edit").status_code == 403


def test_an_edit_is_a_revision_with_author_time_and_diff(
    app: FastAPI, signed_in: Callable[..., TestClient]
) -> None:
    concept = new_concept(app, "Diff disease")
    editor = signed_in("editor")
    answer = patch(
        editor,
        concept,
        {
            "name": "Diff syndrome",
            "synonyms": ["First synonym", "Second synonym"],
            "description": "A made-up disease. It has two names.",
            "base_revision": 1,
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["revision"] == 2 and body["concept"]["name"] == "Diff syndrome"
    history = editor.get(f"/api/v1/concepts/{concept}/revisions").json()
    latest = history["revisions"][0]
    assert (latest["number"], latest["author"], latest["action"]) == (2, editor.user_name, "edit")
    assert latest["diff"]["name"] == ["- Diff disease", "+ Diff syndrome"]
    assert latest["diff"]["synonyms"] == ["  First synonym", "+ Second synonym"]
    assert latest["diff"]["description"] == ["+ A made-up disease.", "+ It has two names."]
    assert latest["created_at"]
    # The same change again appends nothing.
    again = patch(editor, concept, {"name": "Diff syndrome"})
    assert again.status_code == 200 and again.json()["revision"] is None
    # A change made on an old revision is refused.
    stale = patch(editor, concept, {"name": "Stale name", "base_revision": 1})
    assert stale.status_code == 409 and "changed meanwhile" in stale.json()["error"]


def test_edit_refusals(app: FastAPI, signed_in: Callable[..., TestClient], concept_id: str) -> None:
    concept = new_concept(app, "Refusal disease")
    editor = signed_in("editor")
    curated = patch(editor, CURATED, {"name": "Renamed"})
    assert curated.status_code == 409 and "curated disease" in curated.json()["error"]
    assert patch(editor, "DXATLAS:nothing-here", {"name": "X"}).status_code == 404
    empty = patch(editor, concept, {"name": "  ...  "})
    assert empty.status_code == 422 and "no letters or digits" in empty.json()["error"]
    taken = patch(editor, concept, {"name": "Toy syndrome"})
    assert taken.status_code == 409 and concept_id in taken.json()["error"]
    unknown_field = patch(editor, concept, {"parent": "x"})
    assert unknown_field.status_code == 422 and "error" in unknown_field.json()


def test_revert_restores_an_old_state_as_a_new_revision(
    app: FastAPI, signed_in: Callable[..., TestClient]
) -> None:
    concept = new_concept(app, "Revert disease")
    editor = signed_in("editor")
    patch(editor, concept, {"name": "Revert disease, renamed", "description": "Changed."})
    answer = editor.post(
        f"/api/v1/concepts/{concept}/revert", json={"revision": 1}, headers=token(editor)
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["revision"] == 3
    assert answer.json()["concept"]["name"] == "Revert disease"
    assert answer.json()["concept"]["description"] is None
    latest = editor.get(f"/api/v1/concepts/{concept}/revisions").json()["revisions"][0]
    assert (latest["action"], latest["reverted_to"]) == ("revert", 1)
    again = editor.post(
        f"/api/v1/concepts/{concept}/revert", json={"revision": 1}, headers=token(editor)
    )
    assert again.status_code == 409 and "already" in again.json()["error"]
    missing = editor.post(
        f"/api/v1/concepts/{concept}/revert", json={"revision": 99}, headers=token(editor)
    )
    assert missing.status_code == 404
    user = signed_in("user")
    refused = user.post(
        f"/api/v1/concepts/{concept}/revert", json={"revision": 2}, headers=token(user)
    )
    assert refused.status_code == 403


def test_the_edit_form_the_history_page_and_its_revert_button(
    app: FastAPI, signed_in: Callable[..., TestClient]
) -> None:
    concept = new_concept(app, "Form disease")
    editor = signed_in("editor")
    page = editor.get(f"/concept/{concept}/edit")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    assert 'name="base_revision" value="1"' in page.text
    csrf = form_token(editor, f"/concept/{concept}/edit")
    saved = editor.post(
        f"/concept/{concept}/edit",
        data={
            "csrf_token": csrf,
            "name": "Form disease <b>bold</b>",
            "synonyms": "First synonym\r\nAnother name\r\n\r\n",
            "description": "Edited from the form.",
            "base_revision": "1",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/concept/{concept}/history#revision-2"
    history = editor.get(f"/concept/{concept}/history")
    assert history.status_code == 200
    assert (
        "+ Form disease &lt;b&gt;bold&lt;/b&gt;" in history.text and "<b>bold" not in history.text
    )
    assert "+ Another name" in history.text and editor.user_name in history.text
    assert 'action="/concept/' in history.text and "Revert to this" in history.text
    # Without the token nothing is saved.
    refused = editor.post(f"/concept/{concept}/edit", data={"name": "No token"})
    assert refused.status_code == 403
    # A refused form comes back filled in, with the reason.
    bad = editor.post(
        f"/concept/{concept}/edit",
        data={"csrf_token": csrf, "name": "!!!", "synonyms": "", "description": ""},
    )
    assert (
        bad.status_code == 422 and "no letters or digits" in bad.text and 'value="!!!"' in bad.text
    )
    reverted = editor.post(
        f"/concept/{concept}/revert",
        data={"csrf_token": csrf, "revision": "1"},
        follow_redirects=False,
    )
    assert reverted.status_code == 303 and reverted.headers["location"].endswith("#revision-3")
    assert "Form disease" in editor.get(f"/concept/{concept}").text
    # The history is public; revert buttons are for editors only.
    public = TestClient(app).get(f"/concept/{concept}/history")
    assert public.status_code == 200 and "Revert to this" not in public.text


def test_a_curated_disease_has_no_edit_form_but_a_history(
    signed_in: Callable[..., TestClient],
) -> None:
    editor = signed_in("editor")
    refused = editor.get(f"/concept/{CURATED}/edit")
    assert refused.status_code == 409 and "curated disease" in refused.text
    page = editor.get(f"/concept/{CURATED}")
    assert "Edit concept" not in page.text and "/concept/OMIM%3A100001/history" in page.text
    history = editor.get(f"/concept/{CURATED}/history")
    assert history.status_code == 200 and "no revisions here" in history.text


def test_editor_writes_are_rate_limited(
    app: FastAPI, signed_in: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    concept = new_concept(app, "Limited disease")
    editor = signed_in("editor")
    app.state.limiter.reset()
    monkeypatch.setattr(app.state.settings, "rate_limit_writes", 2)
    try:
        assert patch(editor, concept, {"description": "one"}).status_code == 200
        assert patch(editor, concept, {"description": "two"}).status_code == 200
        limited = patch(editor, concept, {"description": "three"})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    finally:
        app.state.limiter.reset()


def test_the_editor_api_is_in_the_openapi_document(anonymous: TestClient) -> None:
    paths = anonymous.get("/openapi.json").json()["paths"]
    assert "patch" in paths["/api/v1/concepts/{concept_id}"]
    assert "get" in paths["/api/v1/concepts/{concept_id}/revisions"]
    assert "post" in paths["/api/v1/concepts/{concept_id}/revert"]
    assert "post" in paths["/api/v1/evidence/{evidence_id}/hide"]
    assert "post" in paths["/api/v1/evidence/{evidence_id}/restore"]
    assert {"get", "put"} <= set(paths["/api/v1/question-wording/{hpo_id}"])
    assert "post" in paths["/api/v1/ingest"] and "get" in paths["/api/v1/ingest/jobs/{job_id}"]
    assert "403" in paths["/api/v1/concepts/{concept_id}"]["patch"]["responses"]
