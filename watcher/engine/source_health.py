"""The `source_health` rule type: a source that keeps failing, or goes silent, raises an event.

- failing: `failing_after` failed polls in a row (default `sources.stale_after_intervals`). A
  failing source is polled at most once per interval, so that is about as many intervals.
- silent: no new or changed document for longer than the source's `expect_every` (an optional
  field in the feeds file; sources without it are never silent). A source that has never
  stored a document is not judged silent.

It is evaluated every cycle like the other rules. Without a rule file of this type, the
pipeline runs one built from settings, named `source-health`. Its events have company None,
metric "source" and period None, and go through the outbox like any other, so they obey
routes and silences. The key names the source and the streak (the last success before the
failures, or the newest document before the silence), so an event is raised once per streak,
by one replica however many run.

The queries import SQLAlchemy and the tables where they run: loading a rule file (`watcher
rules check`) loads no database code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from watcher.durations import format_duration
from watcher.engine.types import Rule, RuleConfig, RuleContext
from watcher.store.drafts import ChannelsFor, Detail, EventDraft, Threads, every_channel
from watcher.vocab import Severity

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

log = logging.getLogger(__name__)

RULE = "source-health"
MAX_ERROR = 300


class SourceHealthConfig(RuleConfig):
    type: Literal["source_health"] = "source_health"
    severity: Severity = Severity.HIGH  # a failing source
    silent_severity: Severity = Severity.MEDIUM  # a source silent longer than expected
    # Failed polls in a row that raise an event.
    failing_after: int = Field(6, ge=1)


class SourceHealthRule(Rule):
    """Sources failing too many polls in a row, or silent longer than expected."""

    type_name = "source_health"
    config_model = SourceHealthConfig
    reads = "sources"
    config: SourceHealthConfig

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        return self._failing(ctx.session) + self._silent(ctx.session, ctx.expect_every, ctx.now)

    def _failing(self, session: Session) -> list[EventDraft]:
        from sqlmodel import select

        from watcher.store.models import Source
        from watcher.store.source_state import watched

        sources = session.exec(
            select(Source)
            .where(
                watched(),  # not disabled, not "not polled" by design
                Source.consecutive_failures >= self.config.failing_after,
            )
            .order_by(Source.name)
        )
        drafts = []
        for source in sources:
            streak = _stamp(source.last_success_at)
            summary = (
                f"Source {source.name} has failed {source.consecutive_failures} polls in a row "
                f"(polled every {format_duration(source.interval_seconds)})"
            )
            error = (source.last_error or "")[:MAX_ERROR]
            since = (
                f"after its last success at {_when(source.last_success_at)}"
                if source.last_success_at
                else "its first poll (never succeeded)"
            )
            details: list[Detail] = [
                ("Source", source.name),
                ("Failing since", since),
                ("Failed polls in a row", str(source.consecutive_failures)),
                ("Last error", error or "none recorded"),
            ]
            key = f"{self.name}:{source.name}:failing:{streak}"
            drafts.append(
                self._draft(key, self.config.severity, "failing", summary, error, details)
            )
        return drafts

    def _silent(
        self, session: Session, expect_every: dict[str, timedelta], now: datetime
    ) -> list[EventDraft]:
        if not expect_every:
            return []
        from sqlalchemy import func
        from sqlmodel import col, select

        from watcher.store.models import Document, Source
        from watcher.store.source_state import watched

        newest = session.exec(
            select(Source.name, func.max(Document.fetched_at))
            .join(Document, col(Document.source_id) == col(Source.id))
            .where(watched(), col(Source.name).in_(list(expect_every)))
            .group_by(Source.name)
            .order_by(Source.name)
        )
        drafts = []
        for name, last in newest:
            expected = expect_every[name]
            if last is None or now - last <= expected:
                continue
            quiet = format_duration((now - last).total_seconds())
            summary = (
                f"Source {name} has had no new document for {quiet} "
                f"(expected one every {format_duration(expected.total_seconds())})"
            )
            details: list[Detail] = [
                ("Source", name),
                ("Last new document", _when(last)),
                ("Silent for", quiet),
                ("Expected every", format_duration(expected.total_seconds())),
            ]
            key = f"{self.name}:{name}:silent:{_stamp(last)}"
            drafts.append(
                self._draft(key, self.config.silent_severity, "silent", summary, "", details)
            )
        return drafts

    def _draft(
        self,
        key: str,
        severity: str,
        change: str,
        summary: str,
        quote: str,
        details: list[Detail],
    ) -> EventDraft:
        return EventDraft(
            key=key,
            rule=self.name,
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
            headline=summary,
            details=tuple(details),
            channels=tuple(self.config.channels),
        )


def default_rule(failing_after: int = 6) -> SourceHealthRule:
    """The source-health rule a pipeline runs when no rule file names this type."""
    return SourceHealthRule(
        SourceHealthConfig(name=RULE, type="source_health", failing_after=failing_after)
    )


@dataclass(frozen=True)
class WatchPolicy:
    failing_after: int = 6
    silent_after: dict[str, timedelta] = field(default_factory=dict)  # by source name


def check_sources(
    engine: Engine,
    policy: WatchPolicy,
    channels_for: ChannelsFor,
    *,
    threads: Threads = every_channel,
    now: datetime | None = None,
) -> int:
    """Evaluate the default source-health rule once with `policy`; returns how many new
    events were recorded."""
    from watcher.engine.evaluate import evaluate_sources

    counts = evaluate_sources(
        engine,
        [default_rule(policy.failing_after)],
        channels_for,
        threads=threads,
        expect_every=policy.silent_after,
        now=now,
    )
    return counts.events


def _stamp(when: datetime | None) -> str:
    return when.isoformat(timespec="seconds") if when is not None else "never"


def _when(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")
