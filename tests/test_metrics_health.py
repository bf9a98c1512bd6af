"""/metrics, /healthz and /readyz over real HTTP: against a daemon subprocess polling a local
feed server (one feed good, one failing), and in-process for readiness when the database is
unreachable or the scheduler is stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from tests.conftest import watcher_env
from tests.support.daemon import in_process_daemon, start_daemon
from tests.support.feed_server import FeedServer
from tests.support.ports import refused_port
from tests.test_end_to_end import FIRST, RAISE, rss
from watcher.daemon import Daemon
from watcher.metrics import Metrics


def get(port: int, path: str) -> tuple[int, str, str]:
    """(status, content type, body) of GET path, 4xx/5xx included."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as reply:
            return reply.status, reply.headers["Content-Type"], reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.slow  # a `watcher run` daemon; the in-process Daemon tests below stay quick
def test_daemon_serves_metrics_health_and_json_logs(tmp_path, db_url):
    with FeedServer() as feeds:
        feeds.set("/good.rss", rss(RAISE, FIRST))
        feeds.set("/broken.rss", b"oops", content_type="text/plain", status=500)
        path = tmp_path / "feeds.yaml"
        path.write_text(
            f"sources:\n  - name: good\n    url: {feeds.url('/good.rss')}\n    interval: 1h\n"
            f"  - name: broken\n    url: {feeds.url('/broken.rss')}\n    interval: 1h\n"
        )
        env = watcher_env(
            tmp_path,
            database__url=db_url,
            sources__file=str(path),
            sources__stale_after_intervals="1",
            scheduler__tick_seconds="1",
            scheduler__deliver_seconds="1",
            logging__json="true",
        )
        daemon, port = start_daemon(tmp_path, env)  # the port is held from the start
        try:
            found = _wait_for_deliveries(daemon, port)
            assert get(port, "/healthz")[:1] == (200,)
            assert get(port, "/readyz")[::2] == (200, "ready\n")
            assert get(port, "/nothing-here")[0] == 404
            daemon.send_signal(signal.SIGTERM)
            _, stderr = daemon.communicate(timeout=30)
        finally:
            if daemon.poll() is None:
                daemon.kill()
    assert daemon.returncode == 0, stderr

    assert value(found, "watcher_polls_total", outcome="ok") == 1
    assert value(found, "watcher_polls_total", outcome="failed") == 1
    assert value(found, "watcher_fetch_seconds_count") == 2
    assert value(found, "watcher_documents_stored_total", change="new") == 2
    assert value(found, "watcher_observations_extracted_total") >= 2
    assert value(found, "watcher_events_total", rule="capex-guidance-change") == 1
    assert value(found, "watcher_events_total", rule="source-health") == 1
    assert value(found, "watcher_deliveries_total", channel="console", outcome="sent") == 2
    assert value(found, "watcher_delivery_lag_seconds_count") == 2
    assert value(found, "watcher_source_consecutive_failures", source="broken") == 1
    assert ("watcher_source_consecutive_failures", (("source", "good"),)) in found
    assert ("watcher_oldest_pending_delivery_seconds", ()) in found

    lines = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line.get("source") == "broken" for line in lines)
    assert any("event_id" in line for line in lines)


def _wait_for_deliveries(daemon: subprocess.Popen, port: int) -> dict:
    """Scrape /metrics until both events (the raise and the meta-alert) are delivered."""
    deadline = time.monotonic() + 60
    while True:
        assert daemon.poll() is None, daemon.communicate()
        assert time.monotonic() < deadline, "the daemon never delivered both events"
        try:
            status, content_type, body = get(port, "/metrics")
        except OSError:  # not listening yet
            time.sleep(0.2)
            continue
        assert status == 200 and content_type.startswith("text/plain; version=0.0.4")
        found = samples(body)
        if value(found, "watcher_deliveries_total", channel="console", outcome="sent") >= 2:
            return found
        time.sleep(0.2)


