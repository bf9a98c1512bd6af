"""The web view's reads: paged, indexed queries that select a page, or the next chunk after a
row's key (exports, each chunk read in a transaction of its own), never a whole table into
memory. Nothing here writes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_
from sqlalchemy import select as select_columns
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from watcher.store.models import Document, Event, EventSource, Observation, Source
from watcher.vocab import Severity, severity_rank

MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000
STREAM_CHUNK = 500  # rows an export reads per transaction
_ANNUAL = re.compile(r"^FY\d{4}$")


@dataclass(frozen=True)
class EventFilter:
    """What the events page and API are narrowed to; None: no condition."""

    company: str | None = None
    rule: str | None = None
    severity: Severity | None = None  # this severity and above
    since: date | None = None  # created on or after this day (UTC)
    until: date | None = None  # created on or before this day (UTC)

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.company:
            found.append(col(Event.company) == self.company.upper())
        if self.rule:
            found.append(col(Event.rule) == self.rule)
        if self.severity is not None:
            wanted = [s.value for s in Severity if s.rank >= self.severity.rank]
            found.append(col(Event.severity).in_(wanted))
        if self.since is not None:
            found.append(col(Event.created_at) >= datetime.combine(self.since, time(), UTC))
        if self.until is not None:
            end = datetime.combine(self.until + timedelta(days=1), time(), UTC)
            found.append(col(Event.created_at) < end)
        return found

    def query_items(self) -> list[tuple[str, str]]:
        """The filter as query-string pairs (for paging links and exports)."""
        items = [
            ("company", self.company or ""),
            ("rule", self.rule or ""),
            ("severity", self.severity.value if self.severity else ""),
            ("since", self.since.isoformat() if self.since else ""),
            ("until", self.until.isoformat() if self.until else ""),
        ]
        return [(key, value) for key, value in items if value]


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass(frozen=True)
class Key:
    """A row's place in a newest-first listing: its timestamp, then its id for ties."""

    when: datetime
    id: int


def _older(when: Mapped[datetime], ident: Mapped[int | None], key: Key) -> ColumnElement[bool]:
    """Rows after `key` in newest-first order; the first condition is a range on the
    (timestamp, id) index."""
    return and_(when <= key.when, or_(when < key.when, ident < key.id))


@dataclass(frozen=True)
class SourceLink:
    """A document that reported an event: its source, link, title and date."""

    name: str
    url: str | None
    title: str | None
    published_at: datetime | None


def events_page(
    session: Session, wanted: EventFilter, number: int, size: int
) -> tuple[list[Event], Page]:
    """One page of events, newest first, and where it stands among all matching."""
    conditions = wanted.conditions()
    total = session.exec(select(func.count()).select_from(Event).where(*conditions)).one()
    page = Page(max(number, 1), min(max(size, 1), MAX_PER_PAGE), total)
    rows = session.exec(
        select(Event)
        .where(*conditions)
        .order_by(col(Event.created_at).desc(), col(Event.id).desc())
        .offset(page.offset)
        .limit(page.size)
    )
    return list(rows), page


def events_after(
    session: Session, wanted: EventFilter, after: Key | None, limit: int
) -> list[Event]:
    """The next `limit` matching events, newest first, after the one keyed `after` (None:
    from the newest): a keyset page, so that an export reads one chunk per transaction."""
    conditions = wanted.conditions()
    if after is not None:
        conditions.append(_older(col(Event.created_at), col(Event.id), after))
    query = (
        select(Event)
        .where(*conditions)
        .order_by(col(Event.created_at).desc(), col(Event.id).desc())
        .limit(limit)
    )
    return list(session.exec(query))


def event_key(event: Event) -> Key:
    """Where an event stands in the newest-first order (for `events_after`)."""
    return Key(event.created_at, event.id or 0)


def sources_of(session: Session, event_ids: Sequence[int]) -> dict[int, list[SourceLink]]:
    """The documents behind each of these events, in the order they were added."""
    found: dict[int, list[SourceLink]] = {event_id: [] for event_id in event_ids}
    if not event_ids:
        return found
    rows = session.execute(
        select_columns(
            col(EventSource.event_id),
            col(EventSource.source_name),
            col(EventSource.url),
            col(EventSource.title),
            col(Document.published_at),
            col(Document.fetched_at),
        )
        .join(Document, col(Document.id) == col(EventSource.document_id))
        .where(col(EventSource.event_id).in_(list(event_ids)))
        .order_by(col(EventSource.id))
    )
    for event_id, name, url, title, published, fetched in rows:
        found[event_id].append(SourceLink(name, url, title, published or fetched))
    return found


def event_choices(session: Session) -> tuple[list[str], list[str]]:
    """The companies and rules that have events, for the filter form."""
    companies = session.exec(
        select(Event.company).where(col(Event.company).is_not(None)).distinct()
    ).all()
    rules = session.exec(select(Event.rule).distinct()).all()
    return sorted(c for c in companies if c), sorted(rules)


# -- observations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationRow:
    """An observation with the document and source it came from."""

    observation: Observation
    source_name: str
    document_url: str | None
    document_title: str | None
    document_key: str


