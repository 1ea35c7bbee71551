"""The question pages: the list with the ask form, one question with its answers, and the
moderation queue. The JSON twin of each is in `question_api`.

A refused question or answer is shown again, filled in, with the reason (413 too long, 422 with
contact details or without consent); success redirects (303) to the question.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxatlas.store.accounts import Role, User
from dxatlas.store.community_base import CommunityError
from dxatlas.store.community_text import BODY_MAX_CHARS
from dxatlas.store.questions import PENDING, QuestionView
from dxatlas.web.account_pages import redirect, render, safe_next
from dxatlas.web.api import Engine
from dxatlas.web.auth import CurrentUser, get_community, require_role
from dxatlas.web.community import concept_name, concept_names, status_of
from dxatlas.web.engine import WebEngine, WebError
from dxatlas.web.guards import write_access
from dxatlas.web.question_api import NO_CONSENT, visible_question

router = APIRouter(include_in_schema=False)

Writer = Annotated[User, Depends(write_access())]
Moderator = Annotated[User, Depends(write_access(Role.MODERATOR))]
PAGE_SIZE = 50


def _list_context(
    request: Request, engine: WebEngine, user: User | None, concept: str, page: int
) -> dict[str, Any]:
    community = get_community(request)
    questions = community.questions.recent(
        concept_id=concept or None, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    names = concept_names(engine, [concept] + [q.concept_id for q in questions if q.concept_id])
    return {
        "questions": questions[:PAGE_SIZE],
        "more": len(questions) > PAGE_SIZE,
        "page": page,
        "concept": concept,
        "concept_label": names.get(concept),
        "names": names,
        "pending": community.questions.count() if user and user.has(Role.MODERATOR) else None,
        "limit": BODY_MAX_CHARS,
        "ask_form": {"title": "", "body": "", "consent": False},
    }


@router.get("/questions", response_class=HTMLResponse)
def questions_page(
    request: Request,
    engine: Engine,
    user: CurrentUser,
    concept: str = Query("", max_length=200),
    page: int = Query(1, ge=1, le=10_000),
) -> Response:
    return render(request, "questions.html", _list_context(request, engine, user, concept, page))


@router.post("/questions", response_class=HTMLResponse)
def ask(
    request: Request,
    engine: Engine,
    user: Writer,
    title: str = Form(""),
    body: str = Form(""),
    consent: str = Form(""),
    concept_id: str = Form("", max_length=200),
) -> Response:
    try:
        if not consent:
            raise WebError(422, NO_CONSENT)
        if concept_id:
            concept_name(engine, concept_id)
        question = get_community(request).questions.ask(user, title, body, concept_id or None)
    except (WebError, CommunityError) as error:
        status, message = (
            (error.status, error.message)
            if isinstance(error, WebError)
            else (status_of(error), str(error))
        )
        context = _list_context(request, engine, user, concept_id, 1)
        context["ask_form"] = {"title": title, "body": body, "consent": bool(consent)}
        context["ask_error"] = message
        return render(request, "questions.html", context, status)
    return redirect(f"/questions/{question.id}")


@router.get("/questions/pending", response_class=HTMLResponse)
def moderation_queue(
    request: Request,
    engine: Engine,
    user: Annotated[User, Depends(require_role(Role.MODERATOR))],
) -> Response:
    questions = get_community(request).questions.recent(status=PENDING, limit=200)
    names = concept_names(engine, [q.concept_id for q in questions if q.concept_id])
    return render(request, "questions_pending.html", {"questions": questions, "names": names})


def _question_page(
    request: Request,
    engine: WebEngine,
    question: QuestionView,
    answer_body: str = "",
    error: str | None = None,
    status: int = 200,
) -> Response:
    names = concept_names(engine, [question.concept_id] if question.concept_id else [])
    context = {
        "question": question,
        "concept_label": names.get(question.concept_id or ""),
        "answer_body": answer_body,
        "answer_error": error,
        "limit": BODY_MAX_CHARS,
    }
    return render(request, "question.html", context, status)


@router.get("/questions/{question_id}", response_class=HTMLResponse)
def question_page(
    request: Request, engine: Engine, user: CurrentUser, question_id: int
) -> Response:
    return _question_page(request, engine, visible_question(request, question_id, user))


@router.post("/questions/{question_id}/answers", response_class=HTMLResponse)
def answer(
    request: Request, engine: Engine, user: Writer, question_id: int, body: str = Form("")
) -> Response:
    question = visible_question(request, question_id, user)
    try:
        answered = get_community(request).questions.answer(question_id, user, body)
    except CommunityError as error:
        return _question_page(request, engine, question, body, str(error), status_of(error))
    return redirect(f"/questions/{question_id}#answer-{answered.id}")


@router.post("/questions/{question_id}/approve")
def approve(request: Request, user: Moderator, question_id: int) -> Response:
    get_community(request).questions.approve(question_id, user)
    return redirect("/questions/pending")


@router.post("/questions/{question_id}/delete")
def delete_question(
    request: Request, user: Moderator, question_id: int, next: str = Form("/questions")
) -> Response:
    get_community(request).questions.delete(question_id)
    target = safe_next(next, "/questions")
    return redirect("/questions" if target.startswith(f"/questions/{question_id}") else target)


@router.post("/answers/{answer_id}/delete")
def delete_answer(request: Request, user: Moderator, answer_id: int) -> Response:
    question_id = get_community(request).questions.delete_answer(answer_id)
    return redirect(f"/questions/{question_id}")
