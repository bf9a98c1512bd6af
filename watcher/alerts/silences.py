"""Silences: the stage that holds back alerts a user asked not to receive for a while.

A silence names a company (or every company) and optionally one rule, and lasts until a time
or until it is expired by hand. The delivery chain's silence stage (`watcher.alerts.deliver`)
is the one place that checks them: a delivery whose event falls under an active silence is
marked silenced there, shown by `watcher events` and `watcher status`, never sent.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, or_, select

from watcher.durations import parse_duration
from watcher.errors import WatcherError
from watcher.store.models import Silence, utcnow


def parse_until(text: str, now: datetime | None = None) -> datetime:
    """WHEN as a duration from now (`90m`, `2h`, `3d`, `1w`) or an ISO date or datetime (UTC
    unless it names a zone; a bare date means the end of that day)."""
    now = now or utcnow()
    try:
        return now + parse_duration(text)
    except ValueError:
        pass  # not a duration: a date or datetime
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            day = date.fromisoformat(text.strip())
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise WatcherError(
            f"--until: not a duration (2h, 3d) or an ISO date/datetime: {text!r}"
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def add_silence(
    session: Session,
    *,
    company: str | None,
    rule: str | None,
    until: datetime,
    reason: str,
    now: datetime | None = None,
) -> Silence:
    now = now or utcnow()
    if until <= now:
        raise WatcherError(f"--until: {until.isoformat(timespec='minutes')} is in the past")
    if not reason.strip():
        raise WatcherError("--reason: say why the alerts are silenced")
    silence = Silence(
        company=company.upper() if company else None,
        rule=rule or None,
        until=until,
        reason=reason.strip(),
        created_at=now,
    )
    session.add(silence)
    session.flush()
    return silence


def list_silences(session: Session, *, include_ended: bool = False) -> list[Silence]:
    query = select(Silence).order_by(col(Silence.id))
    if not include_ended:
        query = query.where(*_active_clause(utcnow()))
    return list(session.exec(query))


def expire_silence(session: Session, silence_id: int, now: datetime | None = None) -> Silence:
    silence = session.get(Silence, silence_id)
    if silence is None:
        raise WatcherError(f"no silence with id {silence_id}")
    now = now or utcnow()
    if silence.expired_at is None and silence.until > now:
        silence.expired_at = now
        session.add(silence)
    return silence


def is_active(silence: Silence, now: datetime) -> bool:
    return silence.expired_at is None and silence.until > now


def matching_silence(
    session: Session, *, company: str | None, rule: str, now: datetime | None = None
) -> Silence | None:
    """The first active silence covering this company and rule, if any."""
    query = (
        select(Silence)
        .where(*_active_clause(now or utcnow()))
        .where(or_(col(Silence.company).is_(None), col(Silence.company) == (company or "").upper()))
        .where(or_(col(Silence.rule).is_(None), col(Silence.rule) == rule))
        .order_by(col(Silence.id))
    )
    return session.exec(query).first()


def _active_clause(now: datetime) -> tuple:
    return (col(Silence.expired_at).is_(None), col(Silence.until) > now)
