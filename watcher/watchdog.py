"""Keeping a stuck daemon from staying stuck, whoever supervises it.

`Watchdog` is a thread that asks the daemon every few seconds whether it is alive (a cycle
finished, or made progress, within `scheduler.stall_seconds`: `Liveness`). While it is, it
tells systemd so (`WATCHDOG=1` on `$NOTIFY_SOCKET`, for a unit with `WatchdogSec=`); once it
is not, it hands the problem to the daemon, which ends the process with `STALLED_EXIT` so
that its supervisor (systemd's `Restart=on-failure`, docker's `restart: unless-stopped`)
starts a fresh one. Its claims lapse and the work it held is done again. `notify` sends one
sd_notify(3) message (`READY=1` once the daemon is up).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

STALLED_EXIT = 70  # EX_SOFTWARE: not 2, which the systemd unit treats as "do not restart"
LONGEST_PING = 10.0  # seconds between checks at most


def notify(message: str, environ: Mapping[str, str] | None = None) -> bool:
    """Send `message` to the service manager named by $NOTIFY_SOCKET; False without one (not
    started by systemd with Type=notify) or if it cannot be reached."""
    address = (os.environ if environ is None else environ).get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError as exc:
        log.warning("cannot notify the service manager at %s: %s", address, exc)
        return False
    return True


def check_interval(stall_seconds: float, environ: Mapping[str, str] | None = None) -> float:
    """How often to check: a quarter of the stall limit, at most half of systemd's watchdog
    period ($WATCHDOG_USEC), at most LONGEST_PING seconds."""
    interval = min(stall_seconds / 4, LONGEST_PING)
    usec = (os.environ if environ is None else environ).get("WATCHDOG_USEC", "")
    if usec.isdigit() and int(usec) > 0:
        interval = min(interval, int(usec) / 2_000_000)
    return max(interval, 0.05)


class Liveness:
    """Whether the daemon is working: a cycle finished, or a stage made `progress` within one
    (it stored a group of its work: polls, extracted documents), less than `stall_after`
    seconds ago. A long backlog makes progress all along and is not taken for a stuck daemon;
    a cycle waiting on something that never answers makes none. `clock`: monotonic seconds."""

    def __init__(self, stall_after: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stall_after = stall_after
        self.clock = clock
        self.cycle_end = self.last_progress = clock()

    def progress(self) -> None:
        """A stage stored a group of its work (called from the cycle's thread)."""
        self.last_progress = self.clock()

    def cycle_finished(self) -> None:
        self.cycle_end = self.last_progress = self.clock()

    def problem(self) -> str | None:
        """None while alive, else what shows the daemon is stuck."""
        now = self.clock()
        idle = now - max(self.cycle_end, self.last_progress)
        if idle > self.stall_after:
            return (
                f"no cycle finished for {now - self.cycle_end:.0f} seconds "
                f"and no progress for {idle:.0f}"
            )
        return None


class Watchdog:
    """Checks `problem()` every `interval` seconds in a daemon thread: None means alive (and
    systemd is told), a text means stuck, and `on_stall(text)` is called once."""

    def __init__(
        self,
        problem: Callable[[], str | None],
        on_stall: Callable[[str], None],
        interval: float,
    ) -> None:
        self.problem = problem
        self.on_stall = on_stall
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            problem = self.problem()
            if problem is not None:
                self.on_stall(problem)
                return
            notify("WATCHDOG=1")
