"""The editor tools' JSON API: concept edits, revisions and reverts, evidence hidden and restored,
and the wording of follow-up questions. Reads are public; writes need the editor role (or above),
the CSRF header, and count against the write rate limit (see `guards.write_access`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from dxatlas.store.accounts import Role, User
from dxatlas.web import editing
from dxatlas.web.api import Engine
from dxatlas.web.community_models import errors
from dxatlas.web.guards import write_access

router = APIRouter(prefix="/api/v1", tags=["editor"])

Editor = Annotated[User, Depends(write_access(Role.EDITOR))]


class ConceptEdit(BaseModel):
    """The fields to change (absent or null: left as is)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=2000, description="The preferred name.")
    synonyms: list[Annotated[str, Field(max_length=2000)]] | None = Field(
        default=None,
        max_length=500,
        description="Every other name (replaces the list; a kept synonym keeps its scope).",
    )
    description: str | None = Field(
        default=None, max_length=50_000, description="A short description (empty: none)."
    )
    base_revision: int | None = Field(
        default=None,
        ge=1,
        description="The revision the change was made on; 409 when the concept changed since.",
    )


class ConceptChangeModel(BaseModel):
    concept: dict[str, Any] = Field(description="The concept's state after the change.")
    revision: int | None = Field(description="The revision appended (null: nothing changed).")
    overlaps: list[str] = Field(description="Names it shares with other concepts.")


class RevisionModel(BaseModel):
    number: int
    author: str
    created_at: str
    action: str = Field(description="create, edit, import or revert.")
    reverted_to: int | None
    changes: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any]
    diff: dict[str, list[str]] = Field(
        description="Per changed field, difflib lines: '- ' removed, '+ ' added, '  ' kept."
    )


class EvidenceActionModel(BaseModel):
    id: int
    evidence_id: int
    concept_id: str
    action: str = Field(description="hide or restore.")
    reason: str
    author: str
    created_at: str
    text: str


class HistoryModel(BaseModel):
    concept_id: str
    revisions: list[RevisionModel] = Field(description="Newest first.")
    evidence_actions: list[EvidenceActionModel] = Field(description="Newest first.")


class RevertBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    revision: int = Field(ge=1, description="The revision whose state to restore.")


class ReasonBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        default="", max_length=5000, description="Why (required to hide; at most 1,000 characters)."
    )


class WordingRevisionModel(BaseModel):
    number: int
    before: str | None
    text: str | None = Field(description="null: back to the default wording.")
    author: str
    created_at: str


class WordingModel(BaseModel):
    hpo_id: str
    label: str
    default: str = Field(description="The wording made from the HPO label and lay synonyms.")
    override: str | None = Field(description="An editor's wording, if any.")
    text: str = Field(description="What the checker asks.")
    updated_by: str | None
    updated_at: str | None
    history: list[WordingRevisionModel] = Field(description="Newest first.")


class WordingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        max_length=5000,
        description="The question, one line of at most 300 characters; null or "
        "empty: back to the default wording.",
    )


@router.patch(
    "/concepts/{concept_id}",
    response_model=ConceptChangeModel,
    responses=errors(401, 403, 404, 409, 413, 422, 429),
)
def edit_concept(
    engine: Engine, concept_id: str, body: ConceptEdit, user: Editor
) -> dict[str, Any]:
    """Change a stored concept's name, synonyms or description (editors): one new revision.
    A curated disease of the knowledge base cannot be edited (409)."""
    change = editing.edit_concept(
        engine,
        concept_id,
        user,
        name=body.name,
        synonyms=body.synonyms,
        description=body.description,
        base_revision=body.base_revision,
    )
    return editing.change_json(change, editing.stored_concept(engine, concept_id))


@router.get("/concepts/{concept_id}/revisions", response_model=HistoryModel, responses=errors(404))
def concept_revisions(request: Request, engine: Engine, concept_id: str) -> dict[str, Any]:
    """A concept's history: its revisions with their diffs, and the evidence hidden or restored."""
    return editing.history_json(engine, request, concept_id)


@router.post(
    "/concepts/{concept_id}/revert",
    response_model=ConceptChangeModel,
    responses=errors(401, 403, 404, 409, 422, 429),
)
def revert_concept(
    engine: Engine, concept_id: str, body: RevertBody, user: Editor
) -> dict[str, Any]:
    """Restore the state a revision left (editors); the revert is itself a new revision."""
    change = editing.revert_concept(engine, concept_id, body.revision, user)
    return editing.change_json(change, change.concept)


@router.post(
    "/evidence/{evidence_id}/hide",
    response_model=EvidenceActionModel,
    responses=errors(401, 403, 404, 409, 413, 422, 429),
)
def hide_evidence(
    request: Request, evidence_id: int, body: ReasonBody, user: Editor
) -> dict[str, Any]:
    """Hide an evidence sentence from its concept page, with the reason (editors)."""
    return editing.hide_evidence(request, evidence_id, body.reason, user).to_json()


@router.post(
    "/evidence/{evidence_id}/restore",
    response_model=EvidenceActionModel,
    responses=errors(401, 403, 404, 409, 413, 422, 429),
)
def restore_evidence(
    request: Request, evidence_id: int, body: ReasonBody, user: Editor
) -> dict[str, Any]:
    """Show a hidden evidence sentence again (editors; the reason is optional)."""
    return editing.restore_evidence(request, evidence_id, body.reason, user).to_json()


@router.get("/question-wording/{hpo_id}", response_model=WordingModel, responses=errors(404, 422))
def get_wording(request: Request, engine: Engine, hpo_id: str) -> dict[str, Any]:
    """The follow-up question about a finding: its default wording, an editor's, the history."""
    return editing.finding_wording(engine, request, hpo_id).to_json()


@router.put(
    "/question-wording/{hpo_id}",
    response_model=WordingModel,
    responses=errors(401, 403, 404, 409, 413, 422, 429),
)
def put_wording(
    request: Request, engine: Engine, hpo_id: str, body: WordingBody, user: Editor
) -> dict[str, Any]:
    """Word the question about a finding (editors); null or empty goes back to the default."""
    return editing.set_wording(engine, request, hpo_id, body.text, user).to_json()
