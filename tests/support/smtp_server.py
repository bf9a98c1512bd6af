"""A real SMTP server in the test process (aiosmtpd's Controller on 127.0.0.1) that keeps
every message it accepts, parsed with the stdlib email parser.

Modes: "plain", "starttls" (STARTTLS required), "tls" (implicit TLS); `login=(user, password)`
requires AUTH. The certificates come from a throwaway CA made by trustme, whose PEM file the
client is told to trust. `fail_next(n)` makes the next n messages get a temporary 451 error.
The server listens on a socket bound to a port the system chose, never on a port picked
beforehand and released (another process could take it in between).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading
from collections.abc import Awaitable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

Mode = Literal["plain", "starttls", "tls"]
# aiosmtpd logs and warns on every connection when AUTH is allowed without STARTTLS: wanted
# here (plain mode is a local relay; implicit TLS is TLS all along). Tests filter the warning
# with IGNORE_AUTH_WARNING.
logging.getLogger("mail.log").setLevel(logging.ERROR)
IGNORE_AUTH_WARNING = "ignore:Requiring AUTH while not requiring TLS"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        with self.server._lock:
            self.server.attempts += 1
            if self.server._failures > 0:
                self.server._failures -= 1
                return "451 4.3.0 Temporary failure, try again later"
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.server.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
            )
        return "250 OK"


class _BoundController(Controller):
    """aiosmtpd's Controller serving on a socket bound beforehand. aiosmtpd 1.4 binds
    host:port itself in `_create_server`, the one step overridden here."""

    def __init__(self, handler: _Handler, sock: socket.socket, **kwargs: object):
        self._sock = sock
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, **kwargs)  # type: ignore[arg-type]

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


@dataclass
class SmtpServer:
    mode: Mode = "plain"
    login: tuple[str, str] | None = None
    ca_dir: Path | None = None  # where the CA's PEM is written (for TLS modes)
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    _failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None
    ca_file: Path | None = None
    port: int = 0
    host: str = "127.0.0.1"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [item.message for item in self.received]

    def fail_next(self, times: int = 1) -> None:
        """Answer the next `times` messages with a temporary error (451)."""
        with self._lock:
            self._failures += times

    def settings(self, **overrides: object) -> dict[str, object]:
        """EmailSettings values that point a client at this server."""
        values: dict[str, object] = {
            "host": self.host,
            "port": self.port,
            "security": "none" if self.mode == "plain" else self.mode,
            "sender": "watcher@example.org",
            "to": ["analyst@example.org", "desk@example.org"],
            "timeout": 10.0,
        }
        if self.ca_file is not None:
            values["ca_file"] = self.ca_file
        if self.login is not None:
            values["username"], values["password"] = self.login
        values.update(overrides)
        return values

    def __enter__(self) -> SmtpServer:
        sock = socket.socket()
        sock.bind((self.host, 0))
        self.port = int(sock.getsockname()[1])
        kwargs: dict[str, object] = {}
        if self.mode != "plain":
            context = self._server_tls_context()
            if self.mode == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        if self.login is not None:
            kwargs.update(
                authenticator=self._authenticate,
                auth_required=True,
                # Implicit TLS is TLS from the first byte, but aiosmtpd only counts STARTTLS.
                auth_require_tls=self.mode == "starttls",
            )
        self._controller = _BoundController(_Handler(self), sock, **kwargs)
        self._controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._controller is not None:
            self._controller.stop()

    def _server_tls_context(self) -> ssl.SSLContext:
        assert self.ca_dir is not None, "TLS modes need ca_dir for the CA's PEM file"
        ca = trustme.CA()
        certificate = ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = self.ca_dir / "smtp-test-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        return context

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        ok = (
            isinstance(auth_data, LoginPassword)
            and self.login is not None
            and (auth_data.login.decode(), auth_data.password.decode()) == self.login
        )
        return AuthResult(success=ok, handled=False)
