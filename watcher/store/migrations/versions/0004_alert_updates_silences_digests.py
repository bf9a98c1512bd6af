"""Alert updates in threads (update_key, note), official sources and confirmed events,
silences, digest runs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slot"),
    )
    op.create_table(
        "silences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(), nullable=True),
        sa.Column("rule", sa.String(), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("update_key", sa.String(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_deliveries_event_channel"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_deliveries_event_channel", ["event_id", "channel", "update_key"]
        )

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("official", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("confirmed")

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("official")

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint("uq_deliveries_event_channel", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_deliveries_event_channel"), ["event_id", "channel"]
        )
        batch_op.drop_column("note")
        batch_op.drop_column("update_key")

    op.drop_table("silences")
    op.drop_table("digest_runs")
