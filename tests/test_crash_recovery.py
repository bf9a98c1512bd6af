"""Killing the daemon (SIGKILL) while deliveries are in flight loses no alert and repeats at
most the one in flight: the daemon runs as a subprocess against a local feed server and a
slow local Slack server, is killed mid-delivery, restarted, and every event arrives."""

from __future__ import annotations

import collections
import re
import signal
import subprocess
import time

from tests.conftest import WATCHER, watcher_env
from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer
from tests.test_end_to_end import YEAR, _days_ago, rss

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


def per_company(slack: SlackServer) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for message in slack.messages:
        match = re.search(r"\b(" + "|".join(COMPANIES) + r")\b", message.text)
        if match:
            counts[match.group(1)] += 1
    return counts


def test_sigkill_mid_delivery_loses_nothing_and_repeats_at_most_one(tmp_path, db_url):
    with FeedServer() as feeds, SlackServer(delay=0.6) as slack:
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
            alerts__lease_seconds="3",
            alerts__retry_base_seconds="1",
        )
        first = start(tmp_path, env)
        try:
            wait_for(lambda: len(slack.messages) >= 2, 90, "the first messages")
            time.sleep(0.3)  # well inside the next send, which takes 0.6 s
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
        delivered_before_restart = len(slack.messages)
        assert delivered_before_restart < len(COMPANIES), "the kill came too late to test"

        second = start(tmp_path, env)
        try:
            wait_for(lambda: set(per_company(slack)) == set(COMPANIES), 90, "every alert")
            time.sleep(4)  # longer than the lease: anything left would be sent again now
        finally:
            second.send_signal(signal.SIGTERM)
            _, stderr = second.communicate(timeout=30)
    counts = per_company(slack)
    assert set(counts) == set(COMPANIES), stderr
    assert all(count <= 2 for count in counts.values()), counts
    assert sum(1 for count in counts.values() if count == 2) <= 1, counts
