"""Errors about one source: the fetch failed or what came back is not a usable feed.

Each is a `WatcherError` whose message is a clear one-line reason, so the poller can record it
on the source and go on with the others.
"""

from __future__ import annotations

from watcher.errors import WatcherError


class SourceError(WatcherError):
    """A problem with one source; the message is a one-line reason."""


class FetchError(SourceError):
    """The fetch failed: network error, timeout, HTTP error status, or a body that is too large
    or too slow. `status` is the HTTP status when there was one; `retry_after` the seconds a
    429/503 answer asked us to wait."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class FeedParseError(SourceError):
    """The body is not a feed, is hostile, or could not be parsed within the limits."""
