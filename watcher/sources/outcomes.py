"""What one poll of a source gave, and storing it: the source's row (poll times, failures and
backoff, validators, a permanent move, a 410) and the documents its items make.

Outcomes are stored a group at a time, one transaction per group (`store_outcomes`), written
set-based: a plain outcome (a 304, or a feed read in full with nothing to follow, disable or
record as failed) is one row of an executemany UPDATE planned from the interval its claim
returned; the other sources' rows are read with one query and flushed once; the items of all
the group's sources are stored a kind at a time (`kinds.GroupItems`), documents with one
INSERT. A group that cannot be stored is stored again a source at a time, so one bad source
never loses another's work.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, bindparam, update
from sqlmodel import Session, col, select

from watcher.http_util import redact_urls
from watcher.sources.http import FetchResult, backoff_delay
from watcher.sources.kinds import KINDS, GroupItems
from watcher.store.db import session_scope
from watcher.store.leases import LeaseTerms
from watcher.store.models import Source, stored_id, utcnow

if TYPE_CHECKING:
    from collections.abc import Iterable

log = logging.getLogger(__name__)

STORE_GROUP = 64  # outcomes stored per transaction, at most
# Successful polls in a row that must see one permanent redirect, to the same URL, before the
# stored URL follows it: one 301 (a mistake, a server hijacked for an hour) must not rewrite
# for good where a source is polled.
MOVE_AFTER = 3


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 20 * 1024 * 1024
    deadline: float = 60.0
    allow_local: bool = False
    # Follow redirects off a source's configured origin onto internal addresses (never
    # stored as a move); see sources/http.py.
    allow_internal_redirects: bool = False
    concurrency: int = 8
    backoff_base: float = 60.0
    backoff_cap: float = 6 * 3600.0
    jitter: float = 0.1
    lease: LeaseTerms = field(default_factory=LeaseTerms)


@dataclass
class PollOutcome:
    """What one poll of one source gave: a fetch result and entries, or an error."""

    source_id: int
    fetched: FetchResult | None = None
    items: list = field(default_factory=list)  # feed entries, or reference rates
    warning: str | None = None
    error: str | None = None
    seconds: float = 0.0  # time spent fetching and parsing


@dataclass
class PollCounts:
    polled: int = 0
    failed: int = 0
    not_modified: int = 0
    new_documents: int = 0
    changed_documents: int = 0
    gone: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    fetch_seconds: list[float] = field(default_factory=list)  # one per source fetched


def store_outcomes(
    engine: Engine,
    polled: Iterable[tuple[Source, PollOutcome]],
    limits: FetchLimits,
    counts: PollCounts,
    rng: random.Random,
) -> None:
    """Store the outcomes a group at a time, one transaction per group (a transaction per
    source made a first poll of many feeds wait on the database). If a group cannot be
    stored, each of its sources is stored on its own, so one bad source loses no other's."""
    polled = list(polled)
    for start in range(0, len(polled), STORE_GROUP):
        group = polled[start : start + STORE_GROUP]
        if len(group) > 1 and _stored(engine, group, limits, counts, rng):
            continue
        for source, outcome in group:
            if not _stored(engine, [(source, outcome)], limits, counts, rng):
                # Counted as failed: its lease, no longer renewed, lapses and it is polled
                # again.
                counts.failed += 1
                counts.errors[source.name] = "could not store the poll (see the log)"


def _stored(
    engine: Engine,
    polled: list[tuple[Source, PollOutcome]],
    limits: FetchLimits,
    counts: PollCounts,
    rng: random.Random,
) -> bool:
    """`_store_outcomes`, with the counts put back as they were if it fails."""
    before = _snapshot(counts)
    if _store_outcomes(engine, polled, limits, counts, rng):
        return True
    _roll_back(counts, before)  # the transaction was rolled back: its counts too
    return False


def _snapshot(counts: PollCounts) -> tuple[PollCounts, int]:
    """The counts as they are now, for `_roll_back`: a copy but for the fetch times, of which
    only the number is kept (a deep copy copied every fetch time so far, once per group)."""
    return replace(counts, errors=dict(counts.errors), fetch_seconds=[]), len(counts.fetch_seconds)


