"""Claims on work that replicas share (sources to poll, deliveries to send): short leases kept
alive by a heartbeat while the work runs.

A claimed row carries who holds it (`claimed_by`, a token of one `Lease`) and until when
(`claimed_until`). The claimer takes rows with one atomic UPDATE that sets both (`values`),
only where no unexpired claim stands, then tells its `Lease` which rows it `hold`s. While
the `Lease` is open, a heartbeat thread pushes `claimed_until` of the rows it holds
`terms.lease` into the future every `terms.heartbeat`, so a slow fetch or Slack call keeps
its claim however long it takes. A replica that dies stops beating: its claims lapse at most
`terms.lease` after it died, and any other replica may take the rows. Finishing the work
clears `claimed_until`, which also ends the renewal of that row.

The same scheme works on SQLite and PostgreSQL. Renewals skip rows another transaction has
locked at that moment (PostgreSQL), so a heartbeat never waits on, or deadlocks with, the
transaction storing that very row's outcome; the next beat renews it if it is still held.
Replicas compare `claimed_until` with their own clocks, so their clocks must agree to well
within `terms.lease` (NTP).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import SQLModel, col, select

from watcher.store.models import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeaseTerms:
    """How long a claim outlives its holder's last heartbeat, and how often it beats."""

    lease: timedelta = timedelta(seconds=15)
    heartbeat: timedelta = timedelta(seconds=5)


def claim_token() -> str:
    """A token naming one lease of this process: host and pid for people reading the table,
    and random bits so two leases never share one."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Lease:
    """One holder's claims on rows of `model` (a table with `id`, `claimed_by` and
    `claimed_until`), renewed by a heartbeat thread while the `with` block runs."""

    def __init__(self, engine: Engine, model: type[SQLModel], terms: LeaseTerms) -> None:
        self.engine = engine
        self.model = model
        self.terms = terms
        self.token = claim_token()
        self._held: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def values(self, now: datetime) -> dict[str, Any]:
        """The column values of a claim taken now, for the claimer's UPDATE."""
        return {"claimed_by": self.token, "claimed_until": now + self.terms.lease}

    def hold(self, ids: Iterable[int]) -> None:
        """Keep renewing these rows (the ones the claimer's UPDATE took)."""
        with self._lock:
            self._held.update(ids)

    def let_go(self, ids: Iterable[int]) -> None:
        """Stop renewing these rows: their work is done (or handed back)."""
        with self._lock:
            self._held.difference_update(ids)

    def holds(self, row: Any) -> bool:
        """Whether `row`, as read now, is still claimed by this lease (not taken over)."""
        return row.claimed_by == self.token and row.claimed_until is not None

    def renew(self) -> int:
        """Push the held rows' `claimed_until` forward; the number renewed. Rows whose work
        has finished, or that another holder has taken over, are left alone."""
        with self._lock:
            ids = sorted(self._held)
        if not ids:
            return 0
        model: Any = self.model
        still_ours = (
            select(col(model.id))
            .where(
                col(model.id).in_(ids),
                col(model.claimed_by) == self.token,
                col(model.claimed_until).is_not(None),
            )
            .with_for_update(skip_locked=True)
        )
        with self.engine.begin() as connection:
            result = connection.execute(
                update(model)
                .where(col(model.id).in_(still_ours.scalar_subquery()))
                .values(claimed_until=utcnow() + self.terms.lease)
            )
        return int(result.rowcount)

    def __enter__(self) -> Lease:
        self._thread = threading.Thread(
            target=self._beat, name=f"lease-{self.model.__name__.lower()}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.terms.heartbeat.total_seconds()):
            try:
                self.renew()
            except Exception as exc:  # the database away for a moment: the next beat retries
                log.warning(
                    "could not renew the lease %s on %s (%s); retrying in %s s",
                    self.token,
                    self.model.__name__,
                    exc,
                    self.terms.heartbeat.total_seconds(),
                )
