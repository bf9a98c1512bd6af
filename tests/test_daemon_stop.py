"""Stopping the daemon on SIGTERM/SIGINT. The signal handler runs in the main thread wherever
that was, perhaps inside a lock the running jobs need (a log handler's, while the scheduler
logs a missed run): it must start the stop and return, never wait there for the jobs (a
replica once hung for good that way under load)."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime

from tests.conftest import PROJECT
from tests.support.waiting import wait_for
from watcher.daemon import Daemon
from watcher.settings import Settings


def test_a_stop_signal_caught_inside_a_lock_a_job_needs_lets_the_job_finish(tmp_path):
    daemon = Daemon(settings(tmp_path))
    held = threading.RLock()  # stands for the log handler's lock the main thread was in
    started, finished = threading.Event(), threading.Event()

    def job() -> None:
        started.set()
        with held:  # the job needs it to finish, as a job that logs needs the handler's
            finished.set()

    # An interval job, as the daemon's are (a one-off job's removal races a stop in
    # APScheduler itself).
    daemon.scheduler.add_job(job, "interval", seconds=3600, next_run_time=datetime.now(UTC))
    scheduler = threading.Thread(target=daemon.scheduler.start, name="scheduler", daemon=True)
    try:
        scheduler.start()

        def signalled_inside_the_lock() -> None:
            with held:
                started.wait()
                daemon.stop(signal.SIGTERM)  # what the handler does, the lock still held

        handler = threading.Thread(target=signalled_inside_the_lock, name="main", daemon=True)
        handler.start()
        wait_for(lambda: not handler.is_alive(), 30, "the handler to return")
        wait_for(finished.is_set, 30, "the job to finish")
        wait_for(lambda: not scheduler.is_alive(), 30, "the scheduler to stop")
    finally:
        daemon.pipeline.close()


def test_a_stop_signal_caught_while_starting_up_stops_the_scheduler_once_it_runs(tmp_path):
    # SIGTERM between installing the handlers and starting the scheduler: the scheduler was
    # not running to be shut down, and then ran for good.
    daemon = Daemon(settings(tmp_path))
    try:
        daemon.stop(signal.SIGTERM)
        scheduler = threading.Thread(target=daemon.scheduler.start, name="scheduler", daemon=True)
        scheduler.start()
        wait_for(lambda: not scheduler.is_alive(), 30, "the scheduler to stop")
    finally:
        daemon.pipeline.close()


def settings(tmp_path) -> Settings:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources: []\n")
    return Settings(
        database={"url": f"sqlite:///{tmp_path / 'watcher.db'}"},
        sources={"file": feeds},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        http={"port": 0},
    )
