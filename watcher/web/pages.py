"""The web view's pages, rendered on the server from the store: events (filtered, paged),
companies, a company's charts and history, one observation, sources and their health, and
delivery status with silences. Each page reads in one short read-only session."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from watcher.alerts.silences import list_silences
from watcher.alerts.status import STATUSES, delivery_counts, failed_deliveries
from watcher.store.models import stored_id, utcnow
from watcher.store.source_state import SourceState, source_state
from watcher.vocab import Severity
from watcher.web import args, queries
from watcher.web.company import company_series, guidance_charts, series_charts
from watcher.web.context import WebContext

PER_PAGE = 50
FAILED_SHOWN = 50
COMPANY_EVENTS_SHOWN = 20
COMPANY_OBSERVATIONS_SHOWN = 20


class Pages:
    """The HTML pages (GET only; the forms they hold post to `watcher.web.writes`)."""

    def __init__(self, web: WebContext) -> None:
        self.web = web

    def register(self, app: FastAPI) -> None:
        get = app.get
        get("/", response_class=HTMLResponse)(self.events_page)
        get("/companies", response_class=HTMLResponse)(self.companies_page)
        get("/companies/{company}", response_class=HTMLResponse)(self.company_page)
        get("/observations/{observation_id}", response_class=HTMLResponse)(self.observation_page)
        get("/sources", response_class=HTMLResponse)(self.sources_page)
        get("/status", response_class=HTMLResponse)(self.status_page)

    def events_page(self, request: Request) -> Response:
        wanted = args.event_filter(request)
        number = args.page_arg(request)
        with self.web.reading() as session:
            events, page = queries.events_page(session, wanted, number, PER_PAGE)
            sources = queries.sources_of(session, [stored_id(e) for e in events])
            companies, rules = queries.event_choices(session)
        return self.web.render(
            request,
            "events.html",
            events=events,
            sources=sources,
            page=page,
            wanted=wanted,
            companies=companies,
            rules=rules,
            severities=[s.value for s in Severity],
            query=lambda **changes: args.filter_query(wanted, changes),
            export=args.filter_query(wanted, {}),
        )

    def companies_page(self, request: Request) -> Response:
        with self.web.reading() as session:
            companies = queries.known_companies(session)
        return self.web.render(
            request, "companies.html", page_title="Companies", companies=companies
        )

    def company_page(self, request: Request, company: str) -> Response:
        company = args.company_id(company)
        with self.web.reading() as session:
            if not queries.company_known(session, company):
                raise HTTPException(404, f"nothing is stored about {company}")
            series = company_series(session, company)
            guidance = guidance_charts(session, company, series, utcnow().date())
            wanted = queries.EventFilter(company=company)
            events, page = queries.events_page(session, wanted, 1, COMPANY_EVENTS_SHOWN)
            sources = queries.sources_of(session, [stored_id(e) for e in events])
            observations, observed = queries.observations_page(
                session, company, 1, COMPANY_OBSERVATIONS_SHOWN
            )
        return self.web.render(
            request,
            "company.html",
            page_title=company,
            company=company,
            guidance=guidance,
            series=series_charts(company, series, self.web.rules),
            events=events,
            events_page=page,
            sources=sources,
            observations=observations,
            observed=observed,
        )

    def observation_page(self, request: Request, observation_id: int) -> Response:
        observation_id = args.row_id(observation_id, "observation")
        with self.web.reading() as session:
            row = queries.observation(session, observation_id)
        if row is None:
            raise HTTPException(404, "no such observation")
        return self.web.render(
            request, "observation.html", page_title=f"Observation {observation_id}", row=row
        )

    def sources_page(self, request: Request) -> Response:
        with self.web.reading() as session:
            summaries = queries.source_summaries(session)
        rows = []
        for summary in summaries:
            state = source_state(summary.source)
            polled = state not in (SourceState.DISABLED, SourceState.NOT_POLLED)
            rows.append((summary, state.value, polled))
        return self.web.render(request, "sources.html", page_title="Sources", rows=rows)

    def status_page(self, request: Request) -> Response:
        return status(self.web, request)


def status(web: WebContext, request: Request, error: str | None = None) -> Response:
    """The status page: delivery counts, failed deliveries, silences; with `error`, a 400
    saying what was wrong with a silence just submitted."""
    with web.reading() as session:
        counts = delivery_counts(session)
        failed = failed_deliveries(session, FAILED_SHOWN)
        silences = list_silences(session)
    context: dict[str, Any] = {
        "page_title": "Status",
        "counts": sorted(counts.items()),
        "statuses": STATUSES,
        "failed": failed,
        "silences": silences,
        "error": error,
    }
    return web.render(request, "status.html", 400 if error else 200, **context)
