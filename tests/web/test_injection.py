"""SQL injection and full-text query syntax in every search, filter and lookup parameter of the
app: no 5xx, no database error text in the answer, and no row of any table changed.

The payloads are data (`injection_payloads.json`, plus very long variants made here). The app
runs in process over the toy knowledge base and a seeded store, on SQLite always and on
PostgreSQL when a server answers (see tests/databases.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from dxatlas.store import Store
from tests.databases import BACKENDS
from tests.web.conftest import EVIDENCE as _EVIDENCE
from tests.web.site import Site, csrf, started_site

_DATA = json.loads((Path(__file__).with_name("injection_payloads.json")).read_text("utf-8"))
PAYLOADS: list[str] = [
    *_DATA["payloads"],
    "' OR 1=1 -- " * 1000,
    "a" * 10_000,
    "\u0000" * 300,
]
# What a database error looks like when it reaches an answer (none of it is in a payload).
LEAKS = (
    "sqlite3.",
    "psycopg",
    "sqlalchemy",
    "operationalerror",
    "programmingerror",
    "integrityerror",
    "dataerror",
    "traceback (most recent call last)",
    "syntax error",
    "unrecognized token",
    "no such column",
    "no such table",
    "fts5:",
    "[sql:",
    "background on this error",
)


def test_the_payload_list_covers_the_classics() -> None:
    assert len(_DATA["payloads"]) >= 20
    assert {"' OR 1=1 --", '"; DROP TABLE concepts; --', "NEAR(fever seizure, 2)"} <= set(
        _DATA["payloads"]
    )
    assert not any(leak in payload.lower() for payload in PAYLOADS for leak in LEAKS)


@pytest.fixture(scope="module", params=BACKENDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The app over a store with a user concept, an evidence sentence, a question and a ticket."""
    with started_site(request.param, tmp_path_factory.mktemp(f"injection-{request.param}")) as site:
        yield site


