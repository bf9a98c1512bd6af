"""The recorded event: the seam between deciding and telling.

Rule types (the series rules and source health included) produce `EventDraft`s (plain values,
in `watcher.store.drafts`); this module writes an event with its sources and its outbox rows
(one `Delivery` per channel) in the caller's transaction, and a second report of the same event
only adds its source. Later news about an event (another source, the company's own
confirmation, a correction) becomes update rows for the event's threads, written here too, with
their words (the drafts module's notes) as plain data.

Which channels a draft goes to is decided by the caller (`channels_for`, built from the
alerts' routes by the pipeline), and which channels take thread updates by `threads`; this
module knows no channel by name. Whether a delivery is silenced, waits for its thread's first
message or is sent is the delivery chain's business: every row starts pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from watcher.store.drafts import (
    EventDraft,
    Threads,
    confirmation_note,
    correction_note,
    event_fields,
    every_channel,
    source_note,
)
from watcher.store.models import Delivery, Document, Event, EventSource, Source, stored_id
from watcher.vocab import DeliveryStatus

CONFIRMED = "confirmed"  # the update key of a confirmation by the company's own words


@dataclass(frozen=True)
class RecordResult:
    event: Event
    created: bool  # a new event (with its deliveries)
    source_added: bool  # an existing event gained a source


def record_event(
    session: Session,
    draft: EventDraft,
    channels: Sequence[str],
    *,
    threads: Threads = every_channel,
) -> RecordResult:
    """Store `draft` with one outbox row per channel, or add its document to the existing
    event (and tell that event's threads)."""
    existing = session.exec(select(Event).where(Event.key == draft.key)).first()
    if existing is not None:
        added = _add_document(session, existing, draft.document_id, threads)
        return RecordResult(existing, False, added)
    if draft.change is None:
        # A repeat whose original event was never raised (e.g. no change then): nothing to add.
        return RecordResult(Event(**event_fields(draft)), False, False)
    event = Event(**event_fields(draft))
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError:
        # Another writer stored the same key first: this report is one more source of it.
        existing = session.exec(select(Event).where(Event.key == draft.key)).one()
        added = _add_document(session, existing, draft.document_id, threads)
        return RecordResult(existing, False, added)
    # Series rules read SEC filings: the company's own figures. Otherwise the first source
    # decides, and a later official source confirms (see `_add_source`).
    event.confirmed = draft.document_id is None
    if draft.document_id is not None:
        _add_source(session, event, draft.document_id, threads, announce=False)
    for channel in dict.fromkeys(channels):
        session.add(
            Delivery(event_id=stored_id(event), channel=channel, status=DeliveryStatus.PENDING)
        )
    session.flush()
    if draft.document_id is not None:
        _announce_corrections(session, event, draft.document_id, threads)
    return RecordResult(event, True, False)


def event_sources(session: Session, event_id: int) -> list[EventSource]:
    return list(
        session.exec(
            select(EventSource)
            .where(col(EventSource.event_id) == event_id)
            .order_by(col(EventSource.id))
        )
    )


# -- sources and updates -----------------------------------------------------------------------


def _add_document(
    session: Session, event: Event, document_id: int | None, threads: Threads
) -> bool:
    return document_id is not None and _add_source(session, event, document_id, threads)


def _add_source(
    session: Session,
    event: Event,
    document_id: int,
    threads: Threads,
    *,
    announce: bool = True,
) -> bool:
    """Add a document as a source of `event`. For an event already announced, the news goes
    to its threads (another source, or a confirmation when the source is the company's own);
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
        event_id=stored_id(event),
        document_id=document_id,
        source_name=source.name if source else "?",
        url=document.url if document else None,
        title=document.title if document else None,
    )
    session.add(added)
    session.flush()
    official = bool(source and source.official)
    if not announce:
        if official:
            event.confirmed = True
            session.add(event)
        return True
    if official and not event.confirmed:
        event.confirmed = True
        session.add(event)
        add_update(session, event, CONFIRMED, confirmation_note(added), threads)
    else:
        add_update(session, event, f"source:{added.id}", source_note(added), threads)
    return True


def _announce_corrections(
    session: Session, event: Event, document_id: int, threads: Threads
) -> int:
    """A new event from a document that already reported another figure for the same rule,
    company, metric and period: the document was corrected; say so in the old event's thread."""
    earlier = session.exec(
        select(Event)
        .join(EventSource, col(EventSource.event_id) == col(Event.id))
        .where(
            EventSource.document_id == document_id,
            Event.id != event.id,
            Event.rule == event.rule,
            Event.company == event.company,
            Event.metric == event.metric,
            Event.period == event.period,
        )
    ).all()
    note = correction_note(event)
    return sum(add_update(session, old, f"correction:{event.id}", note, threads) for old in earlier)


def add_update(
    session: Session, event: Event, update_key: str, note: str, threads: Threads = every_channel
) -> int:
    """One update row per channel of the event's own message that takes updates; returns how
    many were written."""
    created = 0
    mains = session.exec(
        select(Delivery.channel)
        .where(Delivery.event_id == event.id, Delivery.update_key == "")
        .order_by(col(Delivery.id))
    ).all()
    for channel in mains:
        if not threads(channel) or _update_exists(session, stored_id(event), channel, update_key):
            continue
        session.add(
            Delivery(
                event_id=stored_id(event),
                channel=channel,
                update_key=update_key,
                note=note,
                status=DeliveryStatus.PENDING,
            )
        )
        created += 1
    session.flush()
    return created


def _update_exists(session: Session, event_id: int, channel: str, update_key: str) -> bool:
    found = session.exec(
        select(Delivery.id).where(
            Delivery.event_id == event_id,
            Delivery.channel == channel,
            Delivery.update_key == update_key,
        )
    ).first()
    return found is not None
