"""Documents for the extraction-stage tests (failures, groups, time bound, unlocked
extraction, daemon progress and memory): a database with two wire sources, documents added to
it directly, their rows and observations read back, and the texts and company registries the
tests share. A registry built in code whose "BRKN" company has the fiscal-year end month "6"
(a string) makes the extractor fail on every figure about it, and only on those: a real
failure, not a mock; FIXED is the same registry repaired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import select

from tests.conftest import PROJECT
from watcher.extract import Company, CompanyRegistry, load_companies
from watcher.extraction import ExtractRetry
from watcher.sources.config import SourceConfig
from watcher.sources.poll import sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Document, Observation, Source

REAL = load_companies(PROJECT / "config" / "companies.yaml")
BROKEN = CompanyRegistry(
    (*REAL.companies, Company("BRKN", "Brokenco Holdings", fiscal_year_end_month="6"))  # type: ignore[arg-type]
)
FIXED = CompanyRegistry((*REAL.companies, Company("BRKN", "Brokenco Holdings", (), 6)))

PUBLISHED = datetime(2025, 2, 1, 12, tzinfo=UTC)
BAD_TITLE = "Brokenco Holdings lifts its outlook"
BAD_TEXT = (
    "Brokenco Holdings now expects 2025 capital expenditures of $5 billion to $6 billion, "
    "raised from its prior outlook of $4 billion."
)
META_TEXT = (
    "Meta Platforms now anticipates 2025 capital expenditures of $64 billion to $72 billion, "
    "increased from its prior outlook of $60 billion to $65 billion."
)
MSFT_TEXT = "Microsoft expects fiscal 2025 capital expenditures of about $80 billion."
T0 = datetime(2025, 3, 1, 12, tzinfo=UTC)
RETRY = ExtractRetry(base_seconds=60, cap_seconds=200)


def wire_database(db_url: str) -> Iterator[Engine]:
    """For a fixture: a migrated database with the sources "broken-wire" and "tech-wire"."""
    engine = make_engine(db_url)
    upgrade(engine)
    sync_sources(
        engine,
        [
            SourceConfig(name="broken-wire", url="https://broken.example/feed"),
            SourceConfig(name="tech-wire", url="https://tech.example/feed"),
        ],
    )
    yield engine
    engine.dispose()


def add_document(engine, source: str, key: str, title: str | None, text: str) -> int:
    with session_scope(engine) as session:
        source_id = session.exec(select(Source.id).where(Source.name == source)).one()
        document = Document(
            source_id=source_id,
            key=key,
            url=f"https://{source}.example/{key}",
            title=title,
            text=text,
            content_hash=f"hash-{key}",
            published_at=PUBLISHED,
        )
        session.add(document)
        session.flush()
        return document.id


def change(engine, document_id: int, text: str) -> None:
    """The document's text changes (a new content hash), as a poll that found it edited."""
    with session_scope(engine) as session:
        document = session.get_one(Document, document_id)
        document.text, document.content_hash = text, f"hash-{len(text)}-{document_id}"
        session.add(document)


def row(engine, document_id: int) -> Document:
    with session_scope(engine) as session:
        return session.get(Document, document_id)


def observations(engine, document_id: int) -> list[Observation]:
    with session_scope(engine) as session:
        return list(session.exec(select(Observation).where(Observation.document_id == document_id)))
