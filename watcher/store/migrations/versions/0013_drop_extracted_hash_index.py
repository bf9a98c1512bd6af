"""The index on documents.extracted_hash goes: no query reads through it since the partial
index of pending documents (0012) serves the extraction passes, and every stored document paid
for it (a 64-character key per row, updated with each extraction).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_documents_extracted_hash", table_name="documents")


def downgrade() -> None:
    op.create_index("ix_documents_extracted_hash", "documents", ["extracted_hash"])
