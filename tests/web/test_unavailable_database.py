"""A locked or unreachable database makes the web app answer 503 ("busy or unavailable, try again
shortly") rather than crash, and it recovers without a restart once the database is back."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from dxatlas.settings import Settings, get_settings
from dxatlas.store import Store
from tests.conftest import TOY_OBO, toy_hpoa_text

BUSY = "busy or unavailable, try again shortly"


@pytest.fixture
def app_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings of an app on the toy knowledge base (its database URL is the test's to set)."""
    hpo = tmp_path / "hpo"
    hpo.mkdir()
    (hpo / "hp.obo").write_text(TOY_OBO)
    (hpo / "phenotype.hpoa").write_text(toy_hpoa_text())
    for name, value in {
        "DXATLAS_HPO_DATA_DIR": str(hpo),
        "DXATLAS_CACHE_DIR": str(tmp_path / "cache"),
        "DXATLAS_DATA_DIR": str(tmp_path / "data"),
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield Settings()
    get_settings.cache_clear()


def _client(settings: Settings, database_url: str) -> TestClient:
    from dxatlas.web import create_app

    return TestClient(create_app(settings.model_copy(update={"database_url": database_url})))


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_locked_sqlite_database_answers_503_then_recovers(
    app_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "store.db"
    with Store.open(f"sqlite:///{path}") as store:
        concept = store.add_concept("Toy syndrome", author="test").concept.id
    # A short busy timeout, so the locked request gives up at once (the default waits 5 s).
    with _client(app_settings, f"sqlite:///{path}?timeout=0.05") as client:
        assert client.get(f"/concept/{concept}").status_code == 200
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # another process writing: readers must wait
        try:
            page = client.get(f"/concept/{concept}")
            api = client.get(f"/api/v1/concepts/{concept}")
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert page.status_code == 503 and BUSY in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert api.status_code == 503 and BUSY in api.json()["error"]
        assert "Traceback" not in page.text + api.text
        assert client.get(f"/concept/{concept}").status_code == 200  # no restart needed
        assert client.get(f"/api/v1/concepts/{concept}").status_code == 200
        # Search answers from the app's snapshot of stored names, read before the lock.
        assert client.get("/api/v1/search", params={"q": "toy"}).status_code == 200


def test_an_unreachable_postgres_answers_503_without_crashing(app_settings: Settings) -> None:
    url = f"postgresql+psycopg://postgres:secret@127.0.0.1:{_closed_port()}/dxatlas"
    with _client(app_settings, url) as client:  # the app starts without its database
        assert client.get("/healthz").status_code == 200
        api = client.get("/api/v1/search", params={"q": "toy"})
        assert api.status_code == 503 and BUSY in api.json()["error"]
        assert "secret" not in api.text
        page = client.get("/concept/DXATLAS:toy-syndrome")
        assert page.status_code == 503 and BUSY in page.text
        assert client.get("/").status_code == 200  # pages without the store still work


def test_a_raw_database_error_anywhere_is_a_503(app_settings: Settings, tmp_path: Path) -> None:
    """Code that reaches the database without the store's error mapping still answers 503."""
    from dxatlas.web import create_app

    app = create_app(
        app_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'x.db'}"})
    )

    @app.get("/boom")
    def boom() -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    with TestClient(app) as client:
        answer = client.get("/boom")
        assert answer.status_code == 503 and BUSY in answer.text
        assert answer.headers.get("retry-after")
