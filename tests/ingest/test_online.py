"""The PubMed and web clients against a local HTTP server that answers like those services."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest

from dxatlas.ingest.online.pubmed import PubMedClient, PubMedError
from dxatlas.ingest.online.ratelimit import RateLimiter
from dxatlas.ingest.online.web import WebClient, WebError
from dxatlas.settings import Settings
from tests.ingest.conftest import FakeClock, LocalServer

ESEARCH = """<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" \
"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">
<eSearchResult><Count>2</Count><RetMax>2</RetMax><RetStart>0</RetStart>
<IdList><Id>31000001</Id><Id>31000002</Id></IdList>
<TranslationSet/><QueryTranslation>rash[All Fields]</QueryTranslation></eSearchResult>
"""

ARTICLE = """<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">
<PMID Version="1">{pmid}</PMID><Article PubModel="Print"><Journal><Title>Invented</Title>
<JournalIssue><PubDate><Year>2020</Year><Month>{month}</Month></PubDate></JournalIssue></Journal>
<ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText>{abstract}</AbstractText></Abstract>
</Article></MedlineCitation></PubmedArticle>"""

EFETCH = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>"
    + ARTICLE.format(pmid="31000001", month="02", title="Rash in twins.", abstract="Both itched.")
    + ARTICLE.format(pmid="31000002", month="Nov", title="Rash and fever.", abstract="It faded.")
    + "</PubmedArticleSet>"
)


def pubmed_client(
    server: LocalServer, clock: FakeClock, api_key: str | None = None
) -> PubMedClient:
    config = Settings(
        ncbi_eutils_url=f"{server.url}/eutils/", ncbi_email="dev@example.org", ncbi_api_key=api_key
    )
    rate = 10 if config.ncbi_api_key else 3
    return PubMedClient.from_settings(
        config, limiter=RateLimiter(rate, clock=clock, sleep=clock.sleep), sleep=clock.sleep
    )


def test_pubmed_search_and_fetch(local_server: LocalServer) -> None:
    local_server.add("/eutils/esearch.fcgi", ESEARCH, "text/xml; charset=UTF-8")
    local_server.add("/eutils/efetch.fcgi", EFETCH, "text/xml; charset=UTF-8")
    clock = FakeClock()
    client = pubmed_client(local_server, clock)
    documents = list(client.documents("rash", 2))
    assert [d.id for d in documents] == ["PMID:31000001", "PMID:31000002"]
    assert [d.date for d in documents] == ["2020-02", "2020-11"]
    assert documents[0].text == "Rash in twins.\n\nBoth itched."
    (get, search, search_params), (post, fetch, fetch_params) = local_server.requests
    assert (get, search, post, fetch) == (
        "GET",
        "/eutils/esearch.fcgi",
        "POST",
        "/eutils/efetch.fcgi",
    )
    assert search_params["term"] == ["rash"] and search_params["retmax"] == ["2"]
    assert search_params["tool"] == ["dxatlas"] and search_params["email"] == ["dev@example.org"]
    assert "api_key" not in search_params
    assert fetch_params["id"] == ["31000001,31000002"] and fetch_params["retmode"] == ["xml"]
    assert clock.sleeps == pytest.approx([1 / 3])  # 3 requests per second without a key


def test_pubmed_api_key_raises_the_rate(local_server: LocalServer) -> None:
    local_server.add("/eutils/esearch.fcgi", ESEARCH, "text/xml")
    clock = FakeClock()
    client = pubmed_client(local_server, clock, api_key="k123")
    assert client.search("rash", 5) == ["31000001", "31000002"]
    assert client.search("rash", 5)
    assert clock.sleeps == pytest.approx([0.1])
    assert local_server.requests[0][2]["api_key"] == ["k123"]
    assert PubMedClient.from_settings(Settings(ncbi_api_key="k")).limiter.interval == pytest.approx(
        0.1
    )
    assert PubMedClient.from_settings(Settings()).limiter.interval == pytest.approx(1 / 3)


def test_pubmed_server_errors_are_retried_then_reported(local_server: LocalServer) -> None:
    local_server.add("/eutils/esearch.fcgi", "busy", "text/plain", status=503)
    clock = FakeClock()
    with pytest.raises(PubMedError, match=r"esearch\.fcgi answered HTTP 503"):
        pubmed_client(local_server, clock).search("rash", 5)
    assert len(local_server.requests) == 3
    local_server.add("/eutils/esearch.fcgi", "<html>not xml</html>", "text/html")
    with pytest.raises(PubMedError, match="esearch"):
        pubmed_client(local_server, clock).search("rash", 5)


ROBOTS = "User-agent: *\nDisallow: /private/\n"
PAGE = """<html><head><title>Nodules</title></head><body><nav>Home | Contact | Shop</nav>
<main><h1>Skin nodules</h1><p>Skin nodules are firm lumps under the skin. Most are harmless,
but a nodule that grows quickly or bleeds should be checked by a doctor.</p></main></body></html>"""


def web_client(max_bytes: int = 1_000_000) -> WebClient:
    return WebClient.from_settings(Settings(max_document_bytes=max_bytes, http_timeout_seconds=5))


def test_web_page_fetched_and_robots_respected(
    local_server: LocalServer, make_pdf: Callable[[list[str]], bytes]
) -> None:
    local_server.add("/robots.txt", ROBOTS, "text/plain")
    local_server.add("/health/nodules", PAGE)
    local_server.add("/private/notes", PAGE)
    local_server.add("/notes.txt", "Plain notes. Two sentences.", "text/plain; charset=utf-8")
    local_server.add("/case.pdf", make_pdf(["A PDF case report."]), "application/pdf")
    client = web_client()
    document = client.fetch(f"{local_server.url}/health/nodules")
    assert document.title == "Skin nodules"
    assert "firm lumps under the skin" in document.text
    assert "Shop" not in document.text
    assert document.origin.url == f"{local_server.url}/health/nodules"
    assert document.origin.domain == "127.0.0.1"
    with pytest.raises(WebError, match=r"robots\.txt does not allow"):
        client.fetch(f"{local_server.url}/private/notes")
    assert client.fetch(f"{local_server.url}/notes.txt").text == "Plain notes. Two sentences."
    assert client.fetch(f"{local_server.url}/case.pdf").text == "A PDF case report."
    assert local_server.paths().count("/robots.txt") == 1
    assert "/private/notes" not in local_server.paths()


def test_web_errors_are_clear(local_server: LocalServer) -> None:
    local_server.add("/image.png", b"\x89PNG\x00\x00", "image/png")
    local_server.add("/big", "<p>" + "word " * 1000 + "</p>")
    with pytest.raises(WebError, match="HTTP 404"):
        web_client().fetch(f"{local_server.url}/missing")  # no robots.txt (404): allowed
    with pytest.raises(WebError, match="unsupported content type 'image/png'"):
        web_client().fetch(f"{local_server.url}/image.png")
    with pytest.raises(WebError, match="size limit of 100 bytes"):
        web_client(max_bytes=100).fetch(f"{local_server.url}/big")
    with pytest.raises(WebError, match="not an http"):
        web_client().fetch("ftp://example.org/file")


def test_robots_forbidden_disallows_everything(local_server: LocalServer) -> None:
    local_server.add("/robots.txt", "no", "text/plain", status=403)
    local_server.add("/page", PAGE)
    with pytest.raises(WebError, match=r"robots\.txt"):
        web_client().fetch(f"{local_server.url}/page")


def test_connection_refused_and_timeout() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(WebError, match="cannot reach the site"):
        web_client().fetch(f"http://127.0.0.1:{port}/page")

    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = WebClient(
        http=httpx.Client(transport=httpx.MockTransport(hang)), user_agent="t", max_bytes=1000
    )
    with pytest.raises(WebError, match="timeout"):
        client.fetch("http://site.example.org/page")
