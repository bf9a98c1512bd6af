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
second never trips them; here every connection a fetch opens is watched, and when the
deadline passes its socket is shut down, which ends the read or write waiting on it. So that
every connection is seen opening, connections are not kept alive between requests.

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
import ipaddress
import mimetypes
import random
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from watcher.http_util import origin, retry_after, split_credentials
from watcher.sources.errors import FetchError

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
    redirects, no connection kept alive (see the module docstring).

    `read_timeout` bounds each wait for the next bytes; `fetch`'s deadline bounds the total.
    """
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
    )
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept": ACCEPT},
        timeout=timeout,
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


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


class _Watch:
    """One fetch's deadline over every connection it opens: when it passes, their sockets are
    shut down, which ends a read or write blocked on them in the fetching thread.

    Each socket is watched through a duplicate descriptor of its own, shut down (never
    closed) at the deadline and closed when the fetch ends: the connection's own descriptor
    may be closed and its number reused meanwhile, and a duplicate outlives a TLS wrapper
    taking the socket over."""

    def __init__(self, seconds: float, started: float) -> None:
        self.seconds = seconds
        self.expired = False
        self.phase = "connecting"
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        left = seconds - (time.monotonic() - started)
        self._timer = threading.Timer(max(left, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watch:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def tracer(self, guard: Callable[[Any], None] | None) -> Callable[[str, dict], None]:
        """The httpcore `trace` extension of one request: watches each connection it opens,
        checks its peer with `guard`, and keeps the phase for the deadline's message."""

        def trace(event: str, info: dict) -> None:
            self.phase = _PHASES.get(event, self.phase)
            if event == "connection.connect_tcp.complete":
                stream = info["return_value"]
                self._add(stream.get_extra_info("socket"))
                if guard is not None:
                    guard(stream)

        return trace

    def check(self, url: str) -> None:
        """Raise the deadline's `FetchError` if it has passed (the likely cause of whatever
        error the cut connection gave)."""
        if self.expired:
            raise FetchError(f"deadline of {self.seconds:g} s passed while {self.phase}: {url}")

    def _add(self, sock: socket.socket) -> None:
        with self._lock:
            watched = sock.dup()
            self._sockets.append(watched)
            if self.expired:
                _shut(watched)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):  # already closed by the peer
        sock.shutdown(socket.SHUT_RDWR)


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
