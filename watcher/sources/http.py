"""Fetching one source URL over HTTP(S), safely and politely.

`fetch` does a conditional GET (If-None-Match / If-Modified-Since), follows redirects itself so
it can tell a permanent move (301/308: the caller updates the stored URL) from a temporary one,
streams the body under a size cap and a total deadline (a server that trickles bytes forever
must not hold a worker), and turns every failure into a `FetchError` with a one-line reason.
`backoff_delay` says how long to leave a failing source alone.
"""

from __future__ import annotations

import email.utils
import mimetypes
import random
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from watcher.http_util import retry_after
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
    """An httpx client for `fetch`: our User-Agent, feed-friendly Accept, no automatic redirects.

    `read_timeout` bounds each wait for the next bytes; `fetch`'s deadline bounds the total.
    """
    timeout = httpx.Timeout(
        connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout
    )
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept": ACCEPT},
        timeout=timeout,
        follow_redirects=False,
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
) -> FetchResult:
    """Fetch `url`; see the module docstring. Raises `FetchError` for anything but 2xx/304/410.

    On 304 the result's etag/last_modified are the server's new ones, else the ones given, so
    the caller can always store what it gets back. `file://` URLs and bare paths are read only
    with `allow_local`.
    """
    started = time.monotonic()
    if _is_local(url):
        if not allow_local:
            raise FetchError(f"not an http(s) URL (local files are not allowed): {url}")
        return _fetch_local(url, last_modified=last_modified, max_bytes=max_bytes, started=started)
    _check_scheme(url)
    headers = _conditional_headers(etag, last_modified)
    current, permanent_to, all_permanent = url, None, True
    for _hop in range(MAX_REDIRECTS + 1):
        response_or_next = _request(client, current, headers, started, deadline, max_bytes)
        if isinstance(response_or_next, FetchResult):
            result = response_or_next
            result.permanent_redirect_to = permanent_to
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


def _request(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    started: float,
    deadline: float,
    max_bytes: int,
) -> FetchResult | tuple[int, str]:
    """One GET: a final `FetchResult`, or (status, absolute target) for a redirect."""
    remaining = _remaining(started, deadline, url)
    try:
        with client.stream("GET", url, headers=headers, timeout=_timeout(client, remaining)) as r:
            if r.status_code in PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS:
                return r.status_code, _redirect_target(r, url)
            if r.status_code in (304, 410):
                # Read the (empty) body so the connection goes back to the pool: an unread
                # streamed response is closed, and every 304 would then open a new one.
                r.read()
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
            body = _read_body(r, url, started, deadline, max_bytes)
            return _result(r, url, started, body=body)
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({_describe(exc)}) fetching {url}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{_describe(exc)} fetching {url}") from exc
    except (OSError, ValueError) as exc:  # e.g. an invalid URL or header value
        raise FetchError(f"{type(exc).__name__}: {exc} fetching {url}") from exc


def _read_body(
    response: httpx.Response, url: str, started: float, deadline: float, max_bytes: int
) -> bytes:
    """The body, streamed: fails as soon as it exceeds `max_bytes` or the deadline passes."""
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise FetchError(f"body too large: Content-Length {int(declared)} > {max_bytes} bytes")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"body too large: more than {max_bytes} bytes from {url}")
        if time.monotonic() - started > deadline:
            raise FetchError(f"deadline of {deadline:g} s passed while reading the body of {url}")
        chunks.append(chunk)
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
    target = urljoin(url, location)
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

