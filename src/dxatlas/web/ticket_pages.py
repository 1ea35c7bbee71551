"""The ticket pages: report a problem with a concept page or one evidence sentence, the ticket
list (every ticket for editors, one's own for others), and one ticket with its comments and, for
editors, its status. The JSON twin of each is in `ticket_api`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxatlas.store.accounts import Role, User
from dxatlas.store.community_base import CommunityError
from dxatlas.store.community_text import BODY_MAX_CHARS
from dxatlas.store.tickets import STATUS_LABELS
from dxatlas.web.account_pages import login_redirect, redirect, render
from dxatlas.web.api import Engine
from dxatlas.web.auth import CurrentUser, get_community
from dxatlas.web.community import concept_name, concept_names, status_of
from dxatlas.web.engine import WebEngine
from dxatlas.web.guards import write_access
from dxatlas.web.ticket_api import visible_ticket

router = APIRouter(include_in_schema=False)

Writer = Annotated[User, Depends(write_access())]
Editor = Annotated[User, Depends(write_access(Role.EDITOR))]


@router.get("/tickets", response_class=HTMLResponse)
def tickets_page(
    request: Request,
    engine: Engine,
    user: CurrentUser,
    status: str = Query("", max_length=20),
) -> Response:
    if user is None:
        return login_redirect(request)
    community = get_community(request)
    editor = user.has(Role.EDITOR)
    tickets = community.tickets.recent(status=status or None, author_id=None if editor else user.id)
    context = {
        "tickets": tickets,
        "status": status,
        "statuses": STATUS_LABELS,
        "counts": community.tickets.counts() if editor else None,
        "names": concept_names(engine, [t.concept_id for t in tickets]),
        "editor": editor,
    }
    return render(request, "tickets.html", context)


def _new_ticket_context(
    request: Request, engine: WebEngine, concept: str, evidence: int | None
) -> dict[str, Any]:
    name = concept_name(engine, concept)
    sentence = (
        get_community(request).tickets.evidence_sentence(concept, evidence)
        if evidence is not None
        else None
    )
    return {
        "concept": concept,
        "concept_label": name,
        "evidence": evidence,
        "sentence": sentence,
        "text": "",
        "limit": BODY_MAX_CHARS,
    }


@router.get("/tickets/new", response_class=HTMLResponse)
def new_ticket_page(
    request: Request,
    engine: Engine,
    user: CurrentUser,
    concept: str = Query(..., max_length=200),
    evidence: int | None = Query(None, ge=1),
) -> Response:
    if user is None:
        return login_redirect(request)
    return render(
        request, "ticket_new.html", _new_ticket_context(request, engine, concept, evidence)
    )


@router.post("/tickets", response_class=HTMLResponse)
def create_ticket(
    request: Request,
    engine: Engine,
    user: Writer,
    concept_id: str = Form(..., max_length=200),
    evidence_id: int | None = Form(None, ge=1),
    text: str = Form(""),
) -> Response:
    context = _new_ticket_context(request, engine, concept_id, evidence_id)
    try:
        ticket = get_community(request).tickets.create(user, concept_id, text, evidence_id)
    except CommunityError as error:
        context |= {"text": text, "error": str(error)}
        return render(request, "ticket_new.html", context, status_of(error))
    return redirect(f"/tickets/{ticket.id}")


def _ticket_page(
    request: Request,
    engine: WebEngine,
    user: User,
    ticket_id: int,
    comment: str = "",
    error: str | None = None,
    status: int = 200,
) -> Response:
    ticket = visible_ticket(request, ticket_id, user)
    context = {
        "ticket": ticket,
        "concept_label": concept_names(engine, [ticket.concept_id]).get(ticket.concept_id),
        "statuses": STATUS_LABELS,
        "editor": user.has(Role.EDITOR),
        "comment": comment,
        "error": error,
        "limit": BODY_MAX_CHARS,
    }
    return render(request, "ticket.html", context, status)


@router.get("/tickets/{ticket_id}", response_class=HTMLResponse)
def ticket_page(request: Request, engine: Engine, user: CurrentUser, ticket_id: int) -> Response:
    if user is None:
        return login_redirect(request)
    return _ticket_page(request, engine, user, ticket_id)


@router.post("/tickets/{ticket_id}/status", response_class=HTMLResponse)
def change_status(
    request: Request,
    engine: Engine,
    user: Editor,
    ticket_id: int,
    status: str = Form(..., max_length=20),
    comment: str = Form(""),
) -> Response:
    try:
        get_community(request).tickets.set_status(ticket_id, user, status, comment)
    except CommunityError as error:
        return _ticket_page(request, engine, user, ticket_id, comment, str(error), status_of(error))
    return redirect(f"/tickets/{ticket_id}")


@router.post("/tickets/{ticket_id}/comments", response_class=HTMLResponse)
def comment(
    request: Request, engine: Engine, user: Writer, ticket_id: int, text: str = Form("")
) -> Response:
    visible_ticket(request, ticket_id, user)
    try:
        get_community(request).tickets.comment(ticket_id, user, text)
    except CommunityError as error:
        return _ticket_page(request, engine, user, ticket_id, text, str(error), status_of(error))
    return redirect(f"/tickets/{ticket_id}")
