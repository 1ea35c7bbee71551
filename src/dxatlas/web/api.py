"""The JSON API, `/api/v1` (and `/healthz`): thin routes over `WebEngine`, described by OpenAPI."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from dxatlas.web.engine import SEARCH_MIN_CHARS, CaseInput, WebEngine, WebError
from dxatlas.web.response_cache import json_bytes

router = APIRouter()


async def get_engine(request: Request) -> WebEngine:
    """The engine the app loaded at startup (async: a plain function dependency would cost
    every request a round trip through the thread pool)."""
    engine = getattr(request.app.state, "engine", None)
    if engine is None:
        raise WebError(503, "the knowledge base is not loaded yet")
    return engine


Engine = Annotated[WebEngine, Depends(get_engine)]


class ErrorBody(BaseModel):
    """Every error answer: one message."""

    error: str


class Health(BaseModel):
    status: str
    kb_version: str


class CaseBody(BaseModel):
    """A patient: findings present and absent (HPO ids or names), free text, age and sex."""

    model_config = ConfigDict(extra="forbid")

    present: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=200, description="Findings present: HPO ids or names."
    )
    excluded: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=200, description="Findings known to be absent."
    )
    text: str = Field(
        default="",
        max_length=20_000,
        description="Free text, read with the recogniser: asserted findings count as present, "
        "negated ones as excluded.",
    )
    age: str | None = Field(default=None, max_length=40, description="ISO 8601 duration or years.")
    sex: str | None = Field(default=None, max_length=20, description="male, female or unknown.")
    risk_factors: list[Annotated[str, Field(max_length=60)]] = Field(
        default_factory=list,
        max_length=50,
        description="Risk factors the patient has: RISK:smoking, RISK:day-care ... (the text's "
        "are read too).",
    )
    top: int = Field(default=10, ge=1, le=500, description="How many diseases to explain.")

    def case(self) -> CaseInput:
        return CaseInput(
            tuple(self.present),
            tuple(self.excluded),
            self.text,
            self.age,
            self.sex,
            risk_factors=tuple(self.risk_factors),
        )


class QuestionBody(CaseBody):
    top: int = Field(default=5, ge=1, le=100, description="How many questions to return.")


class SearchHitModel(BaseModel):
    id: str
    name: str
    matched: str
    match: str


class SearchResults(BaseModel):
    finding: list[SearchHitModel]
    disease: list[SearchHitModel]
    concept: list[SearchHitModel]


class SearchAnswer(BaseModel):
    query: str
    results: SearchResults
    kb_version: str


class SuggestionModel(SearchHitModel):
    via: str = Field(description="Which name matched: label, exact, layperson, synonym, id, ...")
    url: str = Field(description="A disease's or concept's page; for a finding, a check with it.")


class SuggestionGroup(BaseModel):
    kind: str
    label: str
    items: list[SuggestionModel]


class AutocompleteAnswer(BaseModel):
    query: str
    groups: list[SuggestionGroup]
    kb_version: str


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input (unknown finding, bad age, ...)."},
    422: {"model": ErrorBody, "description": "The request does not have the documented form."},
}


@router.get("/healthz", response_model=Health, tags=["meta"])
def healthz(engine: Engine) -> dict[str, Any]:
    """The app is up and its knowledge base is loaded."""
    return {"status": "ok", "kb_version": engine.kb.version}


@router.get("/api/v1/search", response_model=SearchAnswer, responses=ERRORS, tags=["api"])
async def search(
    engine: Engine,
    q: str = Query(..., max_length=200, description=f"At least {SEARCH_MIN_CHARS} characters."),
) -> Response:
    """Findings, diseases and stored concepts by name or synonym: prefix, then fuzzy matches,
    grouped by kind (at most 10 per kind)."""
    body = engine.search_bytes_at_once(q)
    if body is None:
        body = await run_in_threadpool(engine.search_bytes, q)
    return json_answer(body)


@router.get(
    "/api/v1/autocomplete", response_model=AutocompleteAnswer, responses=ERRORS, tags=["api"]
)
def autocomplete(
    engine: Engine,
    q: str = Query("", max_length=200, description="What the user has typed so far."),
    kind: str = Query(
        "all", max_length=60, description="finding, disease, concept, a comma list, or all."
    ),
    limit: int = Query(8, ge=1, le=20, description="At most this many suggestions per kind."),
) -> dict[str, Any]:
    """Suggestions for a search box, fast enough for every keystroke: names (labels, synonyms,
    lay words) starting like `q`, or with a later word starting like it, then close spellings;
    grouped by kind. Under two characters every group is empty."""
    return engine.autocomplete(q, kind, limit)


@router.get(
    "/api/v1/concepts/{concept_id}",
    responses={404: {"model": ErrorBody, "description": "No concept has this id."}},
    tags=["api"],
    response_model=None,
)
async def concept(engine: Engine, concept_id: str) -> Response:
    """A concept page (the JSON of `dxatlas page --format json`): a curated disease id
    (OMIM:142900) or a stored concept id."""
    body = engine.page_bytes_at_once(concept_id, await engine.store_version_async())
    if body is None:
        body = await run_in_threadpool(engine.page_bytes, concept_id)
    return json_answer(body)


@router.post("/api/v1/diagnose", responses=ERRORS, tags=["api"])
async def diagnose(engine: Engine, body: CaseBody) -> Response:
    """The ranked differential (the JSON of `dxatlas diagnose --json`), with "recognised": which
    words of names and text became which findings."""
    case = body.case()
    if engine.answers_at_once(case):
        return json_answer(json_bytes(engine.diagnose(case, body.top)))
    return json_answer(json_bytes(await run_in_threadpool(engine.diagnose, case, body.top)))


@router.post("/api/v1/next-question", responses=ERRORS, tags=["api"])
async def next_question(engine: Engine, body: QuestionBody) -> Response:
    """The findings worth asking about next (expected information gain), as `dxatlas ask`."""
    case = body.case()
    wording = None
    if engine.answers_at_once(case):
        wording = engine.wording_at_once(await engine.store_version_async())
    if wording is not None:
        # The longest of the four calls (10-15 ms against 3-4 for diagnose and under 1 for a
        # cached page): it lets the calls that are already waiting go first.
        await asyncio.sleep(0)
        return json_answer(json_bytes(engine.next_questions(case, body.top, wording)))
    answer = await run_in_threadpool(engine.next_questions, case, body.top)
    return json_answer(json_bytes(answer))


def json_answer(body: bytes) -> Response:
    """An encoded JSON answer. The four routes above run in the event loop when they can
    answer without waiting (see `WebEngine.page_bytes_at_once` and the others), and in the
    thread pool otherwise."""
    return Response(body, media_type="application/json")
