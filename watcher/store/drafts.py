"""An event as plain values: the draft a rule type raises (`EventDraft`), the columns it becomes
(`event_fields`), how a stored event reads (`event_details`: labelled facts) and the words of
its updates (another source, a confirmation, a correction).

Nothing here touches the database or imports SQLAlchemy: rule types and channel renderers
import it without loading the ORM (`watcher rules check` never opens a database).
`watcher.store.events` writes drafts as events with their outbox rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING

from watcher.formatting import format_range

if TYPE_CHECKING:
    from watcher.store.models import Event, EventSource

# A rendered field of an event: (label, value), e.g. ("Previous high", "0.64 in FY2024-Q4").
Detail = tuple[str, str]


@dataclass(frozen=True)
class EventDraft:
    """An event a rule wants raised; `key` makes it unique across sources and reruns.

    `headline` and `details` are how the event reads, written by the rule type that raised it
    and stored with the event. `channels` are the rule's own channel names (routes may choose
    others); `known_at` is when its figure became known (for replays), not stored."""

    key: str
    rule: str
    severity: str
    company: str | None
    metric: str
    period: str | None
    change: str | None
    currency: str
    low: int | None
    high: int | None
    prior_low: int | None
    prior_high: int | None
    change_pct: float | None
    quote: str
    summary: str
    observation_id: int | None
    document_id: int | None  # the document that reported it; None for SEC XBRL facts
    value: float | None = None  # series rules: the value, and the one it was compared with
    previous: float | None = None
    headline: str = ""
    details: tuple[Detail, ...] = ()
    channels: tuple[str, ...] = field(default=(), compare=False)
    known_at: date | None = field(default=None, compare=False)


# The draft's fields that are not columns of the event.
_NOT_STORED = ("document_id", "channels", "known_at")

# Channels decided for a draft (delivery channel ids), and whether a channel takes updates.
ChannelsFor = Callable[[EventDraft], list[str]]
Threads = Callable[[str], bool]


def every_channel(_channel: str) -> bool:
    return True


def event_fields(draft: EventDraft) -> dict:
    """The columns of the event a draft becomes; without rendering of its own, the event
    reads as its summary and its figures."""
    values = {f.name: getattr(draft, f.name) for f in fields(draft) if f.name not in _NOT_STORED}
    values["headline"] = draft.headline or draft.summary
    details = draft.details or figure_details(
        draft.low, draft.high, draft.prior_low, draft.prior_high, draft.currency, draft.change_pct
    )
    values["details"] = [[label, value] for label, value in details]
    return values


def figure_details(
    low: int | None,
    high: int | None,
    prior_low: int | None,
    prior_high: int | None,
    currency: str,
    change_pct: float | None,
) -> tuple[Detail, ...]:
    """Plain figures, for an event whose rule gave no details of its own."""
    found: list[Detail] = []
    if prior_low is not None or prior_high is not None:
        found.append(("Before", format_range(prior_low, prior_high, currency)))
    if low is not None or high is not None:
        found.append(("Now", format_range(low, high, currency)))
    if change_pct is not None:
        found.append(("Change", f"{change_pct:+.1f}%"))
    return tuple(found)


def event_details(event: Event) -> list[Detail]:
    """An event's details as stored, or its plain figures for one stored without any."""
    if event.details:
        return [(str(label), str(value)) for label, value in event.details]
    return list(
        figure_details(
            event.low,
            event.high,
            event.prior_low,
            event.prior_high,
            event.currency,
            event.change_pct,
        )
    )


# -- the words of updates ----------------------------------------------------------------------


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
