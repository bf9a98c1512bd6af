"""The command line as users run it: exit statuses, one-line errors without tracebacks,
masked secrets, and the daemon starting, answering health checks and stopping on SIGTERM."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import WATCHER, watcher_env
from tests.support.daemon import start_daemon
from tests.support.feed_server import FeedServer
from tests.test_end_to_end import FIRST, RAISE, rss


def test_config_show_masks_secrets(run_watcher):
    result = run_watcher(
        "config", "show", slack__token="xoxb-secret-value", email__password="pa55word"
    )
    assert result.returncode == 0, result.stderr
    assert "xoxb-secret-value" not in result.stdout and "pa55word" not in result.stdout
    assert "**********" in result.stdout


def test_bad_setting_exits_2_with_one_line(run_watcher):
    result = run_watcher("config", "show", http__port="not-a-port")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "http.port" in result.stderr and "WATCHER_HTTP__PORT" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_rule_file_names_file_and_field(run_watcher, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yaml").write_text("type: guidance_change\nseverity: loud\n")
    result = run_watcher("rules", "check", rules__dir=str(rules))
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr and "severity" in result.stderr
    assert "Traceback" not in result.stderr


def test_shipped_rules_check(run_watcher):
    result = run_watcher("rules", "check")
    assert result.returncode == 0, result.stderr
    assert "capex-guidance-change" in result.stdout


def test_python_dash_m_runs_the_command_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "watcher.cli", "rules", "check"],
        cwd=tmp_path,
        env=watcher_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "ok  capex-guidance-change" in done.stdout


def test_bad_feeds_file_names_field(run_watcher, tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources:\n  - name: x\n    url: ftp://example.org/feed\n")
    result = run_watcher("run", "--once", sources__file=str(feeds))
    assert result.returncode == 2
    assert "feeds.yaml" in result.stderr and "url" in result.stderr


def test_db_upgrade(run_watcher, tmp_path, db_url):
    result = run_watcher("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"revision {head_revision()}" in result.stdout
    if not db_url.startswith("sqlite"):
        return
    with sqlite3.connect(tmp_path / "watcher.db") as connection:  # SQLite runs in WAL mode
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from watcher.store.db import MIGRATIONS_DIR

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


@pytest.mark.slow
def test_extract_file_and_stdin(tmp_path):  # no database
    document = tmp_path / "note.html"
    document.write_text(
        "<html><body><p>Alphabet expects capital expenditures of about "
        "$75 billion in 2025.</p><script>var x = '$1 billion capex';</script>"
        "</body></html>"
    )
    env = watcher_env(tmp_path)
    from_file = subprocess.run(
        [str(WATCHER), "extract", "--json", "--date", "2025-02-04", str(document)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert from_file.returncode == 0, from_file.stderr
    (observation,) = [json.loads(line) for line in from_file.stdout.splitlines()]
    assert observation["company"] == "GOOGL" and observation["low"] == 75_000_000_000
    assert observation["source"] == "note.html"
    from_stdin = subprocess.run(
        [str(WATCHER), "extract", "--json", "-"],
        env=env,
        input=document.read_text(),
        capture_output=True,
        text=True,
    )
    assert [json.loads(line)["low"] for line in from_stdin.stdout.splitlines()] == [75_000_000_000]
    missing = subprocess.run(
        [str(WATCHER), "extract", str(tmp_path / "nope.txt")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "nope.txt" in missing.stderr
    bad_date = subprocess.run(
        [str(WATCHER), "extract", "--date", "yesterday", str(document)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad_date.returncode == 2 and "Traceback" not in bad_date.stderr


@pytest.mark.slow
def test_run_once_exits_0_when_a_source_fails(run_watcher, tmp_path):
    with FeedServer() as feeds:
        feeds.set("/ok.rss", rss(FIRST))
        feeds.set("/broken.rss", b"<html>an error page</html>", content_type="text/html")
        path = tmp_path / "feeds.yaml"
        path.write_text(
            f"sources:\n  - name: ok\n    url: {feeds.url('/ok.rss')}\n"
            f"  - name: broken\n    url: {feeds.url('/broken.rss')}\n"
            f"  - name: down\n    url: http://127.0.0.1:9/feed\n"
        )
        result = run_watcher("run", "--once", sources__file=str(path))
        assert result.returncode == 0, result.stderr
        assert "sources polled: 3 (failed 2" in result.stdout
        health = run_watcher("sources", sources__file=str(path))
    assert health.returncode == 0, health.stderr
    for name in ("ok", "broken", "down"):
        assert name in health.stdout


@pytest.mark.slow
def test_daemon_alerts_answers_health_and_stops_on_sigterm(tmp_path, db_url):
    with FeedServer() as feeds:
        feeds.set("/a.rss", rss(RAISE, FIRST))
        path = tmp_path / "feeds.yaml"
        path.write_text(
            f"sources:\n  - name: a\n    url: {feeds.url('/a.rss')}\n    interval: 1m\n"
        )
        env = watcher_env(
            tmp_path,
            database__url=db_url,
            sources__file=str(path),
            scheduler__tick_seconds="1",
        )
        # Its endpoints on a socket bound here and handed over: the port is never free.
        daemon, port = start_daemon(tmp_path, env)
        try:
            deadline = time.monotonic() + 60
            while feeds.count("/a.rss") == 0 or not _ready(port):
                assert daemon.poll() is None, daemon.communicate()
                assert time.monotonic() < deadline, "daemon never polled"
                time.sleep(0.2)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as reply:
                assert reply.status == 200
            # The first cycle delivers the alert to the console (polled, not slept on).
            while not _delivered(port):
                assert daemon.poll() is None, daemon.communicate()
                assert time.monotonic() < deadline, "daemon never delivered"
                time.sleep(0.2)
            daemon.send_signal(signal.SIGTERM)
            stdout, stderr = daemon.communicate(timeout=30)
        finally:
            if daemon.poll() is None:
                daemon.kill()
    assert daemon.returncode == 0, stderr
    assert "watcher stopped" in stderr
    assert "raised" in stdout and "$64 billion to $72 billion" in stdout  # the console alert


def _delivered(port: int) -> bool:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
        metrics = reply.read().decode()
    return any(
        line.startswith("watcher_deliveries_total{")
        and 'outcome="sent"' in line
        and float(line.rsplit(" ", 1)[1]) >= 1
        for line in metrics.splitlines()
    )


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def test_usage_errors_exit_2_without_traceback(run_watcher):
    for args in (["run", "--bogus"], ["extract"], ["no-such-command"]):
        result = run_watcher(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_unparsable_list_in_environment_is_named(run_watcher):
    result = run_watcher("config", "show", email__to="ops@example.com")
    assert result.returncode == 2
    assert "WATCHER_EMAIL__TO" in result.stderr and "Traceback" not in result.stderr


def test_database_password_is_masked(run_watcher):
    result = run_watcher("config", "show", database__url="postgresql://app:hunter2@db/watcher")
    assert result.returncode == 0, result.stderr
    assert "hunter2" not in result.stdout and "app:***@db" in result.stdout
