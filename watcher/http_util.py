"""HTTP details shared by every stage that talks to a server (feeds, SEC EDGAR, Slack,
webhooks): reading a Retry-After header; showing a URL short without cutting its host."""

from __future__ import annotations

import email.utils
import math
import time
from collections.abc import Mapping
from urllib.parse import urlsplit


def retry_after_seconds(value: object, *, now: float | None = None) -> float | None:
    """The seconds a Retry-After value asks for: delta-seconds ("120", also "1.5") or an HTTP
    date (seconds from `now`, a Unix time, never negative). None when absent or unreadable."""
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
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_after(headers: Mapping[str, object] | None, *, now: float | None = None) -> float | None:
    """The Retry-After header's seconds from a header mapping: httpx's headers, or a plain dict
    in any case whose values are strings or lists of strings (slack_sdk's). None without one."""
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
