"""The checks every write route passes, in order: signed in (401), a valid CSRF token (403), the
role it needs (403), and the rate limit (429, with `Retry-After`).

    @router.post("/api/v1/things")
    async def add(user: Annotated[User, Depends(write_access("editor"))]) -> ...

Sign-in, register and sign-out have no user yet: `anonymous_write` checks the token and the
client's write budget, and the sign-in routes call `limit_sign_in` with the name tried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from dxatlas.settings import Settings
from dxatlas.store.accounts import Role, User, name_key
from dxatlas.web.auth import check_role, require_user
from dxatlas.web.csrf import CsrfHeader, verify_csrf
from dxatlas.web.engine import WebError
from dxatlas.web.ratelimit import RateLimiter


class RateLimited(WebError):
    """429: too many actions; `retry_after` is the whole seconds until one is allowed again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(429, message)
        self.retry_after = retry_after


def _client(request: Request) -> str:
    """The client's address (uvicorn's `--proxy-headers` makes it the forwarded one)."""
    return f"client:{request.client.host if request.client else 'unknown'}"


def _limit(request: Request, keys: list[str], limit: int, what: str) -> None:
    settings: Settings = request.app.state.settings
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.hit(keys, limit, settings.rate_limit_window_seconds)
    if wait is not None:
        raise RateLimited(f"too many {what}; try again in {wait} seconds", wait)


def limit_writes(request: Request, user: User | None) -> None:
    """Count one write of this client (and account); 429 past `rate_limit_writes`."""
    keys = [f"write:{_client(request)}"] + ([f"write:user:{user.id}"] if user else [])
    _limit(request, keys, request.app.state.settings.rate_limit_writes, "changes")


def limit_sign_in(request: Request, name: str) -> None:
    """Count one sign-in attempt of this client and of the account name tried; 429 past
    `rate_limit_sign_ins`."""
    keys = [f"sign-in:{_client(request)}", f"sign-in:name:{name_key(name)[:100]}"]
    _limit(request, keys, request.app.state.settings.rate_limit_sign_ins, "sign-in attempts")


def write_access(role: Role | str = Role.USER) -> Callable[[Request], Awaitable[User]]:
    """A dependency for a write route: the signed-in user, after every check passed."""
    wanted = Role(role)

    async def dependency(request: Request, csrf: CsrfHeader = None) -> User:
        user = await run_in_threadpool(require_user, request)  # reads the session
        await verify_csrf(request, csrf)
        check_role(user, wanted)
        limit_writes(request, user)
        return user

    dependency.__name__ = f"write_access_{wanted.value}"
    return dependency


async def anonymous_write(request: Request, csrf: CsrfHeader = None) -> None:
    """The checks of a write that needs no account: the CSRF token, the client's budget."""
    await verify_csrf(request, csrf)
    limit_writes(request, None)
