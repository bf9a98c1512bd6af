"""Fair access to SEC EDGAR: every request identifies us with a contact address, and one
limiter shared by every SEC request of the process keeps us under the SEC's rate limit
(10 requests a second; configurable lower). A 403 or 429 pauses all SEC requests.

A request is an SEC request when its source is of an `sec_*` kind or its host is sec.gov.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from watcher.sources.http import FetchClient

SEC_HOST_SUFFIX = "sec.gov"
# How long every SEC request waits after a 403/429 that gave no Retry-After.
DEFAULT_PAUSE = 60.0
# A poll waits this long at most for a paused limiter; longer pauses fail the source instead
# of holding the whole poll (and every news source in it) back.
MAX_POLL_WAIT = 5.0
NO_CONTACT = (
    "SEC EDGAR asks every client to identify itself: set sec.contact (WATCHER_SEC__CONTACT) "
    "to a contact e-mail address"
)


# Why an SEC source is not polled without a contact (shown by `watcher sources`).
NOT_POLLED_NO_CONTACT = "sec.contact is not set"


class RateLimited(Exception):
    """The SEC asked us to pause for longer than a caller may wait."""


class RateLimiter:
    """At most `rate` requests a second across threads. Spacing is checked when a request is
    released, under the lock, so a thread that wakes late (another thread held the
    interpreter) never bunches with the next one. `pause` holds every request back."""

    def __init__(self, rate: float, *, clock=time.monotonic, sleep=time.sleep):
        if rate <= 0:
            raise ValueError("rate must be positive")
        # 5% slower than the limit: requests leave on time but arrive with network jitter,
        # and the server counts arrivals.
        self.interval = 1.05 / rate
        self._clock, self._sleep = clock, sleep
        self._last = float("-inf")
        self._paused_until = float("-inf")
        self._lock = threading.Lock()

    def acquire(self, *, max_wait: float = float("inf")) -> None:
        """Wait for a slot; raise `RateLimited` when a pause would keep us waiting longer
        than `max_wait` seconds (the caller records the source as failed and moves on)."""
        while True:
            with self._lock:
                now = self._clock()
                if self._paused_until - now > max_wait:
                    raise RateLimited(
                        f"SEC asked us to slow down; paused for {self._paused_until - now:.0f} s"
                    )
                wait = max(self._last + self.interval, self._paused_until) - now
                if wait <= 0:
                    self._last = now
                    return
            self._sleep(min(wait, self.interval))

    def pause(self, seconds: float) -> None:
        """No request before `seconds` from now (the server asked us to slow down)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)


@dataclass
class SecAccess:
    """What SEC requests share: a client sending our contact in its User-Agent (None when no
    contact is configured) and the process-wide limiter."""

    client: FetchClient | None
    limiter: RateLimiter

    def refusal(self) -> str | None:
        return NO_CONTACT if self.client is None else None

    def slow_down(self, retry_after: float | None) -> None:
        self.limiter.pause(retry_after if retry_after is not None else DEFAULT_PAUSE)


def is_sec_request(kind: str, url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return (
        kind.startswith("sec_") or host == SEC_HOST_SUFFIX or host.endswith("." + SEC_HOST_SUFFIX)
    )


def sec_user_agent(contact: str) -> str:
    """The User-Agent the SEC asks for: who we are and how to reach us."""
    return f"capex-watcher/0.1 ({contact})"


def not_polled_reason(kind: str, url: str, sec: SecAccess | None) -> str | None:
    """Why a source of this kind and URL is not polled by design with this SEC access (None:
    it is polled): SEC requests need a contact address."""
    if is_sec_request(kind, url) and (sec is None or sec.client is None):
        return NOT_POLLED_NO_CONTACT
    return None
