"""The delivery job: claims due outbox rows, sends each through its channel's notifier, and
marks it sent only after the channel accepted it; a failure is retried with exponential
backoff and jitter until the delivery is too old, then it is marked failed.

A claim is a lease (status "sending" until `claimed_until`), taken with one atomic UPDATE, so
two processes never send the same row; a sender that dies leaves its lease to expire and the
row is sent again: at most the message in flight is repeated.

An update (a row with an `update_key`) replies in the thread of the event's own message on its
channel, so it waits until that message is sent; it is silenced with it. A delivery whose
event falls under an active silence when its turn comes is marked silenced, not sent.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, update
from sqlmodel import select

from watcher.alerts.notifiers import DeliveryError, Notifier
from watcher.alerts.outbox import event_sources
from watcher.alerts.silences import SILENCED, matching_silence
from watcher.alerts.updates import Thread, thread_for
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
    waiting: int = 0  # updates whose event's own message is not sent yet
    silenced: int = 0
    errors: list[str] = field(default_factory=list)
    by_channel: Counter[tuple[str, str]] = field(default_factory=Counter)  # (channel, outcome)
    lag_seconds: list[float] = field(default_factory=list)  # outbox row written -> sent


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
        claimed_until = _claim(engine, delivery_id, policy.lease)
        if claimed_until is not None:
            _deliver_claimed(engine, delivery_id, claimed_until, notifiers, policy, rng, counts)
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


def _claim(engine: Engine, delivery_id: int, lease: timedelta) -> datetime | None:
    """Take the delivery; returns our lease's end (the claim's identity), or None."""
    now = utcnow()
    with engine.begin() as connection:
        result = connection.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, _is_due(now))
            .values(status="sending", claimed_until=now + lease)
        )
        return now + lease if result.rowcount == 1 else None


def _deliver_claimed(
    engine: Engine,
    delivery_id: int,
    claimed_until: datetime,
    notifiers: dict[str, Notifier],
    policy: RetryPolicy,
    rng: random.Random,
    counts: DeliveryCounts,
) -> None:
    with session_scope(engine) as session:
        delivery = session.get(Delivery, delivery_id)
        event = session.get(Event, delivery.event_id)
        sources = event_sources(session, event.id)
        thread = thread_for(session, delivery) if delivery.update_key else Thread("send")
        # A silence added while the delivery waited (an outage, say) holds it back too.
        if matching_silence(session, company=event.company, rule=event.rule) is not None:
            thread = Thread("silence")
    if thread.action != "send":
        _hold(engine, delivery_id, thread, policy, counts)
        return
    # The send happens outside any transaction: no lock is held while a channel is slow.
    notifier = notifiers.get(delivery.channel)
    external_id, error, retry_after = _send(notifier, delivery, event, sources, thread.thread_ts)
    with session_scope(engine) as session:
        delivery = session.exec(
            select(Delivery).where(Delivery.id == delivery_id).with_for_update()
        ).one()
        if delivery.status != "sending" or delivery.claimed_until != claimed_until:
            # Our lease ran out during a slow send and another sender took the delivery over:
            # its outcome is the one to keep (this send may have been a duplicate).
            log.warning(
                "delivery %s: lease lost during the send; outcome left to the new sender",
                delivery_id,
            )
            return
        _record_outcome(delivery, event, external_id, error, policy, rng, counts, retry_after)
        session.add(delivery)


def _hold(
    engine: Engine, delivery_id: int, thread: Thread, policy: RetryPolicy, counts: DeliveryCounts
) -> None:
    """Give back the claim on a delivery that does not go now: silenced, or an update waiting
    for its event's message (without counting an attempt)."""
    with session_scope(engine) as session:
        delivery = session.get(Delivery, delivery_id)
        delivery.claimed_until = None
        if thread.action == "silence":
            delivery.status = SILENCED
            counts.silenced += 1
        else:
            delivery.status = "pending"
            delivery.next_attempt_at = utcnow() + timedelta(seconds=policy.base_seconds)
            counts.waiting += 1
        session.add(delivery)


def _send(
    notifier: Notifier | None,
    delivery: Delivery,
    event: Event,
    sources: list[EventSource],
    thread_ts: str | None,
) -> tuple[str | None, str | None, float | None]:
    """Send one message: (message id, None, None) when accepted, (None, reason, seconds the
    channel asked us to wait) when not."""
    if notifier is None:
        return None, f"no notifier configured for channel {delivery.channel!r}", None
    try:
        if delivery.update_key:
            return _send_update(notifier, delivery, event, thread_ts), None, None
        return notifier.send(event, sources), None, None
    except DeliveryError as exc:
        return None, str(exc), exc.retry_after
    except Exception as exc:  # a notifier bug must not block every delivery behind this one
        log.exception("notifier for %s raised unexpectedly", delivery.channel)
        return None, f"{type(exc).__name__}: {exc}", None


def _send_update(
    notifier: Notifier, delivery: Delivery, event: Event, thread_ts: str | None
) -> str | None:
    send_update = getattr(notifier, "send_update", None)
    if send_update is None:
        raise DeliveryError(f"channel {delivery.channel!r} does not take updates")
    return send_update(event, delivery.note or "", thread_ts)


def _record_outcome(
    delivery: Delivery,
    event: Event,
    external_id: str | None,
    error: str | None,
    policy: RetryPolicy,
    rng: random.Random,
    counts: DeliveryCounts,
    retry_after: float | None = None,
) -> None:
    now = utcnow()
    delivery.attempts += 1
    delivery.claimed_until = None
    if error is None:
        delivery.status, delivery.sent_at = "sent", now
        delivery.external_id, delivery.last_error = external_id, None
        counts.sent += 1
        counts.by_channel[delivery.channel, "sent"] += 1
        counts.lag_seconds.append((now - delivery.created_at).total_seconds())
        log.info(
            "event %s delivered to %s",
            event.id,
            delivery.channel,
            extra={"event_id": event.id, "channel": delivery.channel},
        )
        return
    delivery.last_error = error
    counts.errors.append(error)
    if now - delivery.created_at >= policy.max_age:
        delivery.status = "failed"
        counts.failed += 1
        counts.by_channel[delivery.channel, "failed"] += 1
        log.error(
            "delivery %s of event %s to %s failed for good: %s",
            delivery.id,
            event.id,
            delivery.channel,
            error,
            extra={"event_id": event.id, "channel": delivery.channel},
        )
        return
    delivery.status = "pending"
    delivery.next_attempt_at = policy.next_attempt(delivery.attempts, now, rng)
    if retry_after:  # the channel's own Retry-After is a floor, not a suggestion
        delivery.next_attempt_at = max(
            delivery.next_attempt_at, now + timedelta(seconds=retry_after)
        )
    counts.retrying += 1
    counts.by_channel[delivery.channel, "retrying"] += 1
    log.warning(
        "delivery %s of event %s to %s failed, retrying at %s: %s",
        delivery.id,
        event.id,
        delivery.channel,
        delivery.next_attempt_at.isoformat(timespec="seconds"),
        error,
        extra={"event_id": event.id, "channel": delivery.channel},
    )
