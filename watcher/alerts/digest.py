"""Digests: one email per schedule slot with the events since the last digest that was sent,
grouped by company, most material first, with an inline chart per company.

Exactly once per slot: the DigestRun row for the slot is inserted first and its unique slot is
the claim, so a second replica (or a second `run_digest` for the same slot) skips; then the
message is sent and the row marked sent, empty or failed. A digest that failed or never got
marked leaves its events to the next one, which starts after the last *sent* slot.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from watcher.alerts import chart
from watcher.alerts.email import event_view, new_message, render, send_message
from watcher.alerts.notifiers import DeliveryError
from watcher.settings import EmailSettings
from watcher.store.db import session_scope
from watcher.store.events import event_sources
from watcher.store.models import Delivery, DigestRun, Event, stored_id, utcnow
from watcher.vocab import DeliveryStatus, severity_rank

log = logging.getLogger(__name__)

# Before any digest was sent, digests reach back this far before the first slot.
FIRST_LOOKBACK = timedelta(days=1)
# How far back the last fire time is looked for: near first, so a frequent schedule is cheap.
_LOOKBACKS = (timedelta(minutes=1), timedelta(hours=1), timedelta(days=1), timedelta(days=32))
Sender = Callable[[EmailSettings, EmailMessage], str]


@dataclass
class CompanyGroup:
    name: str
    events: list[Event]
    chart_png: bytes | None = None
    chart_cid: str | None = None


@dataclass
class DigestOutcome:
    """What a digest run did: sent, empty (nothing sent), skipped (another run has the slot)
    or failed."""

    slot: datetime
    status: str
    since: datetime | None = None
    events: int = 0
    companies: list[str] = field(default_factory=list)
    subject: str | None = None
    message_id: str | None = None
    error: str | None = None

    def describe(self) -> str:
        when = self.slot.strftime("%Y-%m-%d %H:%M:%S UTC")
        if self.status == "sent":
            names = ", ".join(self.companies) or "no companies"
            return (
                f"digest {when}: sent {self.events} events ({names}), "
                f"subject {self.subject!r}, message id {self.message_id}"
            )
        if self.status == "empty":
            return f"digest {when}: no events since the last digest; nothing sent"
        if self.status == "skipped":
            return f"digest {when}: already claimed by another run; nothing sent"
        return f"digest {when}: failed: {self.error}"


# -- schedule ----------------------------------------------------------------------------------


def digest_trigger(settings: EmailSettings) -> CronTrigger | None:
    """The digest schedule, or None when digests are off (no cron, host or recipient)."""
    if not settings.digest_cron or not settings.host or not settings.to:
        return None
    return CronTrigger.from_crontab(settings.digest_cron, timezone=ZoneInfo(settings.timezone))


def latest_slot(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The schedule's last fire time at or before `now`: every replica that fires for the
    same slot computes the same value, however late its job runs."""
    for lookback in (
        timedelta(minutes=1),
        timedelta(hours=1),
        timedelta(days=1),
        timedelta(days=32),
    ):
        fire = trigger.get_next_fire_time(None, now - lookback)
        if fire is None or fire > now:
            continue
        while (following := trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))) and (
            following <= now
        ):
            fire = following
        return fire.astimezone(now.tzinfo)
    return None


def run_scheduled_digest(engine: Engine, settings: EmailSettings) -> DigestOutcome | None:
    """The daemon's job: the digest of the schedule's latest slot."""
    trigger = digest_trigger(settings)
    now = utcnow()
    slot = latest_slot(trigger, now) if trigger else None
    if slot is None:
        return None
    outcome = run_digest(engine, settings, slot)
    log.info("%s", outcome.describe())
    return outcome


# -- one digest --------------------------------------------------------------------------------


def run_digest(
    engine: Engine,
    settings: EmailSettings,
    slot: datetime,
    *,
    sender: Sender = send_message,
    scheduled: bool = True,
) -> DigestOutcome:
    """Claim `slot`, then build and send its digest and record how it went. A scheduled slot
    is whole seconds, the same on every replica; a digest asked for now (`scheduled` False)
    keeps its microseconds, so two asked for within one second are two digests."""
    if scheduled:
        slot = slot.replace(microsecond=0)
    run_id = claim_slot(engine, slot)
    if run_id is None:
        return DigestOutcome(slot, "skipped")
    outcome = DigestOutcome(slot, "failed")
    try:
        outcome = _build_and_send(engine, settings, slot, sender)
    except DeliveryError as exc:
        outcome.error = str(exc)
        log.error("digest %s not sent: %s", slot.isoformat(), exc)
    except Exception as exc:  # a bug must still leave the slot marked, not "pending" forever
        outcome.error = f"{type(exc).__name__}: {exc}"
        log.exception("digest %s failed", slot.isoformat())
    finish_run(engine, run_id, outcome)
    return outcome


def claim_slot(engine: Engine, slot: datetime) -> int | None:
    """Insert the slot's DigestRun row; None when it exists already (someone else has it)."""
    try:
        with engine.begin() as connection:
            result = connection.execute(
                insert(DigestRun).values(slot=slot, status="pending", events=0, created_at=utcnow())
            )
            key = result.inserted_primary_key
            assert key is not None  # a single-row INSERT always has one
            return int(key[0])
    except IntegrityError:
        return None


def finish_run(engine: Engine, run_id: int, outcome: DigestOutcome) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(DigestRun)
            .where(col(DigestRun.id) == run_id)
            .values(
                status=outcome.status,
                events=outcome.events,
                sent_at=utcnow() if outcome.status == "sent" else None,
                last_error=outcome.error,
            )
        )


