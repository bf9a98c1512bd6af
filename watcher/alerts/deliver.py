"""The delivery job: a chain of small stages over claimed outbox rows, in the manner of
Alertmanager's notify pipeline. Each stage takes the rows in hand and returns the ones that go
on; a row a stage stops is settled by that stage (silenced, or handed back to wait).

    route    -> the row's channel plug-in has a notifier for it (else the send fails)
    silence  -> the one place that checks silences: a row under one is marked silenced
    wait     -> an update waits until its event's own message on that channel is sent, and
                replies in its thread (silenced with it; a follow-up when it failed)
    send     -> the notifier, outside any transaction (no lock is held while a channel is slow)
    record   -> sent only after the channel accepted it; a failure is retried with
                exponential backoff and jitter (not before the channel's Retry-After) until the
                row is too old, then marked failed; a permanent failure (a revoked token, a
                channel that does not exist) is marked failed at once, with its reason

A claim is a lease (status sending, `claimed_by` the lease, until `claimed_until`), taken
with one atomic UPDATE, so two processes never send the same row. The lease is short and its
heartbeat renews it while the row goes through the chain (store/leases.py), so a slow channel
keeps its row however long the send takes; a sender that dies stops renewing, its lease lapses
within `lease.lease` and another sender sends the row again: at most the message in flight is
repeated. Rows go through the chain one at a time, so a lease never waits behind other rows'
sends.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, or_, update
from sqlmodel import col, select

from watcher.alerts.notifiers import DeliveryError, Notifier
from watcher.alerts.silences import matching_silence
from watcher.store.db import session_scope
from watcher.store.events import event_sources
from watcher.store.leases import Lease, LeaseTerms
from watcher.store.models import Delivery, Event, EventSource, stored_id, utcnow
from watcher.vocab import DeliveryStatus

log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    max_age: timedelta = timedelta(days=2)
    lease: LeaseTerms = field(default_factory=LeaseTerms)

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


@dataclass
class Item:
    """One claimed outbox row on its way through the chain, with what the stages learn."""

    delivery: Delivery
    event: Event
    sources: list[EventSource]
    notifier: Notifier | None = None
    thread_ts: str | None = None  # an update's parent message
    external_id: str | None = None
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False  # the channel's answer no retry can change


@dataclass
class Run:
    """What the stages share during one delivery job."""

    engine: Engine
    notifiers: dict[str, Notifier]
    policy: RetryPolicy
    rng: random.Random
    counts: DeliveryCounts
    lease: Lease  # the claims of this job, renewed while it runs


Stage = Callable[[list[Item], Run], list[Item]]


def chain() -> list[Stage]:
    """The delivery story, in order."""
    return [route, silence, wait_for_parent, send, record]


def run_chain(stages: Sequence[Stage], items: list[Item], run: Run) -> list[Item]:
    """Run the stages in order; stop as soon as no row is left."""
    for stage in stages:
        if not items:
            break
        items = stage(items, run)
    return items


def deliver_due(
    engine: Engine,
    notifiers: dict[str, Notifier],
    policy: RetryPolicy,
    *,
    limit: int = 200,
    rng: random.Random | None = None,
) -> DeliveryCounts:
    """Send every delivery whose time has come, each claimed on its own."""
    with Lease(engine, Delivery, policy.lease) as lease:
        run = Run(engine, notifiers, policy, rng or random.Random(), DeliveryCounts(), lease)
        stages = chain()
        for delivery_id in _due_ids(engine, limit):
            items = _claim(run, delivery_id)
            try:
                run_chain(stages, items, run)
            finally:
                lease.let_go([delivery_id])
    return run.counts


# -- claiming ----------------------------------------------------------------------------------


def _is_due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(col(Delivery.status) == DeliveryStatus.PENDING, col(Delivery.next_attempt_at) <= now),
        and_(col(Delivery.status) == DeliveryStatus.SENDING, col(Delivery.claimed_until) < now),
    )


def _due_ids(engine: Engine, limit: int) -> list[int]:
    with session_scope(engine) as session:
        query = (
            select(col(Delivery.id))
            .where(_is_due(utcnow()))
            .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
            .limit(limit)
        )
        return [delivery_id for delivery_id in session.exec(query) if delivery_id is not None]


def _claim(run: Run, delivery_id: int) -> list[Item]:
    """Take the delivery (one atomic UPDATE), hold it in the run's lease, and load it with
    its event and sources."""
    now = utcnow()
    with run.engine.begin() as connection:
        result = connection.execute(
            update(Delivery)
            .where(col(Delivery.id) == delivery_id, _is_due(now))
            .values(status=DeliveryStatus.SENDING, **run.lease.values(now))
        )
    if result.rowcount != 1:
        return []
    run.lease.hold([delivery_id])
    with session_scope(run.engine) as session:
        delivery = session.get_one(Delivery, delivery_id)
        event = session.get_one(Event, delivery.event_id)
        return [Item(delivery, event, event_sources(session, stored_id(event)))]


def _release(run: Run, item: Item, status: DeliveryStatus) -> None:
    """Give back the claim on a row that does not go now: silenced, or an update waiting for
    its event's message (no attempt counted)."""
    with session_scope(run.engine) as session:
        delivery = session.get_one(Delivery, item.delivery.id)
        delivery.claimed_until = None
        delivery.status = status
        if status == DeliveryStatus.PENDING:
            delivery.next_attempt_at = utcnow() + timedelta(seconds=run.policy.base_seconds)
        session.add(delivery)


