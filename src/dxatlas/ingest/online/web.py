"""Fetch web pages the user names: robots.txt respected, timeouts, a size limit, and a clear
error per URL. HTML goes through trafilatura, PDF through pypdf, plain text as is."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from dxatlas.ingest.decoding import decode_text
from dxatlas.ingest.document import Document, make_document
from dxatlas.ingest.errors import IngestError, LoadError
from dxatlas.ingest.loaders.html import document_from_html
from dxatlas.ingest.loaders.pdf import document_from_pdf
from dxatlas.settings import Settings


class WebError(IngestError):
    """A URL that gave no document: disallowed by robots.txt, HTTP error, timeout, wrong content."""


def _checked(url: str) -> SplitResult:
    """The parts of `url`; `WebError` ("not a valid URL") when it cannot be parsed or requested.

    `urlsplit` raises `ValueError` on, e.g., `http://[::1` and a bad port only shows when read;
    httpx refuses some URLs urllib accepts (control characters): all are one failed URL.
    """
    try:
        parts = urlsplit(url)
        _ = parts.port
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as error:
        raise WebError(f"not a valid URL ({error})") from None
    return parts


def _origin(url: str) -> str:
    parts = _checked(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True, slots=True)
class _Page:
    """A downloaded response: final URL (after redirects), media type, body and declared charset."""

    url: str
    content_type: str
    body: bytes
    charset: str | None

    def text(self) -> str:
        """The body decoded with the declared charset, else detected like a local file."""
        if self.charset:
            try:
                return self.body.decode(self.charset)
            except (LookupError, UnicodeDecodeError):
                pass
        return decode_text(self.body)[0]


@dataclass
class WebClient:
    """Fetches pages with one httpx client; robots.txt is read once per site and cached."""

    http: httpx.Client
    user_agent: str
    max_bytes: int
    _robots: dict[str, RobotFileParser] = field(default_factory=dict, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings, *, http: httpx.Client | None = None) -> WebClient:
        """A client with the timeout, User-Agent and size limit of the settings."""
        client = http or httpx.Client(
            timeout=settings.http_timeout_seconds,
            follow_redirects=True,
            headers={"User-Agent": settings.http_user_agent},
        )
        return cls(
            http=client, user_agent=settings.http_user_agent, max_bytes=settings.max_document_bytes
        )

    def _robots_for(self, url: str) -> RobotFileParser:
        """The site's robots.txt: none (4xx) allows all; 401/403 or 5xx disallows all."""
        site = _origin(url)
        if site in self._robots:
            return self._robots[site]
        parser = RobotFileParser(site + "/robots.txt")
        try:
            response = self.http.get(site + "/robots.txt")
        except httpx.TimeoutException:
            raise WebError("robots.txt: no answer within the timeout") from None
        except httpx.HTTPError as error:
            raise WebError(f"cannot reach the site ({error})") from None
        if response.status_code in (401, 403) or response.status_code >= 500:
            parser.disallow_all = True
        elif response.status_code >= 400:
            parser.allow_all = True
        else:
            parser.parse(response.text.splitlines())
        self._robots[site] = parser
        return parser

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch `url`."""
        return self._robots_for(url).can_fetch(self.user_agent, url)

    def _download(self, url: str) -> _Page:
        try:
            with self.http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise WebError(f"HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise WebError(f"larger than the size limit of {self.max_bytes:,} bytes")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise WebError(f"larger than the size limit of {self.max_bytes:,} bytes")
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return _Page(str(response.url), kind, bytes(body), response.charset_encoding)
        except httpx.TimeoutException:
            raise WebError("no answer within the timeout") from None
        except httpx.InvalidURL as error:  # not an HTTPError subclass
            raise WebError(f"not a valid URL ({error})") from None
        except httpx.HTTPError as error:
            raise WebError(f"request failed ({error})") from None

    def fetch(self, url: str) -> Document:
        """The page at `url` as a document; `WebError` with the reason otherwise."""
        if _checked(url).scheme not in ("http", "https"):
            raise WebError("not an http(s) URL")
        if not self.allowed(url):
            raise WebError("robots.txt does not allow fetching this page")
        page = self._download(url)
        try:
            if page.content_type in ("text/html", "application/xhtml+xml", ""):
                return document_from_html(page.text(), url=page.url)
            if page.content_type == "application/pdf":
                return document_from_pdf(io.BytesIO(page.body), url=page.url)
            if page.content_type == "text/plain":
                text = page.text()
                if not text.strip():
                    raise LoadError("empty page")
                return make_document(text, url=page.url, metadata={"format": "text"})
        except LoadError as error:
            raise WebError(str(error)) from None
        raise WebError(f"unsupported content type {page.content_type!r}")
