"""Extraction failures are recorded, not swallowed: a document the extractor fails on keeps
the error, its attempts and its next attempt time on its row, is counted in `failed` and in
`watcher_extract_failures_total`, is retried with exponential backoff (time is passed in, never
slept) and cleared by a later success; the other documents go on; `watcher sources`,
`watcher status` and `watcher extract` show it.

The failure is real, not a mock: a company registry built in code (so bypassing the validation
of `load_companies`) whose fiscal-year end month is the string "6" makes the extractor's fiscal
calendar raise on every figure about that company, and only on those. Fixing the registry is
"the fault is gone"."""

from __future__ import annotations

import os
import re
import sys
from datetime import timedelta

import pytest
from sqlalchemy import text as sql
from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.documents import (
    BAD_TEXT,
    BAD_TITLE,
    BROKEN,
    FIXED,
    META_TEXT,
    MSFT_TEXT,
    PUBLISHED,
    REAL,
    RETRY,
    T0,
    add_document,
    observations,
    row,
    wire_database,
)
from tests.support.feed_server import FeedServer
from tests.test_end_to_end import FIRST, _days_ago, rss
from tests.test_metrics_health import samples, value
from watcher.extract import CompanyRegistry, ExtractionError, extract
from watcher.extraction import ExtractCounts, ExtractRetry, extract_pending
from watcher.metrics import Metrics
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Document, Source


def failure_reason(text: str, registry: CompanyRegistry = BROKEN) -> str:
    """What extract() itself says about the document: the reason the stage must record."""
    with pytest.raises(ExtractionError) as caught:
        extract(text, date=PUBLISHED.date(), companies=registry, source="probe")
    assert caught.value.__cause__ is not None  # raised from the extractor's own exception
    assert caught.value.reason.startswith(type(caught.value.__cause__).__name__)
    return caught.value.reason


def test_extract_raises_a_typed_error_and_still_ignores_what_is_not_a_document():
    reason = failure_reason(f"{BAD_TITLE}\n\n{BAD_TEXT}")
    with pytest.raises(ExtractionError, match=r"^note\.txt: extraction failed: ") as caught:
        extract(BAD_TEXT, date=PUBLISHED.date(), companies=BROKEN, source="note.txt")
    assert caught.value.source == "note.txt" and caught.value.reason == reason
    assert extract(BAD_TEXT, date=PUBLISHED.date(), companies=FIXED)  # the fault is the registry
    assert extract(META_TEXT, date=PUBLISHED.date(), companies=BROKEN)  # other companies: fine
    assert extract("", companies=BROKEN) == []
    assert extract(None, companies=BROKEN) == []  # type: ignore[arg-type]
    assert extract(b"bytes", companies=BROKEN) == []  # type: ignore[arg-type]


def test_backoff_doubles_from_the_base_up_to_the_cap():
    retry = ExtractRetry(base_seconds=60, cap_seconds=4 * 3600)
    assert [retry.delay(n).total_seconds() for n in range(1, 10)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3840,
        7680,
        14400,
    ]
    assert retry.delay(10_000) == timedelta(hours=4)


@pytest.fixture
def engine(db_url):
    yield from wire_database(db_url)


def source_line(output: str, name: str) -> str:
    """The first line of a source's row in `watcher sources`' table."""
    return next(line for line in output.splitlines() if line.strip().startswith(f"{name} "))


