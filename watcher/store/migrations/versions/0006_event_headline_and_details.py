"""Events carry their own words: `headline` and `details` (ordered [label, value] pairs), as
the rule type wrote them, so channels render an event without knowing its rule type.

Existing events are backfilled from their stored figures: guidance changes read as before
("META raised FY2025 capex guidance", old and new guidance), series events (value set) keep
their summary as the headline with the value and the one it was compared with, source-health
events their summary.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SCALES = ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"))


def _amount(value, currency):
    if value is None:
        return "?"
    symbol = "$" if currency == "USD" else f"{currency} "
    for scale, suffix in _SCALES:
        if abs(value) >= scale:
            return f"{symbol}{f'{value / scale:.2f}'.rstrip('0').rstrip('.')}{suffix}"
    return f"{symbol}{value:,}"


def _range(low, high, currency):
    if low is not None and high is not None and low != high:
        return f"{_amount(low, currency)} to {_amount(high, currency)}"
    if low is not None and high is None:
        return f"at least {_amount(low, currency)}"
    if low is None and high is not None:
        return f"up to {_amount(high, currency)}"
    return _amount(low, currency)


def _backfill(row):
    """(headline, details) of a stored event, from its figures (a frozen copy of the rules of
    the time: a migration must not change when the code does)."""
    currency = row.currency or "USD"
    pct = [] if row.change_pct is None else [["Change", f"{row.change_pct:+.1f}%"]]
    if row.metric == "source":
        return row.summary, ([["Last error", row.quote]] if row.quote else [])
    if row.value is not None:
        previous = [] if row.previous is None else [["Previous", f"{row.previous:,.4g}"]]
        return row.summary, [["Value", f"{row.value:,.4g}"], *previous, *pct]
    headline = f"{row.company or 'Several companies'} {row.change or 'updated'} "
    headline += f"{row.period or ''} {row.metric} guidance".replace("  ", " ")
    has_old = row.prior_low is not None or row.prior_high is not None
    old = _range(row.prior_low, row.prior_high, currency) if has_old else "not stated"
    details = [
        ["Old guidance", old],
        ["New guidance", _range(row.low, row.high, currency)],
    ]
    if row.period:
        details.append(["Period", row.period])
    if row.change_pct is not None:
        details.append(["Change at midpoint", f"{row.change_pct:+.1f}%"])
    return headline.replace("  ", " "), details


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headline", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=False, server_default="[]"))
    connection = op.get_bind()
    events = sa.table(
        "events",
        *(
            sa.column(name)
            for name in (
                "id", "company", "metric", "period", "change", "currency", "low", "high",
                "prior_low", "prior_high", "change_pct", "value", "previous", "quote", "summary",
            )
        ),
        sa.column("headline", sa.Text()),
        sa.column("details", sa.JSON()),
    )  # fmt: skip
    rows = connection.execute(sa.select(events)).fetchall()
    for row in rows:
        headline, details = _backfill(row)
        connection.execute(
            events.update()
            .where(events.c.id == row.id)
            .values(headline=headline, details=json.loads(json.dumps(details)))
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("details")
        batch_op.drop_column("headline")
