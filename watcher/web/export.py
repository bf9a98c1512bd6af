"""Data out: events, observations and quarterly series as plain records, for the JSON API and
the CSV downloads. Observation records keep the field names of the observation contract
(DESIGN.md), with the stored extras after them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from watcher.alerts.messages import headline
from watcher.store.drafts import event_details
from watcher.store.models import Event, Fact
from watcher.web.queries import ObservationRow, SourceLink

# The observation contract's fields, in its order, then what the store adds.
OBSERVATION_FIELDS = (
    "company",
    "metric",
    "kind",
    "period",
    "low",
    "high",
    "currency",
    "change",
    "prior_low",
    "prior_high",
    "quote",
    "source",
)
OBSERVATION_EXTRAS = (
    "id",
    "variant",
    "usd_low",
    "usd_high",
    "published_at",
    "source_name",
    "url",
    "title",
)
PERCENT_DECIMALS = 1
EVENT_FIELDS = (
    "id",
    "created_at",
    "rule",
    "severity",
    "company",
    "metric",
    "period",
    "change",
    "currency",
    "low",
    "high",
    "prior_low",
    "prior_high",
    "change_pct",
    "value",
    "previous",
    "confirmed",
    "headline",
    "summary",
    "quote",
)


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def observation_record(row: ObservationRow) -> dict[str, Any]:
    """An observation as the contract writes it; `source` is the document it came from (its
    URL, else its key within the source)."""
    o = row.observation
    return {
        "company": o.company,
        "metric": o.metric,
        "kind": o.kind,
        "period": o.period,
        "low": o.low,
        "high": o.high,
        "currency": o.currency,
        "change": o.change,
        "prior_low": o.prior_low,
        "prior_high": o.prior_high,
        "quote": o.quote,
        "source": row.document_url or row.document_key,
        "id": o.id,
        "variant": o.variant,
        "usd_low": o.usd_low,
        "usd_high": o.usd_high,
        "published_at": _iso(o.published_at),
        "source_name": row.source_name,
        "url": row.document_url,
        "title": row.document_title,
    }


def event_record(event: Event, sources: Sequence[SourceLink]) -> dict[str, Any]:
    """An event with its words (headline, details) and every source that reported it."""
    record: dict[str, Any] = {name: getattr(event, name) for name in EVENT_FIELDS}
    record["created_at"] = _iso(event.created_at)
    record["change_pct"] = _percent(event.change_pct)
    record["headline"] = headline(event)
    record["details"] = [[label, value] for label, value in event_details(event)]
    record["sources"] = [
        {
            "name": s.name,
            "url": s.url,
            "title": s.title,
            "published_at": _iso(s.published_at),
        }
        for s in sources
    ]
    return record


def _percent(value: float | None) -> float | None:
    """A percentage to one decimal, as people read it (8.8, not 8.799999999999999)."""
    return None if value is None else round(value, PERCENT_DECIMALS)


def event_csv_row(event: Event, sources: Sequence[SourceLink]) -> dict[str, Any]:
    """An event on one spreadsheet row: its sources' URLs joined by spaces."""
    record = event_record(event, sources)
    record["details"] = "; ".join(f"{label}: {value}" for label, value in record["details"])
    record["sources"] = " ".join(s.url or s.name for s in sources)
    return record


EVENT_CSV_FIELDS = (*EVENT_FIELDS, "details", "sources")


def fact_record(fact: Fact) -> dict[str, Any]:
    """One quarter of a series from SEC filings, as `watcher series --json` prints it: the
    value as last amended, and as first filed when an amendment changed it."""
    data: dict[str, Any] = {"period": fact.period}
    if fact.start is not None:
        data["start"] = fact.start.isoformat()
    data.update(
        end=fact.end.isoformat(),
        value=fact.value,
        currency=fact.currency,
        derived=fact.derived,
        accn=fact.accn,
        filed=fact.filed.isoformat(),
    )
    if fact.first_accn != fact.accn:
        data.update(
            first_value=fact.first_value,
            first_accn=fact.first_accn,
            first_filed=fact.first_filed.isoformat(),
        )
    return data


def csv_lines(
    fields: Sequence[str], records: Iterable[dict[str, Any]], flush_at: int = 64 * 1024
) -> Iterator[str]:
    """CSV text, a header and then a line per record, produced as records arrive in pieces
    of about `flush_at` characters. Cells that a spreadsheet would run as a formula (=, +,
    -, @ first) are prefixed with '."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _cell(record.get(key)) for key in fields})
        if buffer.tell() >= flush_at:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
