"""The tables: one per stage of the flow (sources -> documents -> observations -> events ->
deliveries). Each stage reads what the previous one stored, so a crash is repaired by running the
stage again. Alembic migrations in `migrations/` create exactly these tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Index,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class _Row(Protocol):
    id: int | None


def stored_id(row: _Row) -> int:
    """The id of a row that is in the database (loaded, or added and flushed): the `id` field
    is None only before that."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} is not stored yet: it has no id")
    return row.id


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite (which keeps no
    zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _pending_index(name: str, *columns: str) -> Index:
    """A partial index of the rows not evaluated yet: it holds only them, so it stays small and
    no planner takes `evaluated = false` for half the table. The condition is written as each
    database's planner matches SQLAlchemy's `evaluated == False`."""
    return Index(
        name, *columns, sqlite_where=text("evaluated = 0"), postgresql_where=text("NOT evaluated")
    )


# A document whose current content is not extracted yet (its index's condition, as
# `watcher.extraction._pending` writes it so that both planners match the two).
PENDING_DOCUMENTS = "extracted_hash IS NULL OR extracted_hash != content_hash"


def _when(nullable: bool = True, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Source(SQLModel, table=True):
    """A feed or other origin of documents, and its health."""

    __tablename__ = "sources"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    url: str  # where it is polled now: a permanent redirect moves it
    config_url: str  # the URL the feeds file gave; when that changes, `url` follows it
    kind: str = "rss"
    company: str | None = None
    # The company's own voice (its newsroom, investor relations, SEC filings): a figure it
    # states confirms what the news reported.
    official: bool = False
    interval_seconds: int = 900
    enabled: bool = True
    disabled_reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # Not polled by design while set, and why (an SEC source without `sec.contact`): never
    # fetched, never counted as failing, never alerted on. The poller keeps it up to date.
    not_polled_reason: str | None = None
    consecutive_failures: int = 0
    # The first failed poll of the current failure streak; None while the source is not failing.
    failing_since: datetime | None = Field(default=None, sa_column=_when())
    last_polled_at: datetime | None = Field(default=None, sa_column=_when())
    last_success_at: datetime | None = Field(default=None, sa_column=_when())
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_error_at: datetime | None = Field(default=None, sa_column=_when())
    next_poll_at: datetime | None = Field(default=None, sa_column=_when(index=True))
    # A permanent redirect seen on the last polls and how many in a row: the stored `url`
    # follows it only once it has been seen consistently (sources/poll.py).
    moved_to: str | None = None
    moved_seen: int = 0
    # A poller's lease (store/leases.py): while it is in the future, no other process polls
    # this source; `claimed_by` names the lease, whose heartbeat renews it during the poll.
    claimed_by: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_column=_when())


class Document(SQLModel, table=True):
    """One feed entry (or filing), stored once per source by its key; reprocessed when its
    content hash changes."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("source_id", "key", name="uq_documents_source_key"),
        # The documents still to extract, and only them (`watcher.extraction._pending`).
        Index(
            "ix_documents_pending",
            "id",
            sqlite_where=text(PENDING_DOCUMENTS),
            postgresql_where=text(PENDING_DOCUMENTS),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True)
    key: str
    url: str | None = None
    title: str | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str
    published_at: datetime | None = Field(default=None, sa_column=_when())
    # Set when the feed's own date was implausible (before 1990, or more than a day after the
    # fetch) and `published_at` is the time of fetching instead: what the feed said.
    published_note: str | None = None
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    # The content hash that extraction last ran on; differs from content_hash when pending.
    extracted_hash: str | None = None
    # While extraction of the current content fails: the last error, the failed attempts in a
    # row, when the last one failed and when the next is due (exponential backoff). A success
    # clears them.
    extract_error: str | None = None
    extract_attempts: int = 0
    extract_failed_at: datetime | None = Field(default=None, sa_column=_when())
    extract_next_attempt_at: datetime | None = Field(default=None, sa_column=_when())


class Observation(SQLModel, table=True):
    """A figure read out of a document, in the observation contract of DESIGN.md."""

    __tablename__ = "observations"
    # The web view's per-company reads: a company's figures by metric and period (guidance
    # history), and newest first (the observations API and CSV).
    __table_args__ = (
        Index("ix_observations_company_metric_period", "company", "metric", "period"),
        Index("ix_observations_company_published_at", "company", "published_at"),
        # A rule's history of one figure (`StoredHistory.guidance_before`), newest first.
        Index(
            "ix_observations_history", "company", "metric", "period", "kind", "published_at", "id"
        ),
        # What evaluation has still to read, oldest first (`evaluate_pending`).
        _pending_index("ix_observations_pending", "published_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    company: str | None = None
    metric: str = Field(index=True)
    kind: str
    period: str | None = None
    low: int | None = Field(default=None, sa_column=Column(BigInteger))
    high: int | None = Field(default=None, sa_column=Column(BigInteger))
    currency: str = "USD"
    change: str | None = None
    prior_low: int | None = Field(default=None, sa_column=Column(BigInteger))
    prior_high: int | None = Field(default=None, sa_column=Column(BigInteger))
    variant: str | None = None
    # The figure in US dollars at the reference rate of its publication day, so that rules
    # can compare across currencies; None when no rate is known.
    usd_low: int | None = Field(default=None, sa_column=Column(BigInteger))
    usd_high: int | None = Field(default=None, sa_column=Column(BigInteger))
    quote: str = Field(sa_column=Column(Text, nullable=False))
    # When the figure was published: the document's date, else when it was fetched.
    published_at: datetime = Field(sa_column=_when(nullable=False, index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    evaluated: bool = False


class Event(SQLModel, table=True):
    """Something material a rule found; unique by its key (rule, company, metric, period and
    the figure that made it), however many sources report it."""

    __tablename__ = "events"
    # The web view lists events newest first, over all companies or one.
    __table_args__ = (
        Index("ix_events_created_at_id", "created_at", "id"),
        Index("ix_events_company_created_at", "company", "created_at"),
        # The events of one figure, latest first (`StoredHistory.event_for_figure`, corrections).
        Index("ix_events_figure", "company", "metric", "period", "rule", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    rule: str = Field(index=True)
    severity: str
    company: str | None = None
    metric: str
    period: str | None = None
    change: str | None = None
    currency: str = "USD"
    low: int | None = Field(default=None, sa_column=Column(BigInteger))
    high: int | None = Field(default=None, sa_column=Column(BigInteger))
    prior_low: int | None = Field(default=None, sa_column=Column(BigInteger))
    prior_high: int | None = Field(default=None, sa_column=Column(BigInteger))
    change_pct: float | None = None
    # Rules on series (ratios, jumps, thresholds) report a value and the one it is compared
    # with, which need not be money (a capex/OCF ratio of 0.71, say).
    value: float | None = None
    previous: float | None = None
    quote: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    # How the event reads, as its rule type wrote it when it was raised: a one-line headline
    # and the figures that made it, as ordered [label, value] pairs. Channels render these, so
    # a backlog jump reads as a backlog jump and only guidance says "guidance".
    headline: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    details: list[list[str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # True once the company's own release or filing states the figure (not only the news).
    confirmed: bool = False
    observation_id: int | None = Field(
        default=None, foreign_key="observations.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))


class EventSource(SQLModel, table=True):
    """A document that reported an event's figure."""

    __tablename__ = "event_sources"
    __table_args__ = (UniqueConstraint("event_id", "document_id", name="uq_event_sources"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True)
    document_id: int = Field(foreign_key="documents.id", index=True)
    source_name: str
    url: str | None = None
    title: str | None = None
    added_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))


