"""One document cannot hold the cycle (issue 12, item 6): extraction of a document has a time
bound (`sources.extract_timeout`); a document past it is recorded as a failed extraction
(error, attempts, backoff) and the other documents are extracted. Large documents go through
a worker process, which gives the same observations and is started afresh after a timeout;
small ones are extracted in-process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.documents import (
    META_TEXT,
    MSFT_TEXT,
    RETRY,
    T0,
    add_document,
    observations,
    row,
)
from watcher.extract import ExtractionError, extract, load_companies
from watcher.extract.bounded import INLINE_CHARS, BoundedExtractor
from watcher.extraction import extract_pending
from watcher.pipeline import Pipeline
from watcher.settings import load_settings
from watcher.sources.config import SourceConfig
from watcher.sources.poll import sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Document

COMPANIES = load_companies(PROJECT / "config" / "companies.yaml")


def sentences(size: int) -> str:
    """Capex prose with digits and no money amount, `size` characters of it: every sentence
    is read (it names the metric and has digits), none gives a figure, so the figure cap
    never cuts the work short (~2 s a megabyte here; seconds, not the bound's fraction)."""
    parts, total, i = [], 0, 0
    while total < size:
        i += 1
        part = (
            f"Capital expenditures in {2000 + i % 30} rose {i % 40}% as the {i % 12}-month "
            f"build-out of {i % 300} data centers continued. "
        )
        parts.append(part)
        total += len(part)
    return "".join(parts)


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    sync_sources(engine, [SourceConfig(name="tech-wire", url="https://tech.example/feed")])
    yield engine
    engine.dispose()


def test_a_document_past_the_bound_fails_and_the_others_go_on(engine):
    huge = add_document(engine, "tech-wire", "huge", "Capex notes", sentences(4_000_000))
    meta = add_document(engine, "tech-wire", "meta", "Meta lifts capex", META_TEXT)
    extractor = BoundedExtractor(0.5)
    try:
        counts = extract_pending(engine, COMPANIES, retry=RETRY, now=T0, extractor=extractor)
    finally:
        extractor.close()
    assert (counts.documents, counts.failed) == (1, 1)
    failed = row(engine, huge)
    assert "longer than 0.5 s" in failed.extract_error and "extract_timeout" in failed.extract_error
    assert failed.extract_attempts == 1 and failed.extracted_hash is None
    assert failed.extract_next_attempt_at == T0 + timedelta(seconds=60)  # the usual backoff
    assert [o.company for o in observations(engine, meta)] == ["META"]


def test_a_large_document_is_extracted_in_the_worker_as_in_process():
    text = MSFT_TEXT + " " + sentences(INLINE_CHARS * 2) + " " + META_TEXT
    expected = extract(text, companies=COMPANIES, source="big")
    assert {o.company for o in expected} == {"MSFT", "META"}
    extractor = BoundedExtractor(0.5)
    try:
        with pytest.raises(ExtractionError, match="longer than"):
            extractor(sentences(4_000_000), companies=COMPANIES, source="huge")
        extractor.timeout = 300  # the worker killed above is started afresh
        found = extractor(text, companies=COMPANIES, source="big")
        assert extractor._worker is not None and extractor._worker._process is not None
    finally:
        extractor.close()
    assert [o.to_dict() for o in found] == [o.to_dict() for o in expected]


def test_the_pipeline_bounds_extraction_by_its_setting(tmp_path, monkeypatch, db_url):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds.yaml").write_text(
        "sources:\n  - name: tech-wire\n    url: https://t.example/f\n"
    )
    settings = load_settings(
        database={"url": db_url},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        sources={"file": tmp_path / "feeds.yaml", "extract_timeout": 0.5},
    )
    pipeline = Pipeline(settings)
    try:
        huge = add_document(pipeline.engine, "tech-wire", "huge", None, sentences(4_000_000))
        counts = pipeline.extract()
        assert counts.failed == 1
        with session_scope(pipeline.engine) as session:
            (document,) = session.exec(select(Document).where(Document.id == huge))
            assert "longer than 0.5 s" in (document.extract_error or "")
    finally:
        pipeline.close()
