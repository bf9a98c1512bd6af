"""Indexes for the web view: events newest first (all, or one company's), a company's
observations by metric and period (guidance history) and newest first (API, CSV).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_events_created_at_id", "events", ["created_at", "id"]),
    ("ix_events_company_created_at", "events", ["company", "created_at"]),
    ("ix_observations_company_metric_period", "observations", ["company", "metric", "period"]),
    ("ix_observations_company_published_at", "observations", ["company", "published_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
