"""One app per test module for the community tests (toy knowledge base, a store with one user
concept and one evidence sentence), and clients signed in with each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dxatlas.settings import Settings
from dxatlas.store.community import Community
from tests.web.site import toy_site_environment

PASSWORD = "a long enough password"
_numbers = count(1)


def unique_name(prefix: str = "user") -> str:
    """A user name no other test of the module used."""
    return f"{prefix}{next(_numbers)}"


def me(client: TestClient) -> dict:
    return client.get("/api/v1/auth/me").json()


def token(client: TestClient) -> dict[str, str]:
    """The CSRF header of the client's JSON writes."""
    return {"X-CSRF-Token": me(client)["csrf_token"]}


def form_token(client: TestClient, path: str = "/questions") -> str:
    """The CSRF token a page's forms carry (what a browser would post back)."""
    html = client.get(path).text
    start = html.index('name="csrf_token" value="') + len('name="csrf_token" value="')
    return html[start : html.index('"', start)]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """A started app; rate limits high enough that only the tests about them reach them."""
    from dxatlas.web import create_app

    root: Path = tmp_path_factory.mktemp("community")
    with toy_site_environment(root, f"sqlite:///{root / 'store.db'}") as concept_id:
        settings = Settings(rate_limit_sign_ins=1000, rate_limit_writes=1000)
        created = create_app(settings)
        with TestClient(created):
            created.state.test_concept_id = concept_id
            yield created


@pytest.fixture
def community(app: FastAPI) -> Community:
    return app.state.community


@pytest.fixture
def concept_id(app: FastAPI) -> str:
    return app.state.test_concept_id


@pytest.fixture
def anonymous(app: FastAPI) -> TestClient:
    """A fresh browser: no cookies."""
    return TestClient(app)


@pytest.fixture
def signed_in(app: FastAPI) -> Callable[..., TestClient]:
    """`signed_in(role)`: a fresh browser signed in (through the API) as a new user of `role`."""

    def make(role: str = "user", name: str | None = None) -> TestClient:
        name = name or unique_name(role)
        app.state.community.accounts.add(name, PASSWORD, role=role)
        client = TestClient(app)
        answer = client.post(
            "/api/v1/auth/login", json={"name": name, "password": PASSWORD}, headers=token(client)
        )
        assert answer.status_code == 200, answer.text
        client.user_name = name  # type: ignore[attr-defined]
        return client

    return make
