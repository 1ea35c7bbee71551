"""Schemathesis against the app's own OpenAPI document: requests generated from every documented
route (valid and invalid parameters and bodies) never get a 5xx.

In process, over SQLite (the injection tests cover PostgreSQL), a fixed seed (`derandomize`) and
a bounded number of examples per route. Exclusions, on purpose:

- Cases are sent signed in as an admin, so role checks let the bodies reach the routes; the
  generated `X-CSRF-Token` is replaced by the session's valid token (CSRF refusal has its own
  tests in tests/web/community).
- The sign-in routes (register, login, logout) are sent from a fresh anonymous client, so a
  logout cannot end the admin session the other cases use.
- `POST /api/v1/ingest` would fetch generated URLs and PubMed queries from the network: it is
  sent anonymously, without its multipart body, and must answer 401 or 403 (405 for the other
  methods schemathesis tries on it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from tests.web.site import Site, csrf, started_site

EXAMPLES = 20
"""Examples per route (each route is one test)."""
ANONYMOUS = {"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/logout"}
NETWORK = {("POST", "/api/v1/ingest")}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with started_site("sqlite", tmp_path_factory.mktemp("schemathesis")) as started:
        yield started


def _openapi() -> dict[str, Any]:
    """The app's OpenAPI document (building the app opens nothing: the database is in memory,
    and no lifespan runs), so the schema is known when pytest collects the tests."""
    from dxatlas.settings import Settings
    from dxatlas.web import create_app

    return create_app(Settings(database_url="sqlite://")).openapi()


schema = schemathesis.openapi.from_dict(_openapi())


def send(
    client: TestClient, case: Any, csrf_token: dict[str, str] | None, body: bool = True
) -> Any:
    """Send a generated case with the test client (requests-style keywords made httpx's)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    headers = dict(kwargs.get("headers") or {})
    if csrf_token is not None and any(name.lower() == "x-csrf-token" for name in headers):
        headers = {k: v for k, v in headers.items() if k.lower() != "x-csrf-token"} | csrf_token
    request: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": headers,
        "params": kwargs.get("params"),
    }
    if not body:
        headers.pop("Content-Type", None)
        return client.request(**request)
    if "json" in kwargs:
        request["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, bytes | str):
        request["content"] = data
    elif data is not None:
        request["data"] = data
    if kwargs.get("files"):
        request["files"] = kwargs["files"]
    return client.request(**request)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case: Any, site: Site) -> None:
    path, method = case.operation.path, case.method.upper()
    if (case.operation.method.upper(), path) in NETWORK:  # any method schemathesis tries on it
        answer = send(TestClient(site.app), case, None, body=False)
        assert answer.status_code in (401, 403, 405), answer.text[:300]
        return
    if path in ANONYMOUS:
        client = TestClient(site.app)
        token = csrf(client)
    else:
        client = site.clients["admin"]
        token = csrf(client)
    answer = send(client, case, token)
    assert answer.status_code < 500, f"{method} {answer.request.url}: {answer.text[:300]}"
