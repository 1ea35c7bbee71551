"""Editorial tables: editors' wording of follow-up questions (with its history) and the record of
evidence sentences hidden or restored (who, when, why).

Portable types and named constraints only (SQLite and PostgreSQL).

Revision 0004_question_wording, after 0003_imported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_question_wording"
down_revision = "0003_imported"
branch_labels = None
depends_on = None

ID = sa.String(length=200)
AUTHOR = sa.String(length=200)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the question wording, its revisions, and the evidence actions."""
    op.create_table(
        "question_wording",
        sa.Column("hpo_id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", AUTHOR, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("hpo_id", name="pk_question_wording"),
    )
    op.create_table(
        "question_wording_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hpo_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("author", AUTHOR, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_question_wording_revisions"),
        sa.UniqueConstraint("hpo_id", "number", name="uq_question_wording_revisions_hpo_id_number"),
    )
    op.create_index(
        "ix_question_wording_revisions_hpo_id", "question_wording_revisions", ["hpo_id"]
    )
    op.create_table(
        "evidence_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("concept_id", ID, nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author", AUTHOR, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_actions"),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name="fk_evidence_actions_evidence_id_evidence",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_evidence_actions_evidence_id", "evidence_actions", ["evidence_id"])
    op.create_index("ix_evidence_actions_concept_id", "evidence_actions", ["concept_id"])


def downgrade() -> None:
    """Drop the editorial tables."""
    op.drop_index("ix_evidence_actions_concept_id", table_name="evidence_actions")
    op.drop_index("ix_evidence_actions_evidence_id", table_name="evidence_actions")
    op.drop_table("evidence_actions")
    op.drop_index("ix_question_wording_revisions_hpo_id", table_name="question_wording_revisions")
    op.drop_table("question_wording_revisions")
    op.drop_table("question_wording")
