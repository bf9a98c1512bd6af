"""Extraction holds no lock other work waits on: on SQLite, whose one write lock every
transaction takes, a group is read in one transaction, extracted with none open and written
in a second, so a lease heartbeat renews its claims while a document is in the extraction
worker (for up to `sources.extract_timeout`) instead of waiting for it and letting the lease
lapse. The write keeps only documents still as they were read: one that another process
(`watcher run --once` beside the daemon) changed, extracted or failed meanwhile is left as it
is. On PostgreSQL the group's row locks (only the documents') stay the claim, and heartbeats
renew other tables' rows. Real databases and the real extraction worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from tests.support.documents import (
    BAD_TEXT,
    BAD_TITLE,
    BROKEN,
    MSFT_TEXT,
    REAL,
    RETRY,
    T0,
    add_document,
    change,
    observations,
    row,
    wire_database,
)
from watcher.extract.bounded import BoundedExtractor
from watcher.extraction import ExtractCounts, extract_pending
from watcher.store.db import make_engine, session_scope
from watcher.store.leases import Lease, LeaseTerms
from watcher.store.models import Source, utcnow


class MeanwhileExtractor(BoundedExtractor):
    """The bounded extractor sending every document to its worker process (a 20 s bound, as
    by default), after running `meanwhile` once: what another thread or process does while
    the document is extracted."""

    def __init__(self, meanwhile: Callable[[], None]) -> None:
        super().__init__(20, inline_chars=10)
        self.meanwhile: Callable[[], None] | None = meanwhile

    def __call__(self, text, **kwargs):  # type: ignore[no-untyped-def]
        if self.meanwhile is not None:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        return super().__call__(text, **kwargs)


def run(engine, meanwhile: Callable[[], None], companies=REAL) -> ExtractCounts:
    extractor = MeanwhileExtractor(meanwhile)
    try:
        return extract_pending(engine, companies, retry=RETRY, now=T0, extractor=extractor)
    finally:
        extractor.close()


@pytest.fixture
def engine(db_url):
    yield from wire_database(db_url)


@pytest.fixture
def other(db_url):
    """Another process's engine on the same database; on SQLite it waits at most 0.2 s for
    the write lock (a lock held through an extraction fails it instead of holding the test)."""
    other = make_engine(f"{db_url}?timeout=0.2" if db_url.startswith("sqlite") else db_url)
    yield other
    other.dispose()


def sqlite_only(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL keeps the group's rows locked while extracting: none changes")


def test_a_lease_heartbeat_renews_while_a_document_is_extracted(engine, other):
    msft = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)
    lease = Lease(other, Source, LeaseTerms())
    with session_scope(engine) as session:  # a delivery or source the daemon holds
        source_id = session.exec(select(Source.id).where(Source.name == "tech-wire")).one()
        session.connection().execute(
            update(Source).where(col(Source.id) == source_id).values(**lease.values(utcnow()))
        )
    lease.hold([source_id])
    renewed: list[int] = []
    counts = run(engine, lambda: renewed.append(lease.renew()))
    assert renewed == [1]
    assert (counts.documents, counts.failed) == (1, 0)
    assert [o.company for o in observations(engine, msft)] == ["MSFT"]


def test_a_document_changed_while_extracted_keeps_its_new_content_pending(engine, other, db_url):
    sqlite_only(db_url)
    msft = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)
    new_text = MSFT_TEXT.replace("$80 billion", "$85 billion")
    counts = run(engine, lambda: change(other, msft, new_text))
    assert counts == ExtractCounts()  # what was read is stale: dropped, not written
    assert observations(engine, msft) == [] and row(engine, msft).extracted_hash is None
    again = run(engine, lambda: None)
    assert again.documents == 1
    assert {o.high for o in observations(engine, msft)} == {85_000_000_000}


def test_a_document_extracted_meanwhile_by_another_process_is_written_once(engine, other, db_url):
    sqlite_only(db_url)
    msft = add_document(engine, "tech-wire", "msft", None, MSFT_TEXT)
    counts = run(engine, lambda: extract_pending(other, REAL, retry=RETRY, now=T0))
    assert counts == ExtractCounts()  # the other process wrote it
    (found,) = observations(engine, msft)
    assert found.company == "MSFT" and row(engine, msft).extracted_hash == "hash-msft"


def test_a_failure_recorded_meanwhile_by_another_process_is_not_counted_twice(
    engine, other, db_url
):
    sqlite_only(db_url)
    bad = add_document(engine, "broken-wire", "bad", BAD_TITLE, BAD_TEXT)
    counts = run(engine, lambda: extract_pending(other, BROKEN, retry=RETRY, now=T0), BROKEN)
    assert counts == ExtractCounts()
    failed = row(engine, bad)
    assert failed.extract_attempts == 1 and failed.extracted_hash is None
    assert failed.extract_next_attempt_at == T0 + timedelta(seconds=60)
    # Due again: this process's failure is recorded as the second in a row.
    later = T0 + timedelta(seconds=61)
    extractor = BoundedExtractor(20, inline_chars=10)
    try:
        again = extract_pending(engine, BROKEN, retry=RETRY, now=later, extractor=extractor)
    finally:
        extractor.close()
    assert again.failed == 1 and row(engine, bad).extract_attempts == 2
