"""Permanent redirects followed only once seen consistently (`sources.moved_to`,
`sources.moved_seen`), implausible publication dates replaced by the time of fetching and
noted (`documents.published_note`), and URLs stored without credentials.

Stored documents whose date is before 1990 or after their fetch are given their fetch time
(and their observations with them), so that such a date no longer orders guidance; the user-info
of stored document URLs is removed (the sources' URLs follow the feeds file at the next start).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FLOOR = datetime(1990, 1, 1, tzinfo=UTC)
_DAY = timedelta(days=1)
_USERINFO = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@", re.IGNORECASE)

documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("url", sa.String),
    sa.column("published_at", sa.DateTime(timezone=True)),
    sa.column("fetched_at", sa.DateTime(timezone=True)),
    sa.column("published_note", sa.String),
)
observations = sa.table(
    "observations",
    sa.column("document_id", sa.Integer),
    sa.column("published_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_to", sa.String(), nullable=True))
        batch_op.add_column(
            sa.Column("moved_seen", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_note", sa.String(), nullable=True))
    connection = op.get_bind()
    _replace_implausible_dates(connection)
    _strip_url_credentials(connection)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _replace_implausible_dates(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(documents.c.id, documents.c.published_at, documents.c.fetched_at).where(
            sa.or_(
                documents.c.published_at < FLOOR,
                documents.c.published_at > documents.c.fetched_at,
            )
        )
    ).all()
    for document_id, published, fetched in rows:
        published_utc, fetched_utc = _aware(published), _aware(fetched)
        if FLOOR <= published_utc <= fetched_utc + _DAY:
            continue
        note = (
            f"the feed dated it {published_utc:%Y-%m-%d %H:%M} UTC, before 1990 or more than "
            "a day after it was fetched; the time of fetching is used"
        )
        connection.execute(
            documents.update()
            .where(documents.c.id == document_id)
            .values(published_at=fetched, published_note=note)
        )
        connection.execute(
            observations.update()
            .where(observations.c.document_id == document_id)
            .values(published_at=fetched)
        )


def _strip_url_credentials(connection: sa.Connection) -> None:
    rows = connection.execute(
        sa.select(documents.c.id, documents.c.url).where(documents.c.url.like("%://%@%"))
    ).all()
    for document_id, url in rows:
        cleaned = _USERINFO.sub(r"\1", url)
        if cleaned != url:
            connection.execute(
                documents.update().where(documents.c.id == document_id).values(url=cleaned)
            )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("published_note")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("moved_seen")
        batch_op.drop_column("moved_to")
