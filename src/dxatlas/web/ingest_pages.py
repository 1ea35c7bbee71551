"""The ingest pages (editors): upload documents or name URLs and a PubMed query, optionally the
concept they are about, and follow the background job on its status page (which polls the JSON
status route). `POST /api/v1/ingest` takes the same multipart form and answers the job as JSON.

A file over `max_document_bytes` (or a request over `MAX_FILES` of them) is refused whole with
413 before anything is stored; an unusable form is shown again with the reason (422).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from dxatlas.settings import Settings
from dxatlas.store.accounts import Role, User
from dxatlas.web.account_pages import redirect, render
from dxatlas.web.api import Engine, get_engine
from dxatlas.web.auth import NOT_SIGNED_IN, CurrentUser, check_role, current_user
from dxatlas.web.community_models import errors
from dxatlas.web.editor_pages import editor_page
from dxatlas.web.engine import WebEngine, WebError
from dxatlas.web.guards import write_access
from dxatlas.web.jobs import IngestJob, IngestJobs, IngestRequest

router = APIRouter()

MAX_FILES = 20
MAX_URLS = 50
MAX_PUBMED_RESULTS = 1000
DEFAULT_PUBMED_RESULTS = 20
_FORM_OVERHEAD = 1024 * 1024
_UNSAFE = re.compile(r"[^\w.\-]+")


def upload_limit(request: Request) -> None:
    """Before the body is read: 401 signed out, 403 below editor (so no one else can make the
    server parse an upload), and 413 for a body larger than `MAX_FILES` documents could be
    (Content-Length). The CSRF check comes after, since it reads the form."""
    user = current_user(request)
    if user is None:
        raise WebError(401, NOT_SIGNED_IN)
    check_role(user, Role.EDITOR)
    settings: Settings = request.app.state.settings
    declared = request.headers.get("content-length", "")
    allowed = settings.max_document_bytes * MAX_FILES + _FORM_OVERHEAD
    if declared.isdigit() and int(declared) > allowed:
        raise WebError(
            413,
            f"the upload is {int(declared):,} bytes; at most {MAX_FILES} files of "
            f"{settings.max_document_bytes:,} bytes each (DXATLAS_MAX_DOCUMENT_BYTES) are taken",
        )


Editor = Annotated[User, Depends(write_access(Role.EDITOR))]


def jobs_of(request: Request) -> IngestJobs:
    return request.app.state.ingest_jobs


def visible_job(request: Request, job_id: str) -> IngestJob:
    job = jobs_of(request).get(job_id)
    if job is None:
        raise WebError(404, f"no ingest job has the id {job_id!r} (jobs are kept until a restart)")
    return job


# --- reading the form ------------------------------------------------------------------------


def _text(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    text = value if isinstance(value, str) else ""
    if len(text) > limit:
        raise WebError(422, f"{name}: at most {limit:,} characters")
    return text.strip()


def _uploads(form: FormData, settings: Settings) -> list[UploadFile]:
    files = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    files = [item for item in files if item.filename or (item.size or 0) > 0]
    if len(files) > MAX_FILES:
        raise WebError(413, f"files: at most {MAX_FILES} files per job; {len(files)} were sent")
    for upload in files:
        if (upload.size or 0) > settings.max_document_bytes:
            raise WebError(
                413,
                f"{shown_name(upload.filename, 1)}: {upload.size:,} bytes is over the size limit "
                f"of {settings.max_document_bytes:,} (DXATLAS_MAX_DOCUMENT_BYTES)",
            )
    return files


def shown_name(filename: str | None, number: int) -> str:
    """An uploaded file's name as the job shows it: its last path part, printable, at most 200
    characters (`upload-N` when it has none)."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()[:200]
    return name or f"upload-{number}"


def _urls(text: str) -> tuple[str, ...]:
    urls = tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if len(urls) > MAX_URLS:
        raise WebError(422, f"urls: at most {MAX_URLS} URLs per job; {len(urls)} were given")
    for url in urls:
        if not url.lower().startswith(("http://", "https://")) or any(c.isspace() for c in url):
            raise WebError(422, f"urls: {url[:80]!r} is not an http(s) URL (one URL per line)")
    return urls


def _max_results(text: str) -> int:
    if not text:
        return DEFAULT_PUBMED_RESULTS
    if not text.isdigit() or not 1 <= int(text) <= MAX_PUBMED_RESULTS:
        raise WebError(
            422, f"max_results: {text[:20]!r} is not a whole number from 1 to {MAX_PUBMED_RESULTS}"
        )
    return int(text)


def concept_target(engine: WebEngine, text: str) -> tuple[Any, str]:
    """The target of the concept an editor named (a stored concept or a curated disease, by id
    or name) and its name; 422 when none has that name."""
    from dxatlas.evidence.targets import target_of_curated, target_of_state
    from dxatlas.kb.lookup import UnknownNameError

    with engine.store() as store:
        state = store.find_concept(text)
    if state is not None:
        return target_of_state(state), state.name
    try:
        disease_id = engine.kb.disease_ids[engine.names.disease(text)]
    except (UnknownNameError, ValueError, KeyError, IndexError):
        disease_id = None
    target = target_of_curated(engine.kb, disease_id) if disease_id else None
    if target is None:
        raise WebError(
            422, f"concept: no stored concept or curated disease has the name or id {text[:80]!r}"
        )
    return target, target.name


