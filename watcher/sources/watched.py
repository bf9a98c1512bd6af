"""Connections watched by the deadline of the fetch using them (see `watcher.sources.http`).

A fetch's `Watch` holds its deadline; one thread (`_Watchdog`) calls each deadline as it passes,
and the watch then shuts down the sockets of the connections the fetch is using, which ends a
read or write blocked on them. A connection of the pools (`WatchedHTTPConnectionPool`) is the
fetch's from its request on it (or from connecting) until the fetch lets go of it or it goes
back into its pool; another fetch taking it from the pool is watched by its own deadline. A
connection the client closes while the fetch still reads from it stays open for the deadline
until the fetch lets go. Before a request off the configured origin the connection's peer is
checked (`Watch.guard`), on a new connection as on one kept alive.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from watcher.sources.errors import FetchError

log = logging.getLogger("watcher.sources.http")


class _Watchdog:
    """One thread for every fetch's deadline: a heap of deadlines, each calling its callback
    when it passes (a timer thread per fetch cost a thread start per request)."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # the thread does not survive a fork

    def _reset(self) -> None:
        self._wake = threading.Condition()
        self._heap: list[tuple[float, int, _Alarm]] = []
        self._order = itertools.count()
        self._cancelled = 0
        self._thread: threading.Thread | None = None

    def add(self, when: float, callback: Callable[[], None]) -> _Alarm:
        """Call `callback` in the watchdog's thread at `when` (time.monotonic), unless
        cancelled first."""
        alarm = _Alarm(callback)
        with self._wake:
            heapq.heappush(self._heap, (when, next(self._order), alarm))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="fetch deadlines", daemon=True
                )
                self._thread.start()
            if self._heap[0][2] is alarm:
                self._wake.notify()
        return alarm

    def cancel(self, alarm: _Alarm) -> None:
        with self._wake:
            if alarm.callback is None:  # already called, or being called
                return
            alarm.callback = None
            self._cancelled += 1
            # Cancelled alarms leave the heap when they come up; many at once are swept.
            if self._cancelled > 256 and 2 * self._cancelled > len(self._heap):
                self._heap = [entry for entry in self._heap if entry[2].callback is not None]
                heapq.heapify(self._heap)
                self._cancelled = 0

    def _run(self) -> None:
        while True:
            with self._wake:
                while True:
                    while self._heap and self._heap[0][2].callback is None:
                        heapq.heappop(self._heap)
                        self._cancelled -= 1
                    if not self._heap:
                        self._wake.wait()
                        continue
                    left = self._heap[0][0] - time.monotonic()
                    if left <= 0:
                        break
                    self._wake.wait(left)
                alarm = heapq.heappop(self._heap)[2]
                callback, alarm.callback = alarm.callback, None
            if callback is not None:
                try:
                    callback()
                except Exception:  # never lose the thread that ends every stuck fetch
                    log.exception("a fetch deadline's callback failed")


class _Alarm:
    __slots__ = ("callback",)

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback: Callable[[], None] | None = callback


_WATCHDOG = _Watchdog()
# Guards which fetch is using each connection (`_Connection.user`) and its socket's closing.
# Reentrant: a connection closed by the garbage collector (a dropped pool's finalizer) may
# be closed in a thread that already holds it.
_USE = threading.RLock()
_current = threading.local()  # the `Watch` of the fetch running in this thread, if any


class _Connection:
    """One TCP connection of the pool, as the deadlines see it: a duplicate of its socket
    (shut down, never closed, to cut it; it outlives a TLS wrapper taking the socket over,
    and its number cannot be reused while we hold it) and the fetch using it now, if any."""

    __slots__ = ("closed", "cut", "detached", "sock", "user")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock.dup()
        self.user: Watch | None = None
        self.cut = False
        self.closed = False
        # Closed by the client while a fetch still reads from it: http.client closes a
        # response's connection as soon as it knows the server will (Connection: close, no
        # length), before the body is read; the duplicate stays open, for the deadline to cut,
        # until the fetch lets go of it.
        self.detached = False

    def shut(self) -> None:
        """Cut the connection (under `_USE`): a read or write blocked on it ends."""
        if not self.closed and not self.cut:
            self.cut = True
            with suppress(OSError):  # already closed by the peer
                self.sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with _USE:
            if self.user is not None:
                self.detached = True
            else:
                self.close_now()

    def close_now(self) -> None:
        """Close the duplicate (under `_USE`)."""
        if not self.closed:
            self.closed = True
            self.sock.close()

    def release(self) -> None:
        """No fetch uses it any more (under `_USE`); a detached one is closed now."""
        self.user = None
        if self.detached:
            self.close_now()


