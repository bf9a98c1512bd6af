"""Fetching one source URL over HTTP(S), safely and politely.

`fetch` does a conditional GET (If-None-Match / If-Modified-Since), follows redirects itself so
it can tell a permanent move (301/308: the caller may update the stored URL) from a temporary
one, streams the body under a size cap, and turns every failure into a `FetchError` with a
one-line reason. `backoff_delay` says how long to leave a failing source alone.

One deadline covers the whole fetch: connecting, the response headers and the body, over every
redirect, and our own lookup of a redirect target's name (off the configured origin). The
lookup httpx makes when it connects is not covered: it cannot be interrupted, and only the
system resolver's timeouts bound it (the deadline counts its time, and applies after it).
httpx's timeouts bound each wait for the next bytes, so a server sending its headers a byte a
second never trips them; here every connection a fetch uses is watched, and when the
deadline passes its socket is shut down, which ends the read or write waiting on it.
Connections are kept alive between fetches (the client's pool, shared by a poll's threads):
a connection is watched by the deadline of the fetch using it, from that fetch's first read
or write on it until its response is closed, whether the fetch opened it or took it from the
pool (`_WatchedStream`). One thread watches every fetch's deadline (`_Watchdog`).

Credentials never travel inside a URL: they are given apart (`auth`; user-info found in a URL
is taken out of it and used the same way) and sent only to the origin of the source's
configured URL (`home`). The URLs in results and errors carry no password.

A request off that origin (a redirect elsewhere) may not reach a loopback, private,
link-local or otherwise non-public address: the name's addresses are checked before the
request and the address connected to after connecting, unless `allow_internal_redirects`. A
permanent redirect onto such an address is never reported as a move.
"""

from __future__ import annotations

import email.utils
import heapq
import ipaddress
import itertools
import logging
import mimetypes
import os
import random
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpcore
import httpx

from watcher.http_util import origin, retry_after, split_credentials
from watcher.sources.errors import FetchError

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
PERMANENT_REDIRECTS = frozenset({301, 308})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass
class FetchResult:
    """What one fetch gave. `body` is None for 304 (not modified) and 410 (gone)."""

    status: int
    url: str  # the URL finally fetched, after redirects
    permanent_redirect_to: str | None  # where a leading run of 301/308 redirects ended
    not_modified: bool  # 304: nothing new since the given ETag / Last-Modified
    gone: bool  # 410: the feed was removed; the caller disables the source
    etag: str | None
    last_modified: str | None
    body: bytes | None
    content_type: str | None
    elapsed: float


def make_client(
    *, user_agent: str, connect_timeout: float = 10, read_timeout: float = 30
) -> httpx.Client:
    """An httpx client for `fetch`: our User-Agent, feed-friendly Accept, no automatic
    redirects, connections kept alive between fetches and watched by each fetch's deadline
    (see the module docstring). One client is meant to be shared by every fetch of a poll.

    `read_timeout` bounds each wait for the next bytes; `fetch`'s deadline bounds the total.
    """
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
    )
    client = httpx.Client(
        headers={"User-Agent": user_agent, "Accept": ACCEPT},
        timeout=timeout,
        follow_redirects=False,
    )
    _watch_connections(client)
    return client


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    deadline: float = 60.0,
    allow_local: bool = False,
    home: str | None = None,
    auth: tuple[str, str] | None = None,
    allow_internal_redirects: bool = False,
) -> FetchResult:
    """Fetch `url`; see the module docstring. Raises `FetchError` for anything but 2xx/304/410.

    On 304 the result's etag/last_modified are the server's new ones, else the ones given, so
    the caller can always store what it gets back. `file://` URLs and bare paths are read only
    with `allow_local`. `home` is the source's configured URL (default `url`): its origin gets
    `auth` (user, password) and may be at any address.
    """
    started = time.monotonic()
    if _is_local(url):
        if not allow_local:
            raise FetchError(f"not an http(s) URL (local files are not allowed): {url}")
        return _fetch_local(url, last_modified=last_modified, max_bytes=max_bytes, started=started)
    url, in_url = split_credentials(url)
    auth = auth or in_url
    home_origin = origin(split_credentials(home)[0] if home else url)
    _check_scheme(url)
    headers = _conditional_headers(etag, last_modified)
    current, permanent_to, all_permanent = url, None, True
    unmovable: set[str] = set()  # internal addresses off the home origin, allowed by setting
    with _Watch(deadline, started) as watch:
        for _hop in range(MAX_REDIRECTS + 1):
            at_home = origin(current) == home_origin
            guard = None
            if not at_home:
                internal = _internal_address(current, started, deadline)
                if internal and not allow_internal_redirects:
                    raise _refused(current, internal)
                if internal:
                    unmovable.add(current)
                elif not allow_internal_redirects and not _proxied(client, current):
                    guard = _peer_guard(current)
            request = _Request(current, headers, auth if at_home else None, guard)
            response_or_next = _request(client, request, started, deadline, max_bytes, watch)
            if isinstance(response_or_next, FetchResult):
                result = response_or_next
                result.permanent_redirect_to = None if permanent_to in unmovable else permanent_to
                result.etag = result.etag or (etag if result.not_modified else None)
                if result.not_modified:
                    result.last_modified = result.last_modified or last_modified
                return result
            status, target = response_or_next
            if status in PERMANENT_REDIRECTS and all_permanent:
                permanent_to = target if target != url else None
            else:
                all_permanent = False
            current = target
    raise FetchError(f"more than {MAX_REDIRECTS} redirects, last to {current}")


