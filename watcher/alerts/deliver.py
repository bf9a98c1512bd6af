"""The delivery job: claims due outbox rows, sends each through its channel's notifier, and
marks it sent only after the channel accepted it; a failure is retried with exponential
backoff and jitter until the delivery is too old, then it is marked failed."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import select

from watcher.alerts.notifiers import DeliveryError, Notifier
from watcher.alerts.outbox import event_sources
from watcher.store.db import session_scope
from watcher.store.models import Delivery, Event, utcnow

log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    max_age: timedelta = timedelta(days=2)

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
    """Send every pending delivery whose time has come; one transaction per delivery so a
    crash repeats at most the message in flight."""
    rng = rng or random.Random()
    counts = DeliveryCounts()
    for delivery_id in _due_ids(engine, limit):
        _deliver_one(engine, delivery_id, notifiers, policy, rng, counts)
    return counts


def _due_ids(engine: Engine, limit: int) -> list[int]:
    with session_scope(engine) as session:
        query = (
            select(Delivery.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= utcnow())
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
        return list(session.exec(query))


def _deliver_one(
    engine: Engine,
    delivery_id: int,
    notifiers: dict[str, Notifier],
    policy: RetryPolicy,
    rng: random.Random,
    counts: DeliveryCounts,
) -> None:
    with session_scope(engine) as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None or delivery.status != "pending":
            return
        event = session.get(Event, delivery.event_id)
        notifier = notifiers.get(delivery.channel)
        now = utcnow()
        delivery.attempts += 1
        try:
            if notifier is None:
                raise DeliveryError(f"no notifier configured for channel {delivery.channel!r}")
            external_id = notifier.send(event, event_sources(session, event.id))
        except DeliveryError as exc:
            delivery.last_error = str(exc)
            if now - delivery.created_at >= policy.max_age:
                delivery.status = "failed"
                counts.failed += 1
                log.error(
                    "delivery %s of event %s to %s failed for good: %s",
                    delivery.id,
                    event.id,
                    delivery.channel,
                    exc,
                )
            else:
                delivery.next_attempt_at = policy.next_attempt(delivery.attempts, now, rng)
                counts.retrying += 1
                log.warning(
                    "delivery %s of event %s to %s failed, retrying at %s: %s",
                    delivery.id,
                    event.id,
                    delivery.channel,
                    delivery.next_attempt_at.isoformat(timespec="seconds"),
                    exc,
                )
            counts.errors.append(str(exc))
            return
        delivery.status = "sent"
        delivery.sent_at = now
        delivery.external_id = external_id
        delivery.last_error = None
        counts.sent += 1
        log.info("event %s delivered to %s", event.id, delivery.channel)
