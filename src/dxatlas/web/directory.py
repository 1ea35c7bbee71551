"""`ConceptDirectory`: the stored concepts' names and links, read from the store now and then.

Autocomplete (a request per keystroke) and the concept page's related links need every stored
concept's names, parent and xrefs. Reading them all from the store on each request would cost a
query over the whole concept table, so one snapshot per app is kept and re-read when it is older
than `DIRECTORY_TTL_SECONDS` (a concept added by an editor shows up within that time).
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Generic, TypeVar

from dxatlas.kb.normalize import normalize_name

if TYPE_CHECKING:
    from dxatlas.web.engine import WebEngine

DIRECTORY_TTL_SECONDS = 10.0
"""How old the snapshot of stored concepts may be before the next request re-reads it."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PrefixIndex(Generic[T]):
    """Items by normalised name: those whose name starts with a key, and those with a later word
    starting with it ("pain" finds "chest pain"), each found by binary search."""

    starts: list[tuple[str, int]] = field(default_factory=list)  # (name key, item), sorted
    words: list[tuple[str, int]] = field(default_factory=list)  # (key from a later word, item)
    items: list[tuple[str, T]] = field(default_factory=list)  # (name key, payload)

    @classmethod
    def build(cls, named: Iterable[tuple[str, T]]) -> PrefixIndex[T]:
        """From (name, payload) pairs; names are normalised here, empty ones dropped."""
        items: list[tuple[str, T]] = []
        starts: list[tuple[str, int]] = []
        words: list[tuple[str, int]] = []
        for name, payload in named:
            key = normalize_name(name)
            if not key:
                continue
            item = len(items)
            items.append((key, payload))
            starts.append((key, item))
            position = key.find(" ")
            while position >= 0:
                words.append((key[position + 1 :], item))
                position = key.find(" ", position + 1)
        starts.sort()
        words.sort()
        return cls(starts, words, items)

    def find(self, key: str, cap: int = 5000) -> list[tuple[int, str, T]]:
        """(how, name key, payload) of every item matching `key`: how is 0 for the whole name,
        1 for a name starting with it, 2 for a later word starting with it (at most `cap` of
        the last two each)."""
        found: list[tuple[int, str, T]] = []
        for table, how in ((self.starts, 1), (self.words, 2)):
            start = bisect.bisect_left(table, (key, -1))
            for name_key, item in table[start : start + cap]:
                if not name_key.startswith(key):
                    break
                whole = self.items[item][0]
                found.append((0 if whole == key else how, whole, self.items[item][1]))
        return found


@dataclass(frozen=True, slots=True)
class StoredConcept:
    """What the web app needs of a stored concept between store reads."""

    id: str
    name: str
    source: str
    parent_id: str | None
    xrefs: tuple[str, ...]
    names: tuple[str, ...]  # the name, then the synonyms


@dataclass(frozen=True, slots=True)
class DirectorySnapshot:
    """The stored concepts at one moment: by id, by name, and as children of their parents."""

    concepts: dict[str, StoredConcept]
    names: PrefixIndex[tuple[str, str]]  # payload: (concept id, the name as written)
    children: dict[str, tuple[str, ...]]  # parent id -> child ids
    by_xref: dict[str, tuple[str, ...]]  # xref -> ids of the concepts naming it
    read_at: float
    generation: int = 0  # the same while a re-read finds the same concepts (a cache's token)

    @classmethod
    def of(cls, concepts: Iterable[StoredConcept], read_at: float) -> DirectorySnapshot:
        by_id = {concept.id: concept for concept in concepts}
        children: dict[str, list[str]] = {}
        by_xref: dict[str, list[str]] = {}
        for concept in by_id.values():
            if concept.parent_id:
                children.setdefault(concept.parent_id, []).append(concept.id)
            for xref in concept.xrefs:
                by_xref.setdefault(xref, []).append(concept.id)
        names = PrefixIndex.build(
            (name, (concept.id, name)) for concept in by_id.values() for name in concept.names
        )
        return cls(
            by_id,
            names,
            {key: tuple(ids) for key, ids in children.items()},
            {key: tuple(ids) for key, ids in by_xref.items()},
            read_at,
        )


