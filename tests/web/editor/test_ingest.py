"""The ingest page and API: uploads, URLs and a PubMed query (from a local HTTP server) read in a
background job whose status page and JSON report every document; size limits answer 413."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.ingest.conftest import LocalServer
from tests.web.community.conftest import form_token, token

REPORT = (
    "Toy syndrome in a boy.\n\nA 7-year-old boy with toy syndrome had seizures since infancy. "
    "Toy syndrome is treated with rest and warm milk."
)
ESEARCH = (
    '<?xml version="1.0" ?><eSearchResult><Count>1</Count><RetMax>1</RetMax><RetStart>0</RetStart>'
    "<IdList><Id>31000009</Id></IdList></eSearchResult>"
)
EFETCH = (
    '<?xml version="1.0" ?><PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE">'
    '<PMID Version="1">31000009</PMID><Article><Journal><Title>Invented</Title><JournalIssue>'
    "<PubDate><Year>2021</Year></PubDate></JournalIssue></Journal><ArticleTitle>Toy syndrome "
    "in twins.</ArticleTitle><Abstract><AbstractText>Both twins with toy syndrome had seizures."
    "</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"
)


def finished(app: FastAPI, job_id: str) -> dict:
    job = app.state.ingest_jobs.get(job_id)
    assert job is not None and job.wait(60), "the ingest job did not finish in time"
    return job.to_json()


def test_an_upload_is_ingested_in_the_background(
    app: FastAPI, signed_in: Callable[..., TestClient], concept_id: str
) -> None:
    editor = signed_in("editor")
    files = [
        ("files", ("case <i onmouseover=x>report.txt", REPORT.encode(), "text/plain")),
        ("files", ("empty.txt", b"", "text/plain")),
        ("files", ("blob.bin", bytes(range(256)) * 4, "application/octet-stream")),
    ]
    answer = editor.post(
        "/api/v1/ingest", files=files, data={"concept": "Toy syndrome"}, headers=token(editor)
    )
    assert answer.status_code == 202, answer.text
    job = finished(app, answer.json()["id"])
    assert job["status"] == "done" and job["concept"] == "Toy syndrome"
    by_source = {r["source"]: r for r in job["results"]}
    report = by_source["case <i onmouseover=x>report.txt"]
    assert report["status"] == "read" and report["stored"] == "added"
    assert report["evidence"] >= 1 and report["sentences"] >= 2
    assert report["concepts"] == ["Toy syndrome"]
    assert (by_source["empty.txt"]["status"], by_source["empty.txt"]["reason"]) == (
        "skipped",
        "empty file",
    )
    assert by_source["blob.bin"]["status"] == "skipped"
    assert job["counts"]["read"] == 1 and job["counts"]["skipped"] == 2
    assert job["done_sources"] == job["sources"] == 3
    # The evidence is on the concept page now, and the document names the uploaded file.
    assert "warm milk" in editor.get(f"/concept/{concept_id}").text
    # The status page and its JSON twin; the same file again is 'unchanged'.
    page = editor.get(f"/ingest/jobs/{job['id']}")
    assert page.status_code == 200 and "case &lt;i onmouseover=x&gt;report.txt" in page.text
    assert editor.get(f"/ingest/jobs/{job['id']}.json").json()["id"] == job["id"]
    again = editor.post(
        "/api/v1/ingest", files=files[:1], data={"concept": concept_id}, headers=token(editor)
    )
    repeat = finished(app, again.json()["id"])
    assert repeat["results"][0]["stored"] == "unchanged" and repeat["results"][0]["evidence"] == 0


def test_the_ingest_form_with_urls_and_pubmed_from_a_local_server(
    app: FastAPI,
    signed_in: Callable[..., TestClient],
    local_server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local_server.add("/page", f"<html><body><main><p>{REPORT}</p></main></body></html>")
    local_server.add("/eutils/esearch.fcgi", ESEARCH, "text/xml")
    local_server.add("/eutils/efetch.fcgi", EFETCH, "text/xml")
    monkeypatch.setattr(app.state.settings, "ncbi_eutils_url", f"{local_server.url}/eutils/")
    editor = signed_in("editor")
    page = editor.get("/ingest", params={"concept": "DXATLAS:x"})
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    assert 'value="DXATLAS:x"' in page.text
    csrf = form_token(editor, "/ingest")
    posted = editor.post(
        "/ingest",
        data={
            "csrf_token": csrf,
            "urls": f"{local_server.url}/page\n{local_server.url}/missing\n",
            "pubmed": "toy syndrome",
            "max_results": "5",
            "concept": "Toy syndrome",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    job_id = posted.headers["location"].rsplit("/", 1)[1]
    job = finished(app, job_id)
    by_source = {r["source"]: r for r in job["results"]}
    assert by_source[f"{local_server.url}/page"]["status"] == "read"
    missing = by_source[f"{local_server.url}/missing"]
    assert missing["status"] == "failed" and "HTTP 404" in missing["reason"]
    pubmed = by_source["PubMed: toy syndrome"]
    assert pubmed["status"] == "read" and pubmed["title"] == "Toy syndrome in twins."
    assert ("GET", "/eutils/esearch.fcgi") in [(m, p) for m, p, _ in local_server.requests]
    status_page = editor.get(f"/ingest/jobs/{job_id}")
    assert "Toy syndrome in twins." in status_page.text and "HTTP 404" in status_page.text
    assert job_id in editor.get("/ingest").text  # listed among the recent jobs


def test_ingest_refusals(
    app: FastAPI,
    anonymous: TestClient,
    signed_in: Callable[..., TestClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_out = anonymous.get("/ingest", follow_redirects=False)
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
    user = signed_in("user")
    assert user.get("/ingest").status_code == 403
    files = [("files", ("a.txt", REPORT.encode(), "text/plain"))]
    assert (
        anonymous.post("/api/v1/ingest", files=files, headers=token(anonymous)).status_code == 401
    )
    assert user.post("/api/v1/ingest", files=files, headers=token(user)).status_code == 403
    editor = signed_in("editor")
    assert editor.post("/api/v1/ingest", files=files).status_code == 403  # no CSRF token
    assert editor.get("/ingest/jobs/nope").status_code == 404
    assert user.get("/api/v1/ingest/jobs/nope").status_code == 403
    csrf = form_token(editor, "/ingest")
    nothing = editor.post("/ingest", data={"csrf_token": csrf})
    assert nothing.status_code == 422 and "nothing to ingest" in nothing.text
    bad_url = editor.post("/ingest", data={"csrf_token": csrf, "urls": "ftp://example.org/x"})
    assert bad_url.status_code == 422 and "not an http(s) URL" in bad_url.text
    assert "ftp://example.org/x" in bad_url.text  # the form comes back filled in
    unknown = editor.post(
        "/api/v1/ingest", files=files, data={"concept": "No such thing"}, headers=token(editor)
    )
    assert unknown.status_code == 422 and "No such thing" in unknown.json()["error"]
    monkeypatch.setattr(app.state.settings, "max_document_bytes", 100)
    large = editor.post("/api/v1/ingest", files=files, headers=token(editor))
    assert large.status_code == 413 and "a.txt" in large.json()["error"]
    huge = editor.post(
        "/api/v1/ingest",
        content=b"x" * 10,
        headers={
            **token(editor),
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(100 * 30 + 2 * 1024 * 1024),
        },
    )
    assert huge.status_code == 413 and "DXATLAS_MAX_DOCUMENT_BYTES" in huge.json()["error"]
