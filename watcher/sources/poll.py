"""Polling: which sources are due, fetching them side by side, and storing what they said.

Due sources are claimed a batch at a time (one UPDATE per batch), so replicas polling at once
share the work and a replica that dies holds few sources. A claim is a short lease whose
heartbeat renews it while the batch is fetched (store/leases.py): a slow fetch keeps its
sources, a replica that dies loses them within the lease. Fetching and parsing run in worker
threads, kept about two batches ahead, while the calling thread stores what has come back, a
group at a time as fetches finish: storing overlaps fetching, and one slow source holds up no
other's results. Every database write but the lease's heartbeat happens in the calling
thread. A group is one transaction, written set-based: its sources' rows are read with one
query and their changes flushed once (304s alike become one executemany UPDATE), its new
documents are one INSERT.
A group that cannot be stored is stored again a source at a time, so one bad source never
loses another's work.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

import httpx
from sqlalchemy import Engine, bindparam, or_, update
from sqlmodel import Session, col, select

from watcher.http_util import redact_urls
from watcher.sources.config import SourceConfig
from watcher.sources.errors import FetchError, SourceError
from watcher.sources.http import FetchResult, backoff_delay, fetch
from watcher.sources.kinds import KINDS, GroupItems, PollContext
from watcher.sources.parsers import FeedParsers
from watcher.sources.sec import (
    MAX_POLL_WAIT,
    NO_CONTACT,
    RateLimited,
    SecAccess,
    is_sec_request,
    not_polled_reason,
)
from watcher.store.db import insert_new, session_scope
from watcher.store.leases import Lease, LeaseTerms
from watcher.store.models import Document, Source, stored_id, utcnow

log = logging.getLogger(__name__)


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


STORE_GROUP = 64  # outcomes stored per transaction, at most
# How long a finished poll may wait for others to fill its group before it is stored.
STORE_LINGER = 0.05
# Sources claimed at once, at least; more with more concurrency (8 per worker thread).
CLAIM_BATCH = 64
# Successful polls in a row that must see one permanent redirect, to the same URL, before the
# stored URL follows it: one 301 (a mistake, a server hijacked for an hour) must not rewrite
# for good where a source is polled.
MOVE_AFTER = 3
REMOVED = "removed from the feeds file"
DISABLED_IN_FILE = "disabled in the feeds file (enabled: false)"


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


def poll_tick(tick: float, intervals: Iterable[timedelta]) -> float:
    """How often to look for due sources: every `tick` seconds, or more often when a source
    is polled more often than that, so that it is polled close to its interval (looked for
    every 30 s, a source due every 30 s would wait for the next look, and be polled every
    60 s)."""
    seconds = [interval.total_seconds() for interval in intervals]
    return min(tick, max(1.0, min(seconds) / 4)) if seconds else tick


def sync_sources(engine: Engine, configs: list[SourceConfig]) -> None:
    """Make the sources table match the feeds file: add new sources, update changed ones and
    disable the ones no longer listed (their documents are kept). Replicas starting together
    may all do this at once: new rows go in with ON CONFLICT DO NOTHING, and the rows are
    updated in name order so two replicas never lock them in opposite orders."""
    by_name = {config.name: config for config in configs}
    with session_scope(engine) as session:
        known = set(session.exec(select(Source.name)))
        rows = [_new_source_row(config) for name, config in by_name.items() if name not in known]
        if rows:
            insert_new(session, Source, rows, ["name"])
        stored = {
            source.name: source
            for source in session.exec(select(Source).order_by(Source.name).with_for_update())
        }
        for name, config in sorted(by_name.items()):
            source = stored[name]
            if source.config_url != config.url:
                _point_at(source, config.url)
            source.kind = config.kind
            source.company = config.company
            source.official = config.official or config.kind.startswith("sec_")
            source.interval_seconds = int(config.interval.total_seconds())
            if not config.enabled:
                source.enabled, source.disabled_reason = False, DISABLED_IN_FILE
            elif source.disabled_reason in (REMOVED, DISABLED_IN_FILE):
                source.enabled, source.disabled_reason = True, None
            if source.last_error:  # recorded before URLs lost their credentials
                source.last_error = redact_urls(source.last_error)
            session.add(source)
        for name, source in stored.items():
            if name not in by_name and source.enabled:
                source.enabled, source.disabled_reason = False, REMOVED
                session.add(source)


def _new_source_row(config: SourceConfig) -> dict:
    return {
        "name": config.name,
        "url": config.url,
        "config_url": config.url,
        "kind": config.kind,
        "company": config.company,
        "official": config.official or config.kind.startswith("sec_"),
        "interval_seconds": int(config.interval.total_seconds()),
        "enabled": config.enabled,
        "disabled_reason": None if config.enabled else DISABLED_IN_FILE,
        "consecutive_failures": 0,
    }


def poll_sources(
    engine: Engine,
    client: httpx.Client,
    limits: FetchLimits,
    *,
    force: bool = False,
    now: datetime | None = None,
    rng: random.Random | None = None,
    sec: SecAccess | None = None,
    context: PollContext | None = None,
    progress: Callable[[], None] | None = None,
) -> PollCounts:
    """Poll every due source (every enabled source with `force`) and store the outcome.

    Sources are claimed a batch at a time; a source another poller has claimed, or has
    polled since it was found due (since this call began, with `force`), is left to it. A
    source that cannot be polled by design with this SEC access (an SEC source without a
    contact) is marked not polled instead, and polled again once it can be. `progress` is
    called after each group of outcomes is stored.
    """
    now = now or utcnow()
    rng = rng or random.Random()
    counts = PollCounts()
    polled_before = utcnow() if force else None
    due = _due_sources(engine, now, force, sec)
    if not due:
        return counts
    batch_size = max(CLAIM_BATCH, 8 * limits.concurrency)
    # Two parsers a core: a parser also waits, for its body and for its answer to be read.
    parsers = FeedParsers(min(limits.concurrency, 2 * (os.cpu_count() or 1)))
    shared = replace(context or PollContext(), parsers=parsers)

    def poller(batch: list[Source]) -> Callable[[Source], PollOutcome]:
        poll_context = _context_for(engine, batch, limits, sec, shared)
        return partial(_poll_one, client, limits=limits, sec=sec, context=poll_context)

    with (
        parsers,
        ThreadPoolExecutor(
            max_workers=min(limits.concurrency, len(due)), thread_name_prefix="poll"
        ) as pool,
        Lease(engine, Source, limits.lease) as lease,
    ):
        claims = _Claims(
            engine, due, batch_size, lease, partial(_claim, now=now, polled_before=polled_before)
        )
        fetches = _Fetches(pool, poller)
        try:
            while True:
                # Keep the workers two batches ahead, so fetching goes on while a group is
                # written; what is claimed and not stored yet stays bounded all the same.
                while (
                    fetches.running() < 2 * batch_size
                    and fetches.in_flight < 4 * batch_size
                    and (batch := claims.next()) is not None
                ):
                    fetches.start(batch)
                if not fetches.in_flight:
                    break
                group = fetches.next_group(STORE_GROUP, STORE_LINGER)
                try:
                    _store_batch(engine, group, limits, counts, rng)
                finally:
                    lease.let_go(stored_id(source) for source, _ in group)
                if progress is not None:
                    progress()
        finally:
            fetches.cancel()  # on an error, fetches not started yet are dropped (leases lapse)
    return counts


class _Claims:
    """The due sources, claimed a batch at a time (one UPDATE each) when asked for."""

    def __init__(
        self,
        engine: Engine,
        due: list[Source],
        batch_size: int,
        lease: Lease,
        claim: Callable[..., list[Source]],
    ) -> None:
        self._engine, self._lease, self._claim = engine, lease, claim
        self._batches = [
            due[start : start + batch_size] for start in range(0, len(due), batch_size)
        ]
        self._batches.reverse()

    def next(self) -> list[Source] | None:
        """The next batch this poller could take (others may hold some of it), held by the
        lease; None when every due source has been tried."""
        while self._batches:
            batch = self._claim(self._engine, self._batches.pop(), lease=self._lease)
            if batch:
                self._lease.hold(stored_id(source) for source in batch)
                return batch
        return None


class _Fetches:
    """Fetches running in the worker threads. Each finished one is kept until the calling
    thread takes it in a group, in the order they finish, so one slow source holds up no
    other's storing."""

    def __init__(
        self,
        pool: ThreadPoolExecutor,
        poller: Callable[[list[Source]], Callable[[Source], PollOutcome]],
    ) -> None:
        self._pool, self._poller = pool, poller
        self._ready = threading.Condition()
        self._done: list[tuple[Source, Future[PollOutcome]]] = []
        self._wanted = 1  # finished fetches that wake the calling thread
        self._futures: list[Future[PollOutcome]] = []
        self.in_flight = 0  # started, not yet taken by `next_group`

    def start(self, batch: list[Source]) -> None:
        poll = self._poller(batch)
        for source in batch:
            future = self._pool.submit(poll, source)
            future.add_done_callback(partial(self._finished, source))
            self._futures.append(future)
        self.in_flight += len(batch)

    def running(self) -> int:
        """Started and not finished yet."""
        with self._ready:
            return self.in_flight - len(self._done)

    def _finished(self, source: Source, future: Future[PollOutcome]) -> None:
        with self._ready:
            self._done.append((source, future))
            if len(self._done) >= self._wanted:
                self._ready.notify()

    def next_group(self, most: int, linger: float) -> list[tuple[Source, PollOutcome]]:
        """Waits for a finished fetch, then up to `linger` seconds for as many as `most` (or
        all that are in flight) to finish; returns those finished, `most` at most. Each group
        costs the database the same few statements, so larger ones cost less per source."""
        with self._ready:
            self._wanted = 1
            self._ready.wait_for(lambda: self._done)
            self._wanted = min(most, self.in_flight)
            self._ready.wait_for(lambda: len(self._done) >= self._wanted, timeout=linger)
            finished, self._done = self._done[:most], self._done[most:]
        self.in_flight -= len(finished)
        self._futures = [future for future in self._futures if not future.done()]
        return [(source, future.result()) for source, future in finished]

    def cancel(self) -> None:
        for future in self._futures:
            future.cancel()


