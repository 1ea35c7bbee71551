"""The editor tools' pages: edit a stored concept, its history with diffs and reverts, hide and
restore evidence sentences from the concept page, and the question wording editor. The JSON twin
of each write is in `editor_api`.

Signed-out visitors of an editor page are sent to sign in; other roles get 403. Forms carry the
CSRF token, writes are rate limited, and a refused form is shown again, filled in, with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxatlas.store.accounts import Role, User
from dxatlas.store.wording import WORDING_MAX_CHARS
from dxatlas.web import editing
from dxatlas.web.account_pages import login_redirect, redirect, render, safe_next
from dxatlas.web.api import Engine
from dxatlas.web.auth import CurrentUser, check_role
from dxatlas.web.concept_diff import revision_diff
from dxatlas.web.engine import WebEngine, WebError
from dxatlas.web.guards import write_access

router = APIRouter(include_in_schema=False)

Editor = Annotated[User, Depends(write_access(Role.EDITOR))]


def editor_page(request: Request, user: User | None) -> Response | None:
    """None when `user` may see an editor page; the sign-in redirect when signed out (403 for a
    lower role)."""
    if user is None:
        return login_redirect(request)
    check_role(user, Role.EDITOR)
    return None


# --- concept edit ------------------------------------------------------------------------------


def _edit_page(
    request: Request,
    engine: WebEngine,
    concept_id: str,
    form: dict[str, Any] | None = None,
    error: str | None = None,
    note: str | None = None,
    status: int = 200,
) -> Response:
    state = editing.stored_concept(engine, concept_id)
    latest = editing.revisions(engine, state.id)[-1]
    shown = form or {
        "name": state.name,
        "synonyms": "\n".join(s.text for s in state.synonyms),
        "description": state.description or "",
        "base_revision": latest.number,
    }
    context = {
        "concept": state,
        "form": shown,
        "latest": latest,
        "error": error,
        "note": note,
    }
    return render(request, "concept_edit.html", context, status)


@router.get("/concept/{concept_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, engine: Engine, user: CurrentUser, concept_id: str) -> Response:
    return editor_page(request, user) or _edit_page(request, engine, concept_id)


@router.post("/concept/{concept_id}/edit", response_class=HTMLResponse)
def edit(
    request: Request,
    engine: Engine,
    user: Editor,
    concept_id: str,
    name: str = Form("", max_length=2000),
    synonyms: str = Form("", max_length=100_000),
    description: str = Form("", max_length=50_000),
    base_revision: int | None = Form(None, ge=1),
) -> Response:
    form = {
        "name": name,
        "synonyms": synonyms,
        "description": description,
        "base_revision": base_revision,
    }
    try:
        change = editing.edit_concept(
            engine,
            concept_id,
            user,
            name=name,
            synonyms=editing.synonyms_from_lines(synonyms),
            description=description,
            base_revision=base_revision,
        )
    except WebError as error:
        if error.status == 404 or "curated disease" in error.message:
            raise
        return _edit_page(request, engine, concept_id, form, error.message, status=error.status)
    if change is None:
        return _edit_page(request, engine, concept_id, note="Nothing changed: no revision made.")
    return redirect(f"/concept/{change.concept.id}/history#revision-{change.revision}")


# --- history and revert ------------------------------------------------------------------------


@router.get("/concept/{concept_id}/history", response_class=HTMLResponse)
def history_page(request: Request, engine: Engine, user: CurrentUser, concept_id: str) -> Response:
    wanted = concept_id.strip()
    name = editing.concept_label(engine, wanted)
    found = editing.revisions(engine, wanted)
    context = {
        "concept_id": wanted,
        "concept_name": name,
        "curated": wanted in engine.kb.disease_index and not found,
        "revisions": [(revision, revision_diff(revision)) for revision in reversed(found)],
        "latest": found[-1].number if found else None,
        "actions": list(reversed(editing.evidence_actions(request).history(wanted))),
        "editor": user is not None and user.has(Role.EDITOR),
    }
    return render(request, "history.html", context)


@router.post("/concept/{concept_id}/revert")
def revert(
    engine: Engine, user: Editor, concept_id: str, revision: int = Form(..., ge=1)
) -> Response:
    change = editing.revert_concept(engine, concept_id, revision, user)
    return redirect(f"/concept/{change.concept.id}/history#revision-{change.revision}")


# --- evidence ----------------------------------------------------------------------------------


def _back_to(request: Request, next: str, evidence_id: int) -> str:
    default = f"/concept/{editing.evidence_actions(request).concept_of(evidence_id)}"
    return safe_next(next, default) if next else default


@router.post("/evidence/{evidence_id}/hide")
def hide(
    request: Request,
    user: Editor,
    evidence_id: int,
    reason: str = Form("", max_length=5000),
    next: str = Form("", max_length=2000),
) -> Response:
    editing.hide_evidence(request, evidence_id, reason, user)
    return redirect(_back_to(request, next, evidence_id) + "#hidden-evidence")


@router.post("/evidence/{evidence_id}/restore")
def restore(
    request: Request,
    user: Editor,
    evidence_id: int,
    reason: str = Form("", max_length=5000),
    next: str = Form("", max_length=2000),
) -> Response:
    editing.restore_evidence(request, evidence_id, reason, user)
    return redirect(_back_to(request, next, evidence_id) + f"#evidence-{evidence_id}")


# --- question wording --------------------------------------------------------------------------


def _finding_hits(engine: WebEngine, query: str) -> tuple[list[dict[str, Any]], str | None]:
    """Findings named like `query` (or with that id), for the wording editor's search."""
    if not query.strip():
        return [], None
    try:
        found = engine.search(query)["results"]["finding"]
    except WebError as error:
        return [], error.message
    return found, None


