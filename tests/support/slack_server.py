"""A local HTTP server that speaks the part of the Slack Web API the notifier uses
(`chat.postMessage`) and an incoming webhook (`webhook_url`), records every message, and can
be told to fail: answer 429 with Retry-After, 5xx, or respond slowly, close the connection
after reading a request without answering (`disconnect_next`), or hold every request
until the test lets go, after letting a few through (`hold`, `in_flight`, `release`: a send in
flight for as long as a test needs). Tests point `slack.api_url` (or `slack.webhook_url`) at it."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class SlackMessage:
    channel: str
    text: str
    blocks: list[dict]
    thread_ts: str | None
    ts: str
    token: str | None

    def all_text(self) -> str:
        """Every string in the message (text and blocks), for assertions on content."""
        return self.text + "\n" + json.dumps(self.blocks, ensure_ascii=False)


@dataclass
class _Failure:
    status: int
    retry_after: int | str | None = None
    delay: float = 0.0
    error: str | None = None  # the Web API's error code (default: by status)
    disconnect: bool = False  # close the connection without answering


# Block Kit's limits, as Slack enforces them: a message breaking one is refused with
# `invalid_blocks` (text lengths in characters).
MAX_BLOCKS = 50
MAX_HEADER = 150
MAX_TEXT = 3000
MAX_FIELDS, MAX_FIELD = 10, 2000
MAX_CONTEXT_ELEMENTS = 10


def blocks_problem(blocks: list[dict]) -> str | None:
    """Why Slack would refuse these blocks, or None."""
    if len(blocks) > MAX_BLOCKS:
        return f"{len(blocks)} blocks"
    for block in blocks:
        kind = block.get("type")
        texts: list[tuple[str, int]] = []
        if kind == "header":
            texts.append((block["text"]["text"], MAX_HEADER))
        elif kind == "section":
            if "text" in block:
                texts.append((block["text"]["text"], MAX_TEXT))
            fields = block.get("fields") or []
            if len(fields) > MAX_FIELDS:
                return f"{len(fields)} fields"
            texts += [(field["text"], MAX_FIELD) for field in fields]
        elif kind == "context":
            elements = block.get("elements") or []
            if len(elements) > MAX_CONTEXT_ELEMENTS:
                return f"{len(elements)} context elements"
            texts += [(element["text"], MAX_TEXT) for element in elements]
        for text, limit in texts:
            if not text or len(text) > limit:
                return f"a {kind} text of {len(text)} characters (1 to {limit})"
    return None


@dataclass
class SlackServer:
    token: str = "xoxb-test-token"
    # Seconds every accepted message takes to answer (a slow Slack, for in-flight tests).
    delay: float = 0.0
    messages: list[SlackMessage] = field(default_factory=list)
    requests: int = 0
    # Refuse every message with blocks as `invalid_blocks` (a Slack that changed its rules).
    refuse_blocks: bool = False
    _failures: list[_Failure] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _open: threading.Event = field(default_factory=threading.Event)
    _held: int = 0
    _let_through: int = 0

    def __post_init__(self) -> None:
        self._open.set()

    def hold(self, after: int = 0) -> None:
        """From now on, let `after` requests through, then keep each one waiting (unanswered,
        not yet recorded) until `release`."""
        with self._lock:
            self._let_through = after
            self._open.clear()

    def release(self) -> None:
        """Let the requests held go on: each is recorded and answered, as Slack posts a
        message whose request it received even if the sender is gone by then."""
        self._open.set()

    def in_flight(self) -> int:
        """How many requests are being held right now."""
        with self._lock:
            return self._held

    @property
    def api_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    @property
    def webhook_url(self) -> str:
        return self.api_url.replace("/api/", "/services/T0/B0/secret")

    def fail_next(
        self,
        status: int,
        *,
        retry_after: int | str | None = None,
        delay: float = 0.0,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """Make the next `times` requests fail with `status` (after `delay` seconds) and the
        Web API error code `error` (`fail_next(200, error="channel_not_found")`)."""
        with self._lock:
            self._failures.extend(
                _Failure(status, retry_after, delay, error) for _ in range(times)
            )

    def disconnect_next(self, times: int = 1) -> None:
        """Make the next `times` requests be read in full, then the connection closed with no
        answer (the sender cannot tell whether the message was posted)."""
        with self._lock:
            self._failures.extend(_Failure(0, disconnect=True) for _ in range(times))

    def __enter__(self) -> SlackServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                # The sender may have died while its request was held.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self.release()
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8")
        with self._lock:
            self.requests += 1
            failure = self._failures.pop(0) if self._failures else None
            held = not self._open.is_set() and self._let_through == 0
            if not self._open.is_set() and not held:
                self._let_through -= 1
            self._held += held
        if held:
            self._open.wait()
            with self._lock:
                self._held -= 1
        if failure is not None and failure.disconnect:
            handler.close_connection = True
            return None
        if failure is not None:
            time.sleep(failure.delay)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            default = "ratelimited" if failure.status == 429 else "fatal_error"
            body = {"ok": False, "error": failure.error or default}
            return _reply(handler, failure.status, body, headers)
        time.sleep(self.delay)
        method = handler.path.rstrip("/").rsplit("/", 1)[-1]
        params = _params(raw, handler.headers.get("Content-Type", ""))
        if handler.path.startswith("/services/"):
            return self._webhook(handler, params)
        token = (handler.headers.get("Authorization") or "").removeprefix("Bearer ") or None
        if token != self.token:
            return _reply(handler, 200, {"ok": False, "error": "invalid_auth"})
        if method != "chat.postMessage":
            return _reply(handler, 200, {"ok": False, "error": "unknown_method"})
        if not params.get("channel"):
            return _reply(handler, 200, {"ok": False, "error": "channel_not_found"})
        blocks = params.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks and (self.refuse_blocks or blocks_problem(blocks)):
            return _reply(handler, 200, {"ok": False, "error": "invalid_blocks"})
        with self._lock:
            ts = f"{1700000000 + len(self.messages)}.{len(self.messages):06d}"
            self.messages.append(
                SlackMessage(
                    params["channel"],
                    params.get("text") or "",
                    blocks,
                    params.get("thread_ts"),
                    ts,
                    token,
                )
            )
        _reply(
            handler,
            200,
            {"ok": True, "channel": "C0TEST", "ts": ts, "message": {"text": params.get("text")}},
        )

    def _webhook(self, handler: BaseHTTPRequestHandler, params: dict) -> None:
        """An incoming webhook: no token, no channel, no ts, no threads; answers "ok"."""
        if not handler.path.endswith("/secret"):
            return _reply_text(handler, 404, "no_service")
        blocks = params.get("blocks") or []
        if blocks and (self.refuse_blocks or blocks_problem(blocks)):
            return _reply_text(handler, 400, "invalid_blocks")
        with self._lock:
            ts = f"{1700000000 + len(self.messages)}.{len(self.messages):06d}"
            self.messages.append(
                SlackMessage(
                    "webhook",
                    params.get("text") or "",
                    params.get("blocks") or [],
                    params.get("thread_ts"),
                    ts,
                    None,
                )
            )
        _reply_text(handler, 200, "ok")


def _reply_text(handler: BaseHTTPRequestHandler, status: int, body: str) -> None:
    data = body.encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "text/plain; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _params(raw: str, content_type: str) -> dict:
    if "json" in content_type:
        return json.loads(raw or "{}")
    return {key: values[0] for key, values in parse_qs(raw).items()}


def _reply(
    handler: BaseHTTPRequestHandler, status: int, body: dict, headers: dict[str, str] | None = None
) -> None:
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)
