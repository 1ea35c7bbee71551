"""`NulGuard`: a request carrying a NUL character (U+0000) in its path, query string, JSON or
form body is answered 400 before any route sees it (file uploads may hold NUL bytes: they pass).

No field of the app has a use for NUL, and PostgreSQL cannot hold or even compare text with one
(psycopg raises DataError), so a `%00` in a concept id, a filter or a sign-in name came back as a
503 naming the database. Refusing it up front answers both back ends alike, with one line.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REFUSED = "the request holds a NUL character (U+0000) in its {}: remove it"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def holds_nul(value: Any) -> bool:
    """Whether a decoded JSON value has a NUL in any string (keys included)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


def body_holds_nul(body: bytes, content_type: str) -> bool:
    """A JSON body with NUL in a string (raw or `\\u0000`), or a form with `%00` or a NUL byte in a
    field. Other bodies (file uploads: a PDF holds NUL bytes) pass, and so do unparsable ones:
    the route reports those itself."""
    if "json" in content_type:
        if b"\x00" not in body and b"\\u0000" not in body.lower():
            return False
        try:
            return holds_nul(json.loads(body))
        except (ValueError, RecursionError):
            return b"\x00" in body
    if "x-www-form-urlencoded" in content_type:
        if b"\x00" in body:
            return True
        if b"%00" not in body:
            return False
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        return any("\x00" in name or "\x00" in value for name, value in pairs)
    return False


class NulGuard:
    """The ASGI middleware; a body is read (only when the method has one) and handed on as it
    came."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = None
        if "\x00" in scope["path"]:
            where = "path"
        elif b"%00" in scope["query_string"] or b"\x00" in scope["query_string"]:
            where = "query string"
        elif scope["method"] in _BODY_METHODS:
            body, receive = await _buffered(receive)
            content_type = Request(scope).headers.get("content-type", "").lower()
            if body_holds_nul(body, content_type):
                where = "body"
        if where is None:
            await self.app(scope, receive, send)
            return
        from dxatlas.web.app import error_response

        response = error_response(Request(scope), 400, REFUSED.format(where))
        await response(scope, receive, send)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a `receive` that gives it again before the original's messages."""
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: say so again downstream

            async def gone(message: Message = message) -> Message:
                return message

            return b"", gone
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
