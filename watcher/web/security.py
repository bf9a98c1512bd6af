"""What guards every request and response of the web view: the security headers (a
Content-Security-Policy that allows no script at all, our one stylesheet, and forms posting to
ourselves), links from feeds kept to http(s), and request bodies read with a cap, so that no
client can make the server hold more than `MAX_BODY` bytes of what it sends."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The largest body a request may carry: a login, a silence or its JSON is well under 1 KB.
MAX_BODY = 16 * 1024

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
FORM_TYPE = "application/x-www-form-urlencoded"


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def safe_url(url: str | None) -> str | None:
    """A URL fit for a link: http(s) with a host, else None (javascript:, data:, relative)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\x00\r\n\t "):
        return None
    return url


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the body is larger than {limit // 1024} KB")


def declared_length(text: str | None, limit: int) -> int | None:
    """The Content-Length a request declares (None: none, a chunked body), refused with 413
    when over `limit` before a byte of the body is read."""
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):
        raise HTTPException(400, "Content-Length: not a number")
    if len(text) > 12 or int(text) > limit:
        raise _too_large(limit)
    return int(text)


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request's body, read as it arrives and refused with 413 once it passes `limit`
    bytes, whether it declared its length or came chunked."""
    declared_length(request.headers.get("content-length"), limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded form body (at most `MAX_BODY` bytes) as field -> first value."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPE):
        raise HTTPException(415, f"send the form as {FORM_TYPE}")
    body = (await read_body(request)).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
