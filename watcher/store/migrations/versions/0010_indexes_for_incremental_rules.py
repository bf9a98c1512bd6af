"""Indexes for incremental rule evaluation (issue 13): a new observation or fact is judged by
reading only its own company, metric and period (and, for series rules, a window of that
company's quarters), whatever the size of the stored history.

- observations (company, metric, period, kind, published_at, id): one figure's history, newest
  first, without a sort (`guidance_before`); it replaces the index on company alone;
- observations (published_at, id) of the rows not evaluated yet: what is still to evaluate,
  oldest first; facts (id) of the rows not evaluated yet. Partial indexes hold only the pending
  rows, so they stay small, and a planner with statistics (SQLite after ANALYZE) does not take
  "evaluated = false" for half the table and scan it; they replace the indexes on evaluated;
- facts (company, first_filed, period): the quarters that can be news;
- events (company, metric, period, rule, id): the events of one figure, latest first;
- event_sources (document_id): the events a document already reported (corrections).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
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
    ("ix_facts_news", "facts", ["company", "first_filed", "period"]),
    ("ix_events_figure", "events", ["company", "metric", "period", "rule", "id"]),
    ("ix_event_sources_document_id", "event_sources", ["document_id"]),
)
PENDING = (
    ("ix_observations_pending", "observations", ["published_at", "id"]),
    ("ix_facts_pending", "facts", ["id"]),
)
REPLACED = (
    ("ix_observations_company", "observations", ["company"]),
    ("ix_observations_evaluated", "observations", ["evaluated"]),
    ("ix_facts_evaluated", "facts", ["evaluated"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    for name, table, columns in PENDING:
        # `evaluated == False` as each planner matches it (SQLAlchemy writes `= 0` on SQLite)
        op.create_index(
            name,
            table,
            columns,
            sqlite_where=sa.text("evaluated = 0"),
            postgresql_where=sa.text("NOT evaluated"),
        )
    for name, table, _ in REPLACED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in REPLACED:
        op.create_index(name, table, columns)
    for name, table, _ in (*INDEXES, *PENDING):
        op.drop_index(name, table_name=table)
