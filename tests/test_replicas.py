"""Several daemon replicas on one PostgreSQL database share the work: every source is polled
once, every event delivered once. A replica killed (SIGKILL) while a Slack call or a fetch is
in flight loses its claims within seconds (a lease of `replicas.lease_seconds`, 15, that only
its heartbeat renewed): the survivor sends or polls what it held within 30 s of the kill,
nothing is lost and at most the message in flight is sent twice. The replicas run with the
shipped lease and heartbeat; only the scheduler ticks faster than it would in production."""

from __future__ import annotations

import collections
import re
import signal
import subprocess
import time

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from tests.conftest import WATCHER, watcher_env
from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer
from tests.test_crash_recovery import (
    COMPANIES,
    all_sent,
    items,
    per_company,
    wait_for,
)
from tests.test_end_to_end import rss
from watcher.store.db import make_engine, session_scope
from watcher.store.models import Delivery, Source

pytestmark = pytest.mark.slow  # several `watcher` processes each

NOISE_SOURCES = 30
# The longest a dead replica's work may wait for the survivor, from the kill.
TAKEOVER_SECONDS = 30


@pytest.fixture
def postgres_url(db_url: str) -> str:
    if db_url.startswith("sqlite"):
        pytest.skip("replicas need PostgreSQL (SQLite is for one process)")
    return db_url


@pytest.fixture
def engine(postgres_url: str):
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


def serve(feeds: FeedServer, tmp_path) -> str:
    """One feed with every company's outlook and raise, and quiet feeds besides."""
    feeds.set("/wire.rss", rss(*items()), content_type="application/rss+xml", etag='"w"')
    lines = ["sources:", f"  - name: wire\n    url: {feeds.url('/wire.rss')}"]
    for index in range(NOISE_SOURCES):
        path = f"/quiet/{index}.rss"
        feeds.set(
            path,
            rss((f"Note {index}", "Nothing about spending today.", "")),
            content_type="application/rss+xml",
            etag=f'"q{index}"',
        )
        lines.append(f"  - name: quiet-{index}\n    url: {feeds.url(path)}")
    config = tmp_path / "feeds.yaml"
    config.write_text("\n".join(lines) + "\n")
    return str(config)


def start_replicas(tmp_path, env, count: int = 2) -> list[subprocess.Popen]:
    """Replicas started together on an empty database: they migrate it and register the
    sources side by side."""
    return [
        subprocess.Popen(
            [str(WATCHER), "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]


def stop(replicas: list[subprocess.Popen]) -> str:
    errors = []
    for replica in replicas:
        if replica.poll() is None:
            replica.send_signal(signal.SIGTERM)
        _, stderr = replica.communicate(timeout=60)
        errors.append(stderr or "")
    return "\n".join(errors)


def env_for(tmp_path, postgres_url: str, feeds_file: str, slack: SlackServer, **more) -> dict:
    return watcher_env(
        tmp_path,
        database__url=postgres_url,
        sources__file=feeds_file,
        slack__token=slack.token,
        slack__api_url=slack.api_url,
        scheduler__tick_seconds="1",
        scheduler__deliver_seconds="1",
        alerts__retry_base_seconds="1",
        **more,
    )


def all_polled(engine: Engine) -> bool:
    """Every source polled, and none claimed: no poll is left to happen twice."""
    with session_scope(engine) as session:
        sources = list(session.exec(select(Source)))
    return bool(sources) and all(
        source.last_polled_at is not None and source.claimed_until is None for source in sources
    )


def holders(engine: Engine, model) -> list[int]:
    """The process ids of the claims standing on rows of `model`, lapsed or not
    (`claimed_by` is host:pid:random)."""
    with session_scope(engine) as session:
        tokens = session.exec(
            select(col(model.claimed_by)).where(col(model.claimed_until).is_not(None))
        )
        return [int(token.split(":")[1]) for token in tokens if token]


def within_takeover(killed_at: float) -> float:
    return TAKEOVER_SECONDS - (time.monotonic() - killed_at)


def test_two_replicas_share_the_work_exactly_once(tmp_path, postgres_url, engine):
    with FeedServer() as feeds, SlackServer(delay=0.2) as slack:
        env = env_for(tmp_path, postgres_url, serve(feeds, tmp_path), slack)
        replicas = start_replicas(tmp_path, env)
        try:
            wait_for(lambda: all_sent(engine, slack), 120, "every alert sent")
            wait_for(lambda: all_polled(engine), 60, "every source polled")
        finally:
            stderr = stop(replicas)
        polls = collections.Counter(request.path for request in feeds.requests)
    assert all(count == 1 for count in polls.values()), polls  # each source polled once
    assert len(polls) == NOISE_SOURCES + 1
    counts = per_company(slack)
    assert counts == collections.Counter(dict.fromkeys(COMPANIES, 1)), (counts, stderr)
    assert "Traceback" not in stderr, stderr


def test_a_replica_killed_mid_send_is_taken_over_within_seconds(tmp_path, postgres_url, engine):
    with FeedServer() as feeds, SlackServer() as slack:
        env = env_for(tmp_path, postgres_url, serve(feeds, tmp_path), slack)
        slack.hold()
        replicas = start_replicas(tmp_path, env)
        try:
            # The delivery job sends one message at a time: two held requests are one Slack
            # call in flight in each replica.
            wait_for(lambda: slack.in_flight() == 2, 120, "a send in flight in each replica")
            victim = replicas[0]
            assert victim.pid in holders(engine, Delivery)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            killed_at = time.monotonic()
            slack.release()  # Slack posts the dead replica's message too: the one repeated
            wait_for(
                lambda: all_sent(engine, slack),
                within_takeover(killed_at),
                f"every alert sent by the survivor within {TAKEOVER_SECONDS} s of the kill",
            )
        finally:
            stderr = stop(replicas)
    counts = per_company(slack)
    assert set(counts) == set(COMPANIES), stderr
    assert all(count <= 2 for count in counts.values()), counts
    assert sum(1 for count in counts.values() if count == 2) <= 1, counts
    assert not re.search(r"Traceback", stderr), stderr


def test_a_replica_killed_mid_fetch_is_taken_over_within_seconds(tmp_path, postgres_url, engine):
    with FeedServer() as feeds, SlackServer() as slack:
        # A fetch that outlasts the test: only a takeover polls this source again.
        feeds.set("/slow.rss", rss(*items()), content_type="application/rss+xml", delay=600)
        config = tmp_path / "feeds.yaml"
        config.write_text(f"sources:\n  - name: slow\n    url: {feeds.url('/slow.rss')}\n")
        env = env_for(tmp_path, postgres_url, str(config), slack, sources__fetch_deadline="600")
        replicas = start_replicas(tmp_path, env)
        try:
            wait_for(lambda: feeds.count("/slow.rss") == 1, 120, "the fetch in flight")
            wait_for(lambda: holders(engine, Source), 30, "the poller's claim")
            (holder,) = holders(engine, Source)
            victim = next(replica for replica in replicas if replica.pid == holder)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            killed_at = time.monotonic()
            wait_for(
                lambda: feeds.count("/slow.rss") == 2,
                within_takeover(killed_at),
                f"the survivor polling the source within {TAKEOVER_SECONDS} s of the kill",
            )
        finally:
            for replica in replicas:  # the survivor is in the slow fetch now
                replica.kill()
                replica.communicate(timeout=30)
