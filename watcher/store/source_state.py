"""What state a source is in, read from its row: one answer for `watcher sources`, `watcher
status`, `/metrics` and the source-health rule.

- ``not_polled``: not polled by design (`Source.not_polled_reason`, e.g. an SEC source while
  `sec.contact` is not set): never fetched, never failing, never alerted on.
- ``disabled``: taken out of polling (`Source.disabled_reason`: removed from or disabled in the
  feeds file, 410 Gone).
- ``failing``: its last poll failed (`consecutive_failures` in a row, since `failing_since`).
- ``ok``: its last poll succeeded; ``new``: not polled yet.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import ColumnElement, and_
from sqlmodel import col

from watcher.store.models import Source


class SourceState(StrEnum):
    OK = "ok"
    NEW = "new"
    FAILING = "failing"
    DISABLED = "disabled"
    NOT_POLLED = "not_polled"


class SourceHealth(Protocol):
    """The columns a state is read from: a `Source` row, or a result row selecting them."""

    @property
    def enabled(self) -> bool: ...
    @property
    def not_polled_reason(self) -> str | None: ...
    @property
    def consecutive_failures(self) -> int: ...
    @property
    def last_success_at(self) -> datetime | None: ...


def source_state(source: SourceHealth) -> SourceState:
    if not source.enabled:
        return SourceState.DISABLED
    if source.not_polled_reason:
        return SourceState.NOT_POLLED
    if source.consecutive_failures > 0:
        return SourceState.FAILING
    if source.last_success_at is None:
        return SourceState.NEW
    return SourceState.OK


def watched() -> ColumnElement[bool]:
    """SQL condition for the sources whose health is judged: enabled and polled (neither
    disabled nor not polled by design)."""
    return and_(col(Source.enabled) == True, col(Source.not_polled_reason).is_(None))  # noqa: E712


def describe_state(source: Source) -> str:
    """The state as `watcher sources` shows it (times in UTC): "ok", "failing since
    2025-06-01 12:00 (3 polls)", "disabled: 410 Gone: ...", "not polled: sec.contact is not
    set", "new (not polled yet)"."""
    state = source_state(source)
    if state is SourceState.DISABLED:
        return f"disabled: {source.disabled_reason or 'no reason recorded'}"
    if state is SourceState.NOT_POLLED:
        return f"not polled: {source.not_polled_reason}"
    if state is SourceState.FAILING:
        n = source.consecutive_failures
        polls = f"{n} poll{'s' if n > 1 else ''}"
        if source.failing_since is None:
            return f"failing ({polls} in a row)"
        return f"failing since {source.failing_since.strftime('%Y-%m-%d %H:%M')} ({polls})"
    if state is SourceState.NEW:
        return "new (not polled yet)"
    return "ok"
