"""The community (accounts, questions, tickets) wired into the web app: `install(app, settings)`
opens its store, adds its routes, the CSRF cookie middleware, its error answers and the template
helpers every page may use (`current_user`, `csrf_token`, `csrf_field`, `questions_for`, and the
`markdown` filter).

It also answers the two questions the community routes ask of the knowledge: does a concept id
name a concept page, and what is it called.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from dxatlas.settings import Settings
from dxatlas.store.community import Community
from dxatlas.store.community_base import (
    Conflict,
    InvalidInput,
    NotFound,
    SignInFailed,
    TextTooLong,
    as_utc,
)
from dxatlas.store.database import make_engine
from dxatlas.store.errors import DatabaseUnavailable, StoreError, UnknownConcept
from dxatlas.web.auth import current_user
from dxatlas.web.csrf import CsrfCookieMiddleware, csrf_field, csrf_token
from dxatlas.web.engine import WebEngine, WebError
from dxatlas.web.guards import RateLimited
from dxatlas.web.markdown import render_markdown
from dxatlas.web.ratelimit import RateLimiter

log = logging.getLogger(__name__)

# The HTTP status of each refusal of the community store (the most specific class first).
_STATUS: tuple[tuple[type[StoreError], int], ...] = (
    (TextTooLong, 413),
    (InvalidInput, 422),
    (NotFound, 404),
    (Conflict, 409),
    (SignInFailed, 401),
    (DatabaseUnavailable, 503),
)


def status_of(error: StoreError) -> int:
    """The HTTP status a store error is answered with (503 for failures of the database)."""
    return next((status for kind, status in _STATUS if isinstance(error, kind)), 503)


def web_error(error: StoreError) -> WebError:
    return WebError(status_of(error), str(error))


def install(app: FastAPI, settings: Settings) -> None:
    """Add the community to `app` (call after `app.state.templates` is set)."""
    from dxatlas.web import (
        account_api,
        account_pages,
        question_api,
        question_pages,
        ticket_api,
        ticket_pages,
    )

    app.state.community = Community(make_engine(settings.database_url))
    app.state.limiter = RateLimiter()
    app.add_middleware(CsrfCookieMiddleware)
    for module in (
        account_api,
        question_api,
        ticket_api,
        account_pages,
        question_pages,
        ticket_pages,
    ):
        app.include_router(module.router)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(RateLimited, _rate_limited)
    env = app.state.templates.env
    env.globals.update(
        current_user=current_user,
        csrf_token=csrf_token,
        csrf_field=csrf_field,
        questions_for=questions_for,
    )
    env.filters["markdown"] = render_markdown
    env.filters["when"] = when


def when(moment: datetime | str | None) -> str:
    """A stored time as pages show it: `2026-11-21 09:30 UTC` (ISO text from JSON works too)."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC")


async def _store_error(request: Request, error: Exception) -> Response:
    from dxatlas.web.app import error_response

    assert isinstance(error, StoreError)
    return error_response(request, status_of(error), str(error))


async def _rate_limited(request: Request, error: Exception) -> Response:
    from dxatlas.web.app import error_response

    assert isinstance(error, RateLimited)
    response = error_response(request, error.status, error.message)
    response.headers["Retry-After"] = str(error.retry_after)
    return response


# --- concepts ------------------------------------------------------------------------------


def concept_names(engine: WebEngine, concept_ids: Iterable[str]) -> dict[str, str]:
    """The names of those ids that name a concept page (a curated disease or a stored concept)."""
    names: dict[str, str] = {}
    stored: list[str] = []
    for concept_id in dict.fromkeys(concept_ids):
        index = engine.kb.disease_index.get(concept_id)
        if index is not None:
            names[concept_id] = engine.kb.disease_names[index]
        elif concept_id:
            stored.append(concept_id)
    if stored:
        with engine.store() as store:
            for concept_id in stored:
                try:
                    names[concept_id] = store.concept(concept_id).name
                except UnknownConcept:
                    continue
    return names


def concept_name(engine: WebEngine, concept_id: str) -> str:
    """The name of the concept `concept_id` names, else 404."""
    wanted = concept_id.strip()
    name = concept_names(engine, [wanted]).get(wanted)
    if name is None:
        raise WebError(404, f"no concept has the id {wanted!r}")
    return name


# --- the concept page's questions -------------------------------------------------------------


def questions_for_concept(community: Community, concept_id: str) -> list[dict[str, Any]]:
    """The approved questions about a concept, newest first, each with its answers (JSON-ready;
    `body` is the markdown as written: render it with the `markdown` filter)."""
    return [q.to_json() for q in community.questions.recent(concept_id=concept_id)]


def questions_for(request: Request, concept_id: str) -> list[dict[str, Any]]:
    """`questions_for_concept` for a template (`_questions.html`); empty, and logged, when the
    store cannot be read, so the concept page still shows."""
    try:
        return questions_for_concept(request.app.state.community, concept_id)
    except StoreError as error:
        log.warning("questions of %s not read: %s", concept_id, error)
        return []
