"""The extraction stage: documents not extracted yet (new, changed, or due again after a
failure) become observations.

Documents are claimed, extracted and written in groups (`extract_groups`: up to 200 documents
and 64K characters; a larger document, which goes to the time-bounded worker, alone): one
transaction per group, its old observations replaced with one DELETE and one INSERT. On
PostgreSQL a group's rows stay locked while they are extracted (the lock is the claim between
replicas); on SQLite, whose one write lock every transaction takes, a group is read, extracted,
then written in a second transaction that leaves alone a document another process changed,
extracted or failed meanwhile. A document whose extraction fails is recorded with its error
and tried again with backoff (`ExtractRetry`); the others go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    update,
)
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from watcher.extract import CompanyRegistry, ExtractionError
from watcher.extract.bounded import INLINE_CHARS, BoundedExtractor, Extract
from watcher.store.db import reader, session_scope
from watcher.store.fx import FxConverter
from watcher.store.models import Document, Observation, Source, utcnow

log = logging.getLogger(__name__)

# Called by a stage each time it has stored a group of its work (the daemon's watchdog counts
# it as progress, so a long backlog is not taken for a stuck daemon).
Progress = Callable[[], None]


@dataclass
class ExtractCounts:
    documents: int = 0
    observations: int = 0
    failed: int = 0

    def add(self, other: ExtractCounts) -> None:
        """Count `other`'s work too."""
        self.documents += other.documents
        self.observations += other.observations
        self.failed += other.failed


