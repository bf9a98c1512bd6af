"""The watchdog counts progress, not only finished cycles: a daemon working through a backlog
longer than `scheduler.stall_seconds` stores a group of work (a poll group, an extraction
group) now and then and stays alive (/healthz 200, no exit 70); one whose cycle makes no
progress for that long is still stalled. Time is a fake clock the slow extraction advances
(the daemon's own `Liveness` reads it), never slept; the daemon, its database and the
extraction stage are real."""

from __future__ import annotations

import os
import random

import pytest

from tests.conftest import PROJECT
from tests.support.documents import add_document
from tests.support.feed_server import FeedServer
from tests.test_poll import feed
from watcher.daemon import Daemon
from watcher.extract.bounded import INLINE_CHARS, BoundedExtractor
from watcher.settings import Settings
from watcher.sources.config import SourceConfig
from watcher.sources.http import make_client
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, upgrade
from watcher.watchdog import Liveness


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SlowExtractor(BoundedExtractor):
    """Each document takes `step` seconds of `clock` to extract (and gives nothing); what the
    daemon's watchdog would see at the end of each is noted in `seen`."""

    def __init__(self, daemon: Daemon, clock: Clock, step: float) -> None:
        super().__init__(None)
        self.daemon, self.clock, self.step = daemon, clock, step
        self.seen: list[str | None] = []

    def __call__(self, text, **_kwargs):  # type: ignore[no-untyped-def]
        self.clock.now += self.step
        self.seen.append(self.daemon.liveness_problem())
        return []


@pytest.fixture
def daemon(tmp_path, db_url, monkeypatch):
    """A Daemon in this process (cycle() only, no endpoints), stall_seconds 1, on a fake
    clock; its one source is disabled (not polled), its documents are the backlog."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("WATCHER_")]:
        monkeypatch.delenv(name)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "sources:\n  - name: tech-wire\n    url: https://tech.example/feed\n    enabled: false\n"
    )
    settings = Settings(
        database={"url": db_url},
        sources={"file": feeds},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        scheduler={"stall_seconds": 1, "tick_seconds": 0.25},
        http={"port": 0},
    )
    instance = Daemon(settings)
    clock = Clock()
    instance.liveness = Liveness(instance.stall_after, clock)
    yield instance, clock
    instance.pipeline.close()


def backlog(daemon: Daemon, documents: int) -> None:
    """Documents each large enough to be an extraction group of its own."""
    for n in range(documents):
        text = "capex " * (INLINE_CHARS // 6 - 10)
        add_document(daemon.pipeline.engine, "tech-wire", f"doc-{n}", None, text)


def test_a_backlog_longer_than_the_stall_limit_is_progress_not_a_stall(daemon):
    daemon, clock = daemon
    backlog(daemon, 4)
    slow = SlowExtractor(daemon, clock, 0.6 * daemon.stall_after)
    daemon.pipeline.extractor = slow
    start = clock.now
    daemon.cycle()
    assert clock.now - start > 2 * daemon.stall_after  # longer than the limit
    assert slow.seen == [None] * 4  # alive at every point: each group written is progress
    assert daemon.liveness_problem() is None


def test_a_cycle_making_no_progress_for_the_stall_limit_is_still_stalled(daemon):
    daemon, clock = daemon
    backlog(daemon, 1)
    slow = SlowExtractor(daemon, clock, daemon.stall_after + 1)
    daemon.pipeline.extractor = slow
    daemon.cycle()
    (problem,) = slow.seen
    assert problem == "no cycle finished for 2 seconds and no progress for 2"
    assert daemon.liveness_problem() is None  # the cycle has finished since


def test_each_poll_group_stored_is_progress(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    try:
        with FeedServer() as server, make_client(user_agent="capex-watcher-tests") as client:
            server.set("/a.rss", feed(("a1", "hello")))
            sync_sources(engine, [SourceConfig(name="a", url=server.url("/a.rss"))])
            calls: list[None] = []
            counts = poll_sources(
                engine,
                client,
                FetchLimits(),
                force=True,
                rng=random.Random(1),
                progress=lambda: calls.append(None),
            )
        assert counts.polled == 1 and calls == [None]
    finally:
        engine.dispose()
