"""The HTML pages (Jinja2, autoescaped), each with a `.json` twin answering the same data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from dxatlas.evidence.sections import SECTIONS
from dxatlas.web.api import Engine
from dxatlas.web.charts import age_chart, sex_chart
from dxatlas.web.checker import CheckForm, chips, run_check
from dxatlas.web.engine import WebError

router = APIRouter(include_in_schema=False)

SECTION_TITLES = {key: key.capitalize() for key in SECTIONS}
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"
ID_PAGES = {
    "OMIM": "https://omim.org/entry/{}",
    "ORPHA": "https://www.orpha.net/en/disease/detail/{}",
}


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
    if not q.strip():  # the search box itself, before anything is typed: no error to show
        return render(request, "search.html", {"query": q})
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
    demographics = page["demographics"]
    concept = page["concept"]
    return render(
        request,
        "concept.html",
        {
            "page": page,
            "titles": SECTION_TITLES,
            "references": [_references(c["references"]) for c in page["curated"]],
            "charts": {
                "sex": sex_chart(demographics["sex"]["male"], demographics["sex"]["female"]),
                "age": age_chart(demographics["ages_years"]),
            },
            "questions_ready": _has_template(request, "_questions.html"),
            "id_links": {
                i: url for i in (concept["id"], *concept["xrefs"]) if (url := _id_link(i))
            },
        },
    )


def _has_template(request: Request, name: str) -> bool:
    """Whether the package has template `name` (the questions section is another module's)."""
    return name in request.app.state.templates.env.list_templates()


def _id_link(concept_id: str) -> str | None:
    """The source's own page of an OMIM or Orphanet id."""
    prefix, _, number = concept_id.partition(":")
    if not number.isdigit():
        return None
    return ID_PAGES.get(prefix.upper(), "").format(number) or None


def _references(references: list[str]) -> list[dict[str, str | None]]:
    """Each reference with a link when it is a PubMed id or an OMIM or Orphanet entry."""
    found = []
    for reference in references:
        number = reference.removeprefix("PMID:")
        if reference.startswith("PMID:") and number.isdigit():
            url: str | None = PUBMED.format(number)
        else:
            url = _id_link(reference)  # an OMIM or Orphanet entry cited as the source
        found.append({"text": reference, "url": url})
    return found


async def _check_form(request: Request) -> CheckForm:
    """The checker's fields from the query string and, for a post, the form body; with its
    action (an answer, a removed chip) applied."""
    items = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await request.form()
        items += [(name, value) for name, value in body.multi_items() if isinstance(value, str)]
    return CheckForm.read(items).acted()


@router.api_route("/check.json", methods=["GET", "POST"])
async def check_json(request: Request, engine: Engine) -> dict[str, Any]:
    form = await _check_form(request)
    payload, _ = await run_in_threadpool(run_check, engine, form)
    return payload


@router.api_route("/check", methods=["GET", "POST"], response_class=HTMLResponse)
async def check_page(request: Request, engine: Engine) -> Response:
    """The symptom checker: a post (or a link's query string) carries the form's state; the
    page is rendered again with the updated chips, differential and next question."""
    try:
        form = await _check_form(request)
    except WebError as error:
        context = {"form": CheckForm(), "chips": [], "error": error.message}
        return render(request, "check.html", context, error.status)
    context: dict[str, Any] = {"form": form, "chips": chips(engine, form)}
    if form.empty:
        return render(request, "check.html", context)
    try:
        result, state = await run_in_threadpool(run_check, engine, form)
    except WebError as error:
        return render(request, "check.html", {**context, "error": error.message}, error.status)
    context = {"form": state, "chips": chips(engine, state), "result": result}
    return render(request, "check.html", context)