def row_counts(url: str) -> dict[str, int]:
    """The number of rows of every table of the database (the test's schema on PostgreSQL)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in inspect(connection).get_table_names()
            }
    finally:
        engine.dispose()


def _path(payload: str) -> str:
    return quote(payload, safe="")


def _cookie_safe(payload: str) -> str:
    """The payload as a cookie value can carry it (raw when printable ASCII, else quoted)."""
    plain = payload.isascii() and payload.isprintable() and ";" not in payload
    return payload if plain else quote(payload, safe="")


def _case(field: str) -> Callable[[str], dict[str, Any]]:
    def body(payload: str) -> dict[str, Any]:
        value: Any = [payload] if field in ("present", "excluded") else payload
        return {"present": ["HP:0001250"], field: value} if field != "present" else {field: value}

    return body


Call = Callable[[Site, str], list[httpx.Response]]

CALLS: dict[str, Call] = {
    "api search q": lambda s, p: [s.anonymous.get("/api/v1/search", params={"q": p})],
    "search page q": lambda s, p: [
        s.anonymous.get("/search", params={"q": p}),
        s.anonymous.get("/search.json", params={"q": p}),
    ],
    "autocomplete q and kind": lambda s, p: [
        s.anonymous.get("/api/v1/autocomplete", params={"q": p}),
        s.anonymous.get("/api/v1/autocomplete", params={"q": "se", "kind": p}),
    ],
    "concept id path": lambda s, p: [
        s.anonymous.get(f"/api/v1/concepts/{_path(p)}"),
        s.anonymous.get(f"/concept/{_path(p)}"),
        s.anonymous.get(f"/concept/{_path(p)}.json"),
    ],
    "diagnose fields": lambda s, p: [
        s.anonymous.post("/api/v1/diagnose", json=_case(field)(p))
        for field in ("present", "excluded", "text", "age", "sex")
    ],
    "next-question fields": lambda s, p: [
        s.anonymous.post("/api/v1/next-question", json=_case(field)(p))
        for field in ("present", "text", "age")
    ],
    "checker fields": lambda s, p: [
        *(
            s.anonymous.get("/check.json", params={"present": "HP:0001250", field: p})
            for field in ("findings", "age", "present", "answer", "remove")
        ),
        s.anonymous.post("/check", data={"findings": p}),
    ],
    "questions filters": lambda s, p: [
        s.anonymous.get("/api/v1/questions", params={"concept_id": p}),
        s.clients["moderator"].get(
            "/api/v1/questions", params={"status": "pending", "concept_id": p}
        ),
        s.anonymous.get("/api/v1/questions", params={"status": p}),
        s.anonymous.get(f"/api/v1/questions/{_path(p)}"),
        s.anonymous.get("/questions", params={"concept": p}),
        s.anonymous.get(f"/questions/{_path(p)}"),
    ],
    "tickets filters": lambda s, p: [
        s.clients["editor"].get("/api/v1/tickets", params={"status": p}),
        s.clients["editor"].get("/api/v1/tickets", params={"concept_id": p}),
        s.clients["editor"].get(f"/api/v1/tickets/{_path(p)}"),
        s.clients["editor"].get("/tickets", params={"status": p}),
        s.clients["editor"].get("/tickets/new", params={"concept": p}),
        s.clients["editor"].get("/tickets/new", params={"concept": s.concept_id, "evidence": p}),
    ],
    "sign-in name and session cookie": lambda s, p: [
        s.anonymous.post(
            "/api/v1/auth/login", json={"name": p, "password": p}, headers=csrf(s.anonymous)
        ),
        TestClient(s.app, cookies={"dxatlas_session": _cookie_safe(p)}).get("/api/v1/auth/me"),
    ],
}


@pytest.mark.parametrize("where", list(CALLS))
def test_payloads_change_nothing_and_leak_nothing(site: Site, where: str) -> None:
    before = row_counts(site.url)
    problems = []
    for payload in PAYLOADS:
        for answer in CALLS[where](site, payload):
            body = answer.text.lower()
            leak = next((leak for leak in LEAKS if leak in body), None)
            if answer.status_code >= 500 or leak:
                problems.append(
                    f"{answer.request.method} {answer.request.url.path[:80]} with "
                    f"{payload[:40]!r}: {answer.status_code} {leak or ''} {answer.text[:200]}"
                )
    assert not problems, "\n".join(problems[:20])
    assert row_counts(site.url) == before


def test_the_pages_still_answer_afterwards(site: Site) -> None:
    """The seeded rows survived every payload (no DROP, DELETE or UPDATE got through)."""
    assert site.anonymous.get(f"/api/v1/concepts/{site.concept_id}").status_code == 200
    questions = site.anonymous.get("/api/v1/questions", params={"concept_id": site.concept_id})
    assert [q["title"] for q in questions.json()] == ["Is the toy syndrome inherited?"]
    assert site.clients["editor"].get("/api/v1/auth/me").json()["user"]["role"] == "editor"


def test_full_text_search_takes_payloads_as_words(site: Site) -> None:
    """The store's sentence and evidence search (FTS5 on SQLite, tsquery on PostgreSQL) reads
    operators and quotes as plain words: no error, nothing changed, and words still match."""
    before = row_counts(site.url)
    with Store.open(site.url, upgrade=False) as store:
        for payload in PAYLOADS:
            store.search_sentences(payload)
            store.search_evidence(payload)
        hits = store.search_sentences('"seizures*') + store.search_sentences("(seizures)")
    assert row_counts(site.url) == before
    assert [hit.text for hit in hits] == [_EVIDENCE, _EVIDENCE]


def test_a_nul_character_is_refused_up_front(site: Site) -> None:
    """PostgreSQL cannot compare text holding NUL: the app answers 400 naming where it was, on
    every back end, before a route looks anything up."""
    client = site.anonymous
    answer = client.get("/api/v1/concepts/OMIM%3A100001%00")
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "the request holds a NUL character (U+0000) in its path: remove it"},
    )
    page = client.get("/questions", params={"concept": "a\x00b"})
    assert page.status_code == 400 and "in its query string" in page.text
    assert "<html" in page.text.lower()
    diagnose = client.post("/api/v1/diagnose", json={"present": ["HP:0001250"], "text": "\x00"})
    assert diagnose.status_code == 400 and "in its body" in diagnose.json()["error"]
    assert client.post("/check", data={"findings": "fever\x00"}).status_code == 400
    # A percent sign followed by 00 (sent as %2500) and the six characters \u0000 are text.
    assert client.get("/api/v1/search", params={"q": "fever 100%00"}).status_code == 200
    literal = client.post("/api/v1/diagnose", json={"present": ["HP:0001250"], "text": "\\u0000"})
    assert literal.status_code == 200


def test_an_id_past_the_database_range_is_refused(site: Site) -> None:
    """Schemathesis found it: an integer id or offset past 64 bits (SQLite: OverflowError) or
    past PostgreSQL's integer column (DataError) crashed the route (500, or 503 naming the
    database); the community store now refuses it as bad input."""
    big = 2**64
    editor = site.clients["editor"]
    for answer in (
        site.anonymous.get(f"/api/v1/questions/{big}"),
        site.anonymous.get("/api/v1/questions", params={"offset": big}),
        editor.get(f"/api/v1/tickets/{big}"),
        editor.post(f"/api/v1/evidence/{big}/restore", json={"reason": ""}, headers=csrf(editor)),
    ):
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"].startswith("a value is out of the range the database takes")
        assert "postgresql" not in answer.text and "sqlite:" not in answer.text
