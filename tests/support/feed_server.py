"""A local HTTP server for feeds, for tests: no test ever reaches the internet.

    with FeedServer() as server:
        server.set("/feed.xml", body, content_type="application/rss+xml", etag='"v1"')
        server.redirect("/old.xml", "/feed.xml", permanent=True)
        server.trickle("/slow.xml", b"<", interval=0.2)    # one chunk every 0.2 s, forever
        server.endless("/huge.xml")                        # bytes as fast as possible, forever
        server.slow_headers("/stall.xml", interval=0.5)    # headers a byte at a time, forever
        fetch(client, server.url("/feed.xml"))
        assert server.count("/feed.xml", status=304) == 0

It listens on 127.0.0.1 on a free port, serves each route from its own thread
(`ThreadingHTTPServer`), answers 304 when If-None-Match matches the route's ETag or
If-Modified-Since is not older than its Last-Modified, and records every request (method, path,
headers, the status it got) in `server.requests`. Routes can be changed while it runs, so a test
can publish a new version of a feed between two polls. As a pytest fixture:

    @pytest.fixture
    def feed_server():
        with FeedServer() as server:
            yield server
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # with the query string, as requested
    headers: dict[str, str]  # header names lower-cased
    status: int  # the status it was answered with
    at: float = 0.0  # time.monotonic() when it arrived


@dataclass
class Route:
    """How one path answers. `mode` is "body", "redirect", "trickle", "endless" or
    "slow_headers"."""

    body: bytes = b""
    content_type: str | None = "application/xml"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True  # False: send the body chunked, without Content-Length
    # With content_length False: False sends the body bare, ended by closing the connection.
    chunked: bool = True
    delay: float = 0.0  # seconds to wait before answering (for timeouts)
    # Set by `hold`: the answer waits until the test lets it go (`release`).
    held: threading.Event | None = None
    mode: str = "body"
    chunk: bytes = b"x"  # trickle / endless: the chunk sent again and again
    interval: float = 0.0  # trickle, slow_headers: seconds between chunks
    # trickle / endless: stop after this many bytes; slow_headers: after this many bytes of
    # header (None: never)
    limit: int | None = None


class FeedServer:
    """A threaded local HTTP server with routes set by the test; see the module docstring."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        # Paths whose answer the client cut short (closed the connection mid-answer).
        self.cut_short: list[str] = []
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> FeedServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="feed-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends trickling and endless bodies
        with self._lock:
            for route in self._routes.values():
                if route.held is not None:
                    route.held.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # --- routes ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        """The full URL of `path` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def set(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str | None = "application/xml",
        etag: str | None = None,
        last_modified: str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_length: bool = True,
        delay: float = 0.0,
    ) -> None:
        """Serve `body` at `path` (replacing what was there). `last_modified` is an HTTP date
        string (see `http_date`); `content_length=False` sends it chunked."""
        self._put(
            path,
            Route(
                body=body,
                content_type=content_type,
                status=status,
                etag=etag,
                last_modified=last_modified,
                headers=dict(headers or {}),
                content_length=content_length,
                delay=delay,
            ),
        )

    def redirect(
        self, path: str, to: str, *, permanent: bool = True, status: int | None = None
    ) -> None:
        """Redirect `path` to `to` (a path on this server or a full URL): 301 if permanent,
        302 otherwise, or the given `status` (307, 308, ...)."""
        location = self.url(to) if to.startswith("/") else to
        code = status or (301 if permanent else 302)
        self._put(path, Route(mode="redirect", status=code, headers={"Location": location}))

    def trickle(
        self,
        path: str,
        chunk: bytes = b"<",
        *,
        interval: float = 0.1,
        limit: int | None = None,
        content_type: str | None = "application/xml",
        chunked: bool = True,
    ) -> None:
        """A slow body: `chunk` every `interval` seconds, until `limit` bytes or forever;
        chunked, or (`chunked=False`) bare and ended by closing the connection."""
        self._put(
            path,
            Route(
                mode="trickle",
                chunk=chunk,
                interval=interval,
                limit=limit,
                content_type=content_type,
                content_length=False,
                chunked=chunked,
            ),
        )

    def endless(
        self,
        path: str,
        chunk: bytes = b"x" * 65536,
        *,
        limit: int | None = None,
        content_type: str | None = "application/xml",
        content_length: int | None = None,
    ) -> None:
        """A body sent as fast as possible, forever (or `limit` bytes). `content_length`, if
        given, is announced in the header (it may lie)."""
        headers = {"Content-Length": str(content_length)} if content_length is not None else {}
        self._put(
            path,
            Route(
                mode="endless",
                chunk=chunk,
                limit=limit,
                content_type=content_type,
                headers=headers,
                content_length=content_length is not None,
            ),
        )

    def slow_headers(
        self, path: str, body: bytes = b"", *, interval: float = 0.1, limit: int | None = None
    ) -> None:
        """Headers sent one byte every `interval` seconds (a padding header of `limit` bytes,
        or forever), then `body`: a server that holds a connection without ever leaving a read
        waiting long."""
        self._put(path, Route(mode="slow_headers", body=body, interval=interval, limit=limit))

    def hold(self, path: str) -> None:
        """Answer requests for `path` (already set) only once `release` is called; the
        request is recorded, so a test can see it in flight."""
        with self._lock:
            route = self._routes[path if path.startswith("/") else "/" + path]
            route.held = threading.Event()

    def release(self, path: str) -> None:
        """Let the held requests for `path` be answered, and later ones at once."""
        with self._lock:
            route = self._routes[path if path.startswith("/") else "/" + path]
        if route.held is not None:
            route.held.set()

    def remove(self, path: str) -> None:
        """Forget `path`: it answers 404 again."""
        with self._lock:
            self._routes.pop(path, None)

    def _put(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[path if path.startswith("/") else "/" + path] = route

    def _route(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path) or self._routes.get(path.split("?", 1)[0])

    # --- what was asked ----------------------------------------------------------------

    def count(self, path: str | None = None, *, status: int | None = None) -> int:
        """How many requests were made (for `path`, answered with `status`)."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (path is None or r.path == path) and (status is None or r.status == status)
            )

    def last(self, path: str | None = None) -> RecordedRequest | None:
        """The most recent request (for `path`)."""
        with self._lock:
            matching = [r for r in self.requests if path is None or r.path == path]
        return matching[-1] if matching else None

    def clear(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self.requests.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


def connections_counted(server: FeedServer) -> list[int]:
    """A list that grows by one for each connection `server` accepts from now on."""
    accepted: list[int] = []
    process = server._httpd.process_request

    def counting(request: Any, client_address: Any) -> None:
        accepted.append(1)
        process(request, client_address)

    server._httpd.process_request = counting  # type: ignore[method-assign]
    return accepted


def http_date(timestamp: float | None = None) -> str:
    """An HTTP date (for Last-Modified) for `timestamp`, default now."""
    return email.utils.formatdate(time.time() if timestamp is None else timestamp, usegmt=True)


def _not_modified(route: Route, headers: Any) -> bool:
    if route.status != 200:
        return False
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return route.etag is not None and ("*" in tags or route.etag in tags)
    since = headers.get("If-Modified-Since")
    if since and route.last_modified:
        if since == route.last_modified:
            return True
        try:
            return email.utils.parsedate_to_datetime(
                route.last_modified
            ) <= email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _make_handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _answer(self, *, send_body: bool) -> None:
            route = server._route(self.path)
            status = 404 if route is None else route.status
            if route is not None and _not_modified(route, self.headers):
                status = 304
            server._record(
                RecordedRequest(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    status=status,
                    at=time.monotonic(),
                )
            )
            if route is None:
                self._send_simple(404, b"not found\n", send_body)
                return
            if route.delay:
                time.sleep(route.delay)
            if route.held is not None:
                route.held.wait(60)  # a test that never releases it must not hang the server
            # the client giving up mid-body is exactly what slow-body tests want
            try:
                self._send_route(route, status, send_body)
            except (BrokenPipeError, ConnectionResetError):
                with server._lock:
                    server.cut_short.append(self.path)

        def _send_simple(self, status: int, body: bytes, send_body: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def _send_route(self, route: Route, status: int, send_body: bool) -> None:
            if route.mode == "slow_headers":
                self._send_slow_headers(route)
                return
            self.send_response(status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)
            if status == 304 or route.mode == "redirect":
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            if route.mode == "body" and route.content_length:
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(route.body)
                return
            if not route.content_length and route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif not route.content_length:
                self.send_header("Connection", "close")
            self.end_headers()
            if send_body:
                self._stream(route)

        def _send_slow_headers(self, route: Route) -> None:
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Padding: ")
            self.wfile.flush()
            sent = 0
            while not server._stopping.is_set() and (route.limit is None or sent < route.limit):
                self.wfile.write(b"a")
                self.wfile.flush()
                sent += 1
                server._stopping.wait(route.interval)
            self.wfile.write(
                b"\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s"
                % (len(route.body), route.body)
            )
            self.close_connection = True

        def _stream(self, route: Route) -> None:
            chunked = not route.content_length and route.chunked
            if route.mode == "body":
                self._write(route.body, chunked)
            else:
                sent = 0
                while not server._stopping.is_set() and (route.limit is None or sent < route.limit):
                    chunk = route.chunk
                    if route.limit is not None:
                        chunk = chunk[: route.limit - sent]
                    self._write(chunk, chunked)
                    sent += len(chunk)
                    if route.interval:
                        server._stopping.wait(route.interval)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True

        def _write(self, data: bytes, chunked: bool) -> None:
            if not data:
                return
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            else:
                self.wfile.write(data)
            self.wfile.flush()

    return Handler
