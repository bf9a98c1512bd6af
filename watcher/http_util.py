"""HTTP details shared by every stage that talks to a server (feeds, SEC EDGAR, Slack,
webhooks): reading a Retry-After header; showing a URL short without cutting its host; taking
the credentials out of a URL, so that it can be stored, logged and shown (`split_credentials`,
`without_credentials`, `redact_urls`); a URL's origin."""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

# The user-info part of any URL in a text: "scheme://user:password@" keeps only "scheme://".
_USERINFO = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@", re.IGNORECASE)


# The longest wait a Retry-After can ask for: a server's "1e12" (or a date in the year 9999)
# is a day, not a time no datetime can hold.
MAX_RETRY_AFTER = 24 * 3600.0


def retry_after_seconds(value: object, *, now: float | None = None) -> float | None:
    """The seconds a Retry-After value asks for: delta-seconds ("120", also "1.5") or an HTTP
    date (seconds from `now`, a Unix time, never negative), at most MAX_RETRY_AFTER. None when
    absent or unreadable."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return min(seconds, MAX_RETRY_AFTER) if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    wait = when.timestamp() - (time.time() if now is None else now)
    return min(max(0.0, wait), MAX_RETRY_AFTER)


def retry_after(headers: Mapping[str, object] | None, *, now: float | None = None) -> float | None:
    """The Retry-After header's seconds from a header mapping: urllib3's or httpx's headers, or
    a plain dict in any case whose values are strings or lists of strings (slack_sdk's). None
    without one."""
    if not headers:
        return None
    for name, value in headers.items():
        if str(name).lower() == "retry-after":
            return retry_after_seconds(value, now=now)
    return None


def short_url(url: str, width: int = 60) -> str:
    """`url` in about `width` characters for a table. The scheme and host are always kept
    whole, and so is the last path segment; the segments before it are dropped from the
    middle and a long query string is cut short ("?q=capex…") ("https://data.sec.gov/…/CIK0000789019.json").
    A local path keeps its end."""
    if len(url) <= width:
        return url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        head, path = f"{parts.scheme}://{parts.netloc}", parts.path
        query = f"?{parts.query}" if parts.query else ""
    else:
        head, path, query = "", url, ""
    if len(head) + len(path) + len(query) > width and query:
        room = width - len(head) - len(path) - 1
        query = query[: max(room, 1)] + "…"
    segments = [segment for segment in path.split("/") if segment]
    kept: list[str] = []
    while segments:
        candidate = "/".join([segments[-1], *kept])
        shown = f"{head}/…/{candidate}{query}"
        if kept and len(shown) > width:
            break
        kept.insert(0, segments.pop())
    if not segments:  # the whole path fits
        return f"{head}/{'/'.join(kept)}{query}" if head else url
    return f"{head}/…/{'/'.join(kept)}{query}" if head else f"…/{'/'.join(kept)}"


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """`url` without its user-info, and the (user, password) it held, percent-decoded; None
    when it held none. `https://me:s3cret@host/feed` -> (`https://host/feed`, ("me", "s3cret"))."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=hostport)), (unquote(user), unquote(password))


def without_credentials(url: str) -> str:
    """`url` without its user-info: the form every URL is stored, logged and shown in."""
    return split_credentials(url)[0]


def redact_urls(text: str) -> str:
    """`text` with the user-info of every URL in it removed: a last line of defence for
    messages that quote a URL they were given (an exception's text, say)."""
    return _USERINFO.sub(r"\1", text)


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, lower-cased, with the scheme's default port filled in:
    two URLs of one origin may share credentials and addresses."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port if port is not None else default
