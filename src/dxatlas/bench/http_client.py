"""A minimal HTTP/1.1 keep-alive client for the load generator: one connection per simulated
client, requests written as prepared bytes, answers read by Content-Length (or chunks).

httpx cost the generator about 5 ms of CPU per request (37% of a core at 72 requests/s), on the
same two cores as the server it measures; this client does the same exchange for a small
fraction of that, so the figures say more about the server and less about the generator.
Loopback benchmarking only: no TLS, no redirects, no proxies, no compression.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit


class HttpError(Exception):
    """No answer: the connection failed, closed, timed out, or the answer was not HTTP."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A status and a body."""

    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request_bytes(
    host: str, method: str, path: str, query: dict[str, str] | None = None, body: Any = None
) -> bytes:
    """The request as sent on the wire (a JSON body when `body` is given)."""
    target = f"{path}?{urlencode(query)}" if query else path
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
    payload = b""
    if body is not None:
        payload = json.dumps(body, separators=(",", ":")).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


class Connection:
    """One keep-alive connection to `url`, reopened when the server closed it or it was idle
    longer than `idle_expiry` seconds (uvicorn closes idle connections after 5 s; reusing one
    just as it does would count a spurious error)."""

    def __init__(self, url: str, timeout: float = 30.0, idle_expiry: float = 3.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"only http://host:port URLs are supported, not {url!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.netloc = parts.netloc
        self.timeout = timeout
        self.idle_expiry = idle_expiry
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._used_at = 0.0

    async def send(self, raw: bytes) -> Answer:
        """Send one prepared request and read its answer; `HttpError` when none came."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._exchange(raw)
        except TimeoutError:
            self.close()
            raise HttpError(f"no answer within {self.timeout:g} s") from None
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            self.close()
            raise HttpError(f"{type(error).__name__}: {error}") from None

    async def _exchange(self, raw: bytes) -> Answer:
        now = time.monotonic()
        if self._writer is not None and now - self._used_at > self.idle_expiry:
            self.close()
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        reader, writer = self._reader, self._writer
        assert reader is not None
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, _, header_block = head.partition(b"\r\n")
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ValueError(f"not an HTTP answer: {status_line[:80]!r}")
        status = int(parts[1])
        length: int | None = None
        chunked, keep = False, True
        for line in header_block.split(b"\r\n"):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                keep = False
        if chunked:
            body = await _read_chunks(reader)
        elif length is not None:
            body = await reader.readexactly(length)
        else:  # no length: the body runs to the end of the connection
            body = await reader.read()
            keep = False
        self._used_at = time.monotonic()
        if not keep:
            self.close()
        return Answer(status, body)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are expected
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
