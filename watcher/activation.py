"""A listening socket handed over by the process that started us, the way systemd's socket
activation does it (see sd_listen_fds(3)): LISTEN_PID names this process and LISTEN_FDS says
how many descriptors, from 3 on, are listening sockets.

`watcher run` serves its HTTP endpoints on such a socket instead of binding `http.host` and
`http.port` itself. Whoever bound the port (systemd, a test) holds it from the start, so there
is never a moment when it is free for another process to take.
"""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping

from watcher.errors import ConfigError

FIRST_DESCRIPTOR = 3
VARIABLES = ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES")


def inherited_socket(
    environ: MutableMapping[str, str] | None = None, pid: int | None = None
) -> socket.socket | None:
    """The listening socket passed to this process, or None when none was. The variables are
    taken out of `environ` (default: os.environ), so child processes do not claim it."""
    environ = os.environ if environ is None else environ
    meant_for = environ.get("LISTEN_PID")
    count = environ.get("LISTEN_FDS", "0")
    if meant_for is None or meant_for != str(os.getpid() if pid is None else pid):
        return None  # none passed, or passed to the process that started us
    for name in VARIABLES:
        environ.pop(name, None)
    if count == "0":
        return None
    if count != "1":
        raise ConfigError(f"LISTEN_FDS is {count!r}: the daemon takes one listening socket")
    try:
        listener = socket.socket(fileno=FIRST_DESCRIPTOR)
    except OSError as exc:
        raise ConfigError(
            f"LISTEN_FDS: descriptor {FIRST_DESCRIPTOR} is not a socket ({exc.strerror or exc})"
        ) from None
    if not listener.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
        listener.detach()  # not ours to close
        raise ConfigError(f"LISTEN_FDS: descriptor {FIRST_DESCRIPTOR} is not listening")
    listener.set_inheritable(False)
    return listener
