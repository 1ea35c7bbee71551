"""Who is asking: the signed-in user of a request (from its session cookie), and the reusable
FastAPI dependencies that demand one (`require_user`, `require_role("editor")`).

The session cookie holds a random token; the store keeps only its hash (see `store.accounts`).
Every cookie the app sets is HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS
(behind a proxy, run uvicorn with `--proxy-headers` so it sees the original scheme).

    @router.post("/api/v1/things")
    def add(user: Annotated[User, Depends(require_role("editor"))]) -> ...
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response

from dxatlas.store.accounts import Role, User
from dxatlas.store.community import Community
from dxatlas.store.errors import StoreError
from dxatlas.web.engine import WebError

SESSION_COOKIE = "dxatlas_session"
NOT_SIGNED_IN = "you are not signed in: sign in (or register) first"

log = logging.getLogger(__name__)


def get_community(request: Request) -> Community:
    """The community store the app opened (`web.community.install`)."""
    return request.app.state.community


def current_user(request: Request) -> User | None:
    """The user whose valid session cookie came with the request, else None (looked up once per
    request; a store that cannot be read counts as signed out, so pages still render)."""
    state = request.state
    if getattr(state, "user_known", False):
        return state.user
    token = request.cookies.get(SESSION_COOKIE, "")
    user = None
    if token:
        try:
            user = get_community(request).accounts.session_user(token)
        except StoreError as error:
            log.warning("session not checked: %s", error)
    _remember(request, user, token if user else None)
    return user


def session_token(request: Request) -> str | None:
    """The token of the request's valid session (None when signed out)."""
    current_user(request)
    return request.state.session_token


def _remember(request: Request, user: User | None, token: str | None) -> None:
    request.state.user_known = True
    request.state.user = user
    request.state.session_token = token


def require_user(request: Request) -> User:
    """The signed-in user, else 401."""
    user = current_user(request)
    if user is None:
        raise WebError(401, NOT_SIGNED_IN)
    return user


def require_role(role: Role | str) -> Callable[[Request], User]:
    """A dependency: the signed-in user when their role is `role` or above (401, else 403)."""
    wanted = Role(role)

    def dependency(request: Request) -> User:
        return check_role(require_user(request), wanted)

    dependency.__name__ = f"require_{wanted.value}"
    return dependency


def check_role(user: User, role: Role | str) -> User:
    """`user`, or 403 when their role is below `role`."""
    wanted = Role(role)
    if not user.has(wanted):
        raise WebError(
            403, f"this needs the {wanted.value} role or above; {user.name} is {user.role.value}"
        )
    return user


CurrentUser = Annotated[User | None, Depends(current_user)]
SignedIn = Annotated[User, Depends(require_user)]


def set_private_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None = None
) -> None:
    """Set a cookie scripts cannot read (HttpOnly), not sent on cross-site posts (SameSite=Lax),
    and HTTPS-only when the request came over HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )


def sign_in(request: Request, response: Response, user: User) -> None:
    """Start a session for `user` and give its token to the browser. The request counts as
    signed in from here on (its CSRF token changes with it)."""
    lifetime = timedelta(hours=request.app.state.settings.session_hours)
    accounts = get_community(request).accounts
    previous = request.cookies.get(SESSION_COOKIE, "")
    if previous:
        accounts.end_session(previous)  # one browser, one session
    token = accounts.start_session(user, lifetime)
    set_private_cookie(
        response, request, SESSION_COOKIE, token, max_age=int(lifetime.total_seconds())
    )
    _remember(request, user, token)


def sign_out(request: Request, response: Response) -> None:
    """End the request's session in the store (its token never works again) and drop the
    cookie."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        get_community(request).accounts.end_session(token)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    _remember(request, None, None)
