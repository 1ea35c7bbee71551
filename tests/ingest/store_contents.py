"""The contents of a SQLite evidence store without its row ids and timestamps, so that two stores
filled by different runs (serial, distributed, killed and re-run) can be compared for equality."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

_SENTENCE = "(SELECT d.content_hash || '#' || s.ordinal FROM sentences s JOIN documents d ON d.id = s.document_id WHERE s.id = {column})"


def _rows(connection: sqlite3.Connection, query: str) -> list[tuple[Any, ...]]:
    return sorted(connection.execute(query).fetchall(), key=repr)


def read_only(database: Path) -> sqlite3.Connection:
    """A read-only connection that waits a little for a writer's lock instead of failing."""
    return sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10)


def document_count(database: Path) -> int:
    """How many documents the store holds (0 while it does not exist yet)."""
    if not database.exists():
        return 0
    try:
        with read_only(database) as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet, or a writer holds a lock
        return 0


def store_contents(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every document, sentence, mention, evidence item (with its sources and findings), patient
    and concept (with synonyms, xrefs and revisions), as sorted tuples of their values."""
    connection = read_only(database)
    try:
        return {
            "documents": _rows(
                connection,
                "SELECT content_hash, source_id, url, domain, host, path, title, published, "
                "published_text, source_kind, text, metadata FROM documents",
            ),
            "sentences": _rows(
                connection,
                "SELECT d.content_hash, s.ordinal, s.start, s.end, s.text, s.section "
                "FROM sentences s JOIN documents d ON d.id = s.document_id",
            ),
            "mentions": _rows(
                connection,
                f"SELECT {_SENTENCE.format(column='m.sentence_id')}, m.start, m.end, m.text, "
                "m.concept_id, m.label, m.kind, m.assertion FROM mentions m",
            ),
            "evidence": _rows(
                connection,
                "SELECT e.concept_id, e.section, e.text, e.key, e.score, e.hidden, "
                "(SELECT group_concat(x, '|') FROM (SELECT d.content_hash || '#' || "
                "coalesce((SELECT ordinal FROM sentences WHERE id = es.sentence_id), '') AS x "
                "FROM evidence_sources es JOIN documents d ON d.id = es.document_id "
                "WHERE es.evidence_id = e.id ORDER BY x)), "
                "(SELECT group_concat(f, '|') FROM (SELECT finding_id || '=' || label AS f "
                "FROM evidence_findings WHERE evidence_id = e.id ORDER BY f)) FROM evidence e",
            ),
            "patients": _rows(
                connection,
                f"SELECT d.content_hash, {_SENTENCE.format(column='p.sentence_id')}, "
                "p.concept_id, p.age_years, p.sex FROM patients p "
                "JOIN documents d ON d.id = p.document_id",
            ),
            "concepts": _rows(
                connection,
                "SELECT id, name, name_key, source, parent_id, description, hidden FROM concepts",
            ),
            "synonyms": _rows(connection, "SELECT concept_id, text, scope FROM concept_synonyms"),
            "xrefs": _rows(connection, "SELECT concept_id, xref FROM concept_xrefs"),
            "revisions": _rows(
                connection,
                "SELECT concept_id, number, author, action, before, after FROM concept_revisions",
            ),
        }
    finally:
        connection.close()


def duplicates(contents: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[Any]]:
    """Documents stored twice (by content hash) and evidence items stored twice (same concept,
    section and normalised text): both must be empty."""
    documents = Counter(row[0] for row in contents["documents"])
    evidence = Counter(row[:2] + row[3:4] for row in contents["evidence"])
    return {
        "documents": [key for key, n in documents.items() if n > 1],
        "evidence": [key for key, n in evidence.items() if n > 1],
    }