def _observation_rows() -> Select:
    return (
        select_columns(
            Observation, col(Source.name), col(Document.url), col(Document.title), col(Document.key)
        )
        .join(Document, col(Document.id) == col(Observation.document_id))
        .join(Source, col(Source.id) == col(Document.source_id))
    )


def _as_rows(rows) -> list[ObservationRow]:
    return [ObservationRow(*row) for row in rows]


def observations_page(
    session: Session,
    company: str,
    number: int,
    size: int,
    *,
    metric: str | None = None,
    kind: str | None = None,
) -> tuple[list[ObservationRow], Page]:
    """One page of a company's observations, newest first."""
    conditions = [col(Observation.company) == company]
    if metric:
        conditions.append(col(Observation.metric) == metric)
    if kind:
        conditions.append(col(Observation.kind) == kind)
    total = session.exec(select(func.count()).select_from(Observation).where(*conditions)).one()
    page = Page(max(number, 1), min(max(size, 1), MAX_PER_PAGE), total)
    rows = session.execute(
        _observation_rows()
        .where(*conditions)
        .order_by(col(Observation.published_at).desc(), col(Observation.id).desc())
        .offset(page.offset)
        .limit(page.size)
    )
    return _as_rows(rows), page


def observations_after(
    session: Session, company: str, after: Key | None, limit: int
) -> list[ObservationRow]:
    """The next `limit` observations of a company, newest first, after the one keyed `after`
    (None: from the newest); a keyset page like `events_after`."""
    conditions = [col(Observation.company) == company]
    if after is not None:
        conditions.append(_older(col(Observation.published_at), col(Observation.id), after))
    rows = session.execute(
        _observation_rows()
        .where(*conditions)
        .order_by(col(Observation.published_at).desc(), col(Observation.id).desc())
        .limit(limit)
    )
    return _as_rows(rows)


def observation_key(row: ObservationRow) -> Key:
    """Where an observation stands in the newest-first order (for `observations_after`)."""
    return Key(row.observation.published_at, row.observation.id or 0)


def observation(session: Session, observation_id: int) -> ObservationRow | None:
    row = session.execute(_observation_rows().where(col(Observation.id) == observation_id)).first()
    return ObservationRow(*row) if row else None


def guidance_years(session: Session, company: str, metric: str, years: int) -> list[str]:
    """The latest fiscal years (FY2025, ...) with annual figures of this metric, newest
    first."""
    periods = session.exec(
        select(Observation.period)
        .where(col(Observation.company) == company, col(Observation.metric) == metric)
        .distinct()
    ).all()
    annual = sorted((p for p in periods if p and _ANNUAL.match(p)), reverse=True)
    return annual[:years]


def guidance_history(
    session: Session, company: str, metric: str, period: str, limit: int
) -> list[ObservationRow]:
    """The figures given for one fiscal year (guidance, estimates, actuals), the latest
    `limit` of them, oldest first."""
    rows = session.execute(
        _observation_rows()
        .where(
            col(Observation.company) == company,
            col(Observation.metric) == metric,
            col(Observation.period) == period,
        )
        .order_by(col(Observation.published_at).desc(), col(Observation.id).desc())
        .limit(limit)
    )
    return list(reversed(_as_rows(rows)))


def known_companies(session: Session) -> list[str]:
    """Every company something is stored about (observations, events, SEC facts), each
    read as DISTINCT over an index that leads with the company."""
    from watcher.store.models import Fact

    found: set[str] = set()
    for column in (Observation.company, Event.company, Fact.company):
        found.update(c for c in session.exec(select(column).distinct()) if c)
    return sorted(found)


def company_known(session: Session, company: str) -> bool:
    """Whether anything is stored about this company (observations, events or facts)."""
    from watcher.store.models import Fact

    for model in (Observation, Event, Fact):
        found = session.exec(select(model.id).where(model.company == company).limit(1)).first()
        if found is not None:
            return True
    return False


# -- sources -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSummary:
    source: Source
    documents: int
    last_document: datetime | None  # when the newest document was published (else fetched)


def source_summaries(session: Session) -> list[SourceSummary]:
    """Every source with its document count and its latest document's date (one grouped
    query over the documents' source index)."""
    counts = {
        source_id: (n, latest)
        for source_id, n, latest in session.exec(
            select(
                Document.source_id,
                func.count(),
                func.max(func.coalesce(Document.published_at, Document.fetched_at)),
            ).group_by(col(Document.source_id))
        )
    }
    summaries = []
    for source in session.exec(select(Source).order_by(col(Source.name))):
        n, latest = counts.get(source.id or 0, (0, None))
        summaries.append(SourceSummary(source, n, _aware(latest)))
    return summaries


def _aware(value: datetime | str | None) -> datetime | None:
    """A timestamp from an aggregate, which SQLite returns without the column's type."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def severity_of(text: str | None) -> Severity | None:
    """A severity from a query string; None for empty or unknown."""
    if not text:
        return None
    return Severity(text) if severity_rank(text) >= 0 else None
