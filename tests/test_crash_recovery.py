"""Killing the daemon (SIGKILL) while deliveries are in flight loses no alert and repeats at
most the one in flight: the daemon runs as a subprocess against a local feed server and a
local Slack server that holds a request, is killed while that send is in flight, restarted,
and every event arrives."""

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
from tests.test_end_to_end import YEAR, _days_ago, rss
from watcher.store.db import make_engine, session_scope
from watcher.store.models import Delivery

COMPANIES = {
    "MSFT": "Microsoft",
    "GOOGL": "Alphabet",
    "META": "Meta Platforms",
    "AMZN": "Amazon",
    "ORCL": "Oracle",
    "NVDA": "Nvidia",
    "INTC": "Intel",
    "AAPL": "Apple",
}


def items() -> list[tuple[str, str, str]]:
    """For each company, a first outlook and a raise of it, in our own words."""
    found = []
    for index, name in enumerate(COMPANIES.values()):
        low, high = 20 + index * 5, 24 + index * 5
        found.append(
            (
                f"{name} outlook",
                f"{name} said it expects calendar {YEAR} capital "
                f"expenditures of ${low} billion to ${high} billion.",
                _days_ago(10),
            )
        )
        found.append(
            (
                f"{name} raises outlook",
                f"{name} now expects calendar {YEAR} capital "
                f"expenditures of ${low + 3} billion to ${high + 3} billion, raised from "
                f"its prior outlook of ${low} billion to ${high} billion.",
                _days_ago(1),
            )
        )
    return found


def start(tmp_path, env) -> subprocess.Popen:
    return subprocess.Popen(
        [str(WATCHER), "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def delivery_states(engine: Engine) -> collections.Counter:
    """How many outbox rows stand in each state."""
    with session_scope(engine) as session:
        return collections.Counter(session.exec(select(col(Delivery.status))))


def all_sent(engine: Engine, slack: SlackServer) -> bool:
    """Every company alerted and every outbox row sent: nothing is left that could be sent
    (again) later."""
    return set(per_company(slack)) == set(COMPANIES) and set(delivery_states(engine)) == {"sent"}


def per_company(slack: SlackServer) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for message in slack.messages:
        match = re.search(r"\b(" + "|".join(COMPANIES) + r")\b", message.text)
        if match:
            counts[match.group(1)] += 1
    return counts


@pytest.mark.slow
def test_sigkill_mid_delivery_loses_nothing_and_repeats_at_most_one(tmp_path, db_url):
    engine = make_engine(db_url)
    with FeedServer() as feeds, SlackServer() as slack:
        feeds.set("/wire.rss", rss(*items()), content_type="application/rss+xml")
        path = tmp_path / "feeds.yaml"
        path.write_text(f"sources:\n  - name: wire\n    url: {feeds.url('/wire.rss')}\n")
        env = watcher_env(
            tmp_path,
            database__url=db_url,
            sources__file=str(path),
            slack__token=slack.token,
            slack__api_url=slack.api_url,
            scheduler__tick_seconds="1",
            scheduler__deliver_seconds="1",
            replicas__lease_seconds="3",
            replicas__heartbeat_seconds="1",
            alerts__retry_base_seconds="1",
        )
        slack.hold(after=2)
        first = start(tmp_path, env)
        try:
            wait_for(lambda: slack.in_flight() == 1, 90, "a third send in flight")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
        slack.release()  # Slack posts the message whose request it got: the one repeated
        wait_for(lambda: slack.in_flight() == 0, 30, "the held request answered")
        delivered_before_restart = len(slack.messages)
        assert delivered_before_restart == 3
        assert delivery_states(engine)["sending"] == 1  # the claim the dead process held

        second = start(tmp_path, env)
        try:
            wait_for(lambda: all_sent(engine, slack), 90, "every alert sent")
        finally:
            second.send_signal(signal.SIGTERM)
            _, stderr = second.communicate(timeout=30)
            engine.dispose()
    counts = per_company(slack)
    assert set(counts) == set(COMPANIES), stderr
    assert all(count <= 2 for count in counts.values()), counts
    assert sum(1 for count in counts.values() if count == 2) <= 1, counts
