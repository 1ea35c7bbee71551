"""CSRF tokens: every form and every JSON write must carry a token that only a page of this site
could have read.

The token is an HMAC of a secret the browser holds in an HttpOnly cookie: the session token when
signed in, otherwise a random `dxatlas_csrf` cookie given on first need. A page on another site
can make the browser send those cookies, but can read neither them nor our pages, so it cannot
know the token. Forms send it in the `csrf_token` field (templates call `csrf_field(request)`);
JSON clients send it in the `X-CSRF-Token` header, after reading it from `GET /api/v1/auth/me`
(or the answer to register and login). A missing or wrong token is answered 403. Signing in or
out changes the token, so a form from before must be reloaded.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Header, Request
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dxatlas.web.auth import session_token, set_private_cookie
from dxatlas.web.engine import WebError

CSRF_COOKIE = "dxatlas_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_NEW_SECRET = "csrf_new_secret"
_SECRET_LENGTH = range(32, 100)
FAILED = (
    "the security (CSRF) token is missing or out of date: reload the page and try again "
    f"(JSON clients: send the {CSRF_HEADER} header from GET /api/v1/auth/me)"
)


def _token_of(secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), b"dxatlas csrf", hashlib.sha256).hexdigest()


def _secret(request: Request, create: bool) -> str | None:
    """The secret the request's token derives from (a new anonymous one if `create`)."""
    token = session_token(request)
    if token:
        return token
    anonymous = getattr(request.state, _NEW_SECRET, None) or request.cookies.get(CSRF_COOKIE, "")
    if len(anonymous) in _SECRET_LENGTH:
        return anonymous
    if not create:
        return None
    fresh = secrets.token_urlsafe(32)
    setattr(request.state, _NEW_SECRET, fresh)  # `CsrfCookieMiddleware` sends it
    return fresh


def csrf_token(request: Request) -> str:
    """The token this browser's forms and JSON writes must send (a Jinja global too)."""
    secret = _secret(request, create=True)
    assert secret is not None
    return _token_of(secret)


def csrf_field(request: Request) -> Markup:
    """The hidden form field holding the token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, csrf_token(request)
    )


CsrfHeader = Annotated[
    str | None,
    Header(
        alias=CSRF_HEADER,
        description="The CSRF token of GET /api/v1/auth/me (HTML forms send a csrf_token field).",
    ),
]


async def verify_csrf(request: Request, sent: CsrfHeader = None) -> None:
    """403 unless the request carries this browser's token (header, else form field)."""
    if sent is None:
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    secret = await run_in_threadpool(_secret, request, False)  # may read the session
    if not sent or secret is None or not hmac.compare_digest(sent, _token_of(secret)):
        raise WebError(403, FAILED)


class CsrfCookieMiddleware:
    """Sends the anonymous CSRF cookie when a request made one (a form was shown to a visitor
    who had none). A plain ASGI middleware, so it also covers error pages and redirects."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                secret = scope.get("state", {}).get(_NEW_SECRET)
                if secret:
                    cookie = Response()
                    set_private_cookie(cookie, Request(scope), CSRF_COOKIE, secret)
                    headers = MutableHeaders(scope=message)
                    for name, value in cookie.raw_headers:
                        if name == b"set-cookie":
                            headers.append("set-cookie", value.decode("latin-1"))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
