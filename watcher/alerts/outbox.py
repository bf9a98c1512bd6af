"""The outbox: an event and one delivery row per channel are written in one transaction, and
a second report of the same event only adds its source.

Channels: "slack" means the default Slack channel from settings; without a Slack token every
Slack channel falls back to "console" so a bare install still shows its alerts. "email" is the
immediate email to `email.to`, for events at or above `email.min_severity`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from watcher.alerts.email import is_urgent
from watcher.alerts.silences import initial_status
from watcher.alerts.updates import announce_corrections, announce_source
from watcher.engine.types import EventDraft
from watcher.store.models import Delivery, Document, Event, EventSource, Source

CONSOLE = "console"
EMAIL = "email"


@dataclass(frozen=True)
class RecordResult:
    event: Event
    created: bool  # a new event (with its deliveries)
    source_added: bool  # an existing event gained a source


def resolve_channels(
    rule_channels: list[str],
    draft: EventDraft | None = None,
    *,
    slack_default: str,
    slack_enabled: bool,
    email_min_severity: str | None = None,
) -> list[str]:
    """Turn a rule's channel names into delivery channel ids, without duplicates; with email
    configured (`email_min_severity` set), an event (`draft`) of at least that severity also
    gets an immediate email."""
    resolved: list[str] = []
    for name in rule_channels:
        if name.startswith("slack"):
            channel = name.partition(":")[2] or slack_default
            target = f"slack:{channel}" if slack_enabled else CONSOLE
        else:
            target = name
        if target not in resolved:
            resolved.append(target)
    if email_min_severity and draft and is_urgent(draft.severity, email_min_severity):
        resolved.append(EMAIL)
    return resolved


def record_event(session: Session, draft: EventDraft, channels: list[str]) -> RecordResult:
    """Store `draft` with its outbox rows, or add its document to the existing event."""
    existing = session.exec(select(Event).where(Event.key == draft.key)).first()
    if existing is not None:
        added = draft.document_id is not None and _add_source(session, existing, draft.document_id)
        return RecordResult(existing, False, added)
    if draft.change is None:
        # A repeat whose original event was never raised (e.g. no change then): nothing to add.
        return RecordResult(Event(**_event_fields(draft)), False, False)
    event = Event(**_event_fields(draft))
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError:
        # Another writer stored the same key first: this report is one more source of it.
        existing = session.exec(select(Event).where(Event.key == draft.key)).one()
        added = draft.document_id is not None and _add_source(session, existing, draft.document_id)
        return RecordResult(existing, False, added)
    # Series rules read SEC filings: the company's own figures. Otherwise the first source
    # decides, and a later official source confirms (see `_add_source`).
    event.confirmed = draft.document_id is None
    if draft.document_id is not None:
        _add_source(session, event, draft.document_id, announce=False)
    status = initial_status(session, company=event.company, rule=event.rule)
    for channel in channels:
        session.add(Delivery(event_id=event.id, channel=channel, status=status))
    session.flush()
    if draft.document_id is not None:
        announce_corrections(session, event, draft.document_id)
    return RecordResult(event, True, False)


def _event_fields(draft: EventDraft) -> dict:
    fields = asdict(draft)
    fields.pop("document_id")
    return fields


def _add_source(session: Session, event: Event, document_id: int, *, announce: bool = True) -> bool:
    """Add a document as a source of `event`. For an event already announced, the news goes
    to its thread (another source, or a confirmation when the source is the company's own);
    for a new event, an official first source simply makes it confirmed."""
    present = session.exec(
        select(EventSource).where(
            EventSource.event_id == event.id, EventSource.document_id == document_id
        )
    ).first()
    if present is not None:
        return False
    document = session.get(Document, document_id)
    source = session.get(Source, document.source_id) if document else None
    added = EventSource(
        event_id=event.id,
        document_id=document_id,
        source_name=source.name if source else "?",
        url=document.url if document else None,
        title=document.title if document else None,
    )
    session.add(added)
    session.flush()
    official = bool(source and source.official)
    if announce:
        announce_source(session, event, added, official=official)
    elif official:
        event.confirmed = True
        session.add(event)
    return True


def event_sources(session: Session, event_id: int) -> list[EventSource]:
    return list(
        session.exec(
            select(EventSource).where(EventSource.event_id == event_id).order_by(EventSource.id)
        )
    )
