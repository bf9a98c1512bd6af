"""Child interpreters for work on hostile input (parsing a feed, extracting a large document):
what they inherit of our environment, and a persistent worker bounded in time.

A child gets none of our environment but the locale and the path to this package (`worker_env`),
so no secret (a token, a password, a database URL in a WATCHER_* variable) reaches a process
that reads what a feed sent.

`PersistentWorker` runs `package.module:function` in a child interpreter started once: the
function takes a setup value and returns the handler of each request. Requests and answers are
pickled (only our own parent talks to the child, so pickle is safe) and length-prefixed on the
child's stdin and stdout. A request that takes longer than its bound kills the child
(`WorkerTimeout`); the next request starts a fresh one. Only the request counts against the
bound, not the child's start (importing and setting up may take a second or two).
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from watcher.errors import WatcherError

# Of our environment, a child keeps only these (its text handling then matches ours).
WORKER_ENV_KEPT = ("LANG", "LC_ALL", "LC_CTYPE", "TZ")
_LENGTH = struct.Struct(">Q")
_SERVE = "from watcher.workers import serve; serve()"


def worker_env() -> dict[str, str]:
    """A child's whole environment: this package importable (whether installed or run from a
    checkout) and the locale; nothing else of ours."""
    root = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    env = {name: os.environ[name] for name in WORKER_ENV_KEPT if name in os.environ}
    return env | {"PYTHONPATH": path, "PYTHONNOUSERSITE": "1"}


class WorkerTimeout(WatcherError):
    """A request took longer than its bound; the child was killed."""


class WorkerFailed(WatcherError):
    """The child could not start, died, or its handler raised (the message says which)."""


class PersistentWorker:
    """A child interpreter answering requests one at a time (see the module's docstring)."""

    def __init__(self, entry: str, setup: Any, *, start_timeout: float = 120.0):
        self.entry = entry
        self.setup = setup
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def call(self, request: Any, timeout: float) -> Any:
        """The handler's answer to `request`, within `timeout` seconds of sending it."""
        with self._lock:
            process = self._started()
            deadline = time.monotonic() + timeout
            try:
                _write(process, request)
                status, payload = _read(process, deadline)
            except WorkerTimeout:
                self._stop()
                raise WorkerTimeout(
                    f"no answer within {timeout:g} s; the worker was stopped"
                ) from None
            except (OSError, EOFError, pickle.UnpicklingError) as exc:
                code = self._stop()
                raise WorkerFailed(f"the worker process ended (exit code {code}): {exc}") from None
            except BaseException:
                # Whatever else cut the exchange short (a MemoryError here, an interrupt), the
                # child may still answer this request: it must never answer the next one.
                self._stop()
                raise
        if status == "ok":
            return payload
        raise WorkerFailed(payload)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", _SERVE, self.entry],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=worker_env(),
                bufsize=0,
            )
        except OSError as exc:  # no interpreter to run, or no process to spare
            raise WorkerFailed(f"the worker process could not be started: {exc}") from None
        self._process = process
        try:
            _write(process, self.setup)
            status, payload = _read(process, time.monotonic() + self.start_timeout)
        except (WorkerTimeout, OSError, EOFError, pickle.UnpicklingError) as exc:
            code = self._stop()
            raise WorkerFailed(
                f"the worker process did not start (exit code {code}): {exc}"
            ) from None
        if status != "ready":
            self._stop()
            raise WorkerFailed(f"the worker process did not start: {payload}")
        return process

    def _stop(self) -> int | None:
        process, self._process = self._process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return process.wait()


def _write(process: subprocess.Popen[bytes], message: Any) -> None:
    assert process.stdin is not None
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    process.stdin.write(_LENGTH.pack(len(data)) + data)
    process.stdin.flush()


def _read(process: subprocess.Popen[bytes], deadline: float) -> tuple[str, Any]:
    assert process.stdout is not None
    fd = process.stdout.fileno()
    (length,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size, deadline))
    return pickle.loads(_read_exactly(fd, length, deadline))


def _read_exactly(fd: int, size: int, deadline: float) -> bytes:
    data = bytearray()
    # poll, not select: select fails on a descriptor numbered 1024 or more.
    waiting = select.poll()
    waiting.register(fd, select.POLLIN)
    while len(data) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WorkerTimeout("deadline passed")
        if not waiting.poll(remaining * 1000):
            continue
        chunk = os.read(fd, min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError("no more output")
        data += chunk
    return bytes(data)


# --- the child ----------------------------------------------------------------------------


def serve() -> None:
    """The child's main loop: set up the handler named on the command line, say ready, then
    answer each request until the parent closes stdin."""
    # Ctrl-C in a terminal reaches the whole process group: the parent stops its workers
    # (closing stdin ends this loop), a child need not die mid-answer with a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns the real stdout; anything the work prints goes to stderr.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    module_name, _, function = sys.argv[1].partition(":")
    try:
        setup = _receive(requests)
    except EOFError:
        return
    try:
        handler = getattr(importlib.import_module(module_name), function)(setup)
    except Exception as exc:
        _send(channel, ("error", _one_line(exc)))
        return
    _send(channel, ("ready", None))
    while True:
        try:
            request = _receive(requests)
        except EOFError:
            return
        try:
            answer: tuple[str, Any] = ("ok", handler(request))
        except Exception as exc:
            answer = ("error", _one_line(exc))
        _send(channel, answer)


def _receive(stream: BinaryIO) -> Any:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError("the parent closed the channel")
    (length,) = _LENGTH.unpack(header)
    return pickle.loads(stream.read(length))


def _send(channel: BinaryIO, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    channel.write(_LENGTH.pack(len(data)) + data)
    channel.flush()


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
