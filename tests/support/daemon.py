"""`watcher run` as a subprocess for tests, its HTTP endpoints on a socket bound here (on a
port the system chose) and handed over the way systemd's socket activation does
(watcher/activation.py). The port is held from before the daemon starts until it exits, so
no other process can take it in between, and the test knows it at once. Also a Daemon in
the test's own process (`in_process_daemon`), its endpoints served the same way."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from tests.conftest import PROJECT, WATCHER
from watcher.daemon import Daemon
from watcher.settings import Settings

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


@contextmanager
def in_process_daemon(tmp_path: Path) -> Iterator[Daemon]:
    """A Daemon in this process on a SQLite file in tmp_path, no sources, its endpoints on a
    socket bound here, and a background scheduler standing in for the blocking one (the
    caller clears WATCHER_* variables and changes into tmp_path)."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources: []\n")
    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'watcher.db'}"},
        sources={"file": feeds},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        http={"port": 0},  # the socket below, not http.port
    )
    instance = Daemon(settings, listener=socket.create_server(("127.0.0.1", 0)))
    instance.scheduler = BackgroundScheduler(timezone="UTC")
    instance.scheduler.start()
    instance._start_health_server()
    try:
        yield instance
    finally:
        if instance.scheduler.running:
            instance.scheduler.shutdown(wait=False)
        assert instance._health is not None
        instance._health.shutdown()
        instance.pipeline.close()
