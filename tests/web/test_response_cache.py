"""Cached concept-page and search answers are never older than the store: a change committed by
another connection (another worker, the CLI) or through the app shows at the next request."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dxatlas.store import Store
from dxatlas.web.response_cache import ResponseCache, StoreVersion, json_bytes
from tests.databases import BACKENDS
from tests.web.site import Site, csrf, started_site


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    with started_site(request.param, tmp_path_factory.mktemp(f"cache-{request.param}")) as started:
        yield started


def page(site: Site, concept_id: str) -> dict:
    answer = site.anonymous.get(f"/api/v1/concepts/{concept_id}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_repeated_page_is_a_hit_and_a_change_by_another_connection_shows_at_once(
    site: Site,
) -> None:
    cache = site.app.state.engine.responses
    with Store.open(site.url) as store:
        concept = store.add_concept("Cached disease", ["Cache synonym"], author="seed").concept.id
    first = page(site, concept)
    hits = cache.hits
    assert page(site, concept) == first and cache.hits == hits + 1
    for name in ("Renamed disease", "Renamed again"):
        with Store.open(site.url) as store:  # not the app's connections: like another worker
            store.edit_concept(concept, author="other worker", name=name)
        assert page(site, concept)["concept"]["name"] == name


def evidence_ids(answer: dict) -> set[int]:
    return {item["id"] for section in answer["sections"] for item in section["evidence"]}


def test_hidden_evidence_leaves_the_page_at_once(site: Site) -> None:
    shown = evidence_ids(page(site, site.concept_id))
    assert shown and evidence_ids(page(site, site.concept_id)) == shown
    hidden = min(shown)
    with Store.open(site.url) as store:
        store.hide_evidence(hidden, "wrong sentence")
    assert evidence_ids(page(site, site.concept_id)) == shown - {hidden}


def test_search_finds_a_concept_renamed_through_the_app(site: Site) -> None:
    with Store.open(site.url) as store:
        concept = store.add_concept("Searchable disease", [], author="seed").concept.id
    site.app.state.engine.responses.clear()
    site.anonymous.get("/api/v1/search", params={"q": "zebracorn"})  # cached: nothing found
    editor = site.clients["editor"]
    answer = editor.patch(
        f"/api/v1/concepts/{concept}", json={"name": "Zebracorn fever"}, headers=csrf(editor)
    )
    assert answer.status_code == 200, answer.text
    found = site.anonymous.get("/api/v1/search", params={"q": "zebracorn"}).json()
    assert [hit["id"] for hit in found["results"]["concept"]] == [concept]
    assert page(site, concept)["concept"]["name"] == "Zebracorn fever"


def test_sqlite_version_changes_with_each_commit_and_never_repeats(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (a INTEGER)"))
    version = StoreVersion(engine)
    seen = [version.current()]
    assert version.current() == seen[0]
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    seen.append(version.current())
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO t VALUES (2)")
    assert version.current() is None  # locked: not cached, answered as without a cache
    other.execute("COMMIT")
    other.close()
    seen.append(version.current())
    path.unlink()  # a new store file at the same path
    with create_engine(f"sqlite:///{path}").begin() as connection:
        connection.execute(text("CREATE TABLE t (a INTEGER)"))
    seen.append(version.current())
    assert None not in seen and len(set(seen)) == len(seen)
    version.close()


def test_cache_keeps_at_most_its_entries_and_never_caches_without_a_token() -> None:
    cache = ResponseCache(2)
    made: list[str] = []

    def make(value: str) -> dict[str, str]:
        made.append(value)
        return {"value": value}

    assert cache.get_or_make("a", 1, lambda: make("a")) == json_bytes({"value": "a"})
    cache.get_or_make("a", 1, lambda: make("a"))
    cache.get_or_make("a", 2, lambda: make("a2"))  # a new token: made again
    cache.get_or_make("b", 1, lambda: make("b"))
    cache.get_or_make("c", 1, lambda: make("c"))  # drops "a", the least recently used
    cache.get_or_make("a", 2, lambda: make("a3"))
    cache.get_or_make("n", None, lambda: make("n"))
    cache.get_or_make("n", None, lambda: make("n"))
    assert made == ["a", "a2", "b", "c", "a3", "n", "n"]


def test_directory_generation_changes_only_when_the_concepts_do() -> None:
    from dxatlas.web.directory import ConceptDirectory, StoredConcept

    stored = [StoredConcept("X:1", "Alpha", "user", None, (), ("Alpha",))]
    now = [0.0]
    directory = ConceptDirectory(lambda: list(stored), ttl=10, clock=lambda: now[0])
    first = directory.snapshot()
    now[0] = 11.0  # the time to re-read: the same concepts keep the generation
    again = directory.snapshot()
    assert again.read_at == 11.0 and again.generation == first.generation
    stored.append(StoredConcept("X:2", "Beta", "user", None, (), ("Beta",)))
    directory.forget()
    changed = directory.snapshot()
    assert changed.generation != first.generation and "X:2" in changed.concepts


def test_postgresql_version_read_from_the_event_loop() -> None:
    import asyncio

    from tests.databases import fresh_postgres_schema

    with fresh_postgres_schema() as url:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (a INTEGER)"))
        version = StoreVersion(engine)

        async def read() -> tuple[object, object, list[object]]:
            before = await version.current_async()
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (1)"))
            after = await version.current_async()
            together = await asyncio.gather(*(version.current_async() for _ in range(5)))
            return before, after, list(together)

        before, after, together = asyncio.run(read())
        version.close()
        engine.dispose()
    assert before is not None and after is not None and before != after
    assert set(together) == {together[0]} and together[0] is not None


def test_an_unreachable_postgresql_gives_no_version() -> None:
    import asyncio

    version = StoreVersion(create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    assert asyncio.run(version.current_async()) is None
    assert asyncio.run(version.current_async()) is None  # not tried again for a few seconds
