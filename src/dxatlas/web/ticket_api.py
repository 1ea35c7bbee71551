"""The tickets API: any signed-in user reports what is wrong with a concept page or one of its
evidence sentences; editors see every ticket, change its status and comment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from dxatlas.store.accounts import Role, User
from dxatlas.store.tickets import TicketView
from dxatlas.web.api import Engine
from dxatlas.web.auth import SignedIn, get_community
from dxatlas.web.community import concept_name
from dxatlas.web.community_models import (
    CommentBody,
    TicketBody,
    TicketChange,
    TicketModel,
    errors,
)
from dxatlas.web.engine import WebError
from dxatlas.web.guards import write_access

router = APIRouter(prefix="/api/v1", tags=["tickets"])

Writer = Annotated[User, Depends(write_access())]
Editor = Annotated[User, Depends(write_access(Role.EDITOR))]


def visible_ticket(request: Request, ticket_id: int, user: User) -> TicketView:
    """A ticket the user may see: theirs, or any when they are an editor (else 403)."""
    ticket = get_community(request).tickets.get(ticket_id)
    if ticket.author_id != user.id and not user.has(Role.EDITOR):
        raise WebError(403, f"only editors and its author can see ticket {ticket_id}")
    return ticket


@router.get("/tickets", response_model=list[TicketModel], responses=errors(401, 422))
def list_tickets(
    request: Request,
    user: SignedIn,
    status: str | None = Query(None, max_length=20, description="open, in_progress or closed."),
    concept_id: str | None = Query(None, max_length=200),
    mine: bool = Query(False, description="Only my tickets (always so for non-editors)."),
) -> list[dict[str, Any]]:
    """Tickets, most recently changed first: every ticket for editors, one's own for others."""
    author = user.id if mine or not user.has(Role.EDITOR) else None
    tickets = get_community(request).tickets.recent(
        status=status, author_id=author, concept_id=concept_id
    )
    return [ticket.to_json() for ticket in tickets]


@router.post(
    "/tickets",
    status_code=201,
    response_model=TicketModel,
    responses=errors(401, 403, 404, 413, 422, 429),
)
def create_ticket(
    request: Request, engine: Engine, body: TicketBody, user: Writer
) -> dict[str, Any]:
    """Report what is wrong with a concept page (or one of its evidence sentences)."""
    concept_name(engine, body.concept_id)
    ticket = get_community(request).tickets.create(
        user, body.concept_id, body.text, body.evidence_id
    )
    return ticket.to_json()


@router.get("/tickets/{ticket_id}", response_model=TicketModel, responses=errors(401, 403, 404))
def get_ticket(request: Request, ticket_id: int, user: SignedIn) -> dict[str, Any]:
    """One ticket with its comments (editors, and its author)."""
    return visible_ticket(request, ticket_id, user).to_json()


@router.patch(
    "/tickets/{ticket_id}",
    response_model=TicketModel,
    responses=errors(401, 403, 404, 413, 422, 429),
)
def change_ticket(
    request: Request, ticket_id: int, body: TicketChange, user: Editor
) -> dict[str, Any]:
    """Set a ticket's status (editors), with an optional comment saying why."""
    ticket = get_community(request).tickets.set_status(ticket_id, user, body.status, body.comment)
    return ticket.to_json()


@router.post(
    "/tickets/{ticket_id}/comments",
    status_code=201,
    response_model=TicketModel,
    responses=errors(401, 403, 404, 413, 422, 429),
)
def comment(request: Request, ticket_id: int, body: CommentBody, user: Writer) -> dict[str, Any]:
    """Comment on a ticket (editors, and its author)."""
    visible_ticket(request, ticket_id, user)
    return get_community(request).tickets.comment(ticket_id, user, body.text).to_json()
