"""Fetching one source URL over HTTP(S), safely and politely.

`fetch` does a conditional GET (If-None-Match / If-Modified-Since), follows redirects itself so
it can tell a permanent move (301/308: the caller may update the stored URL) from a temporary
one, streams the body under a size cap, and turns every failure into a `FetchError` with a
one-line reason. `backoff_delay` says how long to leave a failing source alone.

One deadline covers the whole fetch: connecting, the response headers and the body, over every
redirect, and our own lookup of a redirect target's name (off the configured origin). The
lookup made when connecting is not covered: it cannot be interrupted, and only the system
resolver's timeouts bound it (the deadline counts its time, and applies after it). Socket
timeouts bound each wait for the next bytes, so a server sending its headers a byte a second
never trips them; here every connection a fetch uses is watched, and when the deadline passes
its socket is shut down, which ends the read or write waiting on it. Connections are kept
alive between fetches (the client's pools, shared by a poll's threads): a connection is
watched by the deadline of the fetch using it, from that fetch's request on it until its
response is released, whether the fetch opened it or took it from the pool
(`watcher.sources.watched`). One thread watches every fetch's deadline.

The HTTP client is urllib3 (`FetchClient`, its pool managers): a poll of thousands of feeds
spends most of its fetching time in the client's own Python, and urllib3 takes about 0.6 of
what httpx takes per request (bench/scale.py prints both). It follows no redirect and retries
nothing on its own; it decodes gzip and deflate bodies (the size cap counts decoded bytes).

Credentials never travel inside a URL: they are given apart (`auth`; user-info found in a URL
is taken out of it and used the same way) and sent only to the origin of the source's
configured URL (`home`). The URLs in results and errors carry no password.

A request off that origin (a redirect elsewhere) may not reach a loopback, private,
link-local or otherwise non-public address: the name's addresses are checked before the
request and the address connected to after connecting, unless `allow_internal_redirects`. A
permanent redirect onto such an address is never reported as a move.
"""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import mimetypes
import os
import random
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import certifi
import urllib3

from watcher.http_util import origin, retry_after, split_credentials
from watcher.sources.errors import FetchError
from watcher.sources.watched import (
    Watch,
    WatchedHTTPConnectionPool,
    WatchedHTTPSConnectionPool,
)

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


# Connections kept alive per host: a poll's threads fetching from one host share them; more at
# once are opened and closed after use (the pools never block a fetch).
KEEP_ALIVE_PER_HOST = 10
HOSTS_KEPT = 64  # hosts whose connection pools are kept (least recently used dropped first)
BODY_CHUNK = 64 * 1024


