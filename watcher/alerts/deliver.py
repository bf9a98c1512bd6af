"""The delivery job: claims due outbox rows, sends each through its channel's notifier, and
marks it sent only after the channel accepted it; a failure is retried with exponential
backoff and jitter until the delivery is too old, then it is marked failed.

A claim is a lease (status "sending" until `claimed_until`), taken with one atomic UPDATE, so
two processes never send the same row; a sender that dies leaves its lease to expire and the
row is sent again: at most the message in flight is repeated.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, update
from sqlmodel import select

from watcher.alerts.notifiers import DeliveryError, Notifier
from watcher.alerts.outbox import event_sources
from watcher.store.db import session_scope
from watcher.store.models import Delivery, Event, EventSource, utcnow

log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    max_age: timedelta = timedelta(days=2)
    lease: timedelta = timedelta(minutes=5)

    def next_attempt(self, attempts: int, now: datetime, rng: random.Random) -> datetime:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        return now + timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))


@dataclass
class DeliveryCounts:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_due(
    engine: Engine,
    notifiers: dict[str, Notifier],
    policy: RetryPolicy,
    *,
    limit: int = 200,
    rng: random.Random | None = None,
) -> DeliveryCounts:
    """Send every delivery whose time has come, each claimed on its own."""
    rng = rng or random.Random()
    counts = DeliveryCounts()
    for delivery_id in _due_ids(engine, limit):
        if _claim(engine, delivery_id, policy.lease):
            _deliver_claimed(engine, delivery_id, notifiers, policy, rng, counts)
    return counts


def _is_due(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(Delivery.status == "pending", Delivery.next_attempt_at <= now),
        and_(Delivery.status == "sending", Delivery.claimed_until < now),
    )


def _due_ids(engine: Engine, limit: int) -> list[int]:
    with session_scope(engine) as session:
        query = (
            select(Delivery.id)
            .where(_is_due(utcnow()))
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
        return list(session.exec(query))


def _claim(engine: Engine, delivery_id: int, lease: timedelta) -> bool:
    now = utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, _is_due(now))
            .values(status="sending", claimed_until=now + lease)
        )
        return result.rowcount == 1


def _deliver_claimed(
    engine: Engine,
    delivery_id: int,
    notifiers: dict[str, Notifier],
    policy: RetryPolicy,
    rng: random.Random,
    counts: DeliveryCounts,
) -> None:
    with session_scope(engine) as session:
        delivery = session.get(Delivery, delivery_id)
        event = session.get(Event, delivery.event_id)
        sources = event_sources(session, event.id)
    # The send happens outside any transaction: no lock is held while a channel is slow.
    external_id, error = _send(notifiers.get(delivery.channel), delivery, event, sources)
    with session_scope(engine) as session:
        delivery = session.get(Delivery, delivery_id)
        _record_outcome(delivery, event, external_id, error, policy, rng, counts)
        session.add(delivery)


def _send(
    notifier: Notifier | None, delivery: Delivery, event: Event, sources: list[EventSource]
) -> tuple[str | None, str | None]:
    """Send one message: (message id, None) when accepted, (None, reason) when not."""
    if notifier is None:
        return None, f"no notifier configured for channel {delivery.channel!r}"
    try:
        return notifier.send(event, sources), None
    except DeliveryError as exc:
        return None, str(exc)
    except Exception as exc:  # a notifier bug must not block every delivery behind this one
        log.exception("notifier for %s raised unexpectedly", delivery.channel)
        return None, f"{type(exc).__name__}: {exc}"


def _record_outcome(
    delivery: Delivery,
    event: Event,
    external_id: str | None,
    error: str | None,
    policy: RetryPolicy,
    rng: random.Random,
    counts: DeliveryCounts,
) -> None:
    now = utcnow()
    delivery.attempts += 1
    delivery.claimed_until = None
    if error is None:
        delivery.status, delivery.sent_at = "sent", now
        delivery.external_id, delivery.last_error = external_id, None
        counts.sent += 1
        log.info("event %s delivered to %s", event.id, delivery.channel)
        return
    delivery.last_error = error
    counts.errors.append(error)
    if now - delivery.created_at >= policy.max_age:
        delivery.status = "failed"
        counts.failed += 1
        log.error(
            "delivery %s of event %s to %s failed for good: %s",
            delivery.id,
            event.id,
            delivery.channel,
            error,
        )
        return
    delivery.status = "pending"
    delivery.next_attempt_at = policy.next_attempt(delivery.attempts, now, rng)
    counts.retrying += 1
    log.warning(
        "delivery %s of event %s to %s failed, retrying at %s: %s",
        delivery.id,
        event.id,
        delivery.channel,
        delivery.next_attempt_at.isoformat(timespec="seconds"),
        error,
    )
