"""Extraction failures recorded on documents: attempts in a row, when the last failed, when
the next attempt is due.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("extract_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("extract_failed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("extract_next_attempt_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("extract_next_attempt_at")
        batch_op.drop_column("extract_failed_at")
        batch_op.drop_column("extract_attempts")
