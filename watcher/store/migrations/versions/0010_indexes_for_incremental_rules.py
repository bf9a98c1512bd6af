"""Indexes for incremental rule evaluation (issue 13): a new observation or fact is judged by
reading only its own company, metric and period (and, for series rules, a window of that
company's quarters), whatever the size of the stored history.

- observations (company, metric, period, kind, published_at, id): one figure's history, newest
  first, without a sort (`guidance_before`); it replaces the index on company alone;
- observations (evaluated, published_at, id): what is still to evaluate, oldest first; it
  replaces the index on evaluated alone;
- facts (company, first_filed, period): the quarters that can be news;
- events (company, metric, period, rule, id): the events of one figure, latest first;
- event_sources (document_id): the events a document already reported (corrections).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_observations_history",
        "observations",
        ["company", "metric", "period", "kind", "published_at", "id"],
    ),
    ("ix_observations_pending", "observations", ["evaluated", "published_at", "id"]),
    ("ix_facts_news", "facts", ["company", "first_filed", "period"]),
    ("ix_events_figure", "events", ["company", "metric", "period", "rule", "id"]),
    ("ix_event_sources_document_id", "event_sources", ["document_id"]),
)
REPLACED = (
    ("ix_observations_company", "observations", ["company"]),
    ("ix_observations_evaluated", "observations", ["evaluated"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, _ in REPLACED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
