"""Daily reference rates (fx_rates) and US-dollar values of observations.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "fx_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("per_eur", sa.Float(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "currency", name="uq_fx_rates_day_currency"),
    )
    with op.batch_alter_table("fx_rates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fx_rates_day"), ["day"], unique=False)

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("usd_low", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("usd_high", sa.BigInteger(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("usd_high")
        batch_op.drop_column("usd_low")

    with op.batch_alter_table("fx_rates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fx_rates_day"))

    op.drop_table("fx_rates")
