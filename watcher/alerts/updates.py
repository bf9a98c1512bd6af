"""Updates: later news about an event (another source, a confirmation by the company's own
release or filing, a correction) as delivery rows that go to the thread of the event's first
message on each channel.

Update rows are written by the outbox in the same transaction as what caused them. An update
row carries `update_key` (what it is about, e.g. "source:12", "confirmed") and `note` (its
words, raw: each channel escapes them as it needs). The delivery job sends an update only once
the event's own message on that channel has been sent, so it can reply in that thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlmodel import Session, select

from watcher.alerts.silences import SILENCED, matching_silence
from watcher.formatting import format_range
from watcher.store.models import Delivery, Event, EventSource

CONFIRMED = "confirmed"
# Channels that take updates: a Slack thread reply, a console line. Email recipients get the
# event itself and digests, not a message per extra source.
UPDATE_CHANNEL_PREFIXES = ("slack:", "console")


def takes_updates(channel: str) -> bool:
    return channel.startswith(UPDATE_CHANNEL_PREFIXES)


def add_update(session: Session, event: Event, update_key: str, note: str) -> int:
    """One update row per channel the event's own message goes to; returns how many."""
    silenced = matching_silence(session, company=event.company, rule=event.rule) is not None
    created = 0
    for main in _main_deliveries(session, event.id):
        if not takes_updates(main.channel) or _exists(session, event.id, main.channel, update_key):
            continue
        status = SILENCED if silenced or main.status == SILENCED else "pending"
        session.add(
            Delivery(
                event_id=event.id,
                channel=main.channel,
                update_key=update_key,
                note=note,
                status=status,
            )
        )
        created += 1
    session.flush()
    return created


def announce_source(session: Session, event: Event, source: EventSource, *, official: bool) -> int:
    """A source added to an existing event: a confirmation when it is the company's own word
    and the event was unconfirmed, else a plain "another source" update."""
    if official and not event.confirmed:
        event.confirmed = True
        session.add(event)
        return add_update(session, event, CONFIRMED, confirmation_note(source))
    return add_update(session, event, f"source:{source.id}", source_note(source))


def announce_corrections(session: Session, event: Event, document_id: int) -> int:
    """A new event from a document that already reported another figure for the same rule,
    company, metric and period: the document was corrected; say so in the old event's thread."""
    earlier = session.exec(
        select(Event)
        .join(EventSource, EventSource.event_id == Event.id)
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
    return sum(add_update(session, old, f"correction:{event.id}", note) for old in earlier)


def source_note(source: EventSource) -> str:
    title = f": {source.title}" if source.title else ""
    return f"Another source reports the same figure: {source.source_name}{title}"


def confirmation_note(source: EventSource) -> str:
    title = f" ({source.title})" if source.title else ""
    return (
        "Confirmed: the company's own release or filing states the same figure: "
        f"{source.source_name}{title}"
    )


def correction_note(event: Event) -> str:
    figure = format_range(event.low, event.high, event.currency)
    return f"Correction: a source of this alert now reports {figure} (sent as a new alert)"


@dataclass(frozen=True)
class Thread:
    """Where an update goes: wait for the main message, drop it (silenced), or send it
    (to `thread_ts`, or as a plain follow-up when there is no thread)."""

    action: Literal["wait", "silence", "send"]
    thread_ts: str | None = None


def thread_for(session: Session, delivery: Delivery) -> Thread:
    main = session.exec(
        select(Delivery).where(
            Delivery.event_id == delivery.event_id,
            Delivery.channel == delivery.channel,
            Delivery.update_key == "",
        )
    ).first()
    if main is None or main.status == "failed":
        return Thread("send")  # nothing to reply to: a follow-up message still carries the news
    if main.status in ("pending", "sending"):
        return Thread("wait")
    if main.status == SILENCED:
        return Thread("silence")
    return Thread("send", main.external_id)


def _main_deliveries(session: Session, event_id: int) -> list[Delivery]:
    return list(
        session.exec(
            select(Delivery)
            .where(Delivery.event_id == event_id, Delivery.update_key == "")
            .order_by(Delivery.id)
        )
    )


def _exists(session: Session, event_id: int, channel: str, update_key: str) -> bool:
    found = session.exec(
        select(Delivery.id).where(
            Delivery.event_id == event_id,
            Delivery.channel == channel,
            Delivery.update_key == update_key,
        )
    ).first()
    return found is not None
