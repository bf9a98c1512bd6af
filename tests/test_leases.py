"""Claims are short leases kept alive by a heartbeat while the work runs: a Slack call or a
fetch that takes several leases' time keeps its row, so no other sender or poller takes it
over and nothing is done twice; once the work ends, the row is free again. On SQLite and on
PostgreSQL, with the real delivery job and poller against local servers."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer
from tests.support.waiting import wait_for
from tests.test_poll import feed
from tests.test_rules_and_outbox import Store
from tests.test_slack_delivery import CHANNEL, raise_event
from watcher.alerts.deliver import RetryPolicy, deliver_due
from watcher.alerts.slack import slack_notifiers
from watcher.errors import ConfigError
from watcher.settings import SlackSettings, load_settings
from watcher.sources.config import SourceConfig
from watcher.sources.http import make_client
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, session_scope
from watcher.store.leases import Lease, LeaseTerms
from watcher.store.models import Delivery, Source, utcnow

# Short, so that the work below outlasts several leases.
TERMS = LeaseTerms(lease=timedelta(seconds=1), heartbeat=timedelta(seconds=0.25))
LEASES_OUTLASTED = 4


def until_done(thread: threading.Thread, check: Callable[[], None]) -> int:
    """Run `check` again and again while `thread` works; how many times it ran."""
    runs = 0
    while thread.is_alive():
        check()
        runs += 1
        time.sleep(0.1)
    return runs


@pytest.mark.slow
def test_a_send_slower_than_the_lease_is_never_taken_over(db_url):
    store = Store(db_url)
    raise_event(store)
    policy = RetryPolicy(base_seconds=0.0, cap_seconds=0.0, lease=TERMS)
    with SlackServer() as slack, SlackServer() as other:
        notifiers = slack_notifiers(
            SlackSettings(token=slack.token, api_url=slack.api_url, timeout=60), {CHANNEL}
        )
        # A second sender, with a channel of its own that must receive nothing.
        others = slack_notifiers(
            SlackSettings(token=other.token, api_url=other.api_url, timeout=60), {CHANNEL}
        )
        slack.hold()
        sender = threading.Thread(target=deliver_due, args=(store.engine, notifiers, policy))
        sender.start()
        wait_for(lambda: slack.in_flight() == 1, 30, "the send in flight")
        held_since = time.monotonic()

        def check() -> None:
            assert deliver_due(store.engine, others, policy).sent == 0
            if time.monotonic() - held_since > LEASES_OUTLASTED * TERMS.lease.total_seconds():
                slack.release()

        assert until_done(sender, check) > LEASES_OUTLASTED
        assert other.requests == 0
    assert slack.requests == len(slack.messages) == 1
    with session_scope(store.engine) as session:
        (delivery,) = session.exec(select(Delivery))
    assert (delivery.status, delivery.attempts, delivery.claimed_until) == ("sent", 1, None)


@pytest.mark.slow
def test_a_fetch_slower_than_the_lease_is_never_polled_twice(db_url):
    store = Store(db_url)
    limits = FetchLimits(allow_local=True, deadline=60, lease=TERMS)
    seconds = LEASES_OUTLASTED * TERMS.lease.total_seconds()
    with FeedServer() as feeds, make_client(user_agent="capex-watcher-tests") as client:
        feeds.set("/slow.rss", feed(("one", "text")), delay=seconds)
        sync_sources(store.engine, [SourceConfig(name="slow", url=feeds.url("/slow.rss"))])

        def poll() -> int:
            return poll_sources(store.engine, client, limits, rng=random.Random(1)).polled

        poller = threading.Thread(target=poll)
        poller.start()
        wait_for(lambda: feeds.count("/slow.rss") == 1, 30, "the fetch in flight")

        def check() -> None:
            assert poll() == 0  # due, but claimed: left to the first poller

        assert until_done(poller, check) > 1
        assert feeds.count("/slow.rss") == 1
    with session_scope(store.engine) as session:
        source = session.exec(select(Source).where(Source.name == "slow")).one()
    assert source.last_success_at is not None and source.claimed_until is None


def test_a_lease_renews_only_the_rows_it_still_holds(db_url):
    store = Store(db_url)
    with session_scope(store.engine) as session:
        ids = [source.id for source in session.exec(select(Source).order_by(Source.id))]
    lease = Lease(store.engine, Source, TERMS)
    taken_over = Lease(store.engine, Source, TERMS)
    with session_scope(store.engine) as session:
        for source_id, holder in zip(ids, (lease, lease, taken_over), strict=True):
            row = session.get_one(Source, source_id)
            for column, value in holder.values(utcnow()).items():
                setattr(row, column, value)
            session.add(row)
    lease.hold(ids)
    with session_scope(store.engine) as session:  # the first source's poll is stored
        session.get_one(Source, ids[0]).claimed_until = None
    assert lease.renew() == 1  # the second; the third is another lease's
    lease.let_go(ids[1:2])
    assert lease.renew() == 0


def test_heartbeats_fit_three_times_in_a_lease(monkeypatch, tmp_path):
    monkeypatch.setenv("WATCHER_REPLICAS__HEARTBEAT_SECONDS", "6")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert (
        "replicas.heartbeat_seconds" in message and "WATCHER_REPLICAS__HEARTBEAT_SECONDS" in message
    )
    assert "a third of replicas.lease_seconds (15)" in message

    path = tmp_path / "watcher.toml"
    path.write_text("[replicas]\nlease_seconds = 30\n")
    monkeypatch.setenv("WATCHER_CONFIG", str(path))
    settings = load_settings()
    assert (settings.replicas.lease_seconds, settings.replicas.heartbeat_seconds) == (30, 6)


def test_postgres_ends_a_vanished_hosts_row_locks_within_30_s(db_url):
    # Documents and observations are claimed by row locks of the working transaction: they
    # end with the connection, which the server drops once its TCP keepalives go unanswered.
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite's locks are the file's, released by the operating system")
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            idle, interval, count = (
                int(connection.exec_driver_sql(f"SHOW {name}").scalar_one())
                for name in (
                    "tcp_keepalives_idle",
                    "tcp_keepalives_interval",
                    "tcp_keepalives_count",
                )
            )
    finally:
        engine.dispose()
    assert idle > 0 and interval > 0 and count > 0  # 0: the system's default, two hours
    assert idle + interval * count <= 30


@pytest.fixture(autouse=True)
def _no_leftover_threads():
    before = {thread.name for thread in threading.enumerate()}
    yield
    leftover = {t.name for t in threading.enumerate() if t.name.startswith("lease-")} - before
    assert not leftover, leftover