def _build_and_send(
    engine: Engine, settings: EmailSettings, slot: datetime, sender: Sender
) -> DigestOutcome:
    with session_scope(engine) as session:
        since = window_start(session, slot)
        events = digest_events(session, since, slot)
        groups = group_by_company(events)
        message = digest_message(session, settings, groups, since, slot)
    outcome = DigestOutcome(
        slot,
        "empty",
        since=since,
        events=len(events),
        companies=[group.name for group in groups],
        subject=str(message["Subject"]),
    )
    if not events and not settings.digest_send_empty:
        return outcome
    outcome.message_id = sender(settings, message)
    outcome.status = "sent"
    return outcome


def window_start(session: Session, slot: datetime) -> datetime:
    """Where the digest of `slot` starts: the last sent slot before it; before any digest was
    sent, a day before the first slot ever claimed (so a failed first digest loses nothing)."""
    last_sent = session.exec(
        select(DigestRun.slot)
        .where(DigestRun.status == "sent", DigestRun.slot < slot)
        .order_by(col(DigestRun.slot).desc())
        .limit(1)
    ).first()
    if last_sent is not None:
        return last_sent
    first = session.exec(select(col(DigestRun.slot)).order_by(col(DigestRun.slot)).limit(1)).first()
    return min(first or slot, slot) - FIRST_LOOKBACK


def digest_events(session: Session, since: datetime, until: datetime) -> list[Event]:
    """Events raised in (since, until], except silenced ones (stored and shown, not sent)."""
    # An event whose own message was silenced (a later update being silenced does not count).
    silenced = select(Delivery.event_id).where(
        Delivery.status == DeliveryStatus.SILENCED, Delivery.update_key == ""
    )
    return list(
        session.exec(
            select(Event)
            .where(Event.created_at > since, Event.created_at <= until)
            .where(col(Event.id).not_in(silenced))
            .order_by(col(Event.id))
        )
    )


# -- ordering and rendering --------------------------------------------------------------------


def materiality(event: Event) -> tuple[int, float]:
    """Severity first, then the size of the change (percent at the midpoint, or of a series
    value against the one it is compared with)."""
    size = abs(event.change_pct) if event.change_pct is not None else 0.0
    if event.change_pct is None and event.value is not None and event.previous:
        size = abs(event.value - event.previous) / abs(event.previous) * 100
    return severity_rank(event.severity), size


def group_by_company(events: list[Event]) -> list[CompanyGroup]:
    """One group per company, events most material first, groups by their top event."""
    by_company: dict[str, list[Event]] = {}
    for event in events:
        by_company.setdefault(event.company or "Several companies", []).append(event)
    groups = [
        CompanyGroup(name, sorted(items, key=materiality, reverse=True))
        for name, items in by_company.items()
    ]
    groups.sort(key=lambda group: (materiality(group.events[0]), group.name), reverse=True)
    return groups


def digest_message(
    session: Session,
    settings: EmailSettings,
    groups: list[CompanyGroup],
    since: datetime,
    slot: datetime,
) -> EmailMessage:
    """One message: plain text, and HTML with each company's chart inline
    (multipart/alternative of text and multipart/related of HTML and PNGs)."""
    for group in groups:
        _attach_chart(session, group, slot)
    view = _digest_view(session, settings, groups, since, slot)
    subject = f"[capex-watcher] digest {view['title']}: {_counted(groups)}"
    message = new_message(settings, subject)
    message.set_content(render("digest.txt", digest=view))
    message.add_alternative(render("digest.html", digest=view), subtype="html")
    html_part = list(message.iter_parts())[1]
    for group in groups:
        if group.chart_png is not None and group.chart_cid is not None:
            html_part.add_related(
                group.chart_png,
                maintype="image",
                subtype="png",
                cid=f"<{group.chart_cid}>",
                filename="capex-chart.png",
                disposition="inline",
            )
    return message


def _counted(groups: list[CompanyGroup]) -> str:
    count = sum(len(group.events) for group in groups)
    if not count:
        return "no new events"
    names = ", ".join(group.name for group in groups[:5]) + (", ..." if len(groups) > 5 else "")
    return f"{count} event{'s' if count != 1 else ''} ({names})"


def _attach_chart(session: Session, group: CompanyGroup, slot: datetime) -> None:
    if group.events[0].company is None:
        return
    data = chart.chart_data(session, group.name, slot)
    if data.empty():
        return
    try:
        group.chart_png = chart.render_png(data)
    except Exception:  # a chart is an extra: the digest goes out without it
        log.exception("chart for %s failed", group.name)
        return
    token = re.sub(r"[^A-Za-z0-9.-]", "", group.name) or "company"
    group.chart_cid = make_msgid(idstring=f"chart-{token}", domain="capex-watcher")[1:-1]


def _digest_view(
    session: Session,
    settings: EmailSettings,
    groups: list[CompanyGroup],
    since: datetime,
    slot: datetime,
) -> dict:
    zone = ZoneInfo(settings.timezone)
    local_slot, local_since = slot.astimezone(zone), since.astimezone(zone)
    return {
        "title": local_slot.strftime("%Y-%m-%d"),
        "period": f"Events from {local_since:%Y-%m-%d %H:%M} to {local_slot:%Y-%m-%d %H:%M} "
        f"({settings.timezone})",
        "companies": [
            {
                "name": group.name,
                "chart_cid": group.chart_cid,
                "events": [
                    event_view(e, event_sources(session, stored_id(e))) for e in group.events
                ],
            }
            for group in groups
        ],
    }
