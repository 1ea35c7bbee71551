"""Store fixtures: a fresh database per test, parametrised over the back ends under test.

SQLite (a file in the test's temporary folder) always runs; PostgreSQL runs when a server answers
at `DXATLAS_TEST_POSTGRES_URL` (default 127.0.0.1:5432, database `test`), each test in a schema of
its own, and skips saying so otherwise (see `tests/databases.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxatlas.settings import get_settings
from dxatlas.store import Store
from tests.databases import BACKENDS, fresh_database

OBO = """format-version: 1.2
data-version: mondo/releases/2099-01-01
ontology: mondo

[Term]
id: MONDO:0000001
name: disease

[Term]
id: MONDO:0005059
name: leukemia
def: "A cancer of the blood-forming tissues." [PMID:1]
synonym: "leukaemia" EXACT []
synonym: "blood cancer" RELATED []
xref: OMIM:613065
xref: DOID:1240 {source="MONDO:equivalentTo"}
xref: https://en.wikipedia.org/wiki/Leukemia
is_a: MONDO:0000001 ! disease

[Term]
id: MONDO:0100001
name: leukemia cutis
synonym: "cutaneous leukaemia" EXACT []
xref: ORPHA:99999
is_a: MONDO:0005059 ! leukemia

[Term]
id: MONDO:0000002
name: obsolete thing
is_obsolete: true
"""


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of each back end under test."""
    with fresh_database(request.param, tmp_path / "store") as url:
        yield url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated, empty store."""
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def obo_file(tmp_path: Path) -> Path:
    """A small MONDO-like ontology file."""
    path = tmp_path / "mondo-small.obo"
    path.write_text(OBO, encoding="utf-8")
    return path


@pytest.fixture
def store_env(toy_env: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Settings for CLI tests: the toy knowledge base and the test database."""
    monkeypatch.setenv("DXATLAS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()
