"""Who may write: the `web.token` as a bearer token, or a session cookie from the login form
(whose password is the token) together with a CSRF token bound to that session.

Everything is derived from the token with HMAC-SHA256, so nothing is stored: a session cookie
is `expiry.nonce.signature`, its CSRF token a MAC of its nonce, and changing the token ends
every session. The login form itself is protected by a double-submit cookie. Without a token,
`WriteAccess.enabled` is false and every write is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum

from pydantic import SecretStr

SESSION_COOKIE = "watcher_session"
LOGIN_CSRF_COOKIE = "watcher_login_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_SECONDS = 12 * 3600


class Verdict(Enum):
    """The outcome of checking a write request."""

    ALLOWED = "allowed"
    OFF = "writes are off: no web.token is configured"
    UNAUTHENTICATED = "log in or send the token as 'Authorization: Bearer ...'"
    BAD_TOKEN = "wrong bearer token"
    BAD_CSRF = "missing or wrong CSRF token (reload the page and try again)"
    CROSS_ORIGIN = "a write from another origin is refused"


@dataclass(frozen=True)
class WriteAccess:
    """Checks of write requests against the configured token (None: writes are off)."""

    token: SecretStr | None

    @property
    def enabled(self) -> bool:
        return self.token is not None and bool(self.token.get_secret_value())

    def _key(self, purpose: str) -> bytes:
        assert self.token is not None
        secret = self.token.get_secret_value().encode()
        return hmac.new(secret, f"watcher-web:{purpose}".encode(), hashlib.sha256).digest()

    def _mac(self, purpose: str, message: str) -> str:
        return hmac.new(self._key(purpose), message.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, given: str) -> bool:
        if not self.enabled:
            return False
        assert self.token is not None
        return hmac.compare_digest(given.encode(), self.token.get_secret_value().encode())

    def new_session(self, now: float) -> str:
        """A session cookie's value, valid for SESSION_SECONDS from `now`."""
        expiry = str(int(now) + SESSION_SECONDS)
        nonce = secrets.token_hex(16)
        return f"{expiry}.{nonce}.{self._mac('session', f'{expiry}.{nonce}')}"

    def session_nonce(self, cookie: str | None, now: float) -> str | None:
        """The nonce of a valid, unexpired session cookie; None otherwise."""
        if not self.enabled or not cookie:
            return None
        parts = cookie.split(".")
        if len(parts) != 3 or not parts[0].isdigit():
            return None
        expiry, nonce, signature = parts
        expected = self._mac("session", f"{expiry}.{nonce}")
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return None
        return nonce if int(expiry) > now else None

    def csrf_token(self, nonce: str) -> str:
        """The CSRF token of the session with this nonce (forms carry it as a hidden field)."""
        return self._mac("csrf", nonce)

    def check(
        self,
        *,
        authorization: str | None,
        session_cookie: str | None,
        csrf: str | None,
        same_origin: bool,
        now: float,
    ) -> Verdict:
        """May this request write? A bearer token needs nothing else; a session cookie needs
        its CSRF token and a request from our own origin."""
        if not self.enabled:
            return Verdict.OFF
        if authorization:
            scheme, _, given = authorization.partition(" ")
            if scheme.lower() != "bearer" or not self.token_matches(given.strip()):
                return Verdict.BAD_TOKEN
            return Verdict.ALLOWED
        nonce = self.session_nonce(session_cookie, now)
        if nonce is None:
            return Verdict.UNAUTHENTICATED
        if not same_origin:
            return Verdict.CROSS_ORIGIN
        if not csrf or not hmac.compare_digest(csrf.encode(), self.csrf_token(nonce).encode()):
            return Verdict.BAD_CSRF
        return Verdict.ALLOWED


def new_login_csrf() -> str:
    """A random value for the login form's double-submit cookie and hidden field."""
    return secrets.token_hex(16)


def login_csrf_matches(cookie: str | None, field: str | None) -> bool:
    return bool(cookie) and bool(field) and hmac.compare_digest(str(cookie), str(field))


def same_origin(origin: str | None, referer: str | None, host: str | None) -> bool:
    """Whether a browser's Origin (else Referer) names this host. A request with neither (a
    script, curl) passes: browsers send Origin on cross-site form posts."""
    from urllib.parse import urlsplit

    claimed = origin if origin and origin != "null" else referer
    if origin == "null":
        return False
    if not claimed:
        return True
    try:
        return urlsplit(claimed).netloc.lower() == (host or "").lower()
    except ValueError:
        return False