class Delivery(SQLModel, table=True):
    """The outbox: one row per event and channel (and per later update of the event, such as
    a new source or a confirmation, which goes to the first message's thread), written with
    the event, marked sent only after the channel accepted the message."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "channel", "update_key", name="uq_deliveries_event_channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="events.id", index=True)
    channel: str
    # "" for the event's own message; otherwise what the update is about, e.g. "source:12".
    update_key: str = ""
    note: str | None = Field(default=None, sa_column=Column(Text))  # the update's words
    # pending | sending | sent | failed | silenced
    status: str = Field(default="pending", index=True)
    # While "sending": the sender's lease (store/leases.py), renewed by its heartbeat during
    # the send; past it, the delivery is due again (the sender died).
    claimed_by: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_column=_when())
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    external_id: str | None = None  # e.g. the Slack message ts
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_when())


class FxRate(SQLModel, table=True):
    """A daily reference rate: units of `currency` per euro (the ECB's convention)."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("day", "currency", name="uq_fx_rates_day_currency"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    currency: str
    per_eur: float
    source_id: int | None = Field(default=None, foreign_key="sources.id")


class Fact(SQLModel, table=True):
    """A quarterly figure from SEC XBRL (an actual), point in time: the value as first filed
    and as last amended, each with its accession number and filing date."""

    __tablename__ = "facts"
    __table_args__ = (
        UniqueConstraint("company", "metric", "period", name="uq_facts_company_metric_period"),
        # The quarters of some companies first filed since a day: what can be news.
        Index("ix_facts_news", "company", "first_filed", "period"),
        _pending_index("ix_facts_pending", "id"),  # what evaluate_facts has to read
    )

    id: int | None = Field(default=None, primary_key=True)
    company: str = Field(index=True)
    metric: str
    period: str  # FY2025-Q4, by the company's fiscal calendar
    start: date | None = None  # None for an instant (rpo)
    end: date
    value: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = "USD"
    derived: bool = False  # computed from year-to-date values
    tag: str
    accn: str
    filed: date
    first_value: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_accn: str
    first_filed: date
    source_id: int | None = Field(default=None, foreign_key="sources.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    evaluated: bool = False


class Silence(SQLModel, table=True):
    """A user's request to hold alerts about a company (optionally one rule) until a time;
    silenced events are stored and shown, not sent."""

    __tablename__ = "silences"

    id: int | None = Field(default=None, primary_key=True)
    company: str | None = None  # None: every company
    rule: str | None = None  # None: every rule
    until: datetime = Field(sa_column=_when(nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    expired_at: datetime | None = Field(default=None, sa_column=_when())


class DigestRun(SQLModel, table=True):
    """One digest per schedule slot: the row is the claim, so a slot is sent once even with
    several replicas, and the last sent slot bounds the next digest's events."""

    __tablename__ = "digest_runs"

    id: int | None = Field(default=None, primary_key=True)
    slot: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, unique=True))
    status: str = "pending"  # pending | sent | empty | failed
    events: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_when())
    last_error: str | None = Field(default=None, sa_column=Column(Text))
