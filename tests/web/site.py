"""A started app for the robustness tests (injection payloads, schemathesis): the toy knowledge
base, a seeded store on any back end, and clients signed in with each role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dxatlas.settings import Settings, get_settings
from tests.conftest import TOY_OBO, toy_hpoa_text
from tests.databases import fresh_database
from tests.store.community_helpers import CHEAP_PASSWORDS
from tests.web.conftest import _seed_store

PASSWORD = "a long enough password"
ROLES = ("user", "editor", "moderator", "admin")
_numbers = count(1)


def csrf(client: TestClient) -> dict[str, str]:
    """The CSRF header of the client's JSON writes."""
    return {"X-CSRF-Token": client.get("/api/v1/auth/me").json()["csrf_token"]}


class Site:
    """A started app, its database URL, its user concept, and a client per role (`clients`)
    besides an anonymous one."""

    def __init__(self, app: FastAPI, url: str, concept_id: str) -> None:
        self.app = app
        self.url = url
        self.concept_id = concept_id
        self.anonymous = TestClient(app)
        self.clients = {role: self.signed_in(role) for role in ROLES}

    def signed_in(self, role: str) -> TestClient:
        """A fresh client signed in (through the API) as a new account of `role`."""
        name = f"site-{role}-{next(_numbers)}"
        self.app.state.community.accounts.add(name, PASSWORD, role=role)
        client = TestClient(self.app)
        answer = client.post(
            "/api/v1/auth/login", json={"name": name, "password": PASSWORD}, headers=csrf(client)
        )
        assert answer.status_code == 200, answer.text
        return client

    def seed_community(self) -> None:
        """One approved question (with an answer) about the concept and one ticket."""
        moderator = self.clients["moderator"]
        asked = moderator.post(
            "/api/v1/questions",
            json={
                "title": "Is the toy syndrome inherited?",
                "body": "Does it run in families?",
                "consent": True,
                "concept_id": self.concept_id,
            },
            headers=csrf(moderator),
        )
        assert asked.status_code == 201, asked.text
        question = asked.json()["id"]
        for path, body in (
            (f"/api/v1/questions/{question}/approve", None),
            (f"/api/v1/questions/{question}/answers", {"body": "Not usually."}),
        ):
            done = moderator.post(path, json=body, headers=csrf(moderator))
            assert done.status_code in (200, 201), done.text
        editor = self.clients["editor"]
        ticket = editor.post(
            "/api/v1/tickets",
            json={"concept_id": self.concept_id, "text": "The first sentence is wrong."},
            headers=csrf(editor),
        )
        assert ticket.status_code == 201, ticket.text


@contextmanager
def toy_site_environment(root: Path, database: str) -> Iterator[str]:
    """The environment every started test app shares: the toy HPO files under `root`, a
    temporary cache and data folder, `database` seeded with the toy concept, and cheap password
    hashes. Yields the seeded concept's id; settings are read afresh inside and after."""
    hpo = root / "hpo"
    hpo.mkdir()
    (hpo / "hp.obo").write_text(TOY_OBO)
    (hpo / "phenotype.hpoa").write_text(toy_hpoa_text())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dxatlas.store.accounts.PASSWORDS", CHEAP_PASSWORDS)
        for name, value in {
            "DXATLAS_HPO_DATA_DIR": str(hpo),
            "DXATLAS_CACHE_DIR": str(root / "cache"),
            "DXATLAS_DATA_DIR": str(root / "data"),
            "DXATLAS_DATABASE_URL": database,
        }.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        try:
            yield _seed_store(database)
        finally:
            get_settings.cache_clear()


@contextmanager
def started_site(backend: str, root: Path) -> Iterator[Site]:
    """The app over a fresh database of `backend` (skips when PostgreSQL does not answer), with
    cheap password hashes and rate limits no test reaches."""
    from dxatlas.web import create_app

    with fresh_database(backend, root) as url, toy_site_environment(root, url) as concept_id:
        app = create_app(Settings(rate_limit_sign_ins=100_000, rate_limit_writes=100_000))
        with TestClient(app):
            site = Site(app, url, concept_id)
            site.seed_community()
            yield site
