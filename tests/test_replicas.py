"""Several daemon replicas on one PostgreSQL database share the work: every source is polled
once, every event delivered once; killing a replica (SIGKILL) mid-cycle leaves its claimed
work to the other once the lease runs out, with nothing lost."""

from __future__ import annotations

import collections
import re
import signal
import subprocess
import time

import pytest

from tests.conftest import WATCHER, watcher_env
from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer
from tests.test_crash_recovery import COMPANIES, items, per_company, wait_for
from tests.test_end_to_end import rss

NOISE_SOURCES = 30


@pytest.fixture
def postgres_url(db_url: str) -> str:
    if db_url.startswith("sqlite"):
        pytest.skip("replicas need PostgreSQL (SQLite is for one process)")
    return db_url


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


def env_for(tmp_path, postgres_url: str, feeds_file: str, slack: SlackServer) -> dict:
    return watcher_env(
        tmp_path,
        database__url=postgres_url,
        sources__file=feeds_file,
        slack__token=slack.token,
        slack__api_url=slack.api_url,
        scheduler__tick_seconds="1",
        scheduler__deliver_seconds="1",
        alerts__lease_seconds="3",
        sources__lease_seconds="5",
        alerts__retry_base_seconds="1",
    )


def test_two_replicas_share_the_work_exactly_once(tmp_path, postgres_url):
    with FeedServer() as feeds, SlackServer(delay=0.2) as slack:
        env = env_for(tmp_path, postgres_url, serve(feeds, tmp_path), slack)
        replicas = start_replicas(tmp_path, env)
        try:
            wait_for(lambda: set(per_company(slack)) == set(COMPANIES), 120, "every alert")
            time.sleep(3)  # room for any duplicate to show up
        finally:
            stderr = stop(replicas)
        polls = collections.Counter(request.path for request in feeds.requests)
    assert all(count == 1 for count in polls.values()), polls  # each source polled once
    assert len(polls) == NOISE_SOURCES + 1
    counts = per_company(slack)
    assert counts == collections.Counter(dict.fromkeys(COMPANIES, 1)), (counts, stderr)
    assert "Traceback" not in stderr, stderr


def test_a_killed_replica_leaves_its_work_to_the_other(tmp_path, postgres_url):
    with FeedServer() as feeds, SlackServer(delay=0.8) as slack:
        env = env_for(tmp_path, postgres_url, serve(feeds, tmp_path), slack)
        replicas = start_replicas(tmp_path, env)
        try:
            wait_for(lambda: len(slack.messages) >= 1, 120, "the first message")
            replicas[0].send_signal(signal.SIGKILL)  # whatever it holds, mid-cycle
            replicas[0].wait(timeout=10)
            wait_for(lambda: set(per_company(slack)) == set(COMPANIES), 120, "every alert")
            time.sleep(4)  # longer than the delivery lease
        finally:
            stderr = stop(replicas)
    counts = per_company(slack)
    assert set(counts) == set(COMPANIES), stderr
    assert all(count <= 2 for count in counts.values()), counts
    assert sum(1 for count in counts.values() if count == 2) <= 1, counts
    assert not re.search(r"Traceback", stderr), stderr
