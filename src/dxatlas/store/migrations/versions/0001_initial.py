"""Initial schema: documents, sentences, mentions, concepts with revisions, evidence, patients.

Full-text indexes over sentence and evidence text, per dialect: on SQLite FTS5 tables kept in
step with their tables by triggers; on PostgreSQL GIN indexes over `to_tsvector('dxatlas', text)`,
a text search configuration of English stemming with accents folded (`unaccent`) when the server
has that extension. `dxatlas.store.fulltext` queries whichever the dialect has.

Revision 0001, the first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(length=200)
NAME = sa.String(length=500)

# External-content FTS5 tables: the text lives once, in `sentences` / `evidence`.
_FTS_TABLES = {"sentences_fts": "sentences", "evidence_fts": "evidence"}
_TOKENIZER = "porter unicode61 remove_diacritics 2"
# PostgreSQL: the text search configuration the GIN indexes (and `fulltext.TsvectorSearch`) use.
PG_TS_CONFIG = "dxatlas"


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _fk(table: str, column: str, target: str, ondelete: str | None = "CASCADE") -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=f"uq_{table}_{'_'.join(columns)}")


def _index(table: str, column: str) -> None:
    op.create_index(f"ix_{table}_{column}", table, [column])


def _create_tables() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("host", sa.String(length=253), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_text", sa.String(length=100), nullable=True),
        sa.Column("source_kind", sa.String(length=40), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        _pk("documents"),
        _unique("documents", "content_hash"),
    )
    _index("documents", "domain")
    _index("documents", "source_id")

    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=True),
        _pk("sentences"),
        _fk("sentences", "document_id", "documents"),
        _unique("sentences", "document_id", "ordinal"),
    )

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("label", NAME, nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("assertion", sa.String(length=20), nullable=False),
        _pk("mentions"),
        _fk("mentions", "sentence_id", "sentences"),
    )
    _index("mentions", "sentence_id")
    op.create_index("ix_mentions_concept_assertion", "mentions", ["concept_id", "assertion"])

    op.create_table(
        "concepts",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("name_key", NAME, nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_concepts"),
    )
    _index("concepts", "name_key")
    _index("concepts", "parent_id")

    op.create_table(
        "concept_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("text", NAME, nullable=False),
        sa.Column("key", NAME, nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        _pk("concept_synonyms"),
        _fk("concept_synonyms", "concept_id", "concepts"),
        _unique("concept_synonyms", "concept_id", "text"),
    )
    _index("concept_synonyms", "key")

    op.create_table(
        "concept_xrefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("xref", ID, nullable=False),
        _pk("concept_xrefs"),
        _fk("concept_xrefs", "concept_id", "concepts"),
        _unique("concept_xrefs", "concept_id", "xref"),
    )
    _index("concept_xrefs", "xref")

    op.create_table(
        "concept_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reverted_to", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        _pk("concept_revisions"),
        _fk("concept_revisions", "concept_id", "concepts", ondelete=None),
        _unique("concept_revisions", "concept_id", "number"),
    )
    _index("concept_revisions", "concept_id")

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        _pk("evidence"),
        _unique("evidence", "concept_id", "section", "key"),
    )
    _index("evidence", "concept_id")

    op.create_table(
        "evidence_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=True),
        _pk("evidence_sources"),
        _fk("evidence_sources", "evidence_id", "evidence"),
        _fk("evidence_sources", "document_id", "documents"),
        _fk("evidence_sources", "sentence_id", "sentences"),
        _unique("evidence_sources", "evidence_id", "sentence_id"),
    )
    _index("evidence_sources", "document_id")
    _index("evidence_sources", "sentence_id")

    op.create_table(
        "evidence_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", ID, nullable=False),
        sa.Column("label", NAME, nullable=False),
        _pk("evidence_findings"),
        _fk("evidence_findings", "evidence_id", "evidence"),
        _unique("evidence_findings", "evidence_id", "finding_id"),
    )
    _index("evidence_findings", "finding_id")

    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sentence_id", sa.Integer(), nullable=True),
        sa.Column("concept_id", ID, nullable=True),
        sa.Column("age_years", sa.Float(), nullable=True),
        sa.Column("sex", sa.String(length=10), nullable=True),
        _pk("patients"),
        _fk("patients", "document_id", "documents"),
        _fk("patients", "sentence_id", "sentences"),
    )
    _index("patients", "document_id")
    _index("patients", "concept_id")


def _create_sqlite_fulltext() -> None:
    """FTS5 indexes of sentence and evidence text, with triggers that keep them in step."""
    for fts, table in _FTS_TABLES.items():
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5(text, content='{table}', "
            f"content_rowid='id', tokenize='{_TOKENIZER}')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF text ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text); "
            f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text); END"
        )


def _create_postgres_fulltext() -> None:
    """The `dxatlas` text search configuration and a GIN expression index per searched table."""
    bind = op.get_bind()
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_TS_CONFIG} (COPY = pg_catalog.english)")
    if _create_unaccent(bind):
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {PG_TS_CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
    for fts, table in _FTS_TABLES.items():
        op.execute(
            f"CREATE INDEX ix_{fts} ON {table} USING gin (to_tsvector('{PG_TS_CONFIG}', text))"
        )


def _create_unaccent(bind: sa.Connection) -> bool:
    """Create the `unaccent` extension when the server has it and we may (it is a trusted
    extension from PostgreSQL 13); without it, accented words only match accented queries."""
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    ).scalar()
    if not available:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except sa.exc.DBAPIError:
        return False
    return True


def upgrade() -> None:
    """Create every table, and the dialect's full-text indexes."""
    _create_tables()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _create_sqlite_fulltext()
    elif dialect == "postgresql":
        _create_postgres_fulltext()


def downgrade() -> None:
    """Drop everything this revision created (the `unaccent` extension stays: others may use it)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for fts in _FTS_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {fts}")  # the triggers go with their tables below
    elif dialect == "postgresql":
        for fts in _FTS_TABLES:
            op.execute(f"DROP INDEX IF EXISTS ix_{fts}")
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_TS_CONFIG}")
    for table in (
        "patients",
        "evidence_findings",
        "evidence_sources",
        "evidence",
        "concept_revisions",
        "concept_xrefs",
        "concept_synonyms",
        "concepts",
        "mentions",
        "sentences",
        "documents",
    ):
        op.drop_table(table)