class ConceptDirectory:
    """Hands out a snapshot of the stored concepts, re-reading the store when it is too old."""

    def __init__(
        self,
        read: Callable[[], list[StoredConcept]],
        ttl: float = DIRECTORY_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._ttl = ttl
        self._clock = clock
        self._snapshot: DirectorySnapshot | None = None
        self._read_last: list[StoredConcept] | None = None
        self._built: DirectorySnapshot | None = None  # the snapshot of `_read_last`
        self._generation = 0
        self._refreshing = False
        self._lock = threading.Lock()

    def snapshot(self) -> DirectorySnapshot:
        """The current snapshot (one store read at most per `ttl` seconds, whatever the load)."""
        now = self._clock()
        found = self._snapshot
        if found is not None and now - found.read_at < self._ttl:
            return found
        with self._lock:
            found = self._snapshot
            if found is None or self._clock() - found.read_at >= self._ttl:
                found = self._snapshot = self._reread()
        return found

    def fresh(self, margin: float = 2.0) -> DirectorySnapshot | None:
        """The current snapshot unless it is too old (None: the caller must wait for a read),
        what the event loop may use without waiting for the store. Within `margin` seconds of
        its age limit, a thread re-reads the store meanwhile."""
        found = self._snapshot
        if found is None:
            return None
        age = self._clock() - found.read_at
        if age >= self._ttl:
            return None
        if age >= self._ttl - margin and not self._refreshing:
            self._refreshing = True
            threading.Thread(target=self._refresh, name="dxatlas-directory", daemon=True).start()
        return found

    def _refresh(self) -> None:
        try:
            with self._lock:
                self._snapshot = self._reread()
        except Exception as error:  # the next request reads it again and reports it
            logging.getLogger(__name__).warning("stored names not re-read: %s", error)
        finally:
            self._refreshing = False

    def _reread(self) -> DirectorySnapshot:
        """A new snapshot; when the store gives the same concepts as last time, the last one's
        indexes with a new time and the same generation (answers cached under it stay good)."""
        concepts = self._read()
        built = self._built
        if built is not None and concepts == self._read_last:
            return replace(built, read_at=self._clock())
        self._generation += 1
        self._read_last = concepts
        self._built = replace(
            DirectorySnapshot.of(concepts, self._clock()), generation=self._generation
        )
        return self._built

    def forget(self) -> None:
        """Drop the snapshot (after a change this app made), so the next request re-reads."""
        self._snapshot = None


_DIRECTORIES: weakref.WeakKeyDictionary[WebEngine, ConceptDirectory] = weakref.WeakKeyDictionary()
_DIRECTORIES_LOCK = threading.Lock()


def directory_for(engine: WebEngine) -> ConceptDirectory:
    """The directory of an app's engine, made on first use and kept as long as the engine."""
    found = _DIRECTORIES.get(engine)
    if found is None:
        with _DIRECTORIES_LOCK:
            found = _DIRECTORIES.get(engine)
            if found is None:
                found = _DIRECTORIES[engine] = ConceptDirectory(_reader(weakref.ref(engine)))
    return found


def _reader(engine: weakref.ref[WebEngine]) -> Callable[[], list[StoredConcept]]:
    """Reads the store of the engine without keeping the engine alive."""

    def read() -> list[StoredConcept]:
        live = engine()
        return [] if live is None else _read_store(live)

    return read


def _read_store(engine: WebEngine) -> list[StoredConcept]:
    with engine.store() as store:
        states = store.concepts()
    return [
        StoredConcept(
            state.id,
            state.name,
            str(state.source),
            state.parent_id,
            state.xrefs,
            tuple(dict.fromkeys(state.names)),
        )
        for state in states
    ]
