"""Imported findings: rows of a user's curated table (disease, finding, frequency, source).

Portable types and named constraints only (SQLite and PostgreSQL).

Revision 0003_imported, after 0002_community.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_imported"
down_revision = "0002_community"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the imported findings table."""
    op.create_table(
        "imported_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.String(length=200), nullable=False),
        sa.Column("finding_id", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=500), nullable=False),
        sa.Column("frequency", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("origin", sa.String(length=1000), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imported_findings"),
        sa.UniqueConstraint("concept_id", "finding_id", "source", name="uq_imported_findings_row"),
    )
    op.create_index("ix_imported_findings_concept_id", "imported_findings", ["concept_id"])


def downgrade() -> None:
    """Drop the imported findings table."""
    op.drop_index("ix_imported_findings_concept_id", table_name="imported_findings")
    op.drop_table("imported_findings")
