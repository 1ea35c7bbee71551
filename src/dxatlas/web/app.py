"""The web app factory: `create_app(settings)` loads the knowledge base once (in the lifespan) and
serves the JSON API (`/api/v1`) and the HTML pages.

`dxatlas serve` runs `app_from_env` through uvicorn as a factory, so each worker builds its own app.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from dxatlas import __version__
from dxatlas.settings import Settings, get_settings
from dxatlas.web.engine import WebEngine, WebError, settle_heap
from dxatlas.web.nul_guard import NulGuard

NOTICE = (
    "dxatlas informs; it does not diagnose. See a physician, and in an emergency call your local "
    "emergency number."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The web app for `settings` (default: the environment's). The knowledge base, ranker and
    name index are loaded when the app starts, and reach the routes through `app.state.engine`."""
    from dxatlas.web import api, community, editor, pages

    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = WebEngine.load(settings)
        settle_heap()
        if settings.warm_start:
            app.state.engine.warm_up()
        yield
        app.state.engine.close()
        app.state.engine = None
        app.state.community.close()
        app.state.ingest_jobs.shutdown()

    app = FastAPI(
        title="dxatlas",
        version=__version__,
        description="A medical knowledge engine: search, concept pages and a ranked differential. "
        + NOTICE,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = templates()
    community.install(app, settings)  # accounts, questions, tickets (routes, CSRF, rate limits)
    editor.install(app)  # concept edits and history, evidence hiding, question wording, ingest
    app.add_middleware(NulGuard)  # 400 for a NUL in path, query or body (PostgreSQL can't take it)
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("dxatlas.web") / "static")),
        name="static",
    )
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(WebError, _web_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for error in _database_errors():
        app.add_exception_handler(error, _database_unavailable)
    return app


def app_from_env() -> FastAPI:
    """The app of the environment's settings (the factory `dxatlas serve` gives uvicorn)."""
    return create_app(get_settings())


def templates() -> Jinja2Templates:
    """The package's Jinja2 templates (autoescaping on: every `.html` template escapes text)."""
    found = Jinja2Templates(directory=str(resources.files("dxatlas.web") / "templates"))
    found.env.globals["notice"] = NOTICE
    found.env.tests["web_link"] = is_web_link
    return found


def is_web_link(url: object) -> bool:
    """Only http(s) URLs become links (a stored `javascript:` URL must never be clickable)."""
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def wants_json(request: Request) -> bool:
    """API and `.json` paths answer errors in JSON; the HTML pages answer with a page."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json") or path == "/healthz"


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


async def _web_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, WebError)
    return error_response(request, error.status, error.message)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = error.detail if isinstance(error.detail, str) else str(error.detail)
    if error.status_code == 404 and message == "Not Found":
        message = f"nothing is at {request.url.path}"
    return error_response(request, error.status_code, message)


DATABASE_BUSY = "the database is busy or unavailable, try again shortly"


def _database_errors() -> tuple[type[Exception], ...]:
    """What a locked, unreachable or restarting database raises: the store's `DatabaseUnavailable`,
    SQLAlchemy's `OperationalError` and psycopg's (when a route reaches the driver directly)."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    from dxatlas.store.errors import DatabaseUnavailable

    return (DatabaseUnavailable, OperationalError, psycopg.OperationalError)


async def _database_unavailable(request: Request, error: Exception) -> Response:
    """503 with a message that tells the user to retry (details go to the log, not the page);
    the next request tries the database again, so the app recovers without a restart."""
    from dxatlas.store.database import error_reason

    logging.getLogger(__name__).warning("database unavailable: %s", error_reason(error))
    response = error_response(request, 503, DATABASE_BUSY)
    response.headers["Retry-After"] = "5"
    return response


async def _validation_error(request: Request, error: Exception) -> Response:
    """Pydantic's list of problems as one sentence: `field: problem; field: problem`."""
    assert isinstance(error, RequestValidationError)
    parts = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem.get("loc", ()) if p not in ("body", "query"))
        parts.append(f"{where or 'request'}: {problem.get('msg', 'invalid')}")
    return error_response(request, 422, "invalid request: " + "; ".join(parts))