def _save(files: list[UploadFile], folder: Path) -> tuple[tuple[str, str], ...]:
    saved = []
    for number, upload in enumerate(files, start=1):
        name = shown_name(upload.filename, number)
        path = folder / f"{number:02d}-{_UNSAFE.sub('_', name)[-100:]}"
        upload.file.seek(0)
        with path.open("wb") as out:
            while chunk := upload.file.read(1024 * 1024):
                out.write(chunk)
        saved.append((name, str(path)))
    return tuple(saved)


async def start_job(request: Request, engine: WebEngine, user: User) -> IngestJob:
    """Read the ingest form, check all of it, save the uploads and queue the job."""
    from dxatlas.web.ingest_run import run_ingest

    settings: Settings = request.app.state.settings
    form = await request.form(max_files=MAX_FILES + 5)
    files = _uploads(form, settings)
    urls = _urls(_text(form, "urls", 100_000))
    pubmed = _text(form, "pubmed", 1000) or None
    max_results = _max_results(_text(form, "max_results", 20))
    concept_text = _text(form, "concept", 500)
    if not files and not urls and not pubmed:
        raise WebError(422, "nothing to ingest: upload a file, give a URL or a PubMed query")
    target, label = (
        await run_in_threadpool(concept_target, engine, concept_text)
        if concept_text
        else (None, None)
    )
    folder = Path(tempfile.mkdtemp(prefix="dxatlas-ingest-")) if files else None
    try:
        saved = await run_in_threadpool(_save, files, folder) if folder else ()
    except OSError as error:
        raise WebError(507, f"the uploads could not be saved: {error.strerror or error}") from None
    job_request = IngestRequest(saved, urls, pubmed, max_results, target, label)
    return jobs_of(request).submit(
        user.name, job_request, lambda job: run_ingest(job, engine, settings, folder)
    )


# --- pages -------------------------------------------------------------------------------------


def _form_page(
    request: Request,
    concept: str = "",
    values: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    settings: Settings = request.app.state.settings
    context = {
        "values": values or {"concept": concept, "urls": "", "pubmed": "", "max_results": ""},
        "error": error,
        "jobs": jobs_of(request).recent(),
        "max_bytes": settings.max_document_bytes,
        "max_files": MAX_FILES,
        "default_results": DEFAULT_PUBMED_RESULTS,
    }
    return render(request, "ingest.html", context, status)


@router.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
def ingest_page(
    request: Request, user: CurrentUser, concept: str = Query("", max_length=500)
) -> Response:
    return editor_page(request, user) or _form_page(request, concept)


@router.post(
    "/ingest",
    response_class=HTMLResponse,
    include_in_schema=False,
    dependencies=[Depends(upload_limit)],
)
async def ingest(request: Request, engine: Engine, user: Editor) -> Response:
    try:
        job = await start_job(request, engine, user)
    except WebError as error:
        if error.status == 413:
            raise
        form = await request.form()
        values = {
            name: value if isinstance(value := form.get(name), str) else ""
            for name in ("concept", "urls", "pubmed", "max_results")
        }
        return _form_page(request, values=values, error=error.message, status=error.status)
    return redirect(f"/ingest/jobs/{job.id}")


@router.get("/ingest/jobs/{job_id}.json", include_in_schema=False)
def job_json(request: Request, user: CurrentUser, job_id: str) -> dict[str, Any]:
    return _job_json(request, user, job_id)


@router.get("/ingest/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(request: Request, user: CurrentUser, job_id: str) -> Response:
    refused = editor_page(request, user)
    if refused is not None:
        return refused
    job = visible_job(request, job_id)
    return render(request, "ingest_job.html", {"job": job.to_json()})


# --- JSON --------------------------------------------------------------------------------------


def _job_json(request: Request, user: User | None, job_id: str) -> dict[str, Any]:
    if user is None:
        raise WebError(401, "you are not signed in: sign in as an editor to follow ingest jobs")
    check_role(user, Role.EDITOR)
    return visible_job(request, job_id).to_json()


@router.post(
    "/api/v1/ingest",
    status_code=202,
    tags=["editor"],
    responses=errors(401, 403, 413, 422, 429),
    dependencies=[Depends(upload_limit)],
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": f"Documents (at most {MAX_FILES}).",
                            },
                            "urls": {"type": "string", "description": "http(s) URLs, one a line."},
                            "pubmed": {"type": "string", "description": "A PubMed query."},
                            "max_results": {"type": "integer", "description": "PubMed results."},
                            "concept": {
                                "type": "string",
                                "description": "The concept (name or id) the documents are about.",
                            },
                        },
                    }
                }
            }
        }
    },
)
async def ingest_api(
    request: Request, user: Editor, engine: Annotated[WebEngine, Depends(get_engine)]
) -> JSONResponse:
    """Start an ingest job (editors): multipart form with files, URLs, a PubMed query and the
    concept; answers 202 with the job (follow it at GET /api/v1/ingest/jobs/{id})."""
    job = await start_job(request, engine, user)
    return JSONResponse(job.to_json(), status_code=202)


@router.get("/api/v1/ingest/jobs/{job_id}", tags=["editor"], responses=errors(401, 403, 404))
def ingest_job(request: Request, user: CurrentUser, job_id: str) -> dict[str, Any]:
    """An ingest job's status, progress and per-document results (editors)."""
    return _job_json(request, user, job_id)
