"""The source-health rule: a source failing too many polls in a row, or silent longer than it is
expected to be, raises one `source-health` event per streak through the outbox; a healthy
source raises nothing."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.support.feed_server import FeedServer
from tests.test_poll import feed
from watcher.engine.source_health import RULE, WatchPolicy, check_sources
from watcher.sources.config import SourceConfig
from watcher.sources.http import make_client
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Delivery, Event, utcnow


@pytest.fixture
def world(db_url):
    """Sources `good`, `broken` (answers 500) and `quiet` (expected to publish daily)."""
    engine = make_engine(db_url)
    upgrade(engine)
    with FeedServer() as server, make_client(user_agent="capex-watcher-tests") as client:
        server.set("/good.rss", feed(("g1", "hello")))
        server.set("/quiet.rss", feed(("q1", "hello")))
        server.set("/broken.rss", b"down", status=500)
        sync_sources(
            engine,
            [
                SourceConfig(name="good", url=server.url("/good.rss")),
                SourceConfig(name="broken", url=server.url("/broken.rss")),
                SourceConfig(name="quiet", url=server.url("/quiet.rss"), expect_every="1d"),
            ],
        )

        def poll() -> None:
            poll_sources(engine, client, FetchLimits(), force=True, rng=random.Random(1))

        yield engine, server, poll
    engine.dispose()


POLICY = WatchPolicy(failing_after=3, silent_after={"quiet": timedelta(days=1)})


def console(_draft) -> list[str]:
    return ["console"]


def events(engine) -> list[Event]:
    with session_scope(engine) as session:
        return list(session.exec(select(Event).where(Event.rule == RULE).order_by(Event.id)))


def test_failing_source_raises_once_per_streak(world):
    engine, server, poll = world
    for _ in range(2):
        poll()
    assert check_sources(engine, POLICY, console) == 0  # two failures: not yet
    poll()
    assert check_sources(engine, POLICY, console) == 1
    poll()
    assert check_sources(engine, POLICY, console) == 0  # the same streak: raised once
    (event,) = events(engine)
    assert "broken" in event.key and event.change == "failing" and event.company is None
    assert (event.metric, event.period, event.severity) == ("source", None, "high")
    assert "Source broken has failed 3 polls in a row" in event.summary
    with session_scope(engine) as session:
        (delivery,) = session.exec(select(Delivery).where(Delivery.event_id == event.id))
    assert delivery.channel == "console" and delivery.status == "pending"

    server.set("/broken.rss", feed(("b1", "back")))  # recovers, then fails again
    poll()
    server.set("/broken.rss", b"down", status=500)
    for _ in range(3):
        poll()
    assert check_sources(engine, POLICY, console) == 1  # a new streak, a new alert
    assert len(events(engine)) == 2


def test_healthy_sources_raise_nothing(world):
    engine, _server, poll = world
    for _ in range(3):
        poll()
    check_sources(engine, POLICY, console)
    assert all("broken" in event.key for event in events(engine))


def test_silent_source_raises_once(world):
    engine, _server, poll = world
    poll()
    assert check_sources(engine, WatchPolicy(failing_after=99, silent_after={}), console) == 0
    later = utcnow() + timedelta(days=2)
    policy = WatchPolicy(failing_after=99, silent_after=POLICY.silent_after)
    assert check_sources(engine, policy, console, now=utcnow()) == 0  # published just now
    assert check_sources(engine, policy, console, now=later) == 1
    assert check_sources(engine, policy, console, now=later + timedelta(hours=1)) == 0
    (event,) = events(engine)
    assert event.change == "silent" and "quiet" in event.key
    assert "no new document for 2d" in event.summary and "good" not in event.key
