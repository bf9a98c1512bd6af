"""Two processes on one SQLite file (issue 12, item 6): a write that follows a read waits for
the other writer instead of failing with "database is locked" (transactions begin IMMEDIATE);
a second daemon on the same file is refused with one line; `run --once` beside a daemon does
its cycle; a read-only or locked database is one line and exit 2."""

from __future__ import annotations

import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import select

from tests.conftest import WATCHER, watcher_env
from tests.support.feed_server import FeedServer
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Source

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><guid>a-1</guid><title>Nothing about capex</title><description>Weather.</description></item>
</channel></rss>"""


def add_sources(url: str, *names: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        for name in names:
            session.add(Source(name=name, url=f"https://{name}.example/f", config_url="x"))
    engine.dispose()


def test_a_write_after_a_read_waits_for_the_other_writer(tmp_path):
    # The lost delivery record: one process reads a row and then marks it, while another
    # process writes in between. In a deferred transaction the read's snapshot is stale by
    # the time of the write, and SQLite refuses at once ("database is locked", no busy wait).
    url = f"sqlite:///{tmp_path / 'w.db'}"
    add_sources(url, "one", "two")
    first, second = make_engine(url), make_engine(url)
    read_done, other_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def reader_then_writer() -> None:
        try:
            with session_scope(first) as session:
                row = session.exec(select(Source).where(Source.name == "one")).one()
                read_done.set()
                # Deferred: the other write commits meanwhile. Immediate: it waits for us.
                other_done.wait(timeout=1)
                row.consecutive_failures = 1
                session.add(row)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=reader_then_writer)
    thread.start()
    assert read_done.wait(timeout=30)
    with second.begin() as connection:
        connection.execute(
            update(Source).where(Source.name == "two").values(consecutive_failures=2)
        )
    other_done.set()
    thread.join(timeout=60)
    assert errors == []
    with session_scope(second) as session:
        failures = {s.name: s.consecutive_failures for s in session.exec(select(Source))}
    assert failures == {"one": 1, "two": 2}
    first.dispose()
    second.dispose()


def _wait_for_source(db: Path, name: str, daemon: subprocess.Popen, deadline: float) -> None:
    """Poll the database until the daemon has synced its sources (it holds its lock by then)."""
    while True:
        assert daemon.poll() is None, daemon.communicate()
        assert time.monotonic() < deadline, "the daemon never started"
        try:
            with sqlite3.connect(db, timeout=5) as connection:
                rows = connection.execute("SELECT name FROM sources").fetchall()
            if (name,) in rows:
                return
        except sqlite3.OperationalError:  # no tables yet
            pass
        time.sleep(0.1)


@pytest.mark.slow
def test_second_daemon_is_refused_and_run_once_waits_beside_one(tmp_path):
    db = tmp_path / "data" / "watcher.db"
    with FeedServer() as feeds:
        feeds.set("/a.rss", RSS)
        path = tmp_path / "feeds.yaml"
        path.write_text(f"sources:\n  - name: a\n    url: {feeds.url('/a.rss')}\n")
        env = watcher_env(
            tmp_path,
            database__url=f"sqlite:///{db}",
            sources__file=str(path),
            sources__allow_local="true",
            scheduler__tick_seconds="1",
            scheduler__deliver_seconds="1",
        )
        daemon = subprocess.Popen(
            [str(WATCHER), "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for_source(db, "a", daemon, time.monotonic() + 60)
            second = subprocess.run(
                [str(WATCHER), "run"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 2, second.stderr
            (line,) = second.stderr.strip().splitlines()
            assert "database.url" in line and "another watcher daemon" in line, line
            for _ in range(3):  # the daemon writes every second meanwhile
                once = subprocess.run(
                    [str(WATCHER), "run", "--once"],
                    cwd=tmp_path,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                assert once.returncode == 0, once.stderr
                assert "Traceback" not in once.stderr and "locked" not in once.stderr
            assert daemon.poll() is None
        finally:
            daemon.terminate()
            _, stderr = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, stderr
    assert "Traceback" not in stderr and "locked" not in stderr, stderr


def run_watcher_on(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(WATCHER), *args],
        cwd=tmp_path,
        env=watcher_env(tmp_path, database__url=url, sources__file=str(tmp_path / "none.yaml")),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_read_only_database(tmp_path):
    # Opened read-only, the database serves the commands that only read; a command that
    # writes ends with one line, exit 2.
    (tmp_path / "none.yaml").write_text("sources: []\n")
    db = tmp_path / "watcher.db"
    add_sources(f"sqlite:///{db}", "one")
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    status = run_watcher_on(tmp_path, read_only, "status")
    assert status.returncode == 0, status.stderr
    assert "sources: 1" in status.stdout
    result = run_watcher_on(tmp_path, read_only, "run", "--once")
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "database.url" in line and "readonly" in line, line


@pytest.mark.slow
@pytest.mark.parametrize("command", [["status"], ["run", "--once"]])
def test_locked_database_is_one_line(tmp_path, command):
    (tmp_path / "none.yaml").write_text("sources: []\n")
    db = tmp_path / "watcher.db"
    add_sources(f"sqlite:///{db}", "one")
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than we wait
        result = run_watcher_on(tmp_path, f"sqlite:///{db}?timeout=1", *command)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "database.url" in line and "locked" in line, line
