"""Full-text search over sentence and evidence text: one interface, one back end per dialect.

SQLite uses the FTS5 tables the first migration creates (BM25 ranking, Porter stemming, accents
folded). PostgreSQL uses its own: the migration's GIN indexes over `to_tsvector('dxatlas', text)`
(English stemming, accents folded by `unaccent`), ranked by `ts_rank_cd`. Any other dialect gets
`ScanSearch`, a portable word-by-word `ILIKE` scan (no stemming), slowly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, and_, select, text
from sqlalchemy.orm import Session

from dxatlas.kb.normalize import fold_accents
from dxatlas.store.schema import EvidenceRow, SentenceRow

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match: a sentence (with its document) or an evidence item (with its concept)."""

    kind: Literal["sentence", "evidence"]
    id: int
    text: str
    document_id: int | None = None
    concept_id: str | None = None
    rank: float = 0.0  # lower is better


def query_words(query: str) -> list[str]:
    """The words of a free-text query (punctuation and operators are not syntax here)."""
    return _WORD.findall(fold_accents(query).lower())


class FullTextSearch(Protocol):
    """What every back end answers: all query words must occur; best matches first."""

    def sentences(self, session: Session, query: str, limit: int) -> list[SearchHit]: ...

    def evidence(self, session: Session, query: str, limit: int) -> list[SearchHit]: ...


class Fts5Search:
    """SQLite FTS5: `sentences_fts` and `evidence_fts`, external-content over their tables."""

    @staticmethod
    def _match(query: str) -> str | None:
        words = query_words(query)
        return " ".join(f'"{word}"' for word in words) if words else None

    def sentences(self, session: Session, query: str, limit: int) -> list[SearchHit]:
        match = self._match(query)
        if match is None:
            return []
        rows = session.execute(
            text(
                "SELECT s.id, s.text, s.document_id, bm25(sentences_fts) AS rank "
                "FROM sentences_fts JOIN sentences AS s ON s.id = sentences_fts.rowid "
                "WHERE sentences_fts MATCH :match ORDER BY rank, s.id LIMIT :limit"
            ),
            {"match": match, "limit": limit},
        )
        return [
            SearchHit("sentence", r.id, r.text, document_id=r.document_id, rank=r.rank)
            for r in rows
        ]

    def evidence(self, session: Session, query: str, limit: int) -> list[SearchHit]:
        match = self._match(query)
        if match is None:
            return []
        rows = session.execute(
            text(
                "SELECT e.id, e.text, e.concept_id, bm25(evidence_fts) AS rank "
                "FROM evidence_fts JOIN evidence AS e ON e.id = evidence_fts.rowid "
                "WHERE evidence_fts MATCH :match AND NOT e.hidden ORDER BY rank, e.id LIMIT :limit"
            ),
            {"match": match, "limit": limit},
        )
        return [
            SearchHit("evidence", r.id, r.text, concept_id=r.concept_id, rank=r.rank) for r in rows
        ]


class TsvectorSearch:
    """PostgreSQL: `to_tsvector(config, text) @@ plainto_tsquery(config, words)` on the GIN
    expression indexes (the SQL repeats the indexed expression exactly, so the planner uses them).
    Every word must occur (stemmed); English stop words are ignored, as the index ignores them."""

    CONFIG = "dxatlas"  # the text search configuration migration 0001 creates

    def _query(self, table: str, columns: str, hidden: str, limit: int) -> Any:
        vector = f"to_tsvector('{self.CONFIG}', t.text)"
        return text(
            f"SELECT t.id, t.text, {columns}, -ts_rank_cd({vector}, q) AS rank "
            f"FROM {table} AS t, plainto_tsquery('{self.CONFIG}', :words) AS q "
            f"WHERE {vector} @@ q {hidden}ORDER BY rank, t.id LIMIT :limit"
        ).bindparams(limit=limit)

    def sentences(self, session: Session, query: str, limit: int) -> list[SearchHit]:
        words = query_words(query)
        if not words:
            return []
        rows = session.execute(
            self._query("sentences", "t.document_id", "", limit), {"words": " ".join(words)}
        )
        return [
            SearchHit("sentence", r.id, r.text, document_id=r.document_id, rank=r.rank)
            for r in rows
        ]

    def evidence(self, session: Session, query: str, limit: int) -> list[SearchHit]:
        words = query_words(query)
        if not words:
            return []
        rows = session.execute(
            self._query("evidence", "t.concept_id", "AND NOT t.hidden ", limit),
            {"words": " ".join(words)},
        )
        return [
            SearchHit("evidence", r.id, r.text, concept_id=r.concept_id, rank=r.rank) for r in rows
        ]


class ScanSearch:
    """Any dialect: every word must occur in the text (case-insensitive substring), by id."""

    def sentences(self, session: Session, query: str, limit: int) -> list[SearchHit]:
        words = query_words(query)
        if not words:
            return []
        condition = and_(*(SentenceRow.text.ilike(f"%{word}%") for word in words))
        rows = session.scalars(
            select(SentenceRow).where(condition).order_by(SentenceRow.id).limit(limit)
        )
        return [SearchHit("sentence", r.id, r.text, document_id=r.document_id) for r in rows]

    def evidence(self, session: Session, query: str, limit: int) -> list[SearchHit]:
        words = query_words(query)
        if not words:
            return []
        condition = and_(
            ~EvidenceRow.hidden, *(EvidenceRow.text.ilike(f"%{word}%") for word in words)
        )
        rows = session.scalars(
            select(EvidenceRow).where(condition).order_by(EvidenceRow.id).limit(limit)
        )
        return [SearchHit("evidence", r.id, r.text, concept_id=r.concept_id) for r in rows]


def search_for(dialect: str) -> FullTextSearch:
    """The full-text back end of a database dialect (`sqlite`, `postgresql`, ...)."""
    if dialect == "sqlite":
        return Fts5Search()
    if dialect == "postgresql":
        return TsvectorSearch()
    return ScanSearch()


FTS_TABLES = {"sentences_fts": "sentences", "evidence_fts": "evidence"}  # index -> its table


def rebuild(connection: Connection) -> None:
    """Bring the dialect's full-text index in step with its tables, after a bulk load: SQLite's
    FTS5 tables are rebuilt from their content tables; PostgreSQL's GIN indexes follow their
    tables by themselves, so only the planner's statistics are refreshed."""
    if connection.dialect.name == "sqlite":
        for index in FTS_TABLES:
            connection.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    elif connection.dialect.name == "postgresql":
        for table in FTS_TABLES.values():
            connection.exec_driver_sql(f"ANALYZE {table}")


@contextmanager
def bulk_load(connection: Connection) -> Iterator[None]:
    """Rows loaded inside this block skip the per-row index upkeep, and the index is rebuilt once
    at the end (twice as fast on SQLite, whose FTS5 triggers are dropped and re-created: within
    the caller's transaction, so a failed load keeps them)."""
    triggers: list[tuple[str, str]] = []
    if connection.dialect.name == "sqlite":
        triggers = [
            (str(name), str(sql))
            for name, sql in connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            )
            if any(str(name).startswith(f"{index}_") for index in FTS_TABLES)
        ]
        for name, _ in triggers:
            connection.exec_driver_sql(f"DROP TRIGGER {name}")
    yield
    for _, sql in triggers:
        connection.exec_driver_sql(sql)
    rebuild(connection)