def backoff_delay(
    failures: int, *, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Seconds to wait after `failures` failures in a row: exponential (base, 2*base, 4*base,
    ... up to `cap`) with full jitter, so failing sources do not retry in lockstep."""
    if failures <= 0:
        return 0.0
    ceiling = min(cap, base * 2.0 ** min(failures - 1, 60))
    return (rng or random).uniform(0, ceiling)


# --- one request -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    url: str  # without credentials
    headers: dict[str, str]
    auth: tuple[str, str] | None  # only on the home origin
    guard: Callable[[Any], None] | None  # checks the connection's peer address


def _request(
    client: httpx.Client,
    request: _Request,
    started: float,
    deadline: float,
    max_bytes: int,
    watch: _Watch,
) -> FetchResult | tuple[int, str]:
    """One GET: a final `FetchResult`, or (status, absolute target) for a redirect."""
    url = request.url
    remaining = _remaining(started, deadline, url)
    try:
        with client.stream(
            "GET",
            url,
            headers=request.headers,
            auth=httpx.BasicAuth(*request.auth) if request.auth else None,
            timeout=_timeout(client, remaining),
            extensions={"trace": watch.tracer(request.guard)},
        ) as r:
            if r.status_code in PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS:
                return r.status_code, _redirect_target(r, url)
            if r.status_code in (304, 410):
                # Read the (empty) body so the connection closes cleanly.
                r.read()
                watch.check(url)
                return _result(
                    r,
                    url,
                    started,
                    body=None,
                    not_modified=r.status_code == 304,
                    gone=r.status_code == 410,
                )
            if r.status_code >= 300:
                raise FetchError(
                    f"HTTP {r.status_code} {r.reason_phrase} from {url}".rstrip(),
                    status=r.status_code,
                    retry_after=retry_after(r.headers),
                )
            body = _read_body(r, url, started, deadline, max_bytes, watch)
            return _result(r, url, started, body=body)
    except httpx.TimeoutException as exc:
        watch.check(url)
        raise FetchError(f"timed out ({_describe(exc)}) fetching {url}") from exc
    except httpx.HTTPError as exc:
        watch.check(url)
        raise FetchError(f"{_describe(exc)} fetching {url}") from exc
    except (OSError, ValueError) as exc:  # e.g. an invalid URL or header value
        watch.check(url)
        raise FetchError(f"{type(exc).__name__}: {exc} fetching {url}") from exc


def _read_body(
    response: httpx.Response,
    url: str,
    started: float,
    deadline: float,
    max_bytes: int,
    watch: _Watch,
) -> bytes:
    """The body, streamed: fails as soon as it exceeds `max_bytes` or the deadline passes."""
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body too large: Content-Length {int(declared)} > {max_bytes} bytes")
    watch.phase = "reading the body"
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"body too large: more than {max_bytes} bytes from {url}")
        if time.monotonic() - started > deadline:
            raise FetchError(f"deadline of {deadline:g} s passed while reading the body of {url}")
        chunks.append(chunk)
    # A body without a length ends where the connection ends: one cut by the deadline would
    # otherwise pass for whole.
    watch.check(url)
    return b"".join(chunks)


def _result(
    response: httpx.Response,
    url: str,
    started: float,
    *,
    body: bytes | None,
    not_modified: bool = False,
    gone: bool = False,
) -> FetchResult:
    return FetchResult(
        status=response.status_code,
        url=url,
        permanent_redirect_to=None,
        not_modified=not_modified,
        gone=gone,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        body=body,
        content_type=response.headers.get("content-type"),
        elapsed=time.monotonic() - started,
    )


def _redirect_target(response: httpx.Response, url: str) -> str:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(f"HTTP {response.status_code} redirect without a Location from {url}")
    # User-info in a Location is dropped: credentials come only from the caller.
    target = split_credentials(urljoin(url, location))[0]
    _check_scheme(target, what="redirect target")
    return target


def _timeout(client: httpx.Client, remaining: float) -> httpx.Timeout:
    """The client's timeouts, each cut to what is left of the deadline."""
    base = client.timeout

    def cut(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(
        connect=cut(base.connect), read=cut(base.read), write=cut(base.write), pool=cut(base.pool)
    )


def _remaining(started: float, deadline: float, url: str) -> float:
    remaining = deadline - (time.monotonic() - started)
    if remaining <= 0:
        raise FetchError(f"deadline of {deadline:g} s passed before fetching {url}")
    return remaining


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _describe(exc: Exception) -> str:
    detail = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {detail[0]}" if detail else type(exc).__name__


def _check_scheme(url: str, *, what: str = "URL") -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) {what}: {url}")


# --- the deadline over connections -------------------------------------------------------

# What a fetch was doing, by the trace events httpcore reports (for the deadline's message).
_PHASES = {
    "connection.connect_tcp.started": "connecting",
    "connection.start_tls.started": "in the TLS handshake",
    "http11.send_request_headers.started": "sending the request",
    "http11.receive_response_headers.started": "waiting for the response headers",
}


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
_USE = threading.Lock()
_current = threading.local()  # the `_Watch` of the fetch running in this thread, if any


class _Connection:
    """One TCP connection of the pool, as the deadlines see it: a duplicate of its socket
    (shut down, never closed, to cut it; it outlives a TLS wrapper taking the socket over,
    and its number cannot be reused while we hold it) and the fetch using it now, if any."""

    __slots__ = ("closed", "cut", "sock", "user")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock.dup()
        self.user: _Watch | None = None
        self.cut = False
        self.closed = False

    def shut(self) -> None:
        """Cut the connection (under `_USE`): a read or write blocked on it ends."""
        if not self.closed and not self.cut:
            self.cut = True
            with suppress(OSError):  # already closed by the peer
                self.sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with _USE:
            if not self.closed:
                self.closed = True
                self.sock.close()


class _WatchedStream(httpcore.NetworkStream):
    """A connection's stream that tells the fetch running in the calling thread that it is
    using it, before every read and write: a connection kept alive and taken from the pool
    by another fetch is watched by that fetch's deadline from its first byte on."""

    def __init__(self, inner: httpcore.NetworkStream, connection: _Connection) -> None:
        self._inner, self._connection = inner, connection

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self._used()
        return self._inner.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        watch = self._used()
        if watch is not None and watch.guard is not None:
            # Each request off the configured origin checks the peer it is about to talk
            # to, also on a connection kept alive from an earlier request.
            guard, watch.guard = watch.guard, None
            guard(self)
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            self._connection.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        try:
            inner = self._inner.start_tls(ssl_context, server_hostname, timeout)
        except BaseException:
            self._connection.close()  # the inner stream closed itself
            raise
        return _WatchedStream(inner, self._connection)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._connection.cut:
            return True  # a cut connection back in the pool is dropped, never reused
        return self._inner.get_extra_info(info)

    def _used(self) -> _Watch | None:
        watch: _Watch | None = getattr(_current, "watch", None)
        if watch is not None and self._connection.user is not watch:
            watch.use(self._connection)
        return watch


class _WatchedBackend(httpcore.SyncBackend):
    """httpcore's own backend, its streams watched (`_WatchedStream`)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            connection = _Connection(stream.get_extra_info("socket"))
        except BaseException:
            stream.close()
            raise
        return _WatchedStream(stream, connection)


def _watch_connections(client: httpx.Client) -> None:
    """Put `_WatchedBackend` under every connection pool of `client` (its own and any proxy
    mount's). httpx does not expose the backend, hence the attribute: checked here, so that
    an httpx or httpcore whose pools lack it fails at once instead of leaving fetches with no
    deadline."""
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        if transport is None:
            continue
        pool = getattr(transport, "_pool", None)
        if not isinstance(getattr(pool, "_network_backend", None), httpcore.SyncBackend):
            raise RuntimeError(
                f"cannot watch the connections of {type(transport).__name__}: fetch deadlines "
                "need httpcore's connection pool (see watcher/sources/http.py)"
            )
        pool._network_backend = _WatchedBackend()  # type: ignore[union-attr]


class _Watch:
    """One fetch's deadline over every connection it uses: when it passes, the connections
    the fetch is using are cut (their sockets shut down), which ends a read or write blocked
    on them in the fetching thread. A connection is the fetch's from the first read or write
    it makes on it until its response is closed (then it may go back to the pool, and another
    fetch's deadline watches it)."""

    def __init__(self, seconds: float, started: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.phase = "connecting"
        self.guard: Callable[[Any], None] | None = None  # the peer check of the next request
        self._when = started + seconds
        self._connections: list[_Connection] = []
        self._alarm: _Alarm | None = None
        self._outer: _Watch | None = None

    def __enter__(self) -> _Watch:
        self._outer = getattr(_current, "watch", None)
        _current.watch = self
        self._alarm = _WATCHDOG.add(self._when, self._expire)
        return self

    def __exit__(self, *exc_info: object) -> None:
        _current.watch = self._outer
        if self._alarm is not None:
            _WATCHDOG.cancel(self._alarm)
        self._let_go()

    def tracer(self, guard: Callable[[Any], None] | None) -> Callable[[str, dict], None]:
        """The httpcore `trace` extension of one request: checks the peer of a connection it
        opens with `guard` (and of one kept alive, before the request is written), keeps the
        phase for the deadline's message, and lets go of the connection when the response is
        closed."""
        self.guard = guard

        def trace(event: str, info: dict) -> None:
            self.phase = _PHASES.get(event, self.phase)
            if event == "connection.connect_tcp.complete" and guard is not None:
                guard(info["return_value"])
            elif event == "http11.response_closed.started":
                self._let_go()

        return trace

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

    def _let_go(self) -> None:
        with _USE:
            for connection in self._connections:
                if connection.user is self:
                    connection.user = None
            self._connections.clear()

    def _expire(self) -> None:
        with _USE:
            self.expired = True
            for connection in self._connections:
                if connection.user is self:
                    connection.shut()


# --- addresses off the home origin ---------------------------------------------------------


def _internal_address(url: str, started: float, deadline: float) -> str | None:
    """The first address of `url`'s host that is not public (its IP, or what its name
    resolves to); None when all are public, or when the name does not resolve (the request
    then fails on its own). The name is looked up within what is left of the deadline."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = _resolve(host, parts.port or 443, _remaining(started, deadline, url))
        except TimeoutError:
            raise FetchError(
                f"deadline of {deadline:g} s passed while resolving {host}: {url}"
            ) from None
        except (OSError, UnicodeError):
            return None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return next((str(address) for address in addresses if _is_internal(address)), None)


def _resolve(host: str, port: int, seconds: float) -> list[Any]:
    """`socket.getaddrinfo` waited for at most `seconds` (TimeoutError past them): the lookup
    runs in a thread of its own, since a lookup cannot be interrupted, and a resolver that does
    not answer then holds only that thread, until the resolver's own timeouts end it."""
    done = threading.Event()
    outcome: list[Any] = []

    def lookup() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except BaseException as exc:  # handed to the waiting thread
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=lookup, name=f"resolve {host}", daemon=True).start()
    if not done.wait(seconds):
        raise TimeoutError(f"resolving {host}")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return list(outcome[0])


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local, shared, reserved, unspecified or multicast: anything a
    public feed has no business sending us to."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def _peer_guard(url: str) -> Callable[[Any], None]:
    """A check of the address a connection for `url` actually reached: the name may have
    resolved to another address since it was checked."""

    def guard(stream: Any) -> None:
        peer = stream.get_extra_info("server_addr")
        address = ipaddress.ip_address(str(peer[0]).split("%")[0]) if peer else None
        if address is not None and _is_internal(address):
            stream.close()
            raise _refused(url, str(address))

    return guard


def _proxied(client: httpx.Client, url: str) -> bool:
    """Whether the environment sends `url` through a proxy (whose own address is then the
    peer, so only the name's addresses can be checked)."""
    if not client.trust_env:
        return False
    proxies = urllib.request.getproxies()
    scheme = urlsplit(url).scheme.lower()
    if not (proxies.get(scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(urlsplit(url).hostname or "")


def _refused(url: str, address: str) -> FetchError:
    return FetchError(
        f"redirect to an internal address refused: {url} is {address}, off the configured "
        "URL's origin (sources.allow_internal_redirects allows it)"
    )


# --- local files (tests, offline runs) -----------------------------------------------------


def _is_local(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    return scheme == "file" or scheme == "" or (len(scheme) == 1 and url[1:3] in (":\\", ":/"))


def _local_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        return Path(unquote(parts.path))
    return Path(url)


def _fetch_local(
    url: str, *, last_modified: str | None, max_bytes: int, started: float
) -> FetchResult:
    """Read a local file as if it were served: Last-Modified from its mtime, 304 when equal."""
    path = _local_path(url)
    try:
        stat = path.stat()
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if last_modified and last_modified == modified:
            body = None
        elif stat.st_size > max_bytes:
            raise FetchError(f"body too large: {path} has {stat.st_size} > {max_bytes} bytes")
        else:
            with path.open("rb") as handle:
                body = handle.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"body too large: more than {max_bytes} bytes in {path}")
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return FetchResult(
        status=200 if body is not None else 304,
        url=url,
        permanent_redirect_to=None,
        not_modified=body is None,
        gone=False,
        etag=None,
        last_modified=modified,
        body=body,
        content_type=mimetypes.guess_type(path.name)[0],
        elapsed=time.monotonic() - started,
    )
