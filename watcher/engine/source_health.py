"""The source watchdog: a source that keeps failing, or goes silent, raises a meta-alert.

- failing: `failing_after` failed polls in a row (`sources.stale_after_intervals`). A failing
  source is polled at most once per interval, so that is about as many intervals.
- silent: no new or changed document for longer than the source's `expect_every` (an optional
  field in the feeds file; sources without it are never silent). A source that has never
  stored a document is not judged silent.

The meta-alert is an ordinary event of rule `source-health` (company None, metric "source",
period None), recorded through the outbox so it reaches the configured channels and obeys
routes and silences. Its key names the source and the streak (the last success before the
failures, or the newest document before the silence), so it is raised once per streak, by one
replica however many run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from watcher.alerts.outbox import record_event
from watcher.engine.types import EventDraft
from watcher.store.db import session_scope
from watcher.store.models import Document, Source, utcnow

log = logging.getLogger(__name__)

RULE = "source-health"
DEFAULT_CHANNELS = ["slack"]  # the default Slack channel, or the console without Slack
MAX_ERROR = 300

# (rule channel names, the event draft) -> delivery channel ids
ChannelResolver = Callable[[list[str], EventDraft], list[str]]


@dataclass(frozen=True)
class WatchPolicy:
    failing_after: int = 6
    silent_after: dict[str, timedelta] = field(default_factory=dict)  # by source name


def check_sources(
    engine: Engine,
    policy: WatchPolicy,
    resolve_channels: ChannelResolver,
    *,
    now: datetime | None = None,
) -> int:
    """Raise a meta-alert for every source failing or silent too long; returns how many new
    events were recorded."""
    now = now or utcnow()
    raised = 0
    with session_scope(engine) as session:
        for name, draft in _failing(session, policy) + _silent(session, policy, now):
            result = record_event(session, draft, resolve_channels(DEFAULT_CHANNELS, draft))
            if result.created:
                raised += 1
                log.warning(
                    "meta-alert: %s",
                    draft.summary,
                    extra={"event_id": result.event.id, "source": name},
                )
    return raised


def _failing(session: Session, policy: WatchPolicy) -> list[tuple[str, EventDraft]]:
    sources = session.exec(
        select(Source).where(
            Source.enabled == True,  # noqa: E712
            Source.consecutive_failures >= policy.failing_after,
        )
    )
    drafts = []
    for source in sources:
        streak = _stamp(source.last_success_at)
        summary = (
            f"Source {source.name} has failed {source.consecutive_failures} polls in a row "
            f"(polled every {_duration(source.interval_seconds)})"
        )
        error = (source.last_error or "")[:MAX_ERROR]
        key = f"{RULE}:{source.name}:failing:{streak}"
        drafts.append((source.name, _draft(key, "high", "failing", summary, error)))
    return drafts


def _silent(session: Session, policy: WatchPolicy, now: datetime) -> list[tuple[str, EventDraft]]:
    if not policy.silent_after:
        return []
    newest = session.exec(
        select(Source.name, func.max(Document.fetched_at))
        .join(Document, Document.source_id == Source.id)
        .where(Source.enabled == True, Source.name.in_(list(policy.silent_after)))  # noqa: E712
        .group_by(Source.name)
    )
    drafts = []
    for name, last in newest:
        expected = policy.silent_after[name]
        if last is None or now - last <= expected:
            continue
        summary = (
            f"Source {name} has had no new document for {_duration((now - last).total_seconds())} "
            f"(expected one every {_duration(expected.total_seconds())})"
        )
        key = f"{RULE}:{name}:silent:{_stamp(last)}"
        drafts.append((name, _draft(key, "medium", "silent", summary, "")))
    return drafts


def _draft(key: str, severity: str, change: str, summary: str, quote: str) -> EventDraft:
    return EventDraft(
        key=key,
        rule=RULE,
        severity=severity,
        company=None,
        metric="source",
        period=None,
        change=change,
        currency="USD",
        low=None,
        high=None,
        prior_low=None,
        prior_high=None,
        change_pct=None,
        quote=quote,
        summary=summary,
        observation_id=None,
        document_id=None,
    )


def _stamp(when: datetime | None) -> str:
    return when.isoformat(timespec="seconds") if when is not None else "never"


def _duration(seconds: float) -> str:
    """3600 -> '1h', 90 -> '1m30s', 2 days -> '2d'."""
    seconds = int(seconds)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts[:2]) or "0s"
