"""Encoded answers of read-only JSON GETs (concept pages, search), handed out again while nothing
they were made from has changed.

Each entry carries the token of what it was made from; a request whose current token differs
makes the answer again. For a concept page the token includes the store's version
(`StoreVersion`), which changes when any connection commits a change to the store: an edit in
this worker, in another worker, or by the CLI (ingest, import). So a page is never older than the
store at the moment the request arrived. Making a page costs several queries and building the
JSON (1.5-6 ms); a hit costs a lookup and one cheap version check.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

ASYNC_CONNECT_TIMEOUT_SECONDS = 2
ASYNC_NEVER = 1e9


def json_bytes(content: Any) -> bytes:
    """`content` encoded as FastAPI's `JSONResponse` encodes a route's return value: plain
    JSON values directly (`jsonable_encoder`'s walk through them cost as much as the encoding),
    anything else (dates, models, ...) through `jsonable_encoder` first."""
    try:
        return _dumps(content)
    except TypeError:
        return _dumps(jsonable_encoder(content))


def _dumps(content: Any) -> bytes:
    return json.dumps(
        content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


class ResponseCache:
    """At most `entries` encoded answers by key, each with the token it was made under, the
    least recently used dropped first. Thread-safe (sync routes run in a thread pool)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, tuple[Hashable, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, token: Hashable | None, make: Callable[[], Any]) -> bytes:
        """The answer of `key` made under `token`, else `make()` encoded (and kept). A `None`
        token (the version could not be read) is never cached."""
        if token is None or self.entries <= 0:
            return json_bytes(make())
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == token:
                self._items.move_to_end(key)
                self.hits += 1
                return found[1]
        body = json_bytes(make())  # outside the lock: other requests go on meanwhile
        with self._lock:
            self.misses += 1
            self._items[key] = (token, body)
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
        return body

    def get(self, key: Hashable, token: Hashable | None) -> bytes | None:
        """The answer of `key` if it was made under `token`, else None (nothing is made)."""
        if token is None:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != token:
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[1]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class StoreVersion:
    """A token that changes whenever a change to the store is committed, by any connection of
    any process; `None` when it cannot be told (then nothing is cached).

    SQLite: `PRAGMA data_version` on a connection of its own that never writes (its value
    changes when another connection commits), with the file's device and inode (a store file
    replaced by a new one) and the number of that connection (a new one counts from 1 again).
    PostgreSQL: the transaction snapshot (`pg_current_snapshot()`): equal snapshots mean no
    transaction that wrote committed in between. It is the cluster's, so writes to other
    databases of the same server also count as changes (a miss, never a stale page). Other
    databases: `None`."""

    ASYNC_RETRY_SECONDS = 5.0
    """After a failed asynchronous read, how long `current_async` answers None (the routes then
    take the thread pool, which waits for the database and reports it as usual)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        database = engine.url.database
        self._path = (
            Path(database)
            if self._dialect == "sqlite" and database and database != ":memory:"
            else None
        )
        self._watcher: sqlite3.Connection | None = None
        self._watched: tuple[int, int] | None = None  # (device, inode) the watcher opened
        self._opened = 0  # watchers opened so far: a new one counts data_version afresh
        self._lock = threading.Lock()
        # PostgreSQL, read from the event loop: a connection of its own, made in that loop.
        self._async: Any = None  # psycopg.AsyncConnection
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._pending: asyncio.Future[Hashable | None] | None = None  # the next read's callers
        self._reader: asyncio.Task[None] | None = None
        self._async_failed_at = -ASYNC_NEVER

    async def current_async(self) -> Hashable | None:
        """`current()` read without blocking the event loop: SQLite at once, PostgreSQL on an
        asynchronous connection of its own; None when it cannot be read (nothing is cached).

        PostgreSQL: callers that arrive while a read is on its way wait for the next one and
        share it (one query at a time per worker, not one queued per request); a read that
        began before a caller arrived is never its answer, so no caller is given a version
        older than the store it came to."""
        if self._path is not None:
            return self.current()
        if self._dialect != "postgresql":
            return None
        if time.monotonic() - self._async_failed_at < self.ASYNC_RETRY_SECONDS:
            return None
        loop = asyncio.get_running_loop()
        if self._async_loop is not loop:  # the first call, or the app runs in a new loop
            self._close_async()
            self._async_loop, self._pending, self._reader = loop, None, None
        pending = self._pending
        if pending is None:
            pending = self._pending = loop.create_future()
            if self._reader is None or self._reader.done():
                self._reader = loop.create_task(self._read_batches())
        return await asyncio.shield(pending)

    async def _read_batches(self) -> None:
        """Answer the waiting callers, a query per batch, until none waits."""
        import psycopg

        while self._pending is not None:
            batch, self._pending = self._pending, None
            result = None
            try:
                if self._async is None or self._async.closed:
                    url = self._engine.url.set(drivername="postgresql")
                    self._async = await psycopg.AsyncConnection.connect(
                        url.render_as_string(hide_password=False),
                        autocommit=True,
                        connect_timeout=ASYNC_CONNECT_TIMEOUT_SECONDS,
                    )
                cursor = await self._async.execute("SELECT pg_current_snapshot()::text")
                row = await cursor.fetchone()
                result = None if row is None else row[0]
            except (psycopg.Error, OSError):
                self._async_failed_at = time.monotonic()
                self._close_async()
            batch.set_result(result)

    def _close_async(self) -> None:
        """Drop the asynchronous connection without waiting (its loop may be gone)."""
        found, self._async = self._async, None
        if found is not None and not found.closed:
            found.pgconn.finish()

    def current(self) -> Hashable | None:
        try:
            if self._path is not None and not str(self._path).startswith("file:"):
                return self._sqlite()
            if self._dialect == "postgresql":
                with self._engine.connect() as connection:
                    return connection.execute(text("SELECT pg_current_snapshot()::text")).scalar()
        except (sqlite3.Error, SQLAlchemyError, OSError):
            return None  # locked, unreachable or gone: answer uncached, as without a cache
        return None

    def _sqlite(self) -> Hashable:
        assert self._path is not None
        status = os.stat(self._path)
        identity = (status.st_dev, status.st_ino)
        with self._lock:
            if self._watcher is not None and self._watched != identity:  # a new file
                self._watcher.close()
                self._watcher = None
            if self._watcher is None:
                # Read-only, autocommit; a locked store answers at once (the route then waits
                # for it as usual and answers 503 if it stays locked).
                self._watcher = sqlite3.connect(
                    f"{self._path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    timeout=0,
                    check_same_thread=False,
                    isolation_level=None,
                )
                self._watched = identity
                self._opened += 1
            version = self._watcher.execute("PRAGMA data_version").fetchone()[0]
        return (*identity, self._opened, version)

    def close(self) -> None:
        self._close_async()
        with self._lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
