"""The accounts API: register, login, logout, me; cookie flags, argon2 hashes, server-side
sessions, CSRF refusals and the sign-in and write rate limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from dxatlas.store.community import Community
from dxatlas.store.schema import UserRow, UserSessionRow
from dxatlas.web.auth import SESSION_COOKIE
from dxatlas.web.ratelimit import RateLimiter
from tests.web.community.conftest import PASSWORD, me, token, unique_name


def _register(client: TestClient, name: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/auth/register",
        json={"name": name, "password": password},
        headers=token(client),
    )


def _cookie_header(answer, name: str) -> str:  # type: ignore[no-untyped-def]
    found = [h for h in answer.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, answer.headers.get_list("set-cookie")
    return found[0]


def test_me_when_signed_out_gives_a_token_and_its_cookie(anonymous: TestClient) -> None:
    answer = anonymous.get("/api/v1/auth/me")
    assert answer.status_code == 200
    payload = answer.json()
    assert payload["user"] is None and len(payload["csrf_token"]) == 64
    cookie = _cookie_header(answer, "dxatlas_csrf")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert me(anonymous)["csrf_token"] == payload["csrf_token"]  # stable for the browser


def test_register_signs_in_with_a_safe_cookie_and_stores_an_argon2_hash(
    anonymous: TestClient, community: Community
) -> None:
    name = unique_name("reg")
    answer = _register(anonymous, name)
    assert answer.status_code == 201, answer.text
    assert answer.json()["user"]["name"] == name and answer.json()["user"]["role"] == "user"
    cookie = _cookie_header(answer, SESSION_COOKIE)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Max-Age=1209600" in cookie  # 14 days
    assert me(anonymous)["user"]["name"] == name
    with community.transaction() as session:
        stored = session.scalar(select(UserRow.password_hash).where(UserRow.name == name))
        token_hashes = session.scalars(select(UserSessionRow.token_hash)).all()
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    raw = anonymous.cookies.get(SESSION_COOKIE)
    assert raw and raw not in token_hashes  # only the token's hash is kept


def test_cookies_are_secure_over_https(app: FastAPI) -> None:
    browser = TestClient(app, base_url="https://testserver")
    answer = _register(browser, unique_name("tls"))
    assert answer.status_code == 201
    assert "Secure" in _cookie_header(answer, SESSION_COOKIE)


def test_login_logout_and_the_session_really_ends(
    anonymous: TestClient, signed_in: Callable[..., TestClient], app: FastAPI
) -> None:
    browser = signed_in("user")
    old_cookie = browser.cookies.get(SESSION_COOKIE)
    assert me(browser)["user"]["name"] == browser.user_name  # type: ignore[attr-defined]
    answer = browser.post("/api/v1/auth/logout", headers=token(browser))
    assert answer.status_code == 204
    assert me(browser)["user"] is None
    replay = TestClient(app, cookies={SESSION_COOKIE: old_cookie or ""})
    assert me(replay)["user"] is None  # the old token no longer works anywhere


def test_wrong_passwords_and_names_are_401_with_one_message(
    signed_in: Callable[..., TestClient], anonymous: TestClient
) -> None:
    name = signed_in("user").user_name  # type: ignore[attr-defined]
    wrong = anonymous.post(
        "/api/v1/auth/login",
        json={"name": name, "password": "not it at all"},
        headers=token(anonymous),
    )
    unknown = anonymous.post(
        "/api/v1/auth/login",
        json={"name": "nobody-here", "password": PASSWORD},
        headers=token(anonymous),
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"error": "the user name or the password is wrong"}
    assert SESSION_COOKIE not in anonymous.cookies


def test_register_refusals(anonymous: TestClient) -> None:
    name = unique_name("dup")
    assert _register(anonymous, name).status_code == 201
    other = TestClient(anonymous.app)
    taken = _register(other, name.upper())
    assert taken.status_code == 409 and "is taken" in taken.json()["error"]
    short = _register(other, unique_name("short"), "short")
    assert short.status_code == 422 and "too short" in short.json()["error"]
    bad_name = _register(other, "<b>x</b>")
    assert bad_name.status_code == 422 and "is not allowed" in bad_name.json()["error"]
    malformed = other.post("/api/v1/auth/register", json={"name": "x"}, headers=token(other))
    assert malformed.status_code == 422 and malformed.json()["error"].startswith("invalid request")


@pytest.mark.parametrize("header", [None, "0" * 64, "forged"])
def test_writes_without_the_right_csrf_token_are_403(
    signed_in: Callable[..., TestClient], header: str | None
) -> None:
    browser = signed_in("user")
    headers = {"X-CSRF-Token": header} if header else {}
    for path, body in (
        ("/api/v1/auth/logout", None),
        ("/api/v1/questions", {"title": "A long enough title", "body": "b", "consent": True}),
        ("/api/v1/auth/register", {"name": unique_name(), "password": PASSWORD}),
    ):
        answer = browser.post(path, json=body, headers=headers)
        assert answer.status_code == 403, path
        assert "CSRF" in answer.json()["error"]
    assert me(browser)["user"] is not None  # the logout did not happen


def test_the_token_of_another_browser_is_refused(signed_in: Callable[..., TestClient]) -> None:
    first, second = signed_in("user"), signed_in("user")
    answer = first.post("/api/v1/auth/logout", headers=token(second))
    assert answer.status_code == 403


def test_signing_in_changes_the_token(anonymous: TestClient) -> None:
    before = me(anonymous)["csrf_token"]
    answer = _register(anonymous, unique_name("rot"))
    after = answer.json()["csrf_token"]
    assert after != before and me(anonymous)["csrf_token"] == after
    stale = anonymous.post("/api/v1/auth/logout", headers={"X-CSRF-Token": before})
    assert stale.status_code == 403


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app: FastAPI) -> Iterator[Clock]:
    """A fresh limiter on a clock the test moves, with small limits (all put back after)."""
    ticking = Clock()
    settings = app.state.settings
    kept = (app.state.limiter, settings.rate_limit_sign_ins, settings.rate_limit_writes)
    app.state.limiter = RateLimiter(ticking)
    settings.rate_limit_sign_ins, settings.rate_limit_writes = 3, 2
    yield ticking
    app.state.limiter, settings.rate_limit_sign_ins, settings.rate_limit_writes = kept


def test_sign_in_attempts_are_limited_then_allowed_again(
    clock: Clock, app: FastAPI, anonymous: TestClient
) -> None:
    name = unique_name("guess")
    app.state.community.accounts.add(name, PASSWORD)

    def attempt(password: str):  # type: ignore[no-untyped-def]
        body = {"name": name, "password": password}
        return anonymous.post("/api/v1/auth/login", json=body, headers=token(anonymous))

    assert [attempt("wrong guess!").status_code for _ in range(3)] == [401, 401, 401]
    refused = attempt(PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["error"] == "too many sign-in attempts; try again in 60 seconds"
    assert refused.headers["Retry-After"] == "60"
    clock.now += 61
    assert attempt(PASSWORD).status_code == 200


def test_writes_are_limited_per_account(clock: Clock, signed_in: Callable[..., TestClient]) -> None:
    browser = signed_in("user")
    body = {"title": "A long enough title", "body": "Some words.", "consent": True}
    statuses = [
        browser.post("/api/v1/questions", json=body, headers=token(browser)).status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    clock.now += 60
    assert browser.post("/api/v1/questions", json=body, headers=token(browser)).status_code == 201


def test_one_account_is_limited_from_every_address(clock: Clock, app: FastAPI) -> None:
    name = unique_name("target")
    app.state.community.accounts.add(name, PASSWORD)
    statuses = []
    for number in range(4):
        browser = TestClient(app, client=(f"10.0.0.{number}", 40000))
        body = {"name": name, "password": "wrong guess!"}
        statuses.append(
            browser.post("/api/v1/auth/login", json=body, headers=token(browser)).status_code
        )
    assert statuses == [401, 401, 401, 429]
    other = TestClient(app, client=("10.0.0.9", 40000))
    body = {"name": unique_name("other"), "password": "wrong guess!"}
    assert other.post("/api/v1/auth/login", json=body, headers=token(other)).status_code == 401