def _roll_back(counts: PollCounts, before: tuple[PollCounts, int]) -> None:
    """Put back the counts `_snapshot` took."""
    saved, fetched = before
    fetch_seconds = counts.fetch_seconds
    del fetch_seconds[fetched:]
    counts.__dict__.update(saved.__dict__)
    counts.fetch_seconds = fetch_seconds


def _store_outcomes(
    engine: Engine,
    polled: list[tuple[Source, PollOutcome]],
    limits: FetchLimits,
    counts: PollCounts,
    rng: random.Random,
) -> bool:
    """Store these outcomes in one transaction; False if it fails (logged for a single
    source)."""
    try:
        with session_scope(engine) as session, session.no_autoflush:
            # Plain outcomes (a 304, or a feed read in full: nothing to follow, disable or
            # record as failed) skip the ORM: their columns are written by one executemany
            # UPDATE per statement, from the claimed row's interval. The others are loaded
            # with one query (the session holds them only while referenced, hence the
            # variable) and flushed once, at the commit.
            plain = [(source, outcome) for source, outcome in polled if _plain(source, outcome)]
            plain_ids = {source.id for source, _ in plain}
            ids = [source.id for source, _ in polled if source.id not in plain_ids]
            loaded = (  # noqa: F841
                list(session.exec(select(Source).where(col(Source.id).in_(ids)))) if ids else []
            )
            items = GroupItems()
            updates: dict[bool, list[dict]] = {True: [], False: []}
            for source, outcome in polled:
                if source.id in plain_ids:
                    assert outcome.fetched is not None
                    updates[outcome.fetched.not_modified].append(
                        _plain_row(source, outcome, limits, counts, rng)
                    )
                    if not outcome.fetched.not_modified:
                        items.add(source.kind, stored_id(source), outcome.items)
                else:
                    _store_outcome(session, source, outcome, limits, counts, rng, items)
            for not_modified, rows in updates.items():
                if rows:
                    # In id order, as the ORM flushes rows (replicas lock rows in one order).
                    rows.sort(key=lambda row: row["row_id"])
                    statement = _NOT_MODIFIED if not_modified else _READ_IN_FULL
                    session.connection().execute(statement, rows)
            new, changed = items.store(session, utcnow())
            counts.new_documents += new
            counts.changed_documents += changed
    except Exception:  # e.g. the database briefly locked: the lease lapses, retried
        if len(polled) == 1:
            log.exception(
                "could not store the poll of source %s",
                polled[0][0].name,
                extra={"source": polled[0][0].name},
            )
        return False
    return True


def _store_outcome(
    session: Session,
    source: Source,
    outcome: PollOutcome,
    limits: FetchLimits,
    counts: PollCounts,
    rng: random.Random,
    items: GroupItems,
) -> None:
    now = utcnow()
    counts.polled += 1
    counts.fetch_seconds.append(outcome.seconds)
    row = session.get_one(Source, source.id)
    row.last_polled_at, row.claimed_until = now, None
    if outcome.error is not None:
        error = redact_urls(outcome.error)  # whatever an error quoted, never a password
        _record_failure(row, error, now, limits, rng)
        counts.failed += 1
        counts.errors[row.name] = error
        log.warning(
            "source %s failed (%d in a row): %s",
            row.name,
            row.consecutive_failures,
            error,
            extra={"source": row.name},
        )
    else:
        _record_success(row, outcome, now, limits, rng, counts, items)
    session.add(row)


def _plain(source: Source, outcome: PollOutcome) -> bool:
    """An outcome that only moves the source's poll times on and, for a body read in full,
    keeps its validators: no error, no redirect, not gone, and no warning that leaves the
    body to be read again (`SourceKind.warning_means_incomplete`)."""
    fetched = outcome.fetched
    if outcome.error is not None or fetched is None or fetched.gone:
        return False
    if fetched.permanent_redirect_to is not None:
        return False
    if fetched.not_modified:
        return outcome.warning is None
    return not (outcome.warning and KINDS[source.kind].warning_means_incomplete)


