"""The questions API: list and ask questions, answer them, and moderate (approve, delete).

A new question is pending: only its author and moderators see it until a moderator approves it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from dxatlas.store.accounts import Role, User
from dxatlas.store.questions import APPROVED, GENERAL, PENDING, QuestionView
from dxatlas.web.api import Engine
from dxatlas.web.auth import CurrentUser, check_role, get_community
from dxatlas.web.community import concept_name
from dxatlas.web.community_models import (
    AnswerBody,
    AnswerModel,
    AskBody,
    QuestionModel,
    errors,
)
from dxatlas.web.engine import WebError
from dxatlas.web.guards import write_access

router = APIRouter(prefix="/api/v1", tags=["questions"])

Writer = Annotated[User, Depends(write_access())]
Moderator = Annotated[User, Depends(write_access(Role.MODERATOR))]
NO_CONSENT = "consent: agree to the terms and the privacy policy to ask a question"


def visible_question(request: Request, question_id: int, user: User | None) -> QuestionView:
    """A question the user may see: approved, or pending and theirs or they moderate (else 404,
    so pending questions are not revealed)."""
    question = get_community(request).questions.get(question_id)
    if question.status != APPROVED and not (
        user is not None and (user.id == question.author_id or user.has(Role.MODERATOR))
    ):
        raise WebError(404, f"no question has the id {question_id}")
    return question


@router.get("/questions", response_model=list[QuestionModel], responses=errors(401, 403, 422))
def list_questions(
    request: Request,
    user: CurrentUser,
    status: Literal["approved", "pending"] = Query(
        APPROVED, description="pending: the moderation queue (moderators only)."
    ),
    concept_id: str | None = Query(None, max_length=200, description="Questions about it only."),
    general: bool = Query(False, description="Only questions about no concept."),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    """Questions, newest first, each with its answers."""
    if status == PENDING:
        if user is None:
            raise WebError(401, "sign in as a moderator to see the moderation queue")
        check_role(user, Role.MODERATOR)
    questions = get_community(request).questions.recent(
        status=status,
        concept_id=GENERAL if general else concept_id,
        limit=limit,
        offset=offset,
    )
    return [question.to_json() for question in questions]


@router.post(
    "/questions",
    status_code=201,
    response_model=QuestionModel,
    responses=errors(401, 403, 404, 413, 422, 429),
)
def ask(request: Request, engine: Engine, body: AskBody, user: Writer) -> dict[str, Any]:
    """Ask a question (it waits for a moderator). Refused: no consent, over 5,000 characters
    (413), an e-mail address or phone number in it (422), an unknown concept (404)."""
    if not body.consent:
        raise WebError(422, NO_CONSENT)
    if body.concept_id:
        concept_name(engine, body.concept_id)
    return (
        get_community(request).questions.ask(user, body.title, body.body, body.concept_id).to_json()
    )


@router.get("/questions/{question_id}", response_model=QuestionModel, responses=errors(404))
def get_question(request: Request, question_id: int, user: CurrentUser) -> dict[str, Any]:
    """One question with its answers."""
    return visible_question(request, question_id, user).to_json()


@router.post(
    "/questions/{question_id}/answers",
    status_code=201,
    response_model=AnswerModel,
    responses=errors(401, 403, 404, 409, 413, 422, 429),
)
def answer(request: Request, question_id: int, body: AnswerBody, user: Writer) -> dict[str, Any]:
    """Answer an approved question (409 while it waits for moderation)."""
    visible_question(request, question_id, user)
    return get_community(request).questions.answer(question_id, user, body.body).to_json()


@router.post(
    "/questions/{question_id}/approve",
    response_model=QuestionModel,
    responses=errors(401, 403, 404, 429),
)
def approve(request: Request, question_id: int, user: Moderator) -> dict[str, Any]:
    """Approve a pending question (moderators): everyone sees it from now on."""
    return get_community(request).questions.approve(question_id, user).to_json()


@router.delete("/questions/{question_id}", status_code=204, responses=errors(401, 403, 404, 429))
def delete_question(request: Request, question_id: int, user: Moderator) -> Response:
    """Delete a question and its answers (moderators)."""
    get_community(request).questions.delete(question_id)
    return Response(status_code=204)


@router.delete("/answers/{answer_id}", status_code=204, responses=errors(401, 403, 404, 429))
def delete_answer(request: Request, answer_id: int, user: Moderator) -> Response:
    """Delete an answer (moderators)."""
    get_community(request).questions.delete_answer(answer_id)
    return Response(status_code=204)