@pytest.mark.slow
def test_failure_is_recorded_retried_with_backoff_and_cleared_by_a_success(engine, run_watcher):
    bad = add_document(engine, "broken-wire", "bad", BAD_TITLE, BAD_TEXT)  # first in id order
    meta = add_document(engine, "tech-wire", "meta", "Meta raises", META_TEXT)
    msft = add_document(engine, "broken-wire", "msft", None, MSFT_TEXT)  # same source, fine
    reason = failure_reason(f"{BAD_TITLE}\n\n{BAD_TEXT}")

    first = extract_pending(engine, BROKEN, retry=RETRY, now=T0)
    assert (first.documents, first.failed) == (2, 1)
    assert first.observations == len(observations(engine, meta)) + len(observations(engine, msft))
    assert observations(engine, meta) and observations(engine, msft)
    failed = row(engine, bad)
    assert failed.extract_error == reason
    assert failed.extracted_hash is None  # not marked extracted: still pending
    assert failed.extract_attempts == 1 and failed.extract_failed_at == T0
    assert failed.extract_next_attempt_at == T0 + timedelta(seconds=60)
    assert observations(engine, bad) == []
    for other in (meta, msft):
        done = row(engine, other)
        assert done.extracted_hash == done.content_hash and done.extract_error is None
        assert done.extract_attempts == 0 and done.extract_next_attempt_at is None

    metrics = Metrics()
    metrics.observe_extract(first)
    assert value(samples(metrics.render().decode()), "watcher_extract_failures_total") == 1

    # Not before its next attempt time; then after 60 s, 120 s, then capped at 200 s.
    assert extract_pending(engine, BROKEN, retry=RETRY, now=T0 + timedelta(seconds=59)) == (
        ExtractCounts()
    )
    assert row(engine, bad).extract_attempts == 1
    when = T0
    for attempts, wait in ((2, 60), (3, 120), (4, 200)):
        when += timedelta(seconds=wait)
        counts = extract_pending(engine, BROKEN, retry=RETRY, now=when)
        assert counts == ExtractCounts(documents=0, observations=0, failed=1)
        failed = row(engine, bad)
        assert (failed.extract_attempts, failed.extract_failed_at) == (attempts, when)
        assert failed.extract_next_attempt_at == when + RETRY.delay(attempts)
        assert failed.extract_error == reason and failed.extracted_hash is None
    assert failed.extract_next_attempt_at - failed.extract_failed_at == timedelta(seconds=200)
    retry_at = failed.extract_next_attempt_at

    sources = run_watcher("sources")
    assert sources.returncode == 0, sources.stderr
    notes = [line for line in sources.stdout.splitlines() if "fail extraction" in line]
    assert notes == [
        f"broken-wire: 1 documents fail extraction, the latest with: {reason[:300]}"
    ]  # tech-wire has none
    assert re.search(r"\s2\s+never\s", source_line(sources.stdout, "broken-wire"))  # 2 documents
    status = run_watcher("status")
    assert status.returncode == 0, status.stderr
    assert "documents failing extraction: 1" in status.stdout
    (line,) = [line for line in status.stdout.splitlines() if line.startswith("failing document")]
    assert line.startswith(f"failing document: broken-wire document {bad} ({BAD_TITLE}): ")
    assert "4 attempts" in line and f"next retry {retry_at:%Y-%m-%d %H:%M:%S}" in line
    assert line.endswith(reason[:200])

    # The fault is gone: the next due attempt succeeds and clears the failure.
    assert extract_pending(engine, FIXED, retry=RETRY, now=retry_at - timedelta(seconds=1)) == (
        ExtractCounts()
    )
    fixed = extract_pending(engine, FIXED, retry=RETRY, now=retry_at)
    assert (fixed.documents, fixed.failed) == (1, 0) and fixed.observations >= 1
    done = row(engine, bad)
    assert done.extracted_hash == done.content_hash
    assert (done.extract_error, done.extract_attempts) == (None, 0)
    assert (done.extract_failed_at, done.extract_next_attempt_at) == (None, None)
    assert {o.company for o in observations(engine, bad)} == {"BRKN"}
    assert extract_pending(engine, FIXED, retry=RETRY, now=retry_at + timedelta(days=1)) == (
        ExtractCounts()
    )

    status = run_watcher("status")
    assert "documents failing extraction: 0" in status.stdout
    assert "failing document" not in status.stdout
    assert "fail extraction" not in run_watcher("sources").stdout


def test_changed_content_is_tried_at_once_despite_the_backoff(engine):
    from watcher.sources.feeds import FeedEntry
    from watcher.sources.kinds import store_entries

    def entry(text: str) -> FeedEntry:
        return FeedEntry(
            guid="item",
            link="https://broken.example/item",
            title=BAD_TITLE,
            published=PUBLISHED,
            text=text,
            content_hash=f"hash-{len(text)}",
        )

    with session_scope(engine) as session:
        source_id = session.exec(select(Source.id).where(Source.name == "broken-wire")).one()
        store_entries(session, source_id, [entry(BAD_TEXT)], T0)
    assert extract_pending(engine, BROKEN, retry=RETRY, now=T0).failed == 1
    with session_scope(engine) as session:
        store_entries(session, source_id, [entry(BAD_TEXT + " Its shares rose.")], T0)
    counts = extract_pending(engine, BROKEN, retry=RETRY, now=T0 + timedelta(seconds=1))
    assert counts.failed == 1  # tried again before the 60 s were up: the content is new
    (document,) = list(all_documents(engine))
    assert document.extract_attempts == 2


def all_documents(engine) -> list[Document]:
    with session_scope(engine) as session:
        return list(session.exec(select(Document)))