# What `_store_outcome` writes for a plain outcome (`_record_success`, `_follow_move(row,
# None)`): a 304 moves the poll times on; a body read in full also keeps its validators and
# its parse warning.
_POLLED: dict[str, object] = {
    "last_polled_at": bindparam("polled_at"),
    "last_success_at": bindparam("polled_at"),
    "claimed_until": None,
    "consecutive_failures": 0,
    "failing_since": None,
    "next_poll_at": bindparam("next_poll_at"),
    "moved_to": None,
    "moved_seen": 0,
}
_NOT_MODIFIED = (
    update(Source).where(col(Source.id) == bindparam("row_id")).values(**_POLLED, last_error=None)
)
_READ_IN_FULL = (
    update(Source)
    .where(col(Source.id) == bindparam("row_id"))
    .values(
        **_POLLED,
        last_error=bindparam("last_error"),
        etag=bindparam("etag"),
        last_modified=bindparam("last_modified"),
    )
)


def _plain_row(
    source: Source,
    outcome: PollOutcome,
    limits: FetchLimits,
    counts: PollCounts,
    rng: random.Random,
) -> dict:
    """The parameters of `_NOT_MODIFIED` or `_READ_IN_FULL` for one plain outcome, counted
    as `_store_outcome` counts it."""
    fetched = outcome.fetched
    assert fetched is not None
    now = utcnow()
    counts.polled += 1
    counts.fetch_seconds.append(outcome.seconds)
    row = {
        "row_id": source.id,
        "polled_at": now,
        "next_poll_at": _next_poll(now, source.interval_seconds, limits, rng),
    }
    if fetched.not_modified:
        counts.not_modified += 1
        return row
    return {
        **row,
        "last_error": _warning_note(outcome.warning),
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
    }


def _next_poll(now: datetime, interval: int, limits: FetchLimits, rng: random.Random) -> datetime:
    """After a success: one interval on, stretched by up to `limits.jitter` of it, so sources
    polled together drift apart."""
    return now + timedelta(seconds=interval * (1 + rng.uniform(0, limits.jitter)))


def _warning_note(warning: str | None) -> str | None:
    """What a success with a parse warning records as the source's last error."""
    return warning and f"parsed with a warning: {warning}"


def _record_failure(
    row: Source, error: str, now: datetime, limits: FetchLimits, rng: random.Random
) -> None:
    if row.consecutive_failures == 0:
        row.failing_since = now
    row.consecutive_failures += 1
    row.last_error, row.last_error_at = error, now
    delay = backoff_delay(
        row.consecutive_failures,
        base=limits.backoff_base,
        cap=max(limits.backoff_cap, row.interval_seconds),
        rng=rng,
    )
    row.next_poll_at = now + timedelta(seconds=max(delay, row.interval_seconds))


def _record_success(
    row: Source,
    outcome: PollOutcome,
    now: datetime,
    limits: FetchLimits,
    rng: random.Random,
    counts: PollCounts,
    items: GroupItems,
) -> None:
    fetched = outcome.fetched
    assert fetched is not None
    row.consecutive_failures, row.failing_since = 0, None
    row.last_success_at = now
    row.last_error = _warning_note(outcome.warning)
    row.next_poll_at = _next_poll(now, row.interval_seconds, limits, rng)
    _follow_move(row, fetched.permanent_redirect_to)
    if fetched.gone:
        row.enabled, row.disabled_reason = False, "410 Gone: the feed was removed"
        row.last_error, row.last_error_at = row.disabled_reason, now
        log.warning("source %s is gone (410); disabled", row.name, extra={"source": row.name})
        counts.gone += 1
        return
    if fetched.not_modified:
        counts.not_modified += 1
        return
    if not (outcome.warning and KINDS[row.kind].warning_means_incomplete):
        row.etag, row.last_modified = fetched.etag, fetched.last_modified
    items.add(row.kind, stored_id(row), outcome.items)


def _follow_move(row: Source, target: str | None) -> None:
    """Count a permanent redirect to `target` (None: this poll saw none): the stored URL
    follows it once MOVE_AFTER successful polls in a row have seen it lead to the same URL.
    The fetch never reports a move onto an internal address off the configured origin."""
    if target is None:
        row.moved_to, row.moved_seen = None, 0
        return
    if target != row.moved_to:
        row.moved_to, row.moved_seen = target, 0
    row.moved_seen += 1
    if row.moved_seen < MOVE_AFTER:
        return
    log.info(
        "source %s moved permanently to %s (seen on %d polls in a row)",
        row.name,
        target,
        row.moved_seen,
        extra={"source": row.name},
    )
    row.url, row.moved_to, row.moved_seen = target, None, 0
