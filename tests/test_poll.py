"""Polling into the store: entries stored once, changed entries processed again, permanent
redirects move the stored URL, 410 disables a source, failures back off and are recorded;
storing goes on while other sources are still being fetched, and many sources' outcomes are
stored together."""

from __future__ import annotations

import random
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.feed_server import FeedServer
from tests.support.waiting import wait_for
from watcher.extract import load_companies
from watcher.extraction import extract_pending
from watcher.sources.config import SourceConfig
from watcher.sources.http import make_client
from watcher.sources.outcomes import MOVE_AFTER
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Document, Observation, Source, utcnow


def feed(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{guid}</title><description>{text}"
        f"</description><pubDate>Thu, 30 Jan 2025 12:00:00 GMT</pubDate></item>"
        for guid, text in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<link>https://example.org/</link><description>d</description>{body}</channel></rss>"
    ).encode()


@pytest.fixture
def setup(tmp_path, db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    with FeedServer() as server, make_client(user_agent="capex-watcher-tests") as client:

        def poll(force: bool = True, **limits):
            return poll_sources(
                engine, client, FetchLimits(**limits), force=force, rng=random.Random(7)
            )

        yield engine, server, poll


def sources(engine) -> dict[str, Source]:
    with session_scope(engine) as session:
        return {source.name: source for source in session.exec(select(Source))}


def documents(engine) -> list[Document]:
    with session_scope(engine) as session:
        return list(session.exec(select(Document).order_by(Document.id)))


def test_entries_are_stored_once_and_changes_are_reprocessed(setup):
    engine, server, poll = setup
    server.set("/a.rss", feed(("one", "first text"), ("two", "second text")), etag='"1"')
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/a.rss"))])
    assert poll().new_documents == 2
    companies = load_companies(PROJECT / "config" / "companies.yaml")
    assert extract_pending(engine, companies).documents == 2

    server.set("/a.rss", feed(("one", "first text"), ("two", "second text, corrected")), etag='"2"')
    counts = poll()
    assert (counts.new_documents, counts.changed_documents) == (0, 1)
    assert len(documents(engine)) == 2
    assert extract_pending(engine, companies).documents == 1  # only the changed one
    assert extract_pending(engine, companies).documents == 0


def test_conditional_get_costs_a_304(setup):
    engine, server, poll = setup
    server.set("/a.rss", feed(("one", "text")), etag='"v1"')
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/a.rss"))])
    poll()
    counts = poll()
    assert counts.not_modified == 1
    assert server.last("/a.rss").headers.get("if-none-match") == '"v1"'


def test_a_304_records_a_success_as_any_poll_does(setup):
    """A 304 ends a failure streak and a half-seen move, and schedules the next poll; one
    reached through a permanent redirect still counts the move."""
    engine, server, poll = setup
    server.set("/a.rss", feed(("one", "text")), etag='"v1"')
    server.set("/b.rss", feed(("two", "text")), etag='"v2"')
    sync_sources(
        engine,
        [
            SourceConfig(name="a", url=server.url("/a.rss"), interval=timedelta(minutes=10)),
            SourceConfig(name="b", url=server.url("/b.rss")),
        ],
    )
    poll()
    server.set("/a.rss", b"not a feed", content_type="text/plain", status=500)
    assert poll().failed == 1
    failing = sources(engine)["a"]
    assert failing.consecutive_failures == 1 and failing.failing_since and failing.last_error
    server.set("/a.rss", feed(("one", "text")), etag='"v1"')
    server.redirect("/b-old.rss", "/b.rss", permanent=True)
    with session_scope(engine) as session:  # b's URL is now one that redirects to it
        row = session.exec(select(Source).where(Source.name == "b")).one()
        row.url = server.url("/b-old.rss")
        session.add(row)
    before = utcnow()
    counts = poll()
    assert (counts.polled, counts.not_modified, counts.failed) == (2, 2, 0)
    a, b = sources(engine)["a"], sources(engine)["b"]
    assert (a.consecutive_failures, a.failing_since, a.last_error) == (0, None, None)
    assert a.last_success_at >= before and a.last_polled_at >= before
    assert a.next_poll_at >= before + timedelta(minutes=10)
    assert a.claimed_until is None and a.etag == '"v1"'
    assert (b.moved_to, b.moved_seen) == (server.url("/b.rss"), 1)
    assert b.url == server.url("/b-old.rss")


def test_permanent_redirect_moves_the_stored_url_once_seen_consistently(setup):
    engine, server, poll = setup
    server.set("/new.rss", feed(("one", "text")))
    server.redirect("/old.rss", "/new.rss", permanent=True)
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/old.rss"))])
    for seen in range(1, MOVE_AFTER):
        poll()
        assert sources(engine)["a"].url == server.url("/old.rss")
        assert (sources(engine)["a"].moved_to, sources(engine)["a"].moved_seen) == (
            server.url("/new.rss"),
            seen,
        )
    poll()
    assert sources(engine)["a"].url == server.url("/new.rss")
    poll()
    assert server.count("/old.rss") == MOVE_AFTER
    # The feeds file still names the old URL; restarting keeps the moved one.
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/old.rss"))])
    assert sources(engine)["a"].url == server.url("/new.rss")


def test_temporary_redirect_keeps_the_url(setup):
    engine, server, poll = setup
    server.set("/new.rss", feed(("one", "text")))
    server.redirect("/old.rss", "/new.rss", permanent=False)
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/old.rss"))])
    poll()
    assert sources(engine)["a"].url == server.url("/old.rss")


def test_gone_disables_the_source(setup):
    engine, server, poll = setup
    server.set("/a.rss", b"", status=410)
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/a.rss"))])
    poll()
    source = sources(engine)["a"]
    assert not source.enabled and "410" in source.disabled_reason
    assert poll().polled == 0


def test_failures_back_off_and_are_recorded_one_source_only(setup):
    engine, server, poll = setup
    server.set("/good.rss", feed(("one", "text")))
    server.set("/bad.rss", b"this is not a feed at all \x00\xff", content_type="text/plain")
    sync_sources(
        engine,
        [
            SourceConfig(name="good", url=server.url("/good.rss")),
            SourceConfig(name="bad", url=server.url("/bad.rss"), interval=timedelta(minutes=1)),
        ],
    )
    before = utcnow()
    counts = poll(backoff_base=600, backoff_cap=3600)
    assert (counts.polled, counts.failed, counts.new_documents) == (2, 1, 1)
    bad = sources(engine)["bad"]
    assert bad.consecutive_failures == 1 and bad.last_error
    assert bad.next_poll_at >= before + timedelta(minutes=1)
    poll(backoff_base=600, backoff_cap=3600)
    assert sources(engine)["bad"].consecutive_failures == 2
    assert sources(engine)["good"].consecutive_failures == 0
    # Not due again yet: a regular (not forced) poll leaves both alone.
    assert poll(force=False).polled == 0


def test_huge_body_fails_that_source(setup):
    engine, server, poll = setup
    server.endless("/huge.rss")
    sync_sources(engine, [SourceConfig(name="huge", url=server.url("/huge.rss"))])
    counts = poll(max_bytes=1_000_000, deadline=10)
    assert counts.failed == 1
    assert "huge" in counts.errors


def test_sources_removed_from_the_file_are_disabled(setup):
    engine, server, _ = setup
    sync_sources(
        engine,
        [
            SourceConfig(name="a", url=server.url("/a.rss")),
            SourceConfig(name="b", url=server.url("/b.rss")),
        ],
    )
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/a.rss"))])
    assert not sources(engine)["b"].enabled


def test_reextraction_replaces_observations(setup):
    engine, server, poll = setup
    text = (
        "Meta Platforms said it expects 2025 capital expenditures to be in the range of "
        "$60 billion to $65 billion."
    )
    server.set("/a.rss", feed(("one", text)), etag='"1"')
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/a.rss"))])
    companies = load_companies(PROJECT / "config" / "companies.yaml")
    poll()
    extract_pending(engine, companies)
    server.set("/a.rss", feed(("one", text.replace("$65 billion", "$66 billion"))), etag='"2"')
    poll()
    extract_pending(engine, companies)
    with session_scope(engine) as session:
        highs = [o.high for o in session.exec(select(Observation))]
    assert highs == [66_000_000_000]


def test_one_source_that_cannot_be_stored_loses_no_other(setup, monkeypatch):
    from watcher.sources import poll as poll_module

    engine, server, poll = setup
    configs = []
    for index in range(5):
        server.set(f"/f{index}.rss", feed((f"item-{index}", "text")))
        configs.append(SourceConfig(name=f"f{index}", url=server.url(f"/f{index}.rss")))
    sync_sources(engine, configs)
    rss = poll_module.KINDS["rss"]
    real = rss.store_group
    f2 = sources(engine)["f2"].id

    def store_or_fail(session, items_by_source, now):
        if f2 in items_by_source:
            raise RuntimeError("simulated database trouble")
        return real(session, items_by_source, now)

    monkeypatch.setitem(poll_module.KINDS, "rss", replace(rss, store_group=store_or_fail))
    counts = poll()
    assert (counts.polled, counts.failed, counts.new_documents) == (4, 1, 4)
    assert "f2" in counts.errors
    assert len(documents(engine)) == 4


def guids(engine) -> set[str]:
    """The items stored, by the guid their key ends with."""
    return {document.key.rsplit("/", 1)[-1] for document in documents(engine)}


def test_storing_overlaps_fetching(setup):
    """One source whose answer is held: the others' documents are stored meanwhile, by the
    same poll, which stores the held one's when it comes."""
    engine, server, poll = setup
    server.set("/slow.rss", feed(("slow-item", "text")))
    server.hold("/slow.rss")
    configs = [SourceConfig(name="slow", url=server.url("/slow.rss"))]
    for index in range(5):
        server.set(f"/f{index}.rss", feed((f"item-{index}", "text")))
        configs.append(SourceConfig(name=f"f{index}", url=server.url(f"/f{index}.rss")))
    sync_sources(engine, configs)
    counts = []
    poller = threading.Thread(target=lambda: counts.append(poll()))
    poller.start()
    others = {f"item-{index}" for index in range(5)}
    try:
        wait_for(lambda: guids(engine) == others, 30, "the others' documents stored")
        assert poller.is_alive() and server.count("/slow.rss") == 1  # still fetching
        assert sources(engine)["slow"].last_polled_at is None
    finally:
        server.release("/slow.rss")
        poller.join(60)
    assert guids(engine) == others | {"slow-item"}
    assert (counts[0].polled, counts[0].new_documents) == (6, 6)


def test_unchanged_sources_in_one_group_cost_a_304_each(setup):
    """Many sources polled again without change: one conditional GET each, nothing stored
    but the poll's record, every source's on its row."""
    engine, server, poll = setup
    configs = []
    for index in range(150):  # more than a claim batch and a store group
        server.set(f"/f{index}.rss", feed((f"item-{index}", "text")), etag=f'"v{index}"')
        configs.append(SourceConfig(name=f"f{index:03d}", url=server.url(f"/f{index}.rss")))
    sync_sources(engine, configs)
    assert poll().new_documents == 150
    before = utcnow()
    server.clear()
    counts = poll()
    assert (counts.polled, counts.not_modified, counts.new_documents) == (150, 150, 0)
    assert server.count() == server.count(status=304) == 150
    stored = sources(engine)
    assert all(source.last_polled_at >= before for source in stored.values())
    assert all(source.claimed_until is None for source in stored.values())
    assert len(documents(engine)) == 150


def test_changed_entries_of_many_sources_are_updated_together(setup):
    engine, server, poll = setup
    configs = []
    for index in range(70):
        server.set(f"/f{index}.rss", feed((f"a-{index}", "first"), (f"b-{index}", "same")))
        configs.append(SourceConfig(name=f"f{index:02d}", url=server.url(f"/f{index}.rss")))
    sync_sources(engine, configs)
    assert poll().new_documents == 140
    for index in range(70):
        server.set(f"/f{index}.rss", feed((f"a-{index}", "second"), (f"b-{index}", "same")))
    counts = poll()
    assert (counts.new_documents, counts.changed_documents) == (0, 70)
    texts = {document.key.rsplit("/", 1)[-1]: document.text for document in documents(engine)}
    assert texts == {
        **{f"a-{index}": f"a-{index}\n\nsecond" for index in range(70)},
        **{f"b-{index}": f"b-{index}\n\nsame" for index in range(70)},
    }
