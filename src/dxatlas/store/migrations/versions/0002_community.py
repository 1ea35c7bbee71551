"""Community tables: users, their sign-in sessions, questions with answers, issue tickets.

Only portable types, named constraints and plain indexes, so the revision runs the same on
SQLite and PostgreSQL.

Revision 0002_community, after 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_community"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(length=200)
WHEN = sa.DateTime(timezone=True)
_TABLES = ("ticket_comments", "tickets", "answers", "questions", "user_sessions", "users")


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"pk_{table}")


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    """Create the six community tables."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=40), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _pk("users"),
        sa.UniqueConstraint("name_key", name="uq_users_name_key"),
    )

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        _pk("user_sessions"),
        _fk("user_sessions", "user_id", "users", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_user_sessions_token_hash"),
    )
    _index("user_sessions", "user_id", "expires_at")

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("approved_at", WHEN, nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        _pk("questions"),
        _fk("questions", "author_id", "users"),
        _fk("questions", "approved_by", "users"),
    )
    _index("questions", "concept_id", "author_id", "status")

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _pk("answers"),
        _fk("answers", "question_id", "questions", ondelete="CASCADE"),
        _fk("answers", "author_id", "users"),
    )
    _index("answers", "question_id", "author_id")

    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        _pk("tickets"),
        _fk("tickets", "evidence_id", "evidence", ondelete="SET NULL"),
        _fk("tickets", "author_id", "users"),
    )
    _index("tickets", "concept_id", "evidence_id", "author_id", "status")

    op.create_table(
        "ticket_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        _pk("ticket_comments"),
        _fk("ticket_comments", "ticket_id", "tickets", ondelete="CASCADE"),
        _fk("ticket_comments", "author_id", "users"),
    )
    _index("ticket_comments", "ticket_id", "author_id")


def downgrade() -> None:
    """Drop the community tables (children first)."""
    for table in _TABLES:
        op.drop_table(table)