class FetchClient:
    """The connections `fetch` uses, shared by every fetch of a poll (thread-safe): our
    User-Agent, a feed-friendly Accept, gzip and deflate accepted, the proxies the environment
    names (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY; read once, when the client is made)
    when `trust_env`, and every connection
    watched by the deadline of the fetch using it (see the module docstring). A context
    manager; `close` drops every kept connection."""

    def __init__(
        self,
        *,
        user_agent: str,
        connect_timeout: float = 10,
        read_timeout: float = 30,
        trust_env: bool = True,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.trust_env = trust_env
        self.headers = {
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        self._lock = threading.Lock()
        self._options: dict[str, Any] = {
            "num_pools": HOSTS_KEPT,
            "maxsize": KEEP_ALIVE_PER_HOST,
            "block": False,
            "retries": False,
            **_certificates(trust_env),
        }
        self._direct = self._watched(urllib3.PoolManager(**self._options))
        self._proxies: dict[str, urllib3.PoolManager] = {}
        # Read once: asking the environment walks all of os.environ, a fifth of a fetch's CPU
        # when it was asked on every request.
        self._env_proxies = urllib.request.getproxies_environment() if trust_env else {}

    def proxy_for(self, url: str) -> str | None:
        """The proxy the environment names for `url` (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY,
        minus NO_PROXY), if any."""
        proxies = self._env_proxies
        if not proxies:
            return None
        parts = urlsplit(url)
        proxy = proxies.get(parts.scheme.lower()) or proxies.get("all")
        if not proxy or _bypassed(parts.hostname or "", proxies):
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    def pools_for(self, url: str) -> urllib3.PoolManager:
        """The pool manager a request for `url` goes through: a proxy's, when the environment
        names one for it, else the direct one."""
        proxy = self.proxy_for(url)
        if proxy is None:
            return self._direct
        with self._lock:
            manager = self._proxies.get(proxy)
            if manager is None:
                # The proxy's own credentials, if its URL has them, go in a header of their
                # own (urllib3 does not read them from the URL).
                address, credentials = split_credentials(proxy)
                headers = {"Proxy-Authorization": basic_auth(*credentials)} if credentials else None
                manager = urllib3.ProxyManager(address, proxy_headers=headers, **self._options)
                self._proxies[proxy] = self._watched(manager)
            return manager

    def timeout(self, remaining: float) -> urllib3.Timeout:
        """The client's timeouts, each cut to what is left of the deadline."""
        return urllib3.Timeout(
            connect=min(self.connect_timeout, remaining), read=min(self.read_timeout, remaining)
        )

    def close(self) -> None:
        """Close every kept connection (the client stays usable: the next fetch opens new
        ones). A poll calls it when it ends: a connection idle until the next poll, minutes
        away, would only hold a descriptor until the server drops it."""
        with self._lock:
            managers = [self._direct, *self._proxies.values()]
        for manager in managers:
            # Each pool closed now: one still referenced (from a failed request's traceback,
            # say) would otherwise keep its connections until the garbage collector frees it.
            # A fetch still using one of its connections gets a ClosedPoolError.
            for key in list(manager.pools.keys()):
                pool = manager.pools.get(key)
                if pool is not None:
                    pool.close()
            manager.clear()

    def __enter__(self) -> FetchClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @staticmethod
    def _watched(manager: urllib3.PoolManager) -> urllib3.PoolManager:
        manager.pool_classes_by_scheme = {
            "http": WatchedHTTPConnectionPool,
            "https": WatchedHTTPSConnectionPool,
        }
        return manager


def _certificates(trust_env: bool) -> dict[str, str]:
    """Where HTTPS certificates are checked against: SSL_CERT_FILE and SSL_CERT_DIR when set
    (and the environment is trusted), as httpx and OpenSSL read them, else certifi's bundle."""
    found = {}
    if trust_env and os.environ.get("SSL_CERT_FILE"):
        found["ca_certs"] = os.environ["SSL_CERT_FILE"]
    if trust_env and os.environ.get("SSL_CERT_DIR"):
        found["ca_cert_dir"] = os.environ["SSL_CERT_DIR"]
    return found or {"ca_certs": certifi.where()}


def basic_auth(user: str, password: str) -> str:
    """An Authorization (or Proxy-Authorization) value for HTTP Basic, in UTF-8 (RFC 7617)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def make_client(
    *, user_agent: str, connect_timeout: float = 10, read_timeout: float = 30
) -> FetchClient:
    """A `FetchClient` for `fetch`. `read_timeout` bounds each wait for the next bytes;
    `fetch`'s deadline bounds the total."""
    return FetchClient(
        user_agent=user_agent, connect_timeout=connect_timeout, read_timeout=read_timeout
    )


def fetch(
    client: FetchClient,
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
    with Watch(deadline, started) as watch:
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
    guard: Callable[[socket.socket], None] | None  # checks the connection's peer address


def _request(
    client: FetchClient,
    request: _Request,
    started: float,
    deadline: float,
    max_bytes: int,
    watch: Watch,
) -> FetchResult | tuple[int, str]:
    """One GET: a final `FetchResult`, or (status, absolute target) for a redirect."""
    url = request.url
    headers = client.headers | request.headers
    if request.auth:
        headers["Authorization"] = basic_auth(*request.auth)
    watch.guard = request.guard
    try:
        r = client.pools_for(url).request(
            "GET",
            url,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
            timeout=client.timeout(_remaining(started, deadline, url)),
        )
    except Exception as exc:
        watch.check(url)
        raise _fetch_error(exc, url) from exc
    whole = False  # the response was read to its end: its connection may be kept
    try:
        # http.client takes headers cut short (by the deadline, say) for whole ones.
        watch.check(url)
        if r.status in PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS:
            return r.status, _redirect_target(r, url)
        if r.status in (304, 410):
            whole = r.status == 304  # a 304 has no body: its connection may be kept
            return _result(
                r, url, started, body=None, not_modified=r.status == 304, gone=r.status == 410
            )
        if r.status >= 300:
            raise FetchError(
                f"HTTP {r.status} {r.reason or ''} from {url}".rstrip(),
                status=r.status,
                retry_after=retry_after(r.headers),
            )
        body = _read_body(r, url, started, deadline, max_bytes, watch)
        whole = True
        return _result(r, url, started, body=body)
    except FetchError:
        raise
    except Exception as exc:
        watch.check(url)
        raise _fetch_error(exc, url) from exc
    finally:
        if not whole:
            r.close()  # an unread body is not waited for: the connection is not kept
        r.release_conn()
        watch.let_go()


def _fetch_error(exc: Exception, url: str) -> FetchError:
    """The one-line `FetchError` for what the client raised."""
    if isinstance(exc, FetchError):
        return exc
    # A refused connection or a name that does not resolve is a NewConnectionError, which
    # urllib3 derives from its connect timeout.
    timed_out = isinstance(exc, urllib3.exceptions.TimeoutError)
    if timed_out and not isinstance(exc, urllib3.exceptions.NewConnectionError):
        return FetchError(f"timed out ({_describe(exc)}) fetching {url}")
    if isinstance(exc, urllib3.exceptions.HTTPError | HTTPException | OSError | ValueError):
        # e.g. a refused connection, a malformed response, an invalid URL or header value
        return FetchError(f"{_describe(exc)} fetching {url}")
    raise exc


def _read_body(
    response: urllib3.BaseHTTPResponse,
    url: str,
    started: float,
    deadline: float,
    max_bytes: int,
    watch: Watch,
) -> bytes:
    """The body, streamed: fails as soon as it exceeds `max_bytes` or the deadline passes."""
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body too large: Content-Length {int(declared)} > {max_bytes} bytes")
    watch.phase = "reading the body"
    chunks, size = [], 0
    for chunk in response.stream(BODY_CHUNK, decode_content=True):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"body too large: more than {max_bytes} bytes from {url}")
        if time.monotonic() - started > deadline:
            raise FetchError(f"deadline of {deadline:g} s passed while reading the body: {url}")
        chunks.append(chunk)
    # A body without a length ends where the connection ends: one cut by the deadline would
    # otherwise pass for whole.
    watch.check(url)
    return b"".join(chunks)


def _result(
    response: urllib3.BaseHTTPResponse,
    url: str,
    started: float,
    *,
    body: bytes | None,
    not_modified: bool = False,
    gone: bool = False,
) -> FetchResult:
    return FetchResult(
        status=response.status,
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


def _redirect_target(response: urllib3.BaseHTTPResponse, url: str) -> str:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(f"HTTP {response.status} redirect without a Location from {url}")
    # User-info in a Location is dropped: credentials come only from the caller.
    target = split_credentials(urljoin(url, location))[0]
    _check_scheme(target, what="redirect target")
    return target


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


# urllib3 names the connection or pool ("HTTPConnection(host='h', port=80): Failed to ...",
# "<HTTPConnection(host='h', port=80) at 0x7f...>"); the message names the URL itself.
_CONNECTION_NAME = re.compile(r"<?\w*Connection(Pool)?\(host=[^)]*\)( at 0x[0-9a-f]+>)?[:,]?\s*")


def _describe(exc: BaseException) -> str:
    """The error's class and first line, from the innermost reason urllib3 wraps; an error
    made of a message and its cause (urllib3's "('Connection aborted.', RemoteDisconnected(...))")
    reads "Connection aborted. (RemoteDisconnected: ...)"."""
    while isinstance(getattr(exc, "reason", None), BaseException):
        exc = exc.reason  # type: ignore[attr-defined]
    if len(exc.args) == 2 and isinstance(exc.args[0], str):
        message, cause = exc.args
        if isinstance(cause, BaseException):
            return f"{type(exc).__name__}: {message} ({_describe(cause)})"
    strings = len(exc.args) > 1 and all(isinstance(arg, str) for arg in exc.args)
    text = _CONNECTION_NAME.sub("", ", ".join(exc.args) if strings else str(exc)).strip()
    if text.startswith(("('", '("')) and text.endswith(("')", '")')):  # an args tuple's text
        text = text[2:-2]
    detail = text.splitlines()
    if not detail:
        return type(exc).__name__
    return f"{type(exc).__name__}: {detail[0]}"


def _check_scheme(url: str, *, what: str = "URL") -> None:
    """An http(s) URL whose host urllib3 reads as we do: the origin and address checks are
    made on ours, and a URL the two split differently (a backslash in its authority, say)
    could send a request elsewhere than where they looked."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) {what}: {url}")
    ours = parts.hostname
    try:
        theirs = (urllib3.util.parse_url(url).host or "").strip("[]").lower()
    except urllib3.exceptions.LocationParseError as exc:
        raise FetchError(f"not an http(s) {what} ({_describe(exc)}): {url}") from None
    if "\\" in parts.netloc or (ours.isascii() and theirs != ours):
        raise FetchError(f"not an http(s) {what} (its host is ambiguous): {url}")


# --- addresses off the home origin ---------------------------------------------------------


def _internal_address(url: str, started: float, deadline: float) -> str | None:
    """The first address of `url`'s host that is not public (its IP, or what its name
    resolves to); None when all are public, or when the name does not resolve (the request
    then fails on its own). The name is looked up within what is left of the deadline, as
    urllib3 will ask for it (a non-ASCII name in IDNA 2008, where Python's own lookup would
    encode it in IDNA 2003, which differs for a few letters: 'faß')."""
    parts = urlsplit(url)
    host = (urllib3.util.parse_url(url).host or "").strip("[]")
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


def _peer_guard(url: str) -> Callable[[socket.socket], None]:
    """A check of the address a connection for `url` actually reached: the name may have
    resolved to another address since it was checked."""

    def guard(sock: socket.socket) -> None:
        try:
            peer = sock.getpeername()
        except OSError:  # not connected after all: the request fails on its own
            return
        address = ipaddress.ip_address(str(peer[0]).split("%")[0])
        if _is_internal(address):
            raise _refused(url, str(address))

    return guard


def _bypassed(host: str, proxies: dict[str, str]) -> bool:
    """Whether NO_PROXY (in `proxies`, as read from the environment) exempts `host`."""
    # urllib.request.proxy_bypass is this function on POSIX, but reads the environment again
    # on every call; typeshed does not list it.
    bypass: Callable[[str, dict[str, str]], bool] = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    return bypass(host, proxies)


def _proxied(client: FetchClient, url: str) -> bool:
    """Whether `client` sends `url` through a proxy (whose own address is then the peer, so
    only the name's addresses can be checked)."""
    return client.proxy_for(url) is not None


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