@dataclass(frozen=True)
class ExtractRetry:
    """When a document whose extraction failed is tried again: `base_seconds` after the first
    failure, doubling with each further failure in a row, never more than `cap_seconds`."""

    base_seconds: float = 60.0
    cap_seconds: float = 4 * 3600.0

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure in a row (1 for the first)."""
        doublings = min(max(attempts - 1, 0), 40)  # past 2**40 the cap has long applied
        return timedelta(seconds=min(self.base_seconds * 2**doublings, self.cap_seconds))


@dataclass(frozen=True)
class _Claimed:
    """What extraction reads of one claimed document."""

    id: int
    source_name: str
    company_hint: str | None  # its source's company
    title: str | None
    text: str
    url: str | None
    published: datetime  # the document's date, else when it was fetched
    attempts: int  # failed extractions in a row so far
    content_hash: str | None = None  # of the content read


@dataclass
class _Extracted:
    """What extraction gave for one claimed document: its findings, or the error."""

    document: _Claimed
    found: list = field(default_factory=list)
    error: ExtractionError | None = None
    # When it failed (extracting, or storing what was found): the values recorded.
    failure: dict | None = None


# Documents claimed, extracted and written together: at most GROUP_DOCUMENTS, and no more
# than GROUP_CHARS of text in all, except that a larger document is a group of its own. On
# PostgreSQL a group's rows stay locked while it is extracted, so its time must stay bounded:
# either documents extracted in-process, whose time their size bounds, or one document that
# goes to the extraction worker, bounded by `sources.extract_timeout`. (SQLite's lock is the
# whole database's, so there no transaction stays open while extracting: see
# `_extract_unlocked`.)
GROUP_DOCUMENTS = 200
GROUP_CHARS = INLINE_CHARS


def _pending(now: datetime) -> ColumnElement[bool]:
    """Documents whose current content is not extracted yet and that are due: never failed,
    or failed and past their next attempt time."""
    return and_(
        or_(
            col(Document.extracted_hash).is_(None),
            col(Document.extracted_hash) != col(Document.content_hash),
        ),
        or_(
            col(Document.extract_next_attempt_at).is_(None),
            col(Document.extract_next_attempt_at) <= now,
        ),
    )


def extract_pending(
    engine: Engine,
    companies: CompanyRegistry,
    *,
    batch: int = 1000,
    retry: ExtractRetry | None = None,
    now: datetime | None = None,
    extractor: BoundedExtractor | None = None,
    progress: Progress | None = None,
) -> ExtractCounts:
    """Extract observations from every due document that is new or changed since its last
    extraction; its old observations are replaced in the same transaction.

    Documents are claimed, extracted and written in groups (`GROUP_DOCUMENTS`,
    `GROUP_CHARS`): one transaction and one claiming query per group, which reads their
    sources' names too (exchange rates are read once per call); on SQLite, one transaction
    to read the group and one to write it, none open while extracting (`_extract_unlocked`).
    The group's old observations go with one DELETE,
    the new ones come with one INSERT, and the documents are marked extracted with one UPDATE.
    If writing a group fails, its documents are written one by one, so one bad document loses
    no other's observations; one that cannot be written is recorded as failed.

    A document the extractor fails on keeps its old observations and stays pending: the error,
    the failed attempts in a row and the next attempt time (backoff by `retry`) are recorded on
    it, and it is counted in `failed`; the other documents go on. `now` (default: the clock)
    decides what is due. Each document is visited at most once per call. `extractor` bounds
    each document's extraction in time (default: no bound); a document past the bound is a
    failed extraction like any other. `progress` is called after each group."""
    retry = retry or ExtractRetry()
    extract_one = (extractor or BoundedExtractor(None)).using(companies)
    counts = ExtractCounts()
    with session_scope(engine) as session:
        fx = FxConverter.from_session(session)
    after = 0
    while True:
        sizes = _pending_sizes(engine, after, batch, now or utcnow())
        if not sizes:
            return counts
        for group in extract_groups(sizes, GROUP_DOCUMENTS, GROUP_CHARS):
            work = _Work(extract_one, fx, retry, now or utcnow())
            _extract_group(engine, group, work, counts)
            if progress is not None:
                progress()
        after = sizes[-1][0]


@dataclass(frozen=True)
class _Work:
    """What extracting a group needs besides its documents."""

    extract_one: Extract
    fx: FxConverter
    retry: ExtractRetry
    now: datetime


def _pending_sizes(engine: Engine, after: int, limit: int, now: datetime) -> list[tuple[int, int]]:
    """(id, characters of title and text) of the next pending documents after `after`."""
    chars = func.coalesce(func.length(Document.title), 0) + func.coalesce(
        func.length(Document.text), 0
    )
    with session_scope(engine) as session:
        rows = session.exec(
            select(col(Document.id), chars)
            .where(col(Document.id) > after, _pending(now))
            .order_by(col(Document.id))
            .limit(limit)
        )
        return [(id_, int(size or 0)) for id_, size in rows if id_ is not None]


def extract_groups(sizes: list[tuple[int, int]], most: int, most_chars: int) -> list[list[int]]:
    """Document ids, in order, cut into groups of at most `most` documents and `most_chars`
    characters (a larger document alone)."""
    groups: list[list[int]] = []
    chars = 0
    for document_id, size in sizes:
        if not groups or len(groups[-1]) >= most or chars + size > most_chars:
            groups.append([])
            chars = 0
        groups[-1].append(document_id)
        chars += size
    return groups


def _extract_group(engine: Engine, ids: list[int], work: _Work, counts: ExtractCounts) -> None:
    if engine.dialect.name == "sqlite":
        extracted, written = _extract_unlocked(engine, ids, work)
    else:
        extracted, written = _extract_locked(engine, ids, work)
    for item in extracted:
        if item.error is not None and item.failure is not None:
            _log_failure(item, item.error)
    counts.add(written)


def _extract_locked(
    engine: Engine, ids: list[int], work: _Work
) -> tuple[list[_Extracted], ExtractCounts]:
    """PostgreSQL: the group claimed (its rows locked), extracted and written in one
    transaction. The locks are on these documents' rows only: lease heartbeats, which renew
    other tables' rows, go on meanwhile, and no other replica extracts these documents."""
    with session_scope(engine) as session:
        documents = _claim(session, ids, work.now)
        if not documents:  # not due any more, or another replica has them
            return [], ExtractCounts()
        extracted = [_extract_document(document, work.extract_one) for document in documents]
        return extracted, _write_group(session, extracted, work.fx, work.retry, work.now)


