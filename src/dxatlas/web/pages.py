"""The HTML pages (Jinja2, autoescaped), each with a `.json` twin answering the same data."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from dxatlas.evidence.sections import SECTIONS
from dxatlas.web.api import Engine
from dxatlas.web.engine import WebEngine, WebError, split_findings

router = APIRouter(include_in_schema=False)

SECTION_TITLES = {key: key.capitalize() for key in SECTIONS}
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(request, "home.html", {"query": ""})


@router.get("/search.json")
def search_json(engine: Engine, q: str = Query("", max_length=200)) -> dict[str, Any]:
    return engine.search(q)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, engine: Engine, q: str = Query("", max_length=200)) -> Response:
    try:
        found = engine.search(q)
    except WebError as error:
        return render(request, "search.html", {"query": q, "error": error.message}, error.status)
    return render(request, "search.html", {"query": q, "found": found})


@router.get("/concept/{concept_id}.json")
def concept_json(engine: Engine, concept_id: str) -> dict[str, Any]:
    return engine.page(concept_id)


@router.get("/concept/{concept_id}", response_class=HTMLResponse)
def concept_page(request: Request, engine: Engine, concept_id: str) -> Response:
    page = engine.page(concept_id)
    return render(
        request,
        "concept.html",
        {
            "page": page,
            "titles": SECTION_TITLES,
            "references": [_references(c["references"]) for c in page["curated"]],
        },
    )


def _references(references: list[str]) -> list[dict[str, str | None]]:
    """Each reference with a link when it is a PubMed id."""
    found = []
    for reference in references:
        number = reference.removeprefix("PMID:")
        url = PUBMED.format(number) if reference.startswith("PMID:") and number.isdigit() else None
        found.append({"text": reference, "url": url})
    return found


def _check(engine: WebEngine, findings: str, age: str, sex: str, top: int) -> dict[str, Any]:
    given = split_findings(findings)
    return engine.diagnose(replace(given, age=age.strip() or None, sex=sex or None), top)


@router.get("/check.json")
def check_json(
    engine: Engine,
    findings: str = Query("", max_length=5000),
    age: str = Query("", max_length=40),
    sex: str = Query("", max_length=20),
    top: int = Query(10, ge=1, le=100),
) -> dict[str, Any]:
    return _check(engine, findings, age, sex, top)


@router.get("/check", response_class=HTMLResponse)
def check_page(
    request: Request,
    engine: Engine,
    findings: str = Query("", max_length=5000),
    age: str = Query("", max_length=40),
    sex: str = Query("", max_length=20),
    top: int = Query(10, ge=1, le=100),
) -> Response:
    form = {"findings": findings, "age": age, "sex": sex}
    if not findings.strip():
        return render(request, "check.html", {"form": form})
    try:
        result = _check(engine, findings, age, sex, top)
    except WebError as error:
        return render(request, "check.html", {"form": form, "error": error.message}, error.status)
    return render(request, "check.html", {"form": form, "result": result})
