"""Fixtures for the ingestion tests: tiny PDFs built in memory and a local HTTP server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


class FakeClock:
    """A clock and sleep for rate-limited code: sleeping advances the clock, nothing waits."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def build_pdf(lines: list[str]) -> bytes:
    """A one-page PDF (Helvetica, one text line per entry) with a correct cross-reference table."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    operations = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    operations += [f"({line}) Tj T*" for line in escaped]
    operations.append("ET")
    stream = "\n".join(operations).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@pytest.fixture
def make_pdf() -> Callable[[list[str]], bytes]:
    """The PDF builder, as a fixture (test modules are not importable from each other)."""
    return build_pdf


@dataclass
class Route:
    """A canned answer of the local server."""

    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""


@dataclass
class LocalServer:
    """A local HTTP server on 127.0.0.1 with an ephemeral port; answers from `routes` by path."""

    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)

    def add(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
    ) -> None:
        """Serve `body` at `path`."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(status, content_type, data)

    def paths(self) -> list[str]:
        """The paths requested so far, in order."""
        return [path for _, path, _ in self.requests]


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """Start the server in a thread for one test; GET and POST parameters are recorded."""
    server_state = LocalServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, params: dict[str, list[str]]) -> None:
            parts = urlsplit(self.path)
            server_state.requests.append((self.command, parts.path, params))
            route = server_state.routes.get(parts.path, Route(404, "text/plain", b"not found"))
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def do_GET(self) -> None:
            self._answer(parse_qs(urlsplit(self.path).query))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(parse_qs(self.rfile.read(length).decode("utf-8")))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
