"""The editor tools wired into the web app: `install(app)` adds the routes of concept editing,
history, evidence hiding, question wording and ingestion, and the template helpers the concept
page and the navigation use (`is_editor`, `hidden_evidence`).

Call it after `community.install`: the tools keep their records in the community's database.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request

from dxatlas.store.accounts import Role
from dxatlas.store.errors import StoreError
from dxatlas.store.evidence_actions import HiddenEvidence
from dxatlas.web.auth import current_user

log = logging.getLogger(__name__)


def install(app: FastAPI) -> None:
    """Add the editor tools to `app`."""
    from dxatlas.web import editor_api, editor_pages, ingest_pages
    from dxatlas.web.jobs import IngestJobs

    app.state.ingest_jobs = IngestJobs()
    for module in (editor_api, editor_pages, ingest_pages):
        app.include_router(module.router)
    app.state.templates.env.globals.update(is_editor=is_editor, hidden_evidence=hidden_evidence)


def is_editor(request: Request) -> bool:
    """Whether the signed-in user may use the editor tools (editors, moderators, admins)."""
    user = current_user(request)
    return user is not None and user.has(Role.EDITOR)


def hidden_evidence(request: Request, concept_id: str) -> list[HiddenEvidence]:
    """The concept's hidden sentences for its page's editor section (empty, and logged, when the
    store cannot be read, so the page still shows)."""
    from dxatlas.web.editing import hidden_evidence as read

    try:
        return read(request, concept_id)
    except StoreError as error:
        log.warning("hidden evidence of %s not read: %s", concept_id, error)
        return []
