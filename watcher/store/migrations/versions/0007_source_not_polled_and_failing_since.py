"""Sources not polled by design (`not_polled_reason`, e.g. an SEC source without sec.contact)
and when the current failure streak began (`failing_since`).

A streak under way keeps failing_since empty (its start was not recorded); a source that failed
only because it was never allowed to be polled (the SEC contact missing) starts clean: the
poller marks it not polled, and clears its failures, on its next run.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_polled_reason", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("failing_since")
        batch_op.drop_column("not_polled_reason")
