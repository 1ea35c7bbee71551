"""The JSON shapes of the community API (accounts, questions, tickets), for requests and answers;
FastAPI publishes them in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from dxatlas.web.api import ErrorBody


class Credentials(BaseModel):
    """A user name and password (register, login)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        max_length=200, description="3 to 40 letters, digits, dots, dashes, underscores."
    )
    password: str = Field(max_length=5000, description="At least 8 characters.")


class UserModel(BaseModel):
    id: int
    name: str
    role: str = Field(
        description="user, editor, moderator or admin (each may do what those before may)."
    )
    created_at: str


class Me(BaseModel):
    """Who is signed in (null when no one) and the CSRF token JSON writes must send."""

    user: UserModel | None
    csrf_token: str = Field(description="Send it in the X-CSRF-Token header of every write.")


class AskBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="8 to 200 characters.")
    body: str = Field(
        description="The question in the small markdown (# Heading, **bold**, _italic_); at most "
        "5,000 characters (longer is refused with 413). No e-mail addresses or phone numbers."
    )
    consent: bool = Field(
        description="The asker agrees to the terms and privacy policy; must be true."
    )
    concept_id: str | None = Field(
        default=None,
        max_length=200,
        description="The concept the question is about (none: general).",
    )


class AnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(description="The answer in the small markdown; at most 5,000 characters.")


class AnswerModel(BaseModel):
    id: int
    question_id: int
    author: str
    body: str
    created_at: str


class QuestionModel(BaseModel):
    id: int
    concept_id: str | None
    title: str
    body: str
    status: str = Field(description="pending (waits for a moderator) or approved.")
    author: str
    created_at: str
    approved_at: str | None
    answers: list[AnswerModel]


class TicketBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept_id: str = Field(max_length=200, description="The concept page the ticket is about.")
    evidence_id: int | None = Field(
        default=None, description="One evidence sentence of that concept, when it is about one."
    )
    text: str = Field(description="What is wrong; at most 5,000 characters.")


class TicketChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="open, in_progress or closed.")
    comment: str = Field(default="", description="Why (optional); kept with the change.")


class CommentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The comment; at most 5,000 characters.")


class CommentModel(BaseModel):
    id: int
    author: str
    text: str
    status: str | None = Field(description="The status this comment set, when it changed it.")
    created_at: str


class TicketModel(BaseModel):
    id: int
    concept_id: str
    evidence_id: int | None
    evidence_text: str | None
    author: str
    text: str
    status: str
    created_at: str
    updated_at: str
    comments: list[CommentModel]


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of a route (each `{"error": message}`)."""
    meaning = {
        400: "Bad input.",
        401: "Not signed in (or, at login, a wrong name or password).",
        403: "The role is too low, or the CSRF token is missing or wrong.",
        404: "No such question, answer, ticket or concept.",
        409: "The change clashes with what is stored (a taken name, a question still pending).",
        413: "A text is longer than its limit.",
        422: "The input is not acceptable (the message says why).",
        429: "Too many attempts or writes: wait the Retry-After seconds.",
    }
    return {status: {"model": ErrorBody, "description": meaning[status]} for status in statuses}
