"""`watcher run` as a subprocess for tests, its HTTP endpoints on a socket bound here (on a
port the system chose) and handed over the way systemd's socket activation does
(watcher/activation.py). The port is held from before the daemon starts until it exits, so
no other process can take it in between, and the test knows it at once."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import WATCHER

# Runs in the child: puts the socket at descriptor 3, names this process in LISTEN_PID, then
# becomes `watcher` (exec keeps the process id).
LAUNCHER = """
import os, sys
descriptor = int(sys.argv[1])
if descriptor != 3:
    os.dup2(descriptor, 3)
    os.close(descriptor)
os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
os.execv(sys.argv[2], sys.argv[2:])
"""


def start_activated(
    argv: list[str], *, cwd: Path, env: dict[str, str]
) -> tuple[subprocess.Popen[str], int]:
    """Start `argv` with a listening socket on 127.0.0.1 at descriptor 3; return the process
    (text pipes for stdout and stderr) and the socket's port. Only the child keeps the socket
    open: once it exits, connections to the port are refused."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        descriptor = listener.fileno()
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(descriptor), *argv],
            pass_fds=(descriptor,),
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return process, int(listener.getsockname()[1])


def start_daemon(cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    """`watcher run` with its endpoints on a socket of its own; see start_activated."""
    return start_activated([str(WATCHER), "run"], cwd=cwd, env=env)
