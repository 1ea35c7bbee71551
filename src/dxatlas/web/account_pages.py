"""The account pages: register, sign in, sign out, and one's account.

Forms post back to the same path; a refused form is shown again, filled in, with the reason and
the matching status (401 wrong password, 409 taken name, 422 bad input); success redirects (303)
to where the visitor came from (`next`, a path on this site only).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dxatlas.store.community_base import CommunityError
from dxatlas.web.auth import CurrentUser, get_community, sign_in, sign_out
from dxatlas.web.community import status_of
from dxatlas.web.csrf import verify_csrf
from dxatlas.web.guards import anonymous_write, limit_sign_in

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this site to go to after a form (never another site: `//host`, `\\`, `http:`)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and not any(char.isspace() for char in target)
    ):
        return target
    return default


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def redirect(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


def login_redirect(request: Request) -> RedirectResponse:
    """To the sign-in page, coming back here afterwards."""
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': path})}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = Query("/", max_length=2000)) -> Response:
    return render(request, "login.html", {"next": safe_next(next), "name": ""})


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    name: str = Form("", max_length=200),
    password: str = Form("", max_length=5000),
    next: str = Form("/", max_length=2000),
) -> Response:
    limit_sign_in(request, name)
    target = safe_next(next)
    try:
        user = get_community(request).accounts.authenticate(name, password)
    except CommunityError as error:
        context = {"next": target, "name": name, "error": str(error)}
        return render(request, "login.html", context, status_of(error))
    response = redirect(target)
    sign_in(request, response, user)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, next: str = Query("/", max_length=2000)) -> Response:
    return render(request, "register.html", {"next": safe_next(next), "name": ""})


@router.post("/register", response_class=HTMLResponse, dependencies=[Depends(anonymous_write)])
def register(
    request: Request,
    name: str = Form("", max_length=200),
    password: str = Form("", max_length=5000),
    password_again: str = Form("", max_length=5000),
    next: str = Form("/", max_length=2000),
) -> Response:
    target = safe_next(next)
    context: dict[str, Any] = {"next": target, "name": name}
    if password != password_again:
        context["error"] = "the two passwords differ: type the same password twice"
        return render(request, "register.html", context, 422)
    try:
        user = get_community(request).accounts.add(name, password)
    except CommunityError as error:
        return render(request, "register.html", context | {"error": str(error)}, status_of(error))
    response = redirect(target)
    sign_in(request, response, user)
    return response


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    response = redirect("/")
    sign_out(request, response)
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser) -> Response:
    if user is None:
        return login_redirect(request)
    community = get_community(request)
    context = {
        "user": user,
        "tickets": community.tickets.recent(author_id=user.id, limit=20),
        "pending": community.questions.count() if user.has("moderator") else None,
    }
    return render(request, "account.html", context)
