"""A poll's feed-parsing worker processes (watcher/sources/parsers.py): every body a poll fetches
is parsed in one of them, with its time and memory limits; a worker that overruns or dies fails
that body's source alone and is started again for the next body."""

from __future__ import annotations

import os
import signal

import pytest
from sqlmodel import select

from tests.support.feed_server import FeedServer
from watcher.sources import feeds
from watcher.sources.config import SourceConfig
from watcher.sources.errors import FeedParseError
from watcher.sources.http import make_client
from watcher.sources.parsers import FeedParsers
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Document

URL = "https://news.example/feed.xml"


def rss(*titles: str) -> bytes:
    items = "".join(
        f"<item><title>{title}</title><guid isPermaLink='false'>{title}</guid>"
        f"<description>About {title}.</description></item>"
        for title in titles
    )
    return f'<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def test_a_body_is_parsed_as_in_this_process():
    body = rss("Capex raised", "Backlog grows")
    with FeedParsers(1) as parsers:
        parsed = parsers.parse(body, URL, "application/rss+xml")
    assert parsed == feeds.parse_feed(body, url=URL, isolate=False)


def test_what_is_not_a_feed_is_the_same_error_as_in_this_process():
    with FeedParsers(1) as parsers, pytest.raises(FeedParseError, match="not a feed"):
        parsers.parse(b"<html><body>hello</body></html>", URL, "text/html")


def test_a_parse_over_its_time_stops_the_worker_and_the_next_body_gets_a_new_one():
    with FeedParsers(1) as parsers:
        parsers.parse(rss("first"), URL, None)
        before = parsers._workers[0]._process
        parsers.timeout = 0  # no parse answers in no time
        with pytest.raises(FeedParseError, match="longer than 0 s"):
            parsers.parse(rss("second"), URL, None)
        parsers.timeout = 20
        assert parsers.parse(rss("third"), URL, None).entries[0].title == "third"
        assert parsers._workers[0]._process is not before


def test_a_worker_that_died_is_started_again():
    with FeedParsers(1) as parsers:
        parsers.parse(rss("first"), URL, None)
        process = parsers._workers[0]._process
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert parsers.parse(rss("second"), URL, None).entries[0].title == "second"


def test_a_poll_parses_no_feed_in_its_own_process(tmp_path, monkeypatch):
    """Parsing here is broken: the poll still stores every feed's items, parsed elsewhere."""

    def not_here(*args, **kwargs):
        raise AssertionError("a feed was parsed in the poller's process")

    monkeypatch.setattr(feeds, "_parse", not_here)
    engine = make_engine(f"sqlite:///{tmp_path / 'watcher.db'}")
    upgrade(engine)
    with FeedServer() as server:
        configs = []
        for index in range(6):
            server.set(f"/f{index}.rss", rss(f"item-{index}-a", f"item-{index}-b"))
            configs.append(SourceConfig(name=f"f{index}", url=server.url(f"/f{index}.rss")))
        sync_sources(engine, configs)
        with make_client(user_agent="test") as client:
            counts = poll_sources(engine, client, FetchLimits(allow_local=True, concurrency=3))
    assert (counts.polled, counts.failed, counts.new_documents) == (6, 0, 12), counts.errors
    with session_scope(engine) as session:
        assert len(session.exec(select(Document)).all()) == 12


def test_ctrl_c_is_the_parents_to_handle():
    """Ctrl-C in a terminal signals the whole process group: a worker keeps answering (the
    parent stops it when it stops)."""
    with FeedParsers(1) as parsers:
        parsers.parse(rss("first"), URL, None)
        process = parsers._workers[0]._process
        assert process is not None
        os.kill(process.pid, signal.SIGINT)
        assert parsers.parse(rss("second"), URL, None).entries[0].title == "second"
        assert parsers._workers[0]._process is process and process.poll() is None


def test_an_exchange_cut_short_never_answers_the_next_body(monkeypatch):
    """Should anything cut a parse short after its body was sent (a MemoryError in this
    process, say), the worker is stopped: its late answer must not be taken for the next
    body's."""
    from watcher import workers

    real = workers._read

    def cut_short(process, deadline):
        monkeypatch.setattr(workers, "_read", real)
        raise MemoryError

    with FeedParsers(1) as parsers:
        parsers.parse(rss("first"), URL, None)
        monkeypatch.setattr(workers, "_read", cut_short)
        with pytest.raises(MemoryError):
            parsers.parse(rss("cut"), URL, None)
        assert parsers.parse(rss("next"), URL, None).entries[0].title == "next"


def test_no_process_to_start_fails_the_body_with_a_parse_error(monkeypatch):
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    with FeedParsers(1) as parsers, pytest.raises(FeedParseError, match="could not be started"):
        parsers.parse(rss("first"), URL, None)