class _WatchedHTTPConnection(HTTPConnection):
    """A connection of the pools that tells the fetch running in the calling thread that it is
    using it, when it connects and before each request: a connection kept alive and taken
    from the pool by another fetch is watched by that fetch's deadline from its request on.
    Before a request off the configured origin, the peer is checked (`Watch.guard`), on a new
    connection as on one kept alive."""

    _watched: _Connection | None = None

    def connect(self) -> None:
        _set_phase("connecting")
        super().connect()
        _set_phase("sending the request")

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        try:
            self._watched = _Connection(sock)
            watch = _used(self._watched)
            if watch is not None and watch.guard is not None:
                guard, watch.guard = watch.guard, None
                guard(sock)
        except BaseException:
            self._forget()
            sock.close()
            raise
        if isinstance(self, HTTPSConnection):
            _set_phase("in the TLS handshake")
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        if self.sock is not None and self._watched is not None:  # kept alive
            watch = _used(self._watched)
            if watch is not None and watch.guard is not None:
                guard, watch.guard = watch.guard, None
                guard(self.sock)
            _set_phase("sending the request")
        super().request(*args, **kwargs)

    def getresponse(self) -> Any:
        _set_phase("waiting for the response headers")
        return super().getresponse()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._forget()

    def _forget(self) -> None:
        if self._watched is not None:
            self._watched.close()
            self._watched = None


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class WatchedHTTPConnectionPool(HTTPConnectionPool):
    """A pool of watched connections. A connection going back into it (urllib3 puts it back
    itself when a body has been read to its end) is no longer the fetch's that used it: that
    fetch's deadline must not cut it once another fetch has taken it."""

    ConnectionCls: Any = _WatchedHTTPConnection

    def _put_conn(self, conn: Any) -> None:
        watched = getattr(conn, "_watched", None)
        if watched is not None:
            with _USE:
                watched.release()
        super()._put_conn(conn)


class WatchedHTTPSConnectionPool(WatchedHTTPConnectionPool, HTTPSConnectionPool):
    ConnectionCls: Any = _WatchedHTTPSConnection


def _used(connection: _Connection) -> Watch | None:
    """Hand `connection` to the deadline of the fetch running in this thread, if any."""
    watch: Watch | None = getattr(_current, "watch", None)
    if watch is not None and connection.user is not watch:
        watch.use(connection)
    return watch


def _set_phase(phase: str) -> None:
    watch: Watch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.phase = phase


class Watch:
    """One fetch's deadline over every connection it uses: when it passes, the connections
    the fetch is using are cut (their sockets shut down), which ends a read or write blocked
    on them in the fetching thread. A connection is the fetch's from its request on it until
    its response is released (then it may go back to the pool, and another fetch's deadline
    watches it)."""

    def __init__(self, seconds: float, started: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.phase = "connecting"
        # The peer check of the next request (`_WatchedHTTPConnection`).
        self.guard: Callable[[socket.socket], None] | None = None
        self._when = started + seconds
        self._connections: list[_Connection] = []
        self._alarm: _Alarm | None = None
        self._outer: Watch | None = None

    def __enter__(self) -> Watch:
        self._outer = getattr(_current, "watch", None)
        _current.watch = self
        self._alarm = _WATCHDOG.add(self._when, self._expire)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _current.watch = self._outer
        if self._alarm is not None:
            _WATCHDOG.cancel(self._alarm)
        self.let_go()

    def check(self, url: str) -> None:
        """Raise the deadline's `FetchError` if it has passed (the likely cause of whatever
        error the cut connection gave)."""
        if self.expired:
            raise FetchError(f"deadline of {self.seconds:g} s passed while {self.phase}: {url}")

    def use(self, connection: _Connection) -> None:
        with _USE:
            connection.user = self
            if connection not in self._connections:
                self._connections.append(connection)
            if self.expired:
                connection.shut()

    def let_go(self) -> None:
        with _USE:
            for connection in self._connections:
                if connection.user is self:
                    connection.release()
            self._connections.clear()

    def _expire(self) -> None:
        with _USE:
            self.expired = True
            for connection in self._connections:
                if connection.user is self:
                    connection.shut()
