"""Fair access to SEC EDGAR against a local server standing in for it: several SEC sources
polled at once never exceed the request rate, every request carries our contact in its
User-Agent, a 429 slows every SEC request down, and without a contact nothing is fetched."""

from __future__ import annotations

import itertools
import json
import random
import threading
import time

import pytest
from sqlmodel import select

from tests.support.feed_server import FeedServer
from tests.test_rules_and_outbox import Store
from watcher.sources.config import SourceConfig
from watcher.sources.http import make_client
from watcher.sources.kinds import PollContext
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.sources.sec import (
    NO_CONTACT,
    NOT_POLLED_NO_CONTACT,
    RateLimited,
    RateLimiter,
    SecAccess,
    sec_user_agent,
)
from watcher.store.db import session_scope
from watcher.store.models import Fact, Source
from watcher.store.source_state import SourceState, describe_state, source_state

CONTACT = "capex-team@example.org"
SOURCES = 25


def companyfacts(cik: int) -> bytes:
    """A minimal companyfacts body: one quarter of capex, reported directly."""
    fact = {
        "start": "2025-01-01",
        "end": "2025-03-31",
        "val": 1_000_000_000 + cik,
        "accn": "0000000000-25-000001",
        "fy": 2025,
        "fp": "Q1",
        "form": "10-Q",
        "filed": "2025-04-30",
    }
    return json.dumps(
        {
            "cik": cik,
            "entityName": f"Company {cik}",
            "facts": {
                "us-gaap": {
                    "PaymentsToAcquirePropertyPlantAndEquipment": {"units": {"USD": [fact]}}
                }
            },
        }
    ).encode()


def setup_sources(store: Store, server: FeedServer) -> None:
    configs = []
    for index in range(SOURCES):
        server.set(f"/facts/{index}.json", companyfacts(index), content_type="application/json")
        configs.append(
            SourceConfig(
                name=f"sec-{index}",
                url=server.url(f"/facts/{index}.json"),
                kind="sec_companyfacts",
                company="META",
            )
        )
    sync_sources(store.engine, configs)


def poll(store: Store, sec: SecAccess, *, force: bool = True):
    with make_client(user_agent="not-for-sec") as client:
        return poll_sources(
            store.engine,
            client,
            FetchLimits(concurrency=8),
            force=force,
            rng=random.Random(3),
            sec=sec,
            context=PollContext(fiscal_year_end={"META": 12}),
        )


def max_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


class RecordingLimiter(RateLimiter):
    """The limiter, keeping the clock value of every release. The lock around acquire lets no
    other release come between a release and its recording."""

    def __init__(self, rate: float):
        super().__init__(rate)
        self.releases: list[float] = []
        self._recording = threading.Lock()

    def acquire(self, *, max_wait: float = float("inf")) -> None:
        with self._recording:
            super().acquire(max_wait=max_wait)
            self.releases.append(self._last)


def test_rate_limit_and_user_agent_across_sources(tmp_path, db_url):
    store = Store(db_url)
    limiter = RecordingLimiter(10)
    with FeedServer() as server, make_client(user_agent=sec_user_agent(CONTACT)) as sec_client:
        setup_sources(store, server)
        counts = poll(store, SecAccess(sec_client, limiter))
        requests = list(server.requests)
    assert counts.polled == SOURCES and counts.failed == 0
    assert len(requests) == SOURCES
    # Every request waited for the limiter, and the limiter let at most 10 go in any second.
    # Judged at release, not at arrival: on a busy machine the scheduler can hold one request
    # back and let it arrive next to a later one, which says nothing about the limiter.
    assert len(limiter.releases) == len(requests)
    assert max_in_one_second(limiter.releases) <= 10
    assert all(CONTACT in r.headers["user-agent"] for r in requests)
    with session_scope(store.engine) as session:
        assert len(session.exec(select(Fact)).all()) == 1  # one company, one quarter


@pytest.mark.slow
def test_a_429_slows_every_sec_request(tmp_path, db_url):
    store = Store(db_url)
    limiter = RateLimiter(10)
    with FeedServer() as server, make_client(user_agent=sec_user_agent(CONTACT)) as sec_client:
        setup_sources(store, server)
        server.set("/facts/0.json", b"slow down", status=429, headers={"Retry-After": "2"})
        started = time.monotonic()
        counts = poll(store, SecAccess(sec_client, limiter))
        elapsed = time.monotonic() - started
        requests = sorted(server.requests, key=lambda r: r.at)
    assert counts.failed == 1
    # Once the 429 came back, no SEC request was sent for the 2 seconds it asked for (but
    # one already on its way while the answer travelled back).
    refused = next(r for r in requests if r.status == 429)
    during = [r for r in requests if refused.at + 0.05 < r.at < refused.at + 1.9]
    assert during == []
    assert any(r.at >= refused.at + 1.9 for r in requests)
    assert elapsed >= 2.0


def test_without_contact_sec_sources_are_not_polled_by_design(tmp_path, db_url):
    """Without sec.contact an SEC source is not polled, and that is no failure: it is marked
    not polled (with why), keeps no failure count, and is polled as soon as a contact is set.
    A source that failed for want of a contact before starts clean."""
    store = Store(db_url)
    with FeedServer() as server, make_client(user_agent=sec_user_agent(CONTACT)) as sec_client:
        setup_sources(store, server)
        with session_scope(store.engine) as session:
            stale = session.exec(select(Source).where(Source.name == "sec-0")).one()
            stale.consecutive_failures, stale.last_error = 6, NO_CONTACT
            session.add(stale)
        for _ in range(3):
            counts = poll(store, SecAccess(None, RateLimiter(10)))
            assert server.requests == []
            assert (counts.polled, counts.failed) == (0, 0)
        with session_scope(store.engine) as session:
            sources = [s for s in session.exec(select(Source)) if s.name.startswith("sec-")]
            assert {source_state(s) for s in sources} == {SourceState.NOT_POLLED}
            assert {s.not_polled_reason for s in sources} == {NOT_POLLED_NO_CONTACT}
            assert {(s.consecutive_failures, s.last_error) for s in sources} == {(0, None)}
            assert describe_state(sources[0]).startswith("not polled: sec.contact is not set")

        counts = poll(store, SecAccess(sec_client, RateLimiter(10)), force=False)
        assert (counts.polled, counts.failed) == (SOURCES, 0)
        assert len(server.requests) == SOURCES
    with session_scope(store.engine) as session:
        sources = [s for s in session.exec(select(Source)) if s.name.startswith("sec-")]
        assert {source_state(s) for s in sources} == {SourceState.OK}


class FakeClock:
    """Time that moves only when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_limiter_spacing_and_pause_on_a_fake_clock():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    releases = []
    for _ in range(25):
        limiter.acquire()
        releases.append(clock.now)
    assert min(b - a for a, b in itertools.pairwise(releases)) >= 0.1
    assert max_in_one_second(releases) <= 10
    limiter.pause(30)
    with pytest.raises(RateLimited):
        limiter.acquire(max_wait=5)
    before = clock.now
    limiter.acquire()  # a caller that may wait does, until the pause is over
    assert clock.now - before >= 30


def test_limiter_threads_never_exceed_the_rate():
    limiter = RateLimiter(20)
    stamps: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(6):
            limiter.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Stamps are taken after release, so scheduling delays can only bunch them, never spread
    # them: allow for that noise, but never a burst.
    assert len(stamps) == 24
    assert max_in_one_second(stamps) <= 21
