"""SEC XBRL quarterly facts (point in time) and the value/previous of series events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company", sa.String(), nullable=False),
        sa.Column("metric", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("tag", sa.String(), nullable=False),
        sa.Column("accn", sa.String(), nullable=False),
        sa.Column("filed", sa.Date(), nullable=False),
        sa.Column("first_value", sa.BigInteger(), nullable=False),
        sa.Column("first_accn", sa.String(), nullable=False),
        sa.Column("first_filed", sa.Date(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evaluated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company", "metric", "period", name="uq_facts_company_metric_period"),
    )
    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facts_company"), ["company"], unique=False)
        batch_op.create_index(batch_op.f("ix_facts_evaluated"), ["evaluated"], unique=False)

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("value", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("previous", sa.Float(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("previous")
        batch_op.drop_column("value")

    with op.batch_alter_table("facts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facts_evaluated"))
        batch_op.drop_index(batch_op.f("ix_facts_company"))

    op.drop_table("facts")
