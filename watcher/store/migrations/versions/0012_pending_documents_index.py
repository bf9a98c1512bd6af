"""A partial index of the documents still to extract (issue 13: cost that does not grow with
history): each extraction pass asks for the pending documents after the last id it saw, and
with no index holding only them it read every stored document to find none. The index holds
the pending rows only, so a pass over a database of a million extracted documents reads none.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# As `watcher.extraction._pending` writes it, so that both planners match it.
PENDING = "extracted_hash IS NULL OR extracted_hash != content_hash"


def upgrade() -> None:
    op.create_index(
        "ix_documents_pending",
        "documents",
        ["id"],
        sqlite_where=sa.text(PENDING),
        postgresql_where=sa.text(PENDING),
    )


def downgrade() -> None:
    op.drop_index("ix_documents_pending", table_name="documents")
