"""`WebEngine`: what the web app loads once at startup, and the work each endpoint does with it.

The routes (JSON and HTML) are thin: they call one method here and either return its dict or
render it. Every problem with the user's input is raised as `WebError` with its HTTP status.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from dxatlas.kb.curie import Curie
from dxatlas.kb.lookup import EntryKind, NameIndex, UnknownNameError
from dxatlas.kb.normalize import normalize_name
from dxatlas.settings import Settings

if TYPE_CHECKING:
    from dxatlas.kb.knowledge import KnowledgeBase
    from dxatlas.rank.ranker import Ranker
    from dxatlas.recognize.annotator import Annotator
    from dxatlas.store import CuratedNames, Store
    from dxatlas.web.directory import DirectorySnapshot
    from dxatlas.web.response_cache import ResponseCache, StoreVersion

SEARCH_MIN_CHARS = 2
SEARCH_PER_KIND = 10
FUZZY_CUTOFF = 80
"""Least `fuzz.ratio` (0-100) of a fuzzy hit: one or two typos in a short word ("anemai")."""
INLINE_TEXT_CHARS = 2_000
INLINE_FINDINGS = 40
"""The largest case a diagnose or next-question call of which runs in the server's event loop
(a few milliseconds of CPU); a larger one runs in the thread pool."""
_ID_IN_TEXT = re.compile(r"^\s*HP:\d{7}\s*$", re.IGNORECASE)


class WebError(Exception):
    """A request the app cannot answer, with the HTTP status to answer it with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class CaseInput:
    """A case as the API and the check form give it (names, ids and free text)."""

    present: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    text: str = ""
    age: str | None = None
    sex: str | None = None
    history: tuple[str, ...] = ()  # ids of past or background conditions
    risk_factors: tuple[str, ...] = ()  # RISK: ids (smoking, day care), besides the text's


