"""Serving an ASGI app with uvicorn on a socket bound beforehand, so that an occupied port is
known at once (one line, exit 2) and port 0 gets a free port whose number is known before
the first request: in the foreground (`watcher web`) or in a thread (`watcher run`, tests)."""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field

import uvicorn
from starlette.types import ASGIApp

from watcher.errors import ConfigError

log = logging.getLogger(__name__)


def bind(host: str, port: int, *, setting: str) -> socket.socket:
    """A listening socket on host:port; an address that cannot be bound is a ConfigError
    naming `setting` (the key or option that chose the port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(another process uses it? choose another port, or 0 to turn it off)",
            field=setting,
        ) from None


def _server(app: ASGIApp) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        log_config=None,  # the process's own logging (watcher.logs) handles uvicorn's loggers
        access_log=False,
        lifespan="off",
        server_header=False,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


def serve(app: ASGIApp, sock: socket.socket) -> None:
    """Serve in the foreground until SIGINT or SIGTERM."""
    _server(app).run(sockets=[sock])


@dataclass
class BackgroundServer:
    """An app served from a daemon thread; `shutdown()` stops it and waits."""

    server: uvicorn.Server
    sock: socket.socket
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, name="http", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def server_address(self) -> tuple[str, int]:
        host, port = self.sock.getsockname()[:2]
        return str(host), int(port)

    def shutdown(self) -> None:
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout=10)
        self.sock.close()


def serve_in_thread(app: ASGIApp, sock: socket.socket) -> BackgroundServer:
    """Start serving on `sock` in a thread (its signals stay with the main thread)."""
    running = BackgroundServer(_server(app), sock)
    running.thread.start()
    return running


def start(app: ASGIApp, host: str, port: int, *, setting: str = "port") -> BackgroundServer:
    """Bind host:port (0: a free port, see `.port`) and serve `app` there in a thread."""
    return serve_in_thread(app, bind(host, port, setting=setting))
