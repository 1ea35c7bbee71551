"""PubMed search through NCBI E-utilities: esearch for PMIDs, efetch for MEDLINE XML, parsed with
Bio.Entrez. Requests go through httpx so the base URL (a setting) and the rate limit are ours."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from dxatlas.ingest.document import Document
from dxatlas.ingest.errors import IngestError, LoadError
from dxatlas.ingest.online.ratelimit import RateLimiter
from dxatlas.ingest.pubmed_records import read_entrez_xml, xml_documents
from dxatlas.settings import Settings

FETCH_BATCH = 200
"""PMIDs per efetch request (NCBI asks for POST above about 200 ids)."""
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class PubMedError(IngestError):
    """PubMed could not be searched or read: network or HTTP error, or an unreadable answer."""


@dataclass
class PubMedClient:
    """An E-utilities client; build it with `from_settings` (tool, e-mail, API key, base URL)."""

    base_url: str
    http: httpx.Client
    limiter: RateLimiter
    tool: str = "dxatlas"
    email: str | None = None
    api_key: str | None = None
    retries: int = 2
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        http: httpx.Client | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> PubMedClient:
        """A client with the NCBI settings; 10 requests/s with an API key, else 3."""
        rate = 10.0 if settings.ncbi_api_key else 3.0
        return cls(
            base_url=settings.ncbi_eutils_url,
            http=http
            or httpx.Client(
                timeout=settings.http_timeout_seconds,
                headers={"User-Agent": settings.http_user_agent},
            ),
            limiter=limiter or RateLimiter(rate, sleep=sleep),
            tool=settings.ncbi_tool,
            email=settings.ncbi_email,
            api_key=settings.ncbi_api_key,
            sleep=sleep,
        )

    def _request(self, endpoint: str, params: dict[str, Any], *, post: bool = False) -> bytes:
        url = self.base_url.rstrip("/") + "/" + endpoint
        params = {"tool": self.tool, "email": self.email, "api_key": self.api_key, **params}
        params = {key: value for key, value in params.items() if value is not None}
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            try:
                if post:
                    response = self.http.post(url, data=params)
                else:
                    response = self.http.get(url, params=params)
            except httpx.TimeoutException:
                raise PubMedError(f"PubMed {endpoint}: no answer within the timeout") from None
            except httpx.HTTPError as error:
                raise PubMedError(f"PubMed {endpoint}: {error}") from None
            if response.status_code in _RETRY_STATUSES and attempt < self.retries:
                self.sleep(2.0**attempt)
                continue
            if response.status_code != 200:
                raise PubMedError(f"PubMed {endpoint} answered HTTP {response.status_code}")
            return response.content
        raise AssertionError("unreachable")  # pragma: no cover

    def search(self, query: str, max_results: int) -> list[str]:
        """The PMIDs of the first `max_results` articles matching `query`, most relevant first."""
        data = self._request(
            "esearch.fcgi",
            {"db": "pubmed", "term": query, "retmax": max_results, "sort": "relevance"},
        )
        try:
            result = read_entrez_xml(data)
        except LoadError as error:
            raise PubMedError(f"PubMed esearch: {error}") from None
        if result.get("ERROR"):
            raise PubMedError(f"PubMed esearch: {result['ERROR']}")
        return [str(pmid) for pmid in result.get("IdList", [])][:max_results]

    def fetch(self, pmids: Sequence[str]) -> Iterator[Document]:
        """The articles with these PMIDs as documents, fetched in batches of `FETCH_BATCH`."""
        for start in range(0, len(pmids), FETCH_BATCH):
            batch = pmids[start : start + FETCH_BATCH]
            data = self._request(
                "efetch.fcgi",
                {"db": "pubmed", "id": ",".join(batch), "retmode": "xml"},
                post=len(batch) > 1,
            )
            try:
                yield from xml_documents(data)
            except LoadError as error:
                raise PubMedError(f"PubMed efetch: {error}") from None

    def documents(self, query: str, max_results: int) -> Iterator[Document]:
        """Search, then fetch: the articles matching `query` as documents."""
        yield from self.fetch(self.search(query, max_results))