def _extract_unlocked(
    engine: Engine, ids: list[int], work: _Work
) -> tuple[list[_Extracted], ExtractCounts]:
    """SQLite: every transaction holds the database's one write lock, which a group held
    while extracting (up to `sources.extract_timeout`) would keep the lease heartbeats of
    deliveries and sources from renewing their claims. So the group is read in one short
    transaction, extracted with none open, and written in a second, which keeps only the
    documents still as they were read: still pending with the same content and the same
    failed attempts. One another process (`watcher run --once` beside the daemon) changed,
    extracted or failed meanwhile is left as it is (not counted), and its result dropped."""
    with session_scope(reader(engine)) as session:  # a deferred BEGIN: reads only
        documents = _claim(session, ids, work.now)
    if not documents:
        return [], ExtractCounts()
    extracted = [_extract_document(document, work.extract_one) for document in documents]
    with session_scope(engine) as session:
        unchanged = _unchanged(session, documents, work.now)
        extracted = [item for item in extracted if item.document.id in unchanged]
        if not extracted:
            return [], ExtractCounts()
        return extracted, _write_group(session, extracted, work.fx, work.retry, work.now)


def _unchanged(session: Session, documents: list[_Claimed], now: datetime) -> set[int]:
    """The ids of `documents` that are, as read now, still pending and due with the content
    and the failed attempts in a row they were read with."""
    read = {document.id: (document.content_hash, document.attempts) for document in documents}
    rows = session.execute(
        sql_select(
            col(Document.id), col(Document.content_hash), col(Document.extract_attempts)
        ).where(col(Document.id).in_(list(read)), _pending(now))
    )
    return {id_ for id_, hash_, attempts in rows if read.get(id_) == (hash_, attempts or 0)}


def _claim(session: Session, ids: list[int], now: datetime) -> list[_Claimed]:
    # Another replica may be on some: the row locks are the claim (PostgreSQL; SQLite has one
    # writer and ignores them), held until the group is written. Pending and due are checked
    # again under the locks. (SQLAlchemy's select: SQLModel's is typed for four columns.)
    rows = session.execute(
        sql_select(
            col(Document.id),
            col(Source.name),
            col(Source.company),
            col(Document.title),
            col(Document.text),
            col(Document.url),
            func.coalesce(col(Document.published_at), col(Document.fetched_at)),
            col(Document.extract_attempts),
            col(Document.content_hash),
        )
        .join(Source, col(Source.id) == col(Document.source_id))
        .where(col(Document.id).in_(ids), _pending(now))
        .order_by(col(Document.id))
        .with_for_update(skip_locked=True, of=Document)  # the documents' rows only
    )
    return [
        _Claimed(id_, name, company, title, text, url, published, attempts or 0, content_hash)
        for id_, name, company, title, text, url, published, attempts, content_hash in rows
        if id_ is not None
    ]


def _extract_document(document: _Claimed, extract_one: Extract) -> _Extracted:
    text = "\n\n".join(part for part in (document.title, document.text) if part)
    try:
        found = extract_one(
            text,
            date=document.published.date(),
            source=document.url or document.source_name,
            company_hint=document.company_hint,
        )
    except ExtractionError as exc:
        return _Extracted(document, error=exc)
    return _Extracted(document, found=found)


