"""Source kinds: how each kind of source turns a fetched body into items (parsing, in a worker
thread, no database) and stores them (in the polling thread's transaction).

`rss` (RSS or Atom feeds) -> documents; `ecb_rates` -> fx_rates; `sec_companyfacts` (SEC
XBRL companyfacts JSON) -> facts; `sec_filings` (a company's EDGAR submissions) and
`sec_current` (EDGAR's current-filings feed, the fast path) -> 8-K earnings-release documents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from watcher.sources.ecb import ReferenceRate, parse_reference_rates
from watcher.sources.errors import FeedParseError, FetchError
from watcher.sources.feeds import FeedEntry, parse_feed, plausible_published
from watcher.sources.http import FetchResult, fetch
from watcher.sources.parsers import FeedParsers
from watcher.sources.sec import MAX_POLL_WAIT, NO_CONTACT, RateLimited, SecAccess
from watcher.sources.sec_current import CompanyRelease, new_current_documents
from watcher.sources.sec_facts import (
    CompanyFacts,
    QuarterFact,
    parse_companyfacts,
    quarterly_series,
)
from watcher.sources.sec_filings import Fetch, new_release_documents
from watcher.store.db import insert_new
from watcher.store.models import Document, Fact, FxRate, Source, stored_id

SEC_METRICS = ("capex", "ocf", "rpo")


DEFAULT_ARCHIVES_URL = "https://www.sec.gov/Archives/edgar/data/"


@dataclass(frozen=True)
class PollContext:
    """What parsing may need beyond the body: each company's fiscal-year end month, and for
    kinds that fetch more than one URL (SEC filings) the SEC client, the fetch limits and the
    keys already stored per source."""

    fiscal_year_end: Mapping[str, int] = field(default_factory=dict)
    ciks: Mapping[str, int] = field(default_factory=dict)  # company id -> SEC CIK
    archives_url: str = DEFAULT_ARCHIVES_URL
    sec: SecAccess | None = None
    max_bytes: int = 20 * 1024 * 1024
    deadline: float = 60.0
    allow_local: bool = False
    known_keys: Mapping[int, set[str]] = field(default_factory=dict)
    # Source name -> (user, password) for HTTP Basic auth (sources/config.py), sent only to
    # the origin of the source's configured URL.
    credentials: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # The poll's feed-parsing worker processes (None: parse as `parse_feed` does alone).
    parsers: FeedParsers | None = None


def store_entries(
    session: Session, source_id: int, entries: list[FeedEntry], now: datetime
) -> tuple[int, int]:
    """Store each entry once by its key; an entry whose content changed is updated and so
    becomes pending for extraction again. Returns (new, changed)."""
    return store_entry_groups(session, {source_id: entries}, now)


# Keys looked up per query: well under SQLite's limit on bound parameters.
KEYS_PER_QUERY = 500


def store_entry_groups(
    session: Session, entries_by_source: Mapping[int, list[FeedEntry]], now: datetime
) -> tuple[int, int]:
    """`store_entries` for several sources at once, set-based: the stored keys are read with
    one query per `KEYS_PER_QUERY` keys, the new entries inserted with one INSERT and the
    changed ones updated with one executemany, whatever the number of sources. Returns (new,
    changed) over all of them."""
    unique = {
        source_id: {entry.key: entry for entry in entries}
        for source_id, entries in entries_by_source.items()
        if entries
    }
    if not unique:
        return 0, 0
    stored = _stored_hashes(session, unique)
    rows, updates = [], []
    for source_id, entries in unique.items():
        for key, entry in entries.items():
            known = stored.get((source_id, key))
            if known is None:
                rows.append(_document_row(source_id, entry, now))
            elif known[1] != entry.content_hash:
                updates.append(_changed_document(known[0], entry, now))
    if updates:
        session.execute(update(Document), updates)
    inserted = insert_new(session, Document, rows, ["source_id", "key"]) if rows else 0
    return inserted, len(updates)


def _stored_hashes(
    session: Session, keys_by_source: Mapping[int, Mapping[str, object]]
) -> dict[tuple[int, str], tuple[int, str]]:
    """(source id, key) -> (document id, content hash) of the stored documents among these."""
    keys = sorted({key for keys in keys_by_source.values() for key in keys})
    found: dict[tuple[int, str], tuple[int, str]] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        rows = session.exec(
            select(
                col(Document.id),
                col(Document.source_id),
                col(Document.key),
                col(Document.content_hash),
            ).where(
                col(Document.source_id).in_(list(keys_by_source)),
                col(Document.key).in_(keys[start : start + KEYS_PER_QUERY]),
            )
        )
        for document_id, source_id, key, content_hash in rows:
            if document_id is not None and key in keys_by_source.get(source_id, {}):
                found[(source_id, key)] = (document_id, content_hash)
    return found


def _changed_document(document_id: int, entry: FeedEntry, now: datetime) -> dict:
    """The new values of a stored document whose entry's content changed. New content is due
    for extraction at once, even while older content's extraction was failing and backing
    off."""
    values = {
        "id": document_id,
        "text": entry.text,
        "title": entry.title,
        "content_hash": entry.content_hash,
        "url": entry.link,
        "fetched_at": now,
        "extract_next_attempt_at": None,
    }
    published, note = plausible_published(entry.published, now)
    if published is not None:  # else the stored date stays
        values["published_at"], values["published_note"] = published, note
    return values


def _document_row(source_id: int, entry: FeedEntry, now: datetime) -> dict:
    published, note = plausible_published(entry.published, now)
    return {
        "source_id": source_id,
        "key": entry.key,
        "url": entry.link,
        "title": entry.title,
        "text": entry.text,
        "content_hash": entry.content_hash,
        "published_at": published,
        "published_note": note,
        "fetched_at": now,
        "extracted_hash": None,
        "extract_error": None,
    }


def _parse_feed_body(
    fetched: FetchResult, source: Source, context: PollContext
) -> tuple[list[FeedEntry], str | None]:
    parsed = parse_feed(
        fetched.body or b"",
        url=fetched.url,
        content_type=fetched.content_type,
        parsers=context.parsers,
    )
    return parsed.entries, parsed.warning


def _parse_rates_body(
    fetched: FetchResult, source: Source, context: PollContext
) -> tuple[list[ReferenceRate], str | None]:
    return parse_reference_rates(fetched.body or b""), None


def store_rates(
    session: Session, source_id: int, rates: list[ReferenceRate], now: datetime
) -> tuple[int, int]:
    """Store reference rates not stored yet (a day's rates never change). Returns (new, 0)."""
    rows = [
        {
            "day": rate.day,
            "currency": rate.currency,
            "per_eur": rate.per_eur,
            "source_id": source_id,
        }
        for rate in rates
    ]
    return (insert_new(session, FxRate, rows, ["day", "currency"]) if rows else 0), 0


def _parse_companyfacts_body(
    fetched: FetchResult, source: Source, context: PollContext
) -> tuple[list[QuarterFact], str | None]:
    if source.company is None or source.company not in context.fiscal_year_end:
        raise FeedParseError(f"company {source.company!r} is not in the company registry")
    facts = parse_companyfacts(fetched.body or b"")
    _check_cik(facts.cik, source.company, context)
    return companyfacts_series(facts, source.company, context), None


def _check_cik(cik: int | None, company: str, context: PollContext) -> None:
    """A misconfigured URL must not file one company's figures under another's name."""
    expected = context.ciks.get(company)
    if expected is not None and cik != expected:
        raise FeedParseError(f"the file is CIK {cik}, but {company} is CIK {expected}")


def companyfacts_series(
    body: bytes | dict | CompanyFacts, company: str, context: PollContext
) -> list[QuarterFact]:
    """Every quarterly capex, OCF and RPO figure of one companyfacts file (raw or parsed)."""
    facts = body if isinstance(body, CompanyFacts) else parse_companyfacts(body)
    month = context.fiscal_year_end[company]
    return [
        fact
        for metric in SEC_METRICS
        for fact in quarterly_series(
            facts, company=company, metric=metric, fiscal_year_end_month=month
        )
    ]


def store_facts(
    session: Session, source_id: int | None, facts: list[QuarterFact], now: datetime
) -> tuple[int, int]:
    """Upsert quarterly facts, keeping the value as first filed and as last amended; a new or
    restated fact is evaluated again. Returns (new, changed)."""
    if not facts:
        return 0, 0
    companies = {fact.company for fact in facts}
    stored = {
        (row.company, row.metric, row.period): row
        for row in session.exec(select(Fact).where(col(Fact.company).in_(companies)))
    }
    rows, changed = [], 0
    for fact in facts:
        row = stored.get((fact.company, fact.metric, fact.period))
        if row is None:
            rows.append(_fact_row(fact, source_id, now))
        elif _update_fact(row, fact, now):
            session.add(row)
            changed += 1
    session.flush()
    new = insert_new(session, Fact, rows, ["company", "metric", "period"]) if rows else 0
    return new, changed


def _fact_row(fact: QuarterFact, source_id: int | None, now: datetime) -> dict:
    fields = {name: getattr(fact, name) for name in _FACT_FIELDS}
    return {**fields, "source_id": source_id, "updated_at": now, "evaluated": False}


_FACT_FIELDS = (
    "company",
    "metric",
    "period",
    "start",
    "end",
    "value",
    "currency",
    "derived",
    "tag",
    "accn",
    "filed",
    "first_value",
    "first_accn",
    "first_filed",
)


def _update_fact(row: Fact, fact: QuarterFact, now: datetime) -> bool:
    """Merge two views of one quarter: the earliest filing gives `first_*`, the latest the
    current value (importing an older file never rolls a restatement back). True when the
    stored quarter changed."""
    before = (row.first_value, row.first_accn, row.value, row.accn)
    if fact.first_filed < row.first_filed:
        row.first_value, row.first_accn, row.first_filed = (
            fact.first_value,
            fact.first_accn,
            fact.first_filed,
        )
    if fact.filed > row.filed or (fact.filed == row.filed and fact.accn != row.accn):
        row.value, row.accn, row.filed = fact.value, fact.accn, fact.filed
        row.start, row.end, row.derived, row.tag = fact.start, fact.end, fact.derived, fact.tag
    if before == (row.first_value, row.first_accn, row.value, row.accn):
        return False
    row.updated_at, row.evaluated = now, False
    return True


def _parse_filings_body(
    fetched: FetchResult, source: Source, context: PollContext
) -> tuple[list[FeedEntry], str | None]:
    return new_release_documents(
        fetched.body or b"",
        company=source.company or "?",
        known=context.known_keys.get(stored_id(source), set()),
        archives_url=context.archives_url,
        fetch=_sec_fetcher(context),
        expected_cik=context.ciks.get(source.company or ""),
    )


def _sec_fetcher(context: PollContext) -> Fetch:
    """Fetching a filing's further files (folder index, exhibit) as SEC requests: our
    contact in the User-Agent, the shared limiter, and a 403/429 pausing every SEC request."""
    sec = context.sec
    if sec is None or sec.client is None:
        raise FeedParseError(NO_CONTACT)
    client = sec.client

    def fetch_more(url: str) -> FetchResult:
        try:
            sec.limiter.acquire(max_wait=MAX_POLL_WAIT)
        except RateLimited as exc:
            raise FetchError(str(exc)) from None
        try:
            return fetch(
                client,
                url,
                max_bytes=context.max_bytes,
                deadline=context.deadline,
                allow_local=context.allow_local,
            )
        except FetchError as exc:
            if exc.status in (403, 429):
                sec.slow_down(exc.retry_after)
            raise

    return fetch_more


def _parse_current_body(
    fetched: FetchResult, source: Source, context: PollContext
) -> tuple[list[CompanyRelease], str | None]:
    return new_current_documents(
        fetched.body or b"",
        url=fetched.url,
        content_type=fetched.content_type,
        watched={cik: company for company, cik in context.ciks.items()},
        known=context.known_keys.get(stored_id(source), set()),
        archives_url=context.archives_url,
        fetch=_sec_fetcher(context),
    )


def store_current_releases(
    session: Session, source_id: int, releases: list[CompanyRelease], now: datetime
) -> tuple[int, int]:
    """Store each release under its company's `sec_filings` source when one is enabled (the
    submissions poller then knows it, and the unique key (source, accession number) keeps it
    one document whichever path stores it first), else under the feed's own source."""
    companies = sorted({release.company for release in releases})
    homes: dict[str, int] = {}
    for home_id, company in session.exec(
        select(col(Source.id), col(Source.company))
        .where(
            col(Source.kind) == "sec_filings",
            col(Source.enabled) == True,  # noqa: E712
            col(Source.company).in_(companies),
        )
        .order_by(col(Source.id))
    ):
        if home_id is not None and company is not None:
            homes.setdefault(company, home_id)
    by_home: dict[int, list[FeedEntry]] = {}
    for release in releases:
        by_home.setdefault(homes.get(release.company, source_id), []).append(release.entry)
    return store_entry_groups(session, by_home, now)


@dataclass(frozen=True)
class SourceKind:
    """How one kind of source turns a fetched body into items, and stores them.
    `needs_known_keys`: parsing is told which document keys the source already has."""

    parse: Callable[[FetchResult, Source, PollContext], tuple[list, str | None]]
    store: Callable[[Session, int, list, datetime], tuple[int, int]]
    needs_known_keys: bool = False
    # Kinds whose sources' document keys count as known too: one filing reached by two paths
    # (the submissions poller and the current feed) is fetched and stored once.
    shares_keys_with: tuple[str, ...] = ()
    # A parse warning means some items could not be read (and must be tried again): the
    # validators (ETag, Last-Modified) are then not kept, so the next poll reads it all again.
    warning_means_incomplete: bool = False
    # `store` for several sources at once (source id -> items), set-based; without it, the
    # sources are stored one after the other.
    store_group: Callable[[Session, Mapping[int, list], datetime], tuple[int, int]] | None = None

    def store_all(
        self, session: Session, items_by_source: Mapping[int, list], now: datetime
    ) -> tuple[int, int]:
        """Store the items of these sources (all of this kind). Returns (new, changed)."""
        if self.store_group is not None:
            return self.store_group(session, items_by_source, now)
        new = changed = 0
        for source_id, items in items_by_source.items():
            added, updated = self.store(session, source_id, items, now)
            new, changed = new + added, changed + updated
        return new, changed


@dataclass
class GroupItems:
    """The items that a group of polls brought, by kind and source, to be stored together at
    the end of the group's transaction."""

    by_kind: dict[str, dict[int, list]] = field(default_factory=dict)

    def add(self, kind: str, source_id: int, items: list) -> None:
        self.by_kind.setdefault(kind, {})[source_id] = items

    def store(self, session: Session, now: datetime) -> tuple[int, int]:
        """Store them all, a kind at a time. Returns (new, changed)."""
        new = changed = 0
        for kind, items_by_source in self.by_kind.items():
            added, updated = KINDS[kind].store_all(session, items_by_source, now)
            new, changed = new + added, changed + updated
        return new, changed


KINDS: dict[str, SourceKind] = {
    "rss": SourceKind(_parse_feed_body, store_entries, store_group=store_entry_groups),
    "ecb_rates": SourceKind(_parse_rates_body, store_rates),
    "sec_companyfacts": SourceKind(_parse_companyfacts_body, store_facts),
    "sec_filings": SourceKind(
        _parse_filings_body,
        store_entries,
        store_group=store_entry_groups,
        needs_known_keys=True,
        warning_means_incomplete=True,
        shares_keys_with=("sec_current",),
    ),
    "sec_current": SourceKind(
        _parse_current_body,
        store_current_releases,
        needs_known_keys=True,
        warning_means_incomplete=True,
        shares_keys_with=("sec_filings",),
    ),
}
