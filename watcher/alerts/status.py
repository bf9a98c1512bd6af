"""What `watcher status` and `watcher alerts preview` show: delivery state per channel, the
failed deliveries, the oldest pending one, failing sources, documents whose extraction fails,
active silences; and an event's message rendered for a channel without sending it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from watcher.alerts import channels
from watcher.alerts.silences import list_silences
from watcher.errors import WatcherError
from watcher.settings import Settings
from watcher.store.events import event_sources
from watcher.store.models import Delivery, Document, Event, Silence, Source, stored_id, utcnow
from watcher.store.source_state import SourceState, source_state
from watcher.vocab import DeliveryStatus

STATUSES = tuple(status.value for status in DeliveryStatus)
# `watcher status` lists this many failing documents, the most recent failures first.
FAILING_DOCUMENTS_SHOWN = 20
# ... and this many pending deliveries whose last attempt failed, the next retried first.
RETRYING_SHOWN = 20


@dataclass
class FailedDelivery:
    id: int
    event_id: int
    channel: str
    update_key: str
    attempts: int
    last_error: str
    next_attempt: datetime | None = None  # a pending delivery's


@dataclass
class FailingSource:
    name: str
    failures: int
    enabled: bool
    last_error: str
    last_success: datetime | None


@dataclass
class FailingDocument:
    id: int
    source: str
    title: str
    attempts: int
    error: str
    failed_at: datetime | None
    next_attempt: datetime | None


@dataclass
class StatusReport:
    counts: dict[str, Counter] = field(default_factory=dict)  # channel -> status -> n
    failed: list[FailedDelivery] = field(default_factory=list)
    # pending deliveries whose last attempt failed, with its error (retried, not yet failed)
    retrying: list[FailedDelivery] = field(default_factory=list)
    oldest_pending: timedelta | None = None
    sources_total: int = 0
    failing_sources: list[FailingSource] = field(default_factory=list)
    # disabled (a 410 Gone, or in the feeds file): shown with the reason, never as failing
    disabled_sources: list[FailingSource] = field(default_factory=list)
    documents_failing: int = 0
    failing_documents: list[FailingDocument] = field(default_factory=list)  # the latest ones
    silences: list[Silence] = field(default_factory=list)


def status_report(session: Session, now: datetime | None = None) -> StatusReport:
    now = now or utcnow()
    report = StatusReport()
    report.counts = delivery_counts(session)
    report.failed = failed_deliveries(session)
    oldest = session.exec(
        select(func.min(Delivery.created_at)).where(
            col(Delivery.status).in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING))
        )
    ).one()
    report.oldest_pending = None if oldest is None else now - oldest
    report.retrying = retrying_deliveries(session, RETRYING_SHOWN)
    sources = list(session.exec(select(Source).order_by(Source.name)))
    report.sources_total = len(sources)
    report.failing_sources = [
        _failing(source) for source in sources if source_state(source) is SourceState.FAILING
    ]
    report.disabled_sources = [
        _failing(source) for source in sources if source_state(source) is SourceState.DISABLED
    ]
    report.documents_failing = session.exec(
        select(func.count()).select_from(Document).where(col(Document.extract_error).is_not(None))
    ).one()
    report.failing_documents = _failing_documents(session, FAILING_DOCUMENTS_SHOWN)
    report.silences = list_silences(session)
    return report


def delivery_counts(session: Session) -> dict[str, Counter]:
    """Deliveries by channel and status (channel -> status -> n), counted by the database."""
    counts: dict[str, Counter] = {}
    rows = session.exec(
        select(Delivery.channel, Delivery.status, func.count()).group_by(
            col(Delivery.channel), col(Delivery.status)
        )
    )
    for channel, status, n in rows:
        counts.setdefault(channel, Counter())[status] = n
    return counts


def failed_deliveries(session: Session, limit: int | None = None) -> list[FailedDelivery]:
    """Deliveries given up on, oldest first (with `limit`: the latest `limit` of them)."""
    query = select(Delivery).where(Delivery.status == DeliveryStatus.FAILED)
    if limit is None:
        return [_failed(d) for d in session.exec(query.order_by(col(Delivery.id)))]
    latest = session.exec(query.order_by(col(Delivery.id).desc()).limit(limit))
    return [_failed(d) for d in reversed(list(latest))]


def retrying_deliveries(session: Session, limit: int) -> list[FailedDelivery]:
    """Pending (or being sent) deliveries whose last attempt failed, soonest retry first."""
    query = (
        select(Delivery)
        .where(
            col(Delivery.status).in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
            col(Delivery.last_error).is_not(None),
        )
        .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
        .limit(limit)
    )
    return [
        replace(_failed(delivery), next_attempt=delivery.next_attempt_at)
        for delivery in session.exec(query)
    ]


def _failed(delivery: Delivery) -> FailedDelivery:
    return FailedDelivery(
        stored_id(delivery),
        delivery.event_id,
        delivery.channel,
        delivery.update_key,
        delivery.attempts,
        delivery.last_error or "",
    )


def _failing(source: Source) -> FailingSource:
    error = source.last_error or (source.disabled_reason or "")
    return FailingSource(
        source.name,
        source.consecutive_failures,
        source.enabled,
        error,
        source.last_success_at,
    )


def _failing_documents(session: Session, limit: int) -> list[FailingDocument]:
    rows = session.exec(
        select(Document, Source.name)
        .join(Source, col(Source.id) == col(Document.source_id))
        .where(col(Document.extract_error).is_not(None))
        .order_by(col(Document.extract_failed_at).desc(), col(Document.id).desc())
        .limit(limit)
    )
    return [
        FailingDocument(
            stored_id(document),
            name,
            document.title or "",
            document.extract_attempts,
            document.extract_error or "",
            document.extract_failed_at,
            document.extract_next_attempt_at,
        )
        for document, name in rows
    ]


def extract_failures_by_source(session: Session) -> dict[int, tuple[int, str]]:
    """For each source with documents whose extraction fails: (how many, the latest error)."""
    found: dict[int, tuple[int, str]] = {}
    failing = session.exec(
        select(Document.source_id, Document.extract_error)
        .where(col(Document.extract_error).is_not(None))
        .order_by(col(Document.extract_failed_at).desc(), col(Document.id).desc())
    )
    for source_id, error in failing:
        count, latest = found.get(source_id, (0, error or ""))
        found[source_id] = (count + 1, latest)
    return found


def parse_event_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise WatcherError(f"EVENT_ID: not an event id: {text!r}") from None
    if value <= 0:
        raise WatcherError(f"EVENT_ID: not an event id: {text!r}")
    return value


def load_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise WatcherError(f"no event with id {event_id} (see `watcher events`)")
    return event


def preview(session: Session, event: Event, channel: str, settings: Settings) -> str:
    """An event's message rendered by a channel plug-in as it would be sent, nothing sent
    (Slack: fallback text and Block Kit as JSON; email: headers and each part; webhook: the
    JSON body; apprise: title and body)."""
    return channels.preview(channel, event, event_sources(session, stored_id(event)), settings)