@pytest.fixture
def daemon(tmp_path, monkeypatch) -> Iterator[Daemon]:
    """A Daemon in this process on SQLite, its endpoints on a socket bound here."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("WATCHER_")]:
        monkeypatch.delenv(name)
    with in_process_daemon(tmp_path) as instance:
        yield instance


def port_of(daemon: Daemon) -> int:
    assert daemon.listener is not None
    return int(daemon.listener.getsockname()[1])


def test_readyz_fails_when_the_database_is_unreachable(daemon):
    port = port_of(daemon)
    assert get(port, "/readyz")[::2] == (200, "ready\n")
    # PostgreSQL on a port nobody listens on: connections are refused at once.
    with refused_port() as closed:
        daemon.pipeline.engine = create_engine(
            f"postgresql+psycopg://watcher@127.0.0.1:{closed}/watcher"
        )
        status, _, body = get(port, "/readyz")
    # The driver's own reason, in one line.
    assert status == 503 and body.startswith("database unavailable: "), body
    assert "refused" in body and "\n" not in body.rstrip("\n"), body
    assert get(port, "/healthz")[0] == 200  # alive, only not ready


def test_readyz_fails_when_the_scheduler_stopped(daemon):
    daemon.scheduler.shutdown(wait=False)
    status, _, body = get(port := port_of(daemon), "/readyz")
    assert (status, body) == (503, "scheduler not running\n")
    assert get(port, "/metrics")[0] == 200


def test_healthz_fails_when_no_cycle_finishes_nor_progresses(daemon):
    liveness = daemon.liveness
    liveness.cycle_end -= daemon.stall_after + 1
    liveness.progress()  # a stage stored a group just now: a long cycle, working
    port = port_of(daemon)
    assert get(port, "/healthz")[::2] == (200, "ok\n")
    liveness.last_progress = liveness.cycle_end
    status, _, body = get(port, "/healthz")
    assert status == 503 and body.startswith("no cycle finished for"), body
    assert "and no progress for" in body


def test_metrics_count_what_they_are_given(daemon):
    daemon.metrics.observe_events({"capex-guidance-change": 2})
    status, _, body = get(port_of(daemon), "/metrics")
    found = samples(body)
    assert status == 200
    assert value(found, "watcher_events_total", rule="capex-guidance-change") == 2
    assert ("watcher_oldest_pending_delivery_seconds", ()) in found


def test_metrics_scrape_survives_an_unreachable_database():
    with refused_port() as closed:
        metrics = Metrics(create_engine(f"postgresql+psycopg://watcher@127.0.0.1:{closed}/w"))
        metrics.observe_events({"source-health": 1})
        found = samples(metrics.render().decode())
    assert value(found, "watcher_events_total", rule="source-health") == 1
    assert ("watcher_oldest_pending_delivery_seconds", ()) not in found


def test_port_zero_serves_nothing(daemon):
    daemon.listener = None  # no socket handed over, and http.port 0
    before = daemon._health
    daemon._start_health_server()
    assert daemon._health is before  # no second server was started


def test_a_scrape_reads_while_another_process_holds_the_sqlite_write_lock(tmp_path) -> None:
    """/metrics' database gauges read without taking SQLite's write lock: a scrape answers
    while the pipeline (here, another connection) is in the middle of a write."""
    from watcher.store.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'w.db'}?timeout=1"
    engine = make_engine(url)
    upgrade(engine)
    writer = make_engine(url)
    with writer.connect() as holding:
        holding.exec_driver_sql("UPDATE sources SET name = name")  # BEGIN IMMEDIATE: locked
        families = {f.name for f in Metrics(engine).registry.collect()}
    # the database gauges were read, not left out of the scrape for a locked database
    assert {"watcher_oldest_pending_delivery_seconds", "watcher_source_state"} <= families
    engine.dispose()
    writer.dispose()