def _store_batch(
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


def _context_for(
    engine: Engine,
    due: list[Source],
    limits: FetchLimits,
    sec: SecAccess | None,
    context: PollContext,
) -> PollContext:
    """The context of this poll: the SEC access and limits, and the stored keys of the
    sources whose kind fetches only what is new (with the keys of the kinds it shares them
    with)."""
    wanting = [source for source in due if KINDS[source.kind].needs_known_keys]
    known: dict[int, set[str]] = {stored_id(source): set() for source in wanting}
    shared = {kind for source in wanting for kind in KINDS[source.kind].shares_keys_with}
    if wanting:
        with session_scope(engine) as session:
            rows = session.exec(
                select(col(Document.source_id), col(Document.key)).where(
                    col(Document.source_id).in_(list(known))
                )
            )
            for source_id, key in rows:
                known[source_id].add(key)
            by_kind = _keys_by_kind(session, shared)
        for source in wanting:
            for kind in KINDS[source.kind].shares_keys_with:
                known[stored_id(source)] |= by_kind.get(kind, set())
    return replace(
        context,
        sec=sec,
        max_bytes=limits.max_bytes,
        deadline=limits.deadline,
        allow_local=limits.allow_local,
        known_keys=known,
    )


def _keys_by_kind(session: Session, kinds: set[str]) -> dict[str, set[str]]:
    """The document keys stored under the sources of each of these kinds."""
    found: dict[str, set[str]] = {kind: set() for kind in kinds}
    if kinds:
        rows = session.exec(
            select(col(Source.kind), col(Document.key))
            .join(Source, col(Document.source_id) == col(Source.id))
            .where(col(Source.kind).in_(sorted(kinds)))
        )
        for kind, key in rows:
            found[kind].add(key)
    return found


def _claim(
    engine: Engine,
    sources: list[Source],
    *,
    now: datetime,
    lease: Lease,
    polled_before: datetime | None,
) -> list[Source]:
    """Take these sources for this poll with one UPDATE, except those another poller holds
    an unexpired lease on or has polled meanwhile: no longer due, or (`polled_before`, a
    forced poll) polled since then. Returns the ones taken, in order."""
    # Lapsed or not, a claim is judged by the clock, never by `now`, which a caller may set
    # to decide what is due.
    clock = utcnow()
    if polled_before is None:
        still_wanted = or_(col(Source.next_poll_at).is_(None), col(Source.next_poll_at) <= now)
    else:
        still_wanted = or_(
            col(Source.last_polled_at).is_(None), col(Source.last_polled_at) < polled_before
        )
    with engine.begin() as connection:
        taken = dict(
            connection.execute(
                update(Source)
                .where(
                    col(Source.id).in_([source.id for source in sources]),
                    or_(col(Source.claimed_until).is_(None), col(Source.claimed_until) < clock),
                    still_wanted,
                )
                .values(**lease.values(clock))
                .returning(col(Source.id), col(Source.interval_seconds))
            ).all()
        )
    claimed = [source for source in sources if source.id in taken]
    for source in claimed:  # as stored now: the next poll is planned from it
        source.interval_seconds = taken[source.id]
    return claimed


def _point_at(source: Source, url: str) -> None:
    """A new URL in the feeds file: poll it at once, with a clean record."""
    source.url = source.config_url = url
    source.etag = source.last_modified = None
    source.moved_to, source.moved_seen = None, 0
    source.enabled, source.disabled_reason = True, None
    source.consecutive_failures, source.next_poll_at = 0, None


def _due_sources(engine: Engine, now: datetime, force: bool, sec: SecAccess | None) -> list[Source]:
    """The enabled sources due for a poll, after bringing their not-polled marks up to date
    (a source not polled by design has no next poll, so it is looked at every time)."""
    with session_scope(engine) as session:
        query = select(Source).where(Source.enabled == True)  # noqa: E712
        if not force:
            query = query.where(
                or_(col(Source.next_poll_at).is_(None), col(Source.next_poll_at) <= now)
            )
        due = []
        for source in session.exec(query.order_by(col(Source.id))):
            if mark_not_polled(source, not_polled_reason(source.kind, source.url, sec)):
                session.add(source)
            if source.kind in KINDS and source.not_polled_reason is None:
                due.append(source)
        return due


def mark_not_polled(source: Source, reason: str | None) -> bool:
    """Record whether `source` is not polled by design (`reason`) or polled (None); True when
    that changed. A source that stops being polled starts clean: the failures it had are no
    longer its health, and it is polled at once when it may be again."""
    if source.not_polled_reason == reason:
        return False
    source.not_polled_reason = reason
    if reason is not None:
        source.consecutive_failures, source.failing_since = 0, None
        if source.last_error == NO_CONTACT:
            source.last_error = None
    source.next_poll_at = None
    return True


def _poll_one(
    client: httpx.Client,
    source: Source,
    limits: FetchLimits,
    sec: SecAccess | None,
    context: PollContext,
) -> PollOutcome:
    """Fetch and parse one source; runs in a worker thread and touches no database."""
    started = time.monotonic()
    outcome = _fetch_and_parse(client, source, limits, sec, context)
    outcome.seconds = time.monotonic() - started
    return outcome


def _fetch_and_parse(
    client: httpx.Client,
    source: Source,
    limits: FetchLimits,
    sec: SecAccess | None,
    context: PollContext,
) -> PollOutcome:
    outcome = PollOutcome(stored_id(source))
    if is_sec_request(source.kind, source.url):
        if sec is None or sec.client is None:
            outcome.error = NO_CONTACT
            return outcome
        client = sec.client
        try:
            sec.limiter.acquire(max_wait=MAX_POLL_WAIT)
        except RateLimited as exc:
            outcome.error = str(exc)
            return outcome
    try:
        outcome.fetched = fetch(
            client,
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            max_bytes=limits.max_bytes,
            deadline=limits.deadline,
            allow_local=limits.allow_local,
            home=source.config_url,
            auth=context.credentials.get(source.name),
            allow_internal_redirects=limits.allow_internal_redirects,
        )
        if outcome.fetched.body is not None and not outcome.fetched.gone:
            kind = KINDS[source.kind]
            outcome.items, outcome.warning = kind.parse(outcome.fetched, source, context)
    except FetchError as exc:
        outcome.error = str(exc)
        if sec is not None and exc.status in (403, 429) and is_sec_request(source.kind, source.url):
            sec.slow_down(exc.retry_after)
    except SourceError as exc:
        outcome.error = str(exc)
    except Exception as exc:  # a bug on hostile input must not stop the other sources
        log.exception(
            "unexpected error polling source %s", source.name, extra={"source": source.name}
        )
        outcome.error = f"internal error: {type(exc).__name__}: {exc}"
    return outcome


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
    jitter = 1 + rng.uniform(0, limits.jitter)
    row = {
        "row_id": source.id,
        "polled_at": now,
        "next_poll_at": now + timedelta(seconds=source.interval_seconds * jitter),
    }
    if fetched.not_modified:
        counts.not_modified += 1
        return row
    warning = outcome.warning and f"parsed with a warning: {outcome.warning}"
    return {
        **row,
        "last_error": warning,
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
    }


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
    row.last_error = outcome.warning and f"parsed with a warning: {outcome.warning}"
    row.next_poll_at = now + timedelta(
        seconds=row.interval_seconds * (1 + rng.uniform(0, limits.jitter))
    )
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
