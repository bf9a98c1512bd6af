"""The daemon: an APScheduler 3 scheduler ticking the pipeline, the web view with the metrics
and health endpoints on `http.port`, and a clean stop on SIGTERM/SIGINT after the work in
hand."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy import text

from watcher.alerts.deliver import DeliveryCounts
from watcher.alerts.digest import digest_trigger, run_scheduled_digest
from watcher.engine.source_health import RULE as SOURCE_HEALTH
from watcher.errors import ConfigError
from watcher.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from watcher.metrics import Metrics
from watcher.pipeline import CycleSummary, Pipeline
from watcher.settings import Settings
from watcher.store.db import reader
from watcher.store.outage import Outage, unavailable_reason
from watcher.watchdog import STALLED_EXIT, Liveness, Watchdog, check_interval, notify

if TYPE_CHECKING:
    import socket

    from watcher.web.server import BackgroundServer

log = logging.getLogger(__name__)


def run_once(settings: Settings) -> CycleSummary:
    """One whole cycle over every source, then return its summary."""
    pipeline = Pipeline(settings)
    try:
        return pipeline.run_cycle(force=True)
    finally:
        pipeline.close()


def release_memory() -> bool:
    """Hand the memory a cycle freed back to the system, so that the idle daemon does not keep
    the poll stage's peak: a full garbage collection, then glibc's `malloc_trim`, which
    returns the free pages of every malloc arena (the fetching threads' included; without it
    the idle daemon kept ~10 MB of the 2,000-feed cycle, bench/memory.py). Returns whether
    it trimmed (False where the C library has no malloc_trim, e.g. musl or macOS)."""
    gc.collect()
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (ImportError, AttributeError, OSError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return True


class Daemon:
    """Runs the pipeline on a schedule until stopped."""

    def __init__(self, settings: Settings, listener: socket.socket | None = None):
        self.settings = settings
        # A listening socket handed over by whoever started us (watcher/activation.py): the
        # endpoints are served there instead of on http.host:http.port.
        self.listener = listener
        self.pipeline = Pipeline(settings)
        self.scheduler = BlockingScheduler(timezone="UTC")
        # Set once the scheduler runs: a stop signalled before (while starting up) waits for it.
        self._scheduler_started = threading.Event()
        self.scheduler.add_listener(
            lambda _event: self._scheduler_started.set(), EVENT_SCHEDULER_STARTED
        )
        self._health: BackgroundServer | None = None
        self._deliver_lock = threading.Lock()
        self.metrics = Metrics(self.pipeline.engine)
        # The database going away fails a job with one log line and /readyz says why; the
        # next run tries again (watcher/store/outage.py).
        self.outage = Outage(self.pipeline.engine.url)
        # A cycle that has neither finished nor made progress (a poll or extraction group
        # stored) for this long means the daemon is stuck: /healthz then fails, and the
        # watchdog ends the process so that its supervisor restarts it.
        self.stall_after = max(
            settings.scheduler.stall_seconds, 2 * settings.scheduler.tick_seconds
        )
        self.liveness = Liveness(self.stall_after)
        self.watchdog = Watchdog(
            self.liveness_problem, self._stalled, check_interval(self.stall_after)
        )

    def cycle(self) -> None:
        try:
            with self.outage.guard("the cycle"):
                self._cycle()
        finally:
            self.liveness.cycle_finished()

    def _cycle(self) -> None:
        poll = self.pipeline.poll(progress=self.liveness.progress)
        self.metrics.observe_poll(poll)
        self.metrics.observe_events({SOURCE_HEALTH: self.pipeline.watch_sources()})
        try:
            extracted = self.pipeline.extract(progress=self.liveness.progress)
        finally:
            # The extraction worker (a child interpreter for documents over 64K characters,
            # ~40 MB) is not kept between cycles: the next one that needs it starts it (~1 s).
            self.pipeline.extractor.close()
        self.metrics.observe_extract(extracted)
        evaluated = self.pipeline.evaluate()
        self.metrics.observe_events(evaluated.by_rule)
        delivered = self.deliver()
        if poll.polled or extracted.documents:
            release_memory()
        if poll.polled or evaluated.events or delivered.sent:
            log.info(
                "cycle: %d polled (%d failed), %d new documents, %d observations, "
                "%d events, %d delivered",
                poll.polled,
                poll.failed,
                poll.new_documents,
                extracted.observations,
                evaluated.events,
                delivered.sent,
            )

    def deliver(self) -> DeliveryCounts:
        # The cycle and the retry job both deliver. Claims already keep them from sending one
        # message twice; the lock keeps one message in flight per process, so a crash repeats
        # at most one.
        counts = DeliveryCounts()
        with self.outage.guard("delivery"), self._deliver_lock:
            counts = self.pipeline.deliver()
        self.metrics.observe_delivery(counts)
        return counts

    def digest(self) -> None:
        with self.outage.guard("the digest"):
            run_scheduled_digest(self.pipeline.engine, self.settings.email)

    def _add_digest_job(self) -> None:
        trigger = digest_trigger(self.settings.email)
        if trigger is None:
            return
        # A job that starts late (a busy scheduler) still sends its slot; the DigestRun claim
        # keeps replicas and late starts from sending it twice.
        self.scheduler.add_job(
            self.digest,
            trigger,
            id="digest",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )

    def run(self) -> None:
        scheduler_settings = self.settings.scheduler
        self.scheduler.add_job(
            self.cycle,
            "interval",
            seconds=self.pipeline.tick_seconds,
            id="cycle",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
        )
        self.scheduler.add_job(
            self.deliver,
            "interval",
            seconds=scheduler_settings.deliver_seconds,
            id="deliver",
            max_instances=1,
            coalesce=True,
        )
        self._add_digest_job()
        self._install_signal_handlers()
        self._start_health_server()
        log.info(
            "watcher running: %d sources, %d rules, database %s",
            len(self.pipeline.source_configs),
            len(self.pipeline.rules),
            self.pipeline.engine.url.render_as_string(hide_password=True),
        )
        self.watchdog.start()
        notify("READY=1")
        try:
            self.scheduler.start()
        finally:
            self.watchdog.stop()
            if self._health is not None:
                self._health.shutdown()
            self.pipeline.close()
            log.info("watcher stopped")

    def _stalled(self, problem: str) -> None:
        """The daemon is stuck: end the process at once (a stop after the work in hand
        would wait on what is stuck), for its supervisor to start a fresh one."""
        log.critical(
            "stalled: %s (scheduler.stall_seconds %g); exiting with status %d to be restarted",
            problem,
            self.stall_after,
            STALLED_EXIT,
        )
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(STALLED_EXIT)

    def stop(self, signum: int | None = None, _frame: object = None) -> None:
        """Stop after the work in hand. As a signal handler it only starts the stopping: the
        handler runs in the main thread wherever that was, perhaps inside a lock (a log
        handler's, logging the scheduler's own warning) that the jobs it would wait for need,
        and waiting there would wait for ever. A signal caught while the daemon starts up,
        before its scheduler runs, stops it as soon as it does."""
        if signum is None:
            self._shut_down()
            return
        name = signal.Signals(signum).name
        threading.Thread(
            target=self._shut_down, args=(name, True), name="stopping", daemon=True
        ).start()

    def _shut_down(self, signal_name: str | None = None, once_started: bool = False) -> None:
        if signal_name is not None:
            log.info("received %s; stopping after the work in hand", signal_name)
        if once_started:
            self._scheduler_started.wait()
        with contextlib.suppress(SchedulerNotRunningError):  # stopped already (a 2nd signal)
            self.scheduler.shutdown(wait=True)

    def _install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self.stop)

    def _start_health_server(self) -> None:
        """Serve /metrics, /healthz and /readyz, and the web view beside them, on
        `http.port` (0: nothing is served), or on the socket the daemon was handed."""
        port = self.settings.http.port
        if port == 0 and self.listener is None:
            return
        from watcher.web import create_app, server

        app = create_app(self.settings, engine=self.pipeline.engine, rules=self.pipeline.rules)
        app.add_api_route("/healthz", self._healthz, methods=["GET"])
        app.add_api_route("/readyz", self._readyz, methods=["GET"])
        app.add_api_route("/metrics", self._metrics, methods=["GET"])
        host = self.settings.http.host
        try:
            sock = self.listener or server.bind(host, port, setting="http.port")
        except ConfigError:
            self.pipeline.close()
            raise
        self._health = server.serve_in_thread(app, sock)
        log.info(
            "web view, metrics and health endpoints on port %d", self._health.server_address[1]
        )

    def _healthz(self) -> PlainTextResponse:
        problem = self.liveness_problem()
        return PlainTextResponse((problem or "ok") + "\n", 503 if problem else 200)

    def _readyz(self) -> PlainTextResponse:
        problem = self.readiness_problem()
        return PlainTextResponse((problem or "ready") + "\n", 503 if problem else 200)

    def _metrics(self) -> Response:
        return Response(self.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    def liveness_problem(self) -> str | None:
        return self.liveness.problem()

    def readiness_problem(self) -> str | None:
        if not self.scheduler.running:
            return "scheduler not running"
        problem = self.outage.describe()  # the last job failed on it (it may be back by now)
        if problem is not None:
            return f"database unavailable: {problem}"
        try:  # a read: on SQLite it takes no write lock, so a busy daemon answers at once
            with reader(self.pipeline.engine).connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            reason = unavailable_reason(exc, self.pipeline.engine.url) or type(exc).__name__
            return f"database unavailable: {reason}"
        return None
