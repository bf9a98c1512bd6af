"""Polling: which sources are due, fetching them side by side, and handing what they said to
be stored (`watcher.sources.outcomes`).

Due sources are claimed a batch at a time (one UPDATE per batch, which returns each source's
interval), so replicas polling at once share the work and a replica that dies holds few
sources. A claim is a short lease whose heartbeat renews it while the batch is fetched
(store/leases.py): a slow fetch keeps its sources, a replica that dies loses them within the
lease. Fetching runs in worker threads, kept about two batches ahead, and every body is parsed
in the poll's parser processes (`watcher.sources.parsers`), while the calling thread stores
what has come back, a group at a time as fetches finish: storing overlaps fetching and
parsing, and one slow source holds up no other's results. Every database write but the
lease's heartbeat happens in the calling thread.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine, or_, update
from sqlmodel import Session, col, select

from watcher.http_util import redact_urls
from watcher.sources.config import SourceConfig
from watcher.sources.errors import FetchError, SourceError
from watcher.sources.http import FetchClient, fetch
from watcher.sources.kinds import KINDS, PollContext
from watcher.sources.outcomes import (
    STORE_GROUP,
    FetchLimits,
    PollCounts,
    PollOutcome,
    store_outcomes,
)
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
from watcher.store.leases import Lease
from watcher.store.models import Document, Source, stored_id, utcnow

log = logging.getLogger(__name__)


# How long a finished poll may wait for others to fill its group before it is stored.
STORE_LINGER = 0.05
# Sources claimed at once, at least; more with more concurrency (8 per worker thread).
CLAIM_BATCH = 64
REMOVED = "removed from the feeds file"
DISABLED_IN_FILE = "disabled in the feeds file (enabled: false)"


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
    client: FetchClient,
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

    try:
        with (
            parsers,
            ThreadPoolExecutor(
                max_workers=min(limits.concurrency, len(due)), thread_name_prefix="poll"
            ) as pool,
            Lease(engine, Source, limits.lease) as lease,
        ):
            claims = _Claims(
                engine,
                due,
                batch_size,
                lease,
                partial(_claim, now=now, polled_before=polled_before),
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
                        store_outcomes(engine, group, limits, counts, rng)
                    finally:
                        lease.let_go(stored_id(source) for source, _ in group)
                    if progress is not None:
                        progress()
            finally:
                fetches.cancel()  # on an error, fetches not started yet are dropped (leases lapse)
    finally:
        # Connections idle until the next poll, minutes away, would only hold descriptors.
        client.close()
        if sec is not None and sec.client is not None:
            sec.client.close()
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
    client: FetchClient,
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
    client: FetchClient,
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
