"""The database going away while the daemon runs (a PostgreSQL restart, a network cut, a
SQLite file locked too long): the daemon's jobs fail, and must neither die nor flood the log.

`Outage.guard(job)` runs one job: when it fails because the database cannot be used, the
failure is one log line (the first of an outage, then one a minute while it lasts, then one
when the database is back), the job is left to its next run, and `problem` says why for
`/readyz`. Nothing is lost meanwhile: every stage reads what the previous one stored and
claims its work in the database, so what a failed job did not store is done again once the
database is back. Any other exception is the job's own, and goes on up as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import URL

from watcher.store.db import SETTING, masked_url, unusable_reason

log = logging.getLogger(__name__)

# While an outage lasts, one line this often (seconds) says it still does.
REMIND_EVERY = 60.0


def unavailable_reason(exc: BaseException, url: str | URL) -> str | None:
    """Why the database could not be used, in one line with no password, when `exc` (or an
    exception it was raised from) is such a failure; None for anything else."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        reason = unusable_reason(current, url)
        if reason is not None:
            return reason
        current = current.__cause__ or current.__context__
    return None


class Outage:
    """What the daemon's jobs found of the database (see the module's docstring)."""

    def __init__(self, url: str | URL, *, remind_every: float = REMIND_EVERY):
        self.url = url
        self.remind_every = remind_every
        self._lock = threading.Lock()
        self._problem: str | None = None
        self._since = 0.0
        self._reminded = 0.0
        self._failures = 0

    @property
    def problem(self) -> str | None:
        """Why the database is unavailable, as the latest job found; None when it is not."""
        with self._lock:
            return self._problem

    def describe(self) -> str | None:
        """The problem, how long it has lasted and how many jobs it failed; None when none."""
        with self._lock:
            if self._problem is None:
                return None
            since = time.monotonic() - self._since
            return f"{self._problem} (for {since:.0f} s, {self._failures} jobs failed)"

    @contextmanager
    def guard(self, job: str) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            reason = unavailable_reason(exc, self.url)
            if reason is None:
                raise
            self._failed(job, reason)
        else:
            self._succeeded()

    def _failed(self, job: str, reason: str) -> None:
        now = time.monotonic()
        with self._lock:
            first = self._problem is None
            self._problem, self._failures = reason, self._failures + 1
            if first:
                self._since = self._reminded = now
            elif now - self._reminded < self.remind_every:
                return
            self._reminded = now
            since, failures = now - self._since, self._failures
        if first:
            log.warning(
                "database unavailable (%s %s): %s; %s and every other job will run again "
                "at their next turn",
                SETTING,
                masked_url(self.url),
                reason,
                job,
            )
        else:
            log.warning(
                "database still unavailable after %.0f s (%d jobs failed): %s",
                since,
                failures,
                reason,
            )

    def _succeeded(self) -> None:
        with self._lock:
            if self._problem is None:
                return
            since, failures = time.monotonic() - self._since, self._failures
            self._problem, self._failures = None, 0
        log.warning("database available again after %.0f s (%d jobs failed)", since, failures)
