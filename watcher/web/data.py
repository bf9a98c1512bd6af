"""Data out of the web view: the JSON API (events, a company's observations, its quarterly
series) and the CSV downloads (events, a company's observations).

A download is streamed in keyset pages (`queries.STREAM_CHUNK` rows after the last row sent),
each read in a short read-only transaction of its own, and written only after that
transaction has ended: a client that reads slowly, or not at all, holds no transaction open,
so it keeps nothing from the daemon's writes (nor a WAL checkpoint from finishing). A download
is therefore not one snapshot: a row added meanwhile may be in it or not, but none is sent
twice or lost among those that were there from start to end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlmodel import Session, col, select

from watcher.engine.series_rules import quarter_number
from watcher.store.models import Fact, stored_id
from watcher.web import args, queries
from watcher.web.company import company_series, ratio_values
from watcher.web.context import WebContext
from watcher.web.export import (
    EVENT_CSV_FIELDS,
    OBSERVATION_EXTRAS,
    OBSERVATION_FIELDS,
    csv_lines,
    event_csv_row,
    event_record,
    fact_record,
    observation_record,
)
from watcher.web.pages import PER_PAGE

SERIES_METRICS = ("capex", "ocf", "rpo", "capex_ocf")

# A record of a download with its place in the listing; a chunk reads those after a key.
Keyed = tuple[queries.Key, dict[str, Any]]
Chunk = Callable[[Session, queries.Key | None, int], list[Keyed]]


class Data:
    """The JSON API's reads and the CSV downloads."""

    def __init__(self, web: WebContext) -> None:
        self.web = web

    def register(self, app: FastAPI) -> None:
        get = app.get
        get("/events.csv")(self.events_csv)
        get("/companies/{company}/observations.csv")(self.observations_csv)
        get("/api/events")(self.api_events)
        get("/api/companies/{company}/observations")(self.api_observations)
        get("/api/series/{company}/{metric}")(self.api_series)

    def api_events(self, request: Request) -> Response:
        wanted = args.event_filter(request)
        number = args.page_arg(request)
        size = args.per_page_arg(request, PER_PAGE)
        with self.web.reading() as session:
            events, page = queries.events_page(session, wanted, number, size)
            sources = queries.sources_of(session, [stored_id(e) for e in events])
        records = [event_record(e, sources[stored_id(e)]) for e in events]
        return JSONResponse(records, headers=args.paging_headers(request, page))

    def api_observations(self, request: Request, company: str) -> Response:
        company = args.company_id(company)
        number = args.page_arg(request)
        size = args.per_page_arg(request, PER_PAGE)
        with self.web.reading() as session:
            rows, page = queries.observations_page(
                session,
                company,
                number,
                size,
                metric=request.query_params.get("metric") or None,
                kind=request.query_params.get("kind") or None,
            )
        records = [observation_record(row) for row in rows]
        return JSONResponse(records, headers=args.paging_headers(request, page))

    def api_series(self, request: Request, company: str, metric: str) -> Response:
        company = args.company_id(company)
        if metric not in SERIES_METRICS:
            raise HTTPException(404, f"metric: one of {', '.join(SERIES_METRICS)}")
        with self.web.reading() as session:
            records = _series_records(session, company, metric)
        records.sort(key=lambda r: quarter_number(r["period"]) or 0)
        return JSONResponse(records)

    def events_csv(self, request: Request) -> Response:
        wanted = args.event_filter(request)

        def chunk(session: Session, after: queries.Key | None, size: int) -> list[Keyed]:
            events = queries.events_after(session, wanted, after, size)
            sources = queries.sources_of(session, [stored_id(e) for e in events])
            return [(queries.event_key(e), event_csv_row(e, sources[stored_id(e)])) for e in events]

        return _csv_response("events.csv", csv_lines(EVENT_CSV_FIELDS, self._paged(chunk)))

    def observations_csv(self, request: Request, company: str) -> Response:
        company = args.company_id(company)

        def chunk(session: Session, after: queries.Key | None, size: int) -> list[Keyed]:
            rows = queries.observations_after(session, company, after, size)
            return [(queries.observation_key(row), observation_record(row)) for row in rows]

        fields = (*OBSERVATION_FIELDS, *OBSERVATION_EXTRAS)
        lines = csv_lines(fields, self._paged(chunk))
        return _csv_response(f"{company}-observations.csv", lines)

    def _paged(self, chunk: Chunk) -> Iterator[dict[str, Any]]:
        """Every record, a chunk per read-only transaction, each chunk the rows after the
        last of the one before; the transaction ends before its records are handed on."""
        size = queries.STREAM_CHUNK
        after: queries.Key | None = None
        while True:
            with self.web.reading() as session:
                keyed = chunk(session, after, size)
            yield from (record for _, record in keyed)
            if len(keyed) < size:
                return
            after = keyed[-1][0]


def _series_records(session: Session, company: str, metric: str) -> list[dict[str, Any]]:
    """A company's quarters of one series (the capex/OCF ratio computed), unsorted."""
    if metric == "capex_ocf":
        ratios = ratio_values(company_series(session, company))
        return [
            {"period": period, "value": value, "accn": point.accn}
            for period, (value, point) in ratios.items()
        ]
    facts = session.exec(
        select(Fact).where(col(Fact.company) == company, col(Fact.metric) == metric)
    ).all()
    return [fact_record(fact) for fact in facts]


def _csv_response(filename: str, lines: Iterator[str]) -> Response:
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
