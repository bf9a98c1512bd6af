"""The daemon survives its database going away for a while (issue 12, item 3): against a
throwaway PostgreSQL server that the test stops and starts again, the running daemon logs one
line per failed job (no traceback flood), `/readyz` answers 503 with the reason, and once the
server is back it resumes: the alert about news published during the outage reaches Slack,
and nothing is lost or sent twice. Skipped when PostgreSQL is not installed."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import WATCHER, watcher_env
from tests.support.daemon import LAUNCHER
from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer
from tests.test_crash_recovery import items, per_company, wait_for
from tests.test_end_to_end import rss

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: Path(p).parent.name)
pytestmark = pytest.mark.skipif(
    not PG_BIN or not Path(PG_BIN[-1], "pg_ctl").exists(), reason="PostgreSQL is not installed"
)


class ThrowawayPostgres:
    """A PostgreSQL server of the test's own, listening only on a Unix socket in a fresh
    folder (no TCP port to pick), run as the `postgres` user when we are root."""

    def __init__(self) -> None:
        self.bin = Path(PG_BIN[-1])
        self.home = Path(tempfile.mkdtemp(prefix="watcher-outage-", dir="/tmp"))
        self.data = self.home / "data"
        os.chmod(self.home, 0o755)
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@/postgres?host={self.home}"

    def start(self) -> None:
        options = f"-c listen_addresses='' -k {self.home} -c fsync=off"
        log = str(self.home / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            self._argv("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"),
            capture_output=True,
        )
        shutil.rmtree(self.home, ignore_errors=True)

    def _argv(self, program: str, *args: str) -> list[str]:
        argv = [str(self.bin / program), *args]
        return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(self._argv(program, *args), check=True, capture_output=True, timeout=120)


@pytest.fixture
def postgres() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def readyz(port: int) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def failed_jobs(port: int) -> int:
    """How many jobs failed on the database, as /readyz says (0 when it is ready)."""
    status, text = readyz(port)
    found = re.search(r"(\d+) jobs failed", text)
    return int(found.group(1)) if status == 503 and found else 0


def start_daemon(tmp_path: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, int]:
    """`watcher run` with its endpoints on a socket bound here (tests/support/daemon.py), its
    output to a file (a pipe nobody reads would fill and stall it)."""
    import socket

    with socket.create_server(("127.0.0.1", 0)) as listener, log.open("w") as out:
        descriptor = listener.fileno()
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(descriptor), str(WATCHER), "run"],
            pass_fds=(descriptor,),
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        return process, int(listener.getsockname()[1])


@pytest.mark.slow
def test_daemon_survives_the_database_going_away(tmp_path, postgres):
    first, later = items()[:2], items()[2:4]  # Microsoft's outlook and raise; then Alphabet's
    with FeedServer() as feeds, SlackServer() as slack:
        feeds.set("/wire.rss", rss(*first), content_type="application/rss+xml")
        path = tmp_path / "feeds.yaml"
        path.write_text(
            f"sources:\n  - name: wire\n    url: {feeds.url('/wire.rss')}\n    interval: 10s\n"
        )
        env = watcher_env(
            tmp_path,
            database__url=postgres.url,
            sources__file=str(path),
            sources__allow_local="true",
            slack__token=slack.token,
            slack__api_url=slack.api_url,
            scheduler__tick_seconds="1",
            scheduler__deliver_seconds="1",
            alerts__retry_base_seconds="1",
        )
        log = tmp_path / "daemon.log"
        daemon, port = start_daemon(tmp_path, env, log)
        try:
            wait_for(lambda: set(per_company(slack)) == {"MSFT"}, 90, "the first alert")
            assert readyz(port)[0] == 200

            postgres.stop()
            # News published while the database is away: polled, and stored once it is back.
            feeds.set("/wire.rss", rss(*first, *later), content_type="application/rss+xml")
            # Several jobs fail (the cycle and the delivery job each run every second).
            wait_for(lambda: failed_jobs(port) >= 4, 60, "jobs failing on the database")
            _, reason = readyz(port)
            assert reason.startswith("database unavailable: "), reason
            assert "No such file or directory" in reason, reason  # the driver's own reason
            polls = feeds.count("/wire.rss")
            assert daemon.poll() is None  # still running

            postgres.start()
            wait_for(lambda: readyz(port)[0] == 200, 60, "/readyz to recover")
            wait_for(lambda: set(per_company(slack)) == {"MSFT", "GOOGL"}, 120, "the later alert")
            assert feeds.count("/wire.rss") > polls
        finally:
            daemon.terminate()
            daemon.wait(timeout=60)
    output = log.read_text()
    assert daemon.returncode == 0, output[-3000:]
    assert per_company(slack) == {"MSFT": 1, "GOOGL": 1}, output[-3000:]
    assert "Traceback" not in output, output[-5000:]
    # One line when the outage began, one when it ended (one a minute in between).
    outage = [line for line in output.splitlines() if "database unavailable" in line]
    assert len(outage) == 1 and "database available again" in output, output[-3000:]
