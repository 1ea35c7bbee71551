"""The accounts API, `/api/v1/auth`: register, login, logout, and who is signed in.

Writes need the CSRF token in the `X-CSRF-Token` header: a client reads it from `GET
/api/v1/auth/me` (which also sets the cookie it derives from) and again from the answer to
register or login, since signing in changes it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from dxatlas.store.accounts import User
from dxatlas.web.auth import CurrentUser, get_community, sign_in, sign_out
from dxatlas.web.community_models import Credentials, Me, errors
from dxatlas.web.csrf import csrf_token, verify_csrf
from dxatlas.web.guards import anonymous_write, limit_sign_in

router = APIRouter(prefix="/api/v1/auth", tags=["accounts"])


def _me(request: Request, user: User | None) -> dict[str, Any]:
    return {"user": user.to_json() if user else None, "csrf_token": csrf_token(request)}


@router.get("/me", response_model=Me)
def me(request: Request, user: CurrentUser) -> dict[str, Any]:
    """The signed-in user (null when no one is) and the CSRF token for writes."""
    return _me(request, user)


@router.post(
    "/register",
    status_code=201,
    response_model=Me,
    responses=errors(403, 409, 422, 429),
    dependencies=[Depends(anonymous_write)],
)
def register(request: Request, response: Response, body: Credentials) -> dict[str, Any]:
    """Create an account (role user) and sign it in."""
    user = get_community(request).accounts.add(body.name, body.password)
    sign_in(request, response, user)
    return _me(request, user)


@router.post(
    "/login",
    response_model=Me,
    responses=errors(401, 403, 429),
    dependencies=[Depends(verify_csrf)],
)
def login(request: Request, response: Response, body: Credentials) -> dict[str, Any]:
    """Sign in with a name and password (attempts are rate-limited per client and per name)."""
    limit_sign_in(request, body.name)
    user = get_community(request).accounts.authenticate(body.name, body.password)
    sign_in(request, response, user)
    return _me(request, user)


@router.post("/logout", status_code=204, responses=errors(403), dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    """End the session: its cookie token never works again."""
    response = Response(status_code=204)
    sign_out(request, response)
    return response