def _write_group(
    session: Session,
    extracted: list[_Extracted],
    fx: FxConverter,
    retry: ExtractRetry,
    now: datetime,
) -> ExtractCounts:
    """Write what extraction gave, in a savepoint; if that fails, each document in one of
    its own, and a document that cannot be written is recorded as failed."""
    try:
        with session.begin_nested():
            return _write(session, extracted, fx, retry, now)
    except Exception as exc:  # e.g. a value the database refuses: one document must not
        # stop the others. The savepoint is rolled back; each is written again on its own.
        if len(extracted) > 1:
            log.warning(
                "storing the observations of %d documents together failed (%s); storing "
                "them one by one",
                len(extracted),
                _one_line(exc),
            )
            written = ExtractCounts()
            for item in extracted:
                written.add(_write_group(session, [item], fx, retry, now))
            return written
        item = extracted[0]
        log.exception(
            "storing the observations of document %s failed",
            item.document.id,
            extra={"document_id": item.document.id},
        )
        item.error = None  # recorded here, not logged again as an extraction failure
        failure = _failure(
            item.document, f"storing observations failed: {_one_line(exc)}", retry, now
        )
        with session.begin_nested():
            _record_failures(session, [failure])
        return ExtractCounts(failed=1)


def _write(
    session: Session,
    extracted: list[_Extracted],
    fx: FxConverter,
    retry: ExtractRetry,
    now: datetime,
) -> ExtractCounts:
    """The group's writes, set-based: old observations out and new ones in for the documents
    extracted, which are marked extracted with one UPDATE; the failures recorded with one
    more."""
    done = [item for item in extracted if item.error is None]
    ids = [item.document.id for item in done]
    rows = [
        _observation_row(item.document.id, found.to_dict(), item.document.published, fx)
        for item in done
        for found in item.found
    ]
    connection = session.connection()
    if ids:
        connection.execute(delete(Observation).where(col(Observation.document_id).in_(ids)))
        if rows:
            connection.execute(insert(Observation), rows)
        connection.execute(
            update(Document)
            .where(col(Document.id).in_(ids))
            .values(
                extracted_hash=col(Document.content_hash),
                extract_error=None,
                extract_attempts=0,
                extract_failed_at=None,
                extract_next_attempt_at=None,
            )
        )
    failures = []
    for item in extracted:
        if item.error is not None:
            item.failure = _failure(item.document, item.error.reason, retry, now)
            failures.append(item.failure)
    _record_failures(session, failures)
    return ExtractCounts(
        documents=len(done), observations=len(rows), failed=len(extracted) - len(done)
    )


def _failure(document: _Claimed, error: str, retry: ExtractRetry, now: datetime) -> dict:
    """The values recorded on a document whose extraction failed with `error`."""
    attempts = document.attempts + 1
    return {
        "document_id": document.id,
        "extract_attempts": attempts,
        "extract_error": error[:2000],
        "extract_failed_at": now,
        "extract_next_attempt_at": now + retry.delay(attempts),
    }


def _record_failures(session: Session, failures: list[dict]) -> None:
    if failures:
        session.connection().execute(
            update(Document).where(col(Document.id) == bindparam("document_id")), failures
        )


def _log_failure(item: _Extracted, exc: ExtractionError) -> None:
    # The traceback once per failure streak; a retry that fails again is one line.
    failure = item.failure or {}
    attempts = failure.get("extract_attempts", 0)
    next_at = failure.get("extract_next_attempt_at")
    log.log(
        logging.ERROR if attempts == 1 else logging.WARNING,
        "extraction failed on document %s of %s (attempt %d, next at %s): %s",
        item.document.id,
        item.document.source_name,
        attempts,
        next_at.isoformat(timespec="seconds") if next_at else "?",
        exc.reason,
        exc_info=exc if attempts == 1 else None,
        extra={"document_id": item.document.id, "source": item.document.source_name},
    )


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _observation_row(document_id: int, data: dict, published: datetime, fx: FxConverter) -> dict:
    currency = data.get("currency") or "USD"
    day = published.date()
    return {
        "document_id": document_id,
        **{
            key: data.get(key)
            for key in (
                "company",
                "metric",
                "kind",
                "period",
                "low",
                "high",
                "change",
                "prior_low",
                "prior_high",
                "variant",
            )
        },
        "currency": currency,
        "usd_low": fx.to_usd(data.get("low"), currency, day),
        "usd_high": fx.to_usd(data.get("high"), currency, day),
        "quote": data.get("quote") or "",
        "published_at": published,
        "created_at": utcnow(),
        "evaluated": False,
    }