@dataclass(eq=False)
class WebEngine:
    """The knowledge base, ranker and name index of one app, loaded once."""

    settings: Settings
    kb: KnowledgeBase
    ranker: Ranker
    names: NameIndex
    curated: CuratedNames
    _sorted_keys: list[str] = field(default_factory=list)
    _keys: _KeyTables | None = None
    _annotator: Annotator | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _store: Store | None = None
    _store_lock: threading.Lock = field(default_factory=threading.Lock)
    _responses: ResponseCache | None = None
    _version: StoreVersion | None = None
    _wording: tuple[Hashable, dict[str, str]] | None = None  # (store version, wording)

    @classmethod
    def load(cls, settings: Settings) -> WebEngine:
        """Open (building on first use) the knowledge base and the ranking model the settings
        name; the evidence store's literature knowledge is used when the store has any."""
        from dxatlas.kb.index import index_folder, open_knowledge_base
        from dxatlas.rank.from_store import literature_model
        from dxatlas.rank.model import PhenotypeModel
        from dxatlas.rank.ranker import Ranker
        from dxatlas.store import CuratedNames, Store, StoreError

        kb = open_knowledge_base(settings)
        model = PhenotypeModel.load_or_build(kb, None, index_folder(settings))
        curated = CuratedNames.from_kb(kb)
        try:
            with Store.open(settings.database_url, curated=curated) as store:
                literature = literature_model(store, kb, curated=curated)
        except StoreError as error:  # the app starts anyway: store pages answer 503 meanwhile
            logging.getLogger(__name__).warning("literature knowledge not loaded: %s", error)
            literature = None
        ranker = Ranker(kb, model=model, literature=literature)
        names = NameIndex.build(kb)
        engine = cls(settings, kb, ranker, names, curated, sorted(names.entries))
        engine._key_tables()  # built now rather than during the first search
        return engine

    # --- the store and the recogniser -----------------------------------------------------

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The evidence store for one request (store errors become a 503). One store, and so
        one connection pool, serves every request of the app: opening it per request cost a
        new connection each time (28 ms on PostgreSQL against 9 ms for a query)."""
        from dxatlas.store import StoreError

        try:
            store = self._open_store()
        except StoreError as error:
            raise WebError(503, f"the evidence store is unavailable: {error}") from None
        try:
            yield store
        except StoreError as error:
            raise WebError(503, f"the evidence store failed: {error}") from None

    def _open_store(self) -> Store:
        """The app's store, opened on first use; a failed open is tried again next time."""
        from dxatlas.store import Store

        if self._store is None:
            with self._store_lock:
                if self._store is None:
                    self._store = Store.open(
                        self.settings.database_url, curated=self.curated, upgrade=False
                    )
        return self._store

    def close(self) -> None:
        """Close the store's connections (when the app stops)."""
        with self._store_lock:
            if self._version is not None:
                self._version.close()
                self._version = None
            if self._store is not None:
                self._store.close()
                self._store = None

    def store_version(self) -> Hashable | None:
        """A token that changes whenever the store changes (see `web.response_cache`); None
        when the store cannot be opened or its version read."""
        version = self._store_version()
        return None if version is None else version.current()

    async def store_version_async(self) -> Hashable | None:
        """`store_version()` read without blocking the event loop (see
        `StoreVersion.current_async`); None before the store was opened by a request."""
        version = self._version if self._store is not None else None
        return None if version is None else await version.current_async()

    def _store_version(self) -> StoreVersion | None:
        from dxatlas.store import StoreError
        from dxatlas.web.response_cache import StoreVersion

        try:
            store = self._open_store()
        except StoreError:
            return None
        if self._version is None:
            with self._store_lock:
                if self._version is None:
                    self._version = StoreVersion(store.engine)
        return self._version

    @property
    def responses(self) -> ResponseCache:
        """The app's cache of encoded concept-page and search answers."""
        if self._responses is None:
            from dxatlas.web.response_cache import ResponseCache

            with self._lock:
                if self._responses is None:
                    self._responses = ResponseCache(self.settings.response_cache_entries)
        return self._responses

    def page_bytes(self, concept_id: str) -> bytes:
        """`page(concept_id)` as encoded JSON, made again only when the store or the snapshot
        of stored names (the related links) changed since it was last made."""
        from dxatlas.web.directory import directory_for

        version = self.store_version()
        token = None
        if version is not None:
            token = (version, directory_for(self).snapshot().generation)
        wanted = concept_id.strip()
        return self.responses.get_or_make(("concept", wanted), token, lambda: self.page(wanted))

    def search_bytes(self, query: str) -> bytes:
        """`search(query)` as encoded JSON, made again when the snapshot of stored names it
        matches changed (the rest comes from the knowledge base, fixed while the app runs)."""
        from dxatlas.web.directory import directory_for

        token = directory_for(self).snapshot().generation
        text = query.strip()
        return self.responses.get_or_make(("search", text), token, lambda: self.search(text))

    # --- answers the event loop may give without waiting -----------------------------------
    # Sync routes run in a thread pool, and under load its threads and the event loop took
    # turns on the GIL: short calls waited behind long ones, and the hand-offs cost CPU. The
    # calls below run in the loop itself when they can finish without waiting for the store or
    # a lock (None: they cannot; the route then uses the thread pool).

    def page_bytes_at_once(self, concept_id: str, version: Hashable | None) -> bytes | None:
        """`page_bytes(concept_id)` if it is cached and still good at store `version`."""
        from dxatlas.web.directory import directory_for

        snapshot = directory_for(self).fresh()
        if version is None or snapshot is None:
            return None
        return self.responses.get(("concept", concept_id.strip()), (version, snapshot.generation))

    def search_bytes_at_once(self, query: str) -> bytes | None:
        """`search_bytes(query)` when the snapshot of stored names needs no store read."""
        from dxatlas.web.directory import directory_for

        snapshot = directory_for(self).fresh()
        if snapshot is None:
            return None
        text = query.strip()
        return self.responses.get_or_make(
            ("search", text), snapshot.generation, lambda: self.search(text, snapshot=snapshot)
        )

    def answers_at_once(self, given: CaseInput) -> bool:
        """Whether a diagnose call of `given` may run in the loop: the recogniser is built (no
        waiting on its lock) and the case is small (a bounded few milliseconds of CPU)."""
        return (
            self._annotator is not None
            and len(given.text) <= INLINE_TEXT_CHARS
            and len(given.present) + len(given.excluded) <= INLINE_FINDINGS
        )

    def wording_at_once(self, version: Hashable | None) -> dict[str, str] | None:
        """The editors' question wording if the copy read last is still good at store
        `version`, else None."""
        found = self._wording
        if version is None or found is None or found[0] != version:
            return None
        return found[1]

    def warm_up(self) -> threading.Thread:
        """Build the recogniser in a background thread, so the first visitor who types words
        into the checker does not wait for it (requests that need it meanwhile wait on the
        same lock); then `settle_heap()` again, for the recogniser's objects."""

        def build() -> None:
            self.annotator  # noqa: B018 - built on first access
            settle_heap()

        thread = threading.Thread(target=build, name="dxatlas-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def annotator(self) -> Annotator:
        """The concept recogniser, built (or read from the cache) on first use."""
        if self._annotator is None:
            with self._lock:
                if self._annotator is None:
                    from dxatlas.recognize.annotator import Annotator

                    self._annotator = Annotator.from_kb(self.kb, self.settings.cache_dir)
        return self._annotator

    # --- search ------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = SEARCH_PER_KIND,
        snapshot: DirectorySnapshot | None = None,
    ) -> dict[str, Any]:
        """Findings, diseases and stored concepts named like `query` (prefix, then fuzzy);
        stored concepts from `snapshot` (default: the directory's current one)."""
        text = query.strip()
        key = normalize_name(text)
        if len(text) < SEARCH_MIN_CHARS or len(key) < SEARCH_MIN_CHARS:
            raise WebError(
                400, f"the search query must have at least {SEARCH_MIN_CHARS} characters"
            )
        groups: dict[str, list[dict[str, Any]]] = {"finding": [], "disease": [], "concept": []}
        seen: set[str] = set()

        def add(kind: str, concept_id: str, name: str, matched: str, how: str) -> None:
            if concept_id in seen or len(groups[kind]) >= limit:
                return
            seen.add(concept_id)
            groups[kind].append({"id": concept_id, "name": name, "matched": matched, "match": how})

        if Curie.looks_like(text) or text.upper().startswith("HP:"):
            self._search_id(text, add)  # an id names one concept: no name matching
        else:
            for name_key, how in self._name_keys(key):
                for entry in self.names.entries[name_key]:
                    label = self._label(entry.kind, entry.id)
                    add(str(entry.kind), entry.id, label, entry.text, how)
        self._search_concepts(text, key, limit, add, snapshot)
        return {"query": text, "results": groups, "kb_version": self.kb.version}

    def _name_keys(self, key: str) -> list[tuple[str, str]]:
        """Name keys starting with `key`, then those with a word starting with it (shortest
        first in each), then the closest by edit distance (typos)."""
        keys = self._sorted_keys
        tables = self._key_tables()
        wanted = SEARCH_PER_KIND * 6
        start = bisect.bisect_left(keys, key)
        prefixed: list[str] = []
        for index in range(start, len(keys)):
            if not keys[index].startswith(key) or len(prefixed) >= 500:
                break
            prefixed.append(keys[index])
        words = tables.with_word_starting(key)
        found = [(k, "prefix") for k in sorted(prefixed, key=lambda k: (len(k), k))[:wanted]]
        found += [(k, "word") for k in sorted(words, key=lambda k: (len(k), k))[:wanted]]
        taken = {k for k, _ in found}
        for name_key in tables.closest(key, SEARCH_PER_KIND * 3):
            if name_key not in taken:
                found.append((name_key, "fuzzy"))
        return found

    def _key_tables(self) -> _KeyTables:
        """The word and length tables of the name keys, built on first use (0.3 s)."""
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    self._keys = _KeyTables.build(self._sorted_keys)
        return self._keys

    def _search_id(self, text: str, add: Any) -> None:
        try:
            finding = self.names.finding(text)
        except UnknownNameError:
            pass
        else:
            add("finding", finding, self._label(EntryKind.FINDING, finding), text, "id")
            return
        disease = self.kb.disease_index.get(text.strip().upper())
        if disease is not None:
            add("disease", self.kb.disease_ids[disease], self.kb.disease_names[disease], text, "id")

    def _search_concepts(
        self, text: str, key: str, limit: int, add: Any, snapshot: DirectorySnapshot | None
    ) -> None:
        """Stored (user, imported, literature) concepts whose name or a synonym matches: by
        binary search in the app's snapshot of stored names (re-read from the store at most
        every few seconds), fuzzy only when nothing starts with the query."""
        from dxatlas.web.directory import directory_for

        snapshot = snapshot or directory_for(self).snapshot()
        by_id = snapshot.concepts.get(text) or snapshot.concepts.get(text.upper())
        if by_id is not None:
            add("concept", by_id.id, by_id.name, by_id.id, "prefix")
        for _, _, (concept_id, written) in sorted(snapshot.names.find(key)):
            add("concept", concept_id, snapshot.concepts[concept_id].name, written, "prefix")
        if any(True for _ in snapshot.names.find(key, cap=1)):
            return
        keys = [name_key for name_key, _ in snapshot.names.items]
        hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=limit)
        for _, _, item in hits:
            concept_id, written = snapshot.names.items[item][1]
            add("concept", concept_id, snapshot.concepts[concept_id].name, written, "fuzzy")

    def _label(self, kind: EntryKind, concept_id: str) -> str:
        if kind == EntryKind.FINDING:
            onto = self.kb.ontology
            return onto.labels[onto.index[concept_id]]
        return self.kb.disease_names[self.kb.disease_index[concept_id]]

    # --- concept pages -----------------------------------------------------------------------

    def page(self, concept_id: str) -> dict[str, Any]:
        """The page JSON of a stored concept or a curated disease, by id, with "related": the
        concepts it links to."""
        from dxatlas.pages.build import curated_page_concept, load_page, state_page_concept
        from dxatlas.pages.concept_page import page_json
        from dxatlas.store import UnknownConcept

        wanted = concept_id.strip()
        with self.store() as store:
            try:
                concept = state_page_concept(store.concept(wanted))
            except UnknownConcept:
                curated = self._curated_id(wanted)
                if curated is None:
                    raise WebError(404, f"no concept has the id {wanted!r}") from None
                concept = curated_page_concept(self.kb, curated)
            payload = page_json(load_page(store, self.kb, concept))
        payload["related"] = self.related(payload)
        return payload

    def related(self, page: dict[str, Any]) -> list[dict[str, Any]]:
        """The concepts a page links to, by relation (see `web.related`)."""
        from dxatlas.web.related import related_concepts

        return related_concepts(self, page)

    def _curated_id(self, text: str) -> str | None:
        if text in self.kb.disease_index:
            return text
        if Curie.looks_like(text):
            try:
                index = self.names.disease(text)
            except (UnknownNameError, ValueError):
                return None
            return self.kb.disease_ids[index]
        return None

    # --- the differential and the questions --------------------------------------------------

    def case(self, given: CaseInput) -> tuple[Any, list[dict[str, str]]]:
        """The `Case` of the input and what the recogniser read in names and text.

        Ids and exact names become findings directly; any other name is read as words (its
        asserted findings count); the free text is read whole as a case (asserted findings are
        present, negated ones excluded; its age and sex count when the input gives none)."""
        from dxatlas.rank.case import Case, CaseError
        from dxatlas.rank.case_text import read_case_text
        from dxatlas.recognize.spelling import corrector_for

        age, sex = given.age or None, given.sex or None
        recognised: list[dict[str, str]] = []
        present: list[str] = []
        excluded: list[str] = []
        history: list[str] = []
        risk_factors: list[str] = list(given.risk_factors)
        for items, target, status in (
            (given.present, present, "present"),
            (given.excluded, excluded, "excluded"),
            (given.history, history, "present"),
        ):
            for item in items:
                target.extend(self._finding_ids(item, status, recognised))
        if given.text.strip():
            read = read_case_text(given.text, self.annotator, corrector_for(self.kb))
            for found in read.findings:
                now = excluded if found.status == "excluded" else present
                (history if found.history else now).append(found.id)
                read_as = {
                    "text": given.text,
                    "words": found.text,
                    "id": found.id,
                    "label": found.label,
                    "status": found.status,
                }
                if found.history:
                    read_as["history"] = "yes"  # a past condition: counted only in favour
                fixed = [c.read_as for c in read.corrections if found.start <= c.start < found.end]
                if fixed:
                    read_as["spelling"] = " ".join(fixed)  # a misspelt word, read as this
                recognised.append(read_as)
            for risk in read.risk_factors:
                recognised.append(
                    {"text": given.text, "words": risk.text, "id": risk.id, "label": risk.label,
                     "status": risk.status, "kind": "risk factor"}
                )  # fmt: skip
            risk_factors += read.present_risk_factors
            if age is None and read.age_years is not None:
                age = str(read.age_years)
            sex = sex or read.sex
        present = list(dict.fromkeys(present))
        excluded = [t for t in dict.fromkeys(excluded) if t not in present]
        history = [t for t in dict.fromkeys(history) if t not in present and t not in excluded]
        if not present:
            past = [r["label"] for r in recognised if r.get("history")]
            raise WebError(
                400,
                "no present finding given: name at least one finding (an HPO id, a name, or "
                "words in the text)"
                + (f"; read as past history only: {', '.join(past)}" if past else ""),
            )
        try:
            case = Case.build(
                self.kb, present, excluded, age, sex, history=history, risk_factors=risk_factors
            )
        except CaseError as error:
            raise WebError(400, str(error)) from None
        return case, recognised

    def _finding_ids(self, item: str, status: str, recognised: list[dict[str, str]]) -> list[str]:
        from dxatlas.recognize.mention import Assertion, Kind

        text = item.strip()
        if not text:
            return []
        try:
            return [self.names.finding(text)]
        except UnknownNameError as error:
            if Curie.looks_like(text) or text.upper().startswith("HP:"):
                raise WebError(400, str(error)) from None
            unknown = error
        found = [
            m
            for m in self.annotator.annotate(text).mentions
            if m.kind == Kind.FINDING and m.assertion == Assertion.ASSERTED
        ]
        if not found:
            raise WebError(400, str(unknown))
        recognised.extend(_recognised(text, m, status) for m in found)
        return [m.id for m in found]

    def diagnose(self, given: CaseInput, top: int = 10) -> dict[str, Any]:
        """The JSON of `dxatlas diagnose --json`, with "recognised" when words were read and
        "urgent": the present findings that are red flags (see `rank.red_flags`)."""
        from dxatlas.rank.report import differential_json

        case, recognised = self.case(given)
        payload = differential_json(self.kb, case, self.ranker.rank(case, top=top))
        payload["recognised"] = recognised
        payload["urgent"] = self.urgent(case.present)
        return payload

    def urgent(self, present: Iterable[str]) -> list[dict[str, Any]]:
        """The present findings that are, or lie under, a red flag (`rank/data/red_flags.json`)."""
        from dxatlas.rank.red_flags import urgent_findings

        return urgent_findings(self.kb, present)

    def autocomplete(self, query: str, kind: str = "all", limit: int = 8) -> dict[str, Any]:
        """Names starting like `query`, grouped by kind (see `web.autocomplete`); a query shorter
        than two characters gives empty groups, an unknown kind a 400."""
        from dxatlas.web.autocomplete import AutocompleteError, completer_for, read_kinds
        from dxatlas.web.directory import directory_for

        try:
            kinds = read_kinds(kind)
        except AutocompleteError as error:
            raise WebError(400, str(error)) from None
        return completer_for(self).complete(query, kinds, limit, directory_for(self))

    def next_questions(
        self, given: CaseInput, top: int = 5, wording: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """The findings worth asking about next, as `dxatlas ask --json` gives them (`wording`:
        the editors' wording, read from the store when not given)."""
        from dxatlas.rank.questions import next_questions

        case, recognised = self.case(given)
        if wording is None:
            wording = self.question_wording()
        questions = next_questions(self.ranker, case, top, wording=wording)
        return {
            "questions": [
                {
                    "id": q.term_id,
                    "label": q.label,
                    "question": q.question_text,
                    "expected_gain": round(q.expected_gain, 4),
                    "p_yes": round(q.p_yes, 4),
                }
                for q in questions
            ],
            "recognised": recognised,
            "kb_version": self.kb.version,
        }

    def question_wording(self) -> dict[str, str]:
        """Editors' wording of follow-up questions (HPO id -> text; see `store.wording`), read
        again whenever the store changed, so that a change shows at once in every worker. A
        store that cannot be read gives the default wording (logged), so the checker still asks."""
        from dxatlas.store import StoreError
        from dxatlas.store.community import Community
        from dxatlas.store.wording import QuestionWording

        version = self.store_version()
        found = self._wording
        if version is not None and found is not None and found[0] == version:
            return found[1]
        try:
            with self.store() as store:
                wording = QuestionWording(Community(store.engine).transaction).overrides()
            if version is not None:
                self._wording = (version, wording)
            return wording
        except (WebError, StoreError) as error:
            logging.getLogger(__name__).warning("question wording not read: %s", error)
            return {}


@dataclass(frozen=True, slots=True)
class _KeyTables:
    """The name keys arranged so that search need not scan all of them (52,000 keys: the scan
    for a later word and the fuzzy pass took 8-20 ms a search, most of the search's time).

    `words` holds (the text after a space, key) pairs, sorted: the keys with a later word starting
    with a query are one binary search away. `by_length` holds the keys (and their position in the
    sorted list) by length: `fuzz.ratio` can only reach the cutoff for keys of a length near the
    query's, so only those are scored."""

    words: list[tuple[str, str]]
    by_length: dict[int, tuple[list[str], list[int]]]

    @classmethod
    def build(cls, sorted_keys: list[str]) -> _KeyTables:
        words: list[tuple[str, str]] = []
        by_length: dict[int, tuple[list[str], list[int]]] = {}
        for index, key in enumerate(sorted_keys):
            position = key.find(" ")
            while position >= 0:
                words.append((key[position + 1 :], key))
                position = key.find(" ", position + 1)
            bucket = by_length.setdefault(len(key), ([], []))
            bucket[0].append(key)
            bucket[1].append(index)
        words.sort()
        return cls(words, by_length)

    def with_word_starting(self, key: str) -> set[str]:
        """The keys with a word after the first one starting with `key` (and not starting with
        it themselves): the keys `k` with `" " + key in " " + k`, found without a scan."""
        found: set[str] = set()
        words = self.words
        for index in range(bisect.bisect_left(words, (key, "")), len(words)):
            rest, name_key = words[index]
            if not rest.startswith(key):
                break
            if not name_key.startswith(key):
                found.add(name_key)
        return found

    def closest(self, key: str, limit: int) -> list[str]:
        """The keys `process.extract(key, sorted_keys, scorer=fuzz.ratio, limit=limit,
        score_cutoff=FUZZY_CUTOFF)` gives, in its order (best score first, then the earlier key).

        fuzz.ratio is 100 * (1 - indel distance / (len(a) + len(b))) and the distance is at least
        the difference of the lengths, so a ratio of 80 needs a length between 2/3 and 3/2 of the
        query's; one more character either side leaves room for rounding."""
        size = len(key)
        scored: list[tuple[float, int, str]] = []
        for length in range(max(0, (2 * size) // 3 - 1), (3 * size + 1) // 2 + 2):
            bucket = self.by_length.get(length)
            if bucket is None:
                continue
            names, positions = bucket
            for name_key, score, item in process.extract(
                key, names, scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF
            ):
                scored.append((-score, positions[item], name_key))
        return [name_key for _, _, name_key in sorted(scored)[:limit]]


def settle_heap() -> None:
    """Move the objects alive now (the loaded knowledge base, ranker and indexes: about 400,000)
    out of the garbage collector's sight (`gc.freeze`). A full collection walked them all, 150 ms
    with the GIL held, every so often under load: a pause every request in the worker waited
    for. They live as long as the app, so the collector has nothing to find in them."""
    import gc

    gc.collect()
    gc.freeze()


def _recognised(source: str, mention: Any, status: str) -> dict[str, str]:
    return {
        "text": source,
        "words": mention.text,
        "id": mention.id,
        "label": mention.label,
        "status": status,
    }


def split_findings(text: str) -> CaseInput:
    """The check form's findings box: lines (or items between commas and semicolons) that are
    HPO ids are taken as ids; the rest is read as text, one sentence per item, so that a
    negation ("no fever") stays with its item."""
    ids: list[str] = []
    phrases: list[str] = []
    for item in re.split(r"[\n;,]+", text):
        item = item.strip()
        if not item:
            continue
        if _ID_IN_TEXT.match(item):
            ids.append(item.upper())
        else:
            phrases.append(item.rstrip("."))
    return CaseInput(present=tuple(ids), text=". ".join(phrases) + ("." if phrases else ""))