# -- the stages --------------------------------------------------------------------------------


def route(items: list[Item], run: Run) -> list[Item]:
    """Find each row's notifier; a row whose channel has none fails its send (and is retried:
    the settings may be fixed before the row is too old)."""
    for item in items:
        item.notifier = run.notifiers.get(item.delivery.channel)
        if item.notifier is None:
            item.error = f"no notifier configured for channel {item.delivery.channel!r}"
    return items


def silence(items: list[Item], run: Run) -> list[Item]:
    """Rows of events under an active silence are marked silenced, never sent; a silence
    added while a row waited (an outage, say) holds it back too."""
    going = []
    for item in items:
        with session_scope(run.engine) as session:
            held = matching_silence(session, company=item.event.company, rule=item.event.rule)
        if held is None:
            going.append(item)
            continue
        _release(run, item, DeliveryStatus.SILENCED)
        run.counts.silenced += 1
    return going


def wait_for_parent(items: list[Item], run: Run) -> list[Item]:
    """An update replies in the thread of its event's own message on its channel: it waits
    while that message is pending or being sent, is silenced with it, replies to it once
    sent, and goes as a plain follow-up when there is none to reply to (failed or absent)."""
    going = []
    for item in items:
        if not item.delivery.update_key:
            going.append(item)
            continue
        with session_scope(run.engine) as session:
            parent = session.exec(
                select(Delivery).where(
                    Delivery.event_id == item.delivery.event_id,
                    Delivery.channel == item.delivery.channel,
                    Delivery.update_key == "",
                )
            ).first()
        if parent is not None and parent.status in (
            DeliveryStatus.PENDING,
            DeliveryStatus.SENDING,
        ):
            _release(run, item, DeliveryStatus.PENDING)
            run.counts.waiting += 1
            continue
        if parent is not None and parent.status == DeliveryStatus.SILENCED:
            _release(run, item, DeliveryStatus.SILENCED)
            run.counts.silenced += 1
            continue
        if parent is not None and parent.status == DeliveryStatus.SENT:
            item.thread_ts = parent.external_id
        going.append(item)
    return going


def send(items: list[Item], run: Run) -> list[Item]:
    """Hand each message to its notifier; outside any transaction."""
    for item in items:
        if item.error is not None or item.notifier is None:
            continue
        try:
            if item.delivery.update_key:
                item.external_id = _send_update(item)
            else:
                item.external_id = item.notifier.send(item.event, item.sources)
        except DeliveryError as exc:
            item.error, item.retry_after, item.permanent = str(exc), exc.retry_after, exc.permanent
        except Exception as exc:  # a notifier bug must not block every delivery behind this one
            log.exception("notifier for %s raised unexpectedly", item.delivery.channel)
            item.error = f"{type(exc).__name__}: {exc}"
    return items


def _send_update(item: Item) -> str | None:
    send_update = getattr(item.notifier, "send_update", None)
    if send_update is None:
        raise DeliveryError(f"channel {item.delivery.channel!r} does not take updates")
    return send_update(item.event, item.delivery.note or "", item.thread_ts)


def record(items: list[Item], run: Run) -> list[Item]:
    """Write each outcome, if our lease still holds."""
    for item in items:
        with session_scope(run.engine) as session:
            delivery = session.exec(
                select(Delivery).where(Delivery.id == item.delivery.id).with_for_update()
            ).one()
            if delivery.status != DeliveryStatus.SENDING or not run.lease.holds(delivery):
                # Our lease lapsed (its heartbeat could not reach the database) and another
                # sender took the row over: its outcome is the one to keep (this send may
                # have been a duplicate).
                log.warning(
                    "delivery %s: lease lost during the send; outcome left to the new sender",
                    delivery.id,
                )
                continue
            _record_outcome(delivery, item, run)
            session.add(delivery)
    return items


def _record_outcome(delivery: Delivery, item: Item, run: Run) -> None:
    now, event, counts = utcnow(), item.event, run.counts
    delivery.attempts += 1
    delivery.claimed_until = None
    if item.error is None:
        delivery.status, delivery.sent_at = DeliveryStatus.SENT, now
        delivery.external_id, delivery.last_error = item.external_id, None
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
    delivery.last_error = item.error
    counts.errors.append(item.error)
    if item.permanent or now - delivery.created_at >= run.policy.max_age:
        delivery.status = DeliveryStatus.FAILED
        counts.failed += 1
        counts.by_channel[delivery.channel, "failed"] += 1
        log.error(
            "delivery %s of event %s to %s failed for good: %s",
            delivery.id,
            event.id,
            delivery.channel,
            item.error,
            extra={"event_id": event.id, "channel": delivery.channel},
        )
        return
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = run.policy.next_attempt(delivery.attempts, now, run.rng)
    if item.retry_after:  # the channel's own Retry-After is a floor, not a suggestion
        delivery.next_attempt_at = max(
            delivery.next_attempt_at, now + timedelta(seconds=item.retry_after)
        )
    counts.retrying += 1
    counts.by_channel[delivery.channel, "retrying"] += 1
    log.warning(
        "delivery %s of event %s to %s failed, retrying at %s: %s",
        delivery.id,
        event.id,
        delivery.channel,
        delivery.next_attempt_at.isoformat(timespec="seconds"),
        item.error,
        extra={"event_id": event.id, "channel": delivery.channel},
    )