@router.get("/editor/questions", response_class=HTMLResponse)
def wording_list(
    request: Request,
    engine: Engine,
    user: CurrentUser,
    q: str = Query("", max_length=200),
) -> Response:
    refused = editor_page(request, user)
    if refused is not None:
        return refused
    from dxatlas.rank.questions import question_text

    onto = engine.kb.ontology
    hits, error = _finding_hits(engine, q)
    for hit in hits:
        term = onto.resolve(hit["id"])
        hit["default"] = question_text(onto, term) if term is not None else ""
    current = editing.question_wording(request).current()
    overrides = [
        {
            "wording": item,
            "label": onto.labels[term] if (term := onto.resolve(item.hpo_id)) is not None else "",
        }
        for item in current
    ]
    worded = {item.hpo_id: item.text for item in current}
    context = {"query": q, "hits": hits, "error": error, "overrides": overrides, "worded": worded}
    return render(request, "question_editor.html", context, 400 if error else 200)


def _wording_page(
    request: Request,
    engine: WebEngine,
    hpo_id: str,
    text: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    finding = editing.finding_wording(engine, request, hpo_id)
    context = {
        "finding": finding,
        "text": finding.text if text is None else text,
        "error": error,
        "limit": WORDING_MAX_CHARS,
    }
    return render(request, "question_wording.html", context, status)


@router.get("/editor/questions/{hpo_id}", response_class=HTMLResponse)
def wording_page(request: Request, engine: Engine, user: CurrentUser, hpo_id: str) -> Response:
    return editor_page(request, user) or _wording_page(request, engine, hpo_id)


@router.post("/editor/questions/{hpo_id}", response_class=HTMLResponse)
def word_question(
    request: Request,
    engine: Engine,
    user: Editor,
    hpo_id: str,
    text: str = Form("", max_length=5000),
    action: str = Form("save", max_length=20),
) -> Response:
    try:
        finding = editing.set_wording(
            engine, request, hpo_id, None if action == "reset" else text, user
        )
    except WebError as error:
        if error.status == 404:
            raise
        return _wording_page(request, engine, hpo_id, text, error.message, error.status)
    return redirect(f"/editor/questions/{finding.hpo_id}")