def test_an_absurd_figure_is_noise_not_a_failure(engine):
    """A 40-digit amount (which no BIGINT column holds) is not read as a figure: its document
    is extracted without it, and the stage records no failure."""
    huge = "Meta Platforms expects 2025 capital expenditures of $" + "9" * 40 + " billion."
    assert extract(huge, date=PUBLISHED.date(), companies=REAL) == []
    bad = add_document(engine, "tech-wire", "huge", None, huge)
    good = add_document(engine, "tech-wire", "meta", None, META_TEXT)
    counts = extract_pending(engine, REAL, retry=RETRY, now=T0)
    assert (counts.documents, counts.failed) == (2, 0)
    assert row(engine, bad).extract_error is None
    assert observations(engine, bad) == [] and observations(engine, good)


def test_a_document_locked_by_another_replica_is_left_to_it(engine, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("row locks (SKIP LOCKED) are PostgreSQL's; SQLite has one writer")
    bad = add_document(engine, "broken-wire", "bad", BAD_TITLE, BAD_TEXT)
    other = make_engine(db_url)
    try:
        with other.connect() as holder, holder.begin():
            holder.execute(sql("SELECT id FROM documents WHERE id = :id FOR UPDATE"), {"id": bad})
            assert extract_pending(engine, BROKEN, retry=RETRY, now=T0) == ExtractCounts()
        assert extract_pending(engine, BROKEN, retry=RETRY, now=T0).failed == 1
    finally:
        other.dispose()
    assert row(engine, bad).extract_attempts == 1


def test_daemon_cycle_counts_the_failure_in_its_metric_and_goes_on(tmp_path, db_url, monkeypatch):
    from watcher.daemon import Daemon
    from watcher.settings import Settings

    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("WATCHER_")]:
        monkeypatch.delenv(name)
    with FeedServer() as server:
        server.set("/wire.rss", rss((BAD_TITLE, BAD_TEXT, _days_ago(1)), FIRST))
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(f"sources:\n  - name: wire\n    url: {server.url('/wire.rss')}\n")
        settings = Settings(
            database={"url": db_url},
            sources={"file": feeds},
            rules={"dir": PROJECT / "rules"},
            companies={"file": PROJECT / "config" / "companies.yaml"},
            http={"port": 0},  # cycle() only: no endpoints are served
        )
        daemon = Daemon(settings)
        try:
            daemon.pipeline.companies = BROKEN
            daemon.cycle()
            found = samples(daemon.metrics.render().decode())
            assert value(found, "watcher_extract_failures_total") == 1
            assert value(found, "watcher_observations_extracted_total") >= 1  # the other one
            daemon.cycle()  # not due yet (60 s): not tried, not counted again
            found = samples(daemon.metrics.render().decode())
            assert value(found, "watcher_extract_failures_total") == 1
            summary = daemon.pipeline.run_cycle()
            assert summary.extract.failed == 0
            assert "extracted 0 (failed 0)" in summary.lines()[1]
            with session_scope(daemon.pipeline.engine) as session:
                failing = session.exec(
                    select(Document).where(Document.extract_error.is_not(None))
                ).one()
            assert failing.title == BAD_TITLE and failing.extract_attempts == 1
        finally:
            daemon.pipeline.close()


def test_watcher_extract_reports_a_failing_file_and_goes_on(tmp_path, monkeypatch, capsys):
    from watcher import cli

    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("WATCHER_")]:
        monkeypatch.delenv(name)
    # The CLI reads the registry through load_companies (which validates); hand it the
    # broken one built in code.
    monkeypatch.setattr("watcher.extract.load_companies", lambda path: BROKEN)
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_text(BAD_TEXT)
    good.write_text(META_TEXT)
    monkeypatch.setattr(
        sys, "argv", ["watcher", "extract", "--json", "--date", "2025-02-01", str(bad), str(good)]
    )
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert captured.err == f"watcher: {bad}: extraction failed: {failure_reason(BAD_TEXT)}\n"
    assert '"company": "META"' in captured.out and "BRKN" not in captured.out


def test_migration_adds_the_columns_to_stored_documents(db_url):
    from alembic import command

    from watcher.store.db import alembic_config

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        with engine.begin() as connection:
            connection.execute(
                sql(
                    "INSERT INTO sources (name, url, config_url, kind, interval_seconds, enabled,"
                    " consecutive_failures, official) VALUES ('s', 'https://s.example/',"
                    " 'https://s.example/', 'rss', 900, true, 0, false)"
                )
            )
            connection.execute(
                sql(
                    "INSERT INTO documents (source_id, key, text, content_hash, fetched_at)"
                    " SELECT id, 'k', 'text', 'h', CURRENT_TIMESTAMP FROM sources"
                )
            )
        upgrade(engine)
        (document,) = all_documents(engine)
        assert document.extract_attempts == 0 and document.extract_next_attempt_at is None
        command.downgrade(alembic_config(engine), "0004")
        upgrade(engine)
        assert [d.key for d in all_documents(engine)] == ["k"]
    finally:
        engine.dispose()
