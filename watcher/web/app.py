"""The web application: `create_app(settings_or_engine)` builds the FastAPI app of the analyst's
view (server-rendered pages, the JSON API, CSV downloads). Pages and API read the store;
the only writes are silences, behind `web.token` (see `watcher.web.auth`).

Every response carries a Content-Security-Policy that allows no script at all, our one
stylesheet, and forms posting to ourselves; templates autoescape, and links taken from feeds
are rendered only when they are http(s), with rel="noopener nofollow".
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watcher.alerts.messages import change_text, confirmation, fields_of, headline
from watcher.alerts.silences import add_silence, expire_silence, list_silences, parse_until
from watcher.alerts.status import STATUSES, delivery_counts, failed_deliveries
from watcher.engine.series_rules import quarter_number
from watcher.engine.types import Rule
from watcher.errors import WatcherError
from watcher.formatting import format_range
from watcher.settings import Settings
from watcher.store.models import Event, Fact, Silence, stored_id, utcnow
from watcher.store.source_state import SourceState, describe_state, source_state
from watcher.vocab import Severity
from watcher.web import queries
from watcher.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_SECONDS,
    Verdict,
    WriteAccess,
    login_csrf_matches,
    new_login_csrf,
    same_origin,
)
from watcher.web.company import (
    company_series,
    default_series_rules,
    guidance_charts,
    ratio_values,
    series_charts,
)
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

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
PER_PAGE = 50
FAILED_SHOWN = 50
COMPANY_EVENTS_SHOWN = 20
COMPANY_OBSERVATIONS_SHOWN = 20
_COMPANY_ID = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,15}$")
SERIES_METRICS = ("capex", "ocf", "rpo", "capex_ocf")

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def safe_url(url: str | None) -> str | None:
    """A URL fit for a link: http(s) with a host, else None (javascript:, data:, relative)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in url for c in "\x00\r\n\t "):
        return None
    return url


def _when(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt) if value else "never"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["when"] = _when
    env.filters["money"] = lambda r: format_range(r[0], r[1], r[2])
    env.filters["host"] = lambda url: urlsplit(url).hostname or url
    env.globals.update(
        headline=headline,
        change_text=change_text,
        confirmation=confirmation,
        fields_of=fields_of,
        describe_state=describe_state,
    )
    return env


def _parse_date(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"{name}: not a date (YYYY-MM-DD): {text[:40]!r}") from None


def _company_id(text: str) -> str:
    company = text.upper()
    if not _COMPANY_ID.match(company):
        raise HTTPException(404, "no such company")
    return company


def _event_filter(request: Request) -> queries.EventFilter:
    args = request.query_params
    severity_text = args.get("severity") or None
    severity = queries.severity_of(severity_text)
    if severity_text and severity is None:
        known = ", ".join(s.value for s in Severity)
        raise HTTPException(400, f"severity: one of {known}")
    company = (args.get("company") or "").strip().upper() or None
    return queries.EventFilter(
        company=company,
        rule=(args.get("rule") or "").strip() or None,
        severity=severity,
        since=_parse_date(args.get("since"), "since"),
        until=_parse_date(args.get("until"), "until"),
    )


def _int_arg(request: Request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise HTTPException(400, f"{name}: a whole number from 1")
    return int(text)


def create_app(
    source: Settings | Engine,
    *,
    engine: Engine | None = None,
    token: SecretStr | str | None = None,
    rules: Sequence[Rule] | None = None,
) -> FastAPI:
    """The web view over a database: given `Settings`, their database (migrated) and
    `web.token`; given an `Engine`, that database, read-only unless `token` is given.
    `engine` overrides the settings' database (the daemon shares its own); `rules` are the
    series rules whose hits are marked on charts (default: the settings' rules folder, else
    the shipped rules' defaults)."""
    settings = source if isinstance(source, Settings) else None
    if engine is None:
        engine = source if isinstance(source, Engine) else _settings_engine(source)
    if token is None and settings is not None:
        token = settings.web.token
    if isinstance(token, str):
        token = SecretStr(token)
    access = WriteAccess(token)
    chart_rules = list(rules) if rules is not None else _rules_for(settings)
    env = _environment()
    app = FastAPI(
        title="capex-watcher",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    web = _Web(engine, env, access, chart_rules)
    web.register(app)
    return app


def _settings_engine(settings: Settings) -> Engine:
    from watcher.store.db import make_engine, upgrade

    engine = make_engine(settings.database.url, echo=settings.database.echo)
    upgrade(engine)
    return engine


def _rules_for(settings: Settings | None) -> list[Rule]:
    if settings is None:
        return default_series_rules()
    from watcher.engine.rules import load_rules

    try:
        return load_rules(settings.rules.dir)
    except WatcherError as exc:
        log.warning("web: charts mark the default series rules: %s", exc)
        return default_series_rules()


class _Web:
    """The routes, sharing the engine, templates and write access."""

    def __init__(
        self, engine: Engine, env: Environment, access: WriteAccess, rules: list[Rule]
    ) -> None:
        self.engine = engine
        self.env = env
        self.access = access
        self.rules = rules

    # -- helpers -----------------------------------------------------------------------------

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def render(
        self, request: Request, name: str, status_code: int = 200, **context: Any
    ) -> Response:
        nonce = self.access.session_nonce(request.cookies.get(SESSION_COOKIE), time.time())
        context.setdefault("page_title", "")
        html = self.env.get_template(name).render(
            request=request,
            path=request.url.path,
            writes_enabled=self.access.enabled,
            logged_in=nonce is not None,
            csrf=self.access.csrf_token(nonce) if nonce else "",
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def verdict(self, request: Request, csrf: str | None) -> Verdict:
        return self.access.check(
            authorization=request.headers.get("authorization"),
            session_cookie=request.cookies.get(SESSION_COOKIE),
            csrf=csrf or request.headers.get(CSRF_HEADER),
            same_origin=same_origin(
                request.headers.get("origin"),
                request.headers.get("referer"),
                request.headers.get("host"),
            ),
            now=time.time(),
        )

    def require_write(self, request: Request, csrf: str | None) -> None:
        verdict = self.verdict(request, csrf)
        if verdict is Verdict.ALLOWED:
            return
        status = 401 if verdict in (Verdict.UNAUTHENTICATED, Verdict.BAD_TOKEN) else 403
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        raise HTTPException(status, verdict.value, headers=headers)

    # -- routes ------------------------------------------------------------------------------

    def register(self, app: FastAPI) -> None:
        get = app.get
        get("/", response_class=HTMLResponse)(self.events_page)
        get("/companies", response_class=HTMLResponse)(self.companies_page)
        get("/companies/{company}", response_class=HTMLResponse)(self.company_page)
        get("/companies/{company}/observations.csv")(self.observations_csv)
        get("/observations/{observation_id}", response_class=HTMLResponse)(self.observation_page)
        get("/sources", response_class=HTMLResponse)(self.sources_page)
        get("/status", response_class=HTMLResponse)(self.status_page)
        get("/login", response_class=HTMLResponse)(self.login_page)
        app.post("/login")(self.login)
        app.post("/logout")(self.logout)
        app.post("/status/silences")(self.add_silence_form)
        app.post("/status/silences/{silence_id}/expire")(self.expire_silence_form)
        get("/events.csv")(self.events_csv)
        get("/api/events")(self.api_events)
        get("/api/companies/{company}/observations")(self.api_observations)
        get("/api/series/{company}/{metric}")(self.api_series)
        app.post("/api/silences", status_code=201)(self.api_add_silence)
        app.post("/api/silences/{silence_id}/expire")(self.api_expire_silence)
        app.exception_handler(StarletteHTTPException)(self.http_error)

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api/") or request.method != "GET":
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
        return self.render(
            request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail
        )

    def events_page(self, request: Request) -> Response:
        wanted = _event_filter(request)
        number = _int_arg(request, "page", 1)
        with self.session() as session:
            events, page = queries.events_page(session, wanted, number, PER_PAGE)
            sources = queries.sources_of(session, [stored_id(e) for e in events])
            companies, rules = queries.event_choices(session)
        return self.render(
            request,
            "events.html",
            events=events,
            sources=sources,
            page=page,
            wanted=wanted,
            companies=companies,
            rules=rules,
            severities=[s.value for s in Severity],
            query=lambda **changes: _query(wanted, changes),
            export=_query(wanted, {}),
        )

    def companies_page(self, request: Request) -> Response:
        with self.session() as session:
            companies = queries.known_companies(session)
        return self.render(request, "companies.html", page_title="Companies", companies=companies)

    def company_page(self, request: Request, company: str) -> Response:
        company = _company_id(company)
        with self.session() as session:
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
        return self.render(
            request,
            "company.html",
            page_title=company,
            company=company,
            guidance=guidance,
            series=series_charts(company, series, self.rules),
            events=events,
            events_page=page,
            sources=sources,
            observations=observations,
            observed=observed,
        )

    def observation_page(self, request: Request, observation_id: int) -> Response:
        with self.session() as session:
            row = queries.observation(session, observation_id)
        if row is None:
            raise HTTPException(404, "no such observation")
        return self.render(
            request, "observation.html", page_title=f"Observation {observation_id}", row=row
        )

    def sources_page(self, request: Request) -> Response:
        with self.session() as session:
            summaries = queries.source_summaries(session)
        rows = []
        for summary in summaries:
            state = source_state(summary.source)
            polled = state not in (SourceState.DISABLED, SourceState.NOT_POLLED)
            rows.append((summary, state.value, polled))
        return self.render(request, "sources.html", page_title="Sources", rows=rows)

    def status_page(self, request: Request) -> Response:
        return self._status(request)

    def _status(self, request: Request, error: str | None = None) -> Response:
        with self.session() as session:
            counts = delivery_counts(session)
            failed = failed_deliveries(session, FAILED_SHOWN)
            silences = list_silences(session)
        return self.render(
            request,
            "status.html",
            400 if error else 200,
            page_title="Status",
            counts=sorted(counts.items()),
            statuses=STATUSES,
            failed=failed,
            silences=silences,
            error=error,
        )

    # -- login -------------------------------------------------------------------------------

    def login_page(self, request: Request) -> Response:
        return self._login(request)

    def _login(self, request: Request, error: str | None = None) -> Response:
        value = new_login_csrf()
        response = self.render(
            request,
            "login.html",
            400 if error else 200,
            page_title="Log in",
            login_csrf=value,
            error=error,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE, value, max_age=3600, httponly=True, samesite="strict"
        )
        return response

    async def login(self, request: Request) -> Response:
        form = await _form(request)
        if not self.access.enabled:
            raise HTTPException(403, Verdict.OFF.value)
        if not login_csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE), form.get(CSRF_FIELD)):
            raise HTTPException(403, Verdict.BAD_CSRF.value)
        if not self.access.token_matches(form.get("token", "")):
            return self._login(request, error="wrong token")
        response = RedirectResponse("/status", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            self.access.new_session(time.time()),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    async def logout(self, request: Request) -> Response:
        form = await _form(request)
        self.require_write(request, form.get(CSRF_FIELD))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    # -- silences ----------------------------------------------------------------------------

    def _add_silence(self, data: dict[str, Any]) -> Silence:
        """Add a silence from submitted fields; a WatcherError says what is wrong."""

        def text(name: str) -> str | None:
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise WatcherError(f"{name}: a string")
            return (value or "").strip() or None

        company, rule = text("company"), text("rule")
        if company is None and rule is None:
            raise WatcherError("give a company, a rule or both")
        until = parse_until(text("until") or "")
        with self.session() as session:
            silence = add_silence(
                session, company=company, rule=rule, until=until, reason=text("reason") or ""
            )
            session.commit()
        return silence

    def _expire(self, silence_id: int) -> Silence:
        with self.session() as session:
            silence = expire_silence(session, silence_id)
            session.commit()
        return silence

    async def add_silence_form(self, request: Request) -> Response:
        form = await _form(request)
        self.require_write(request, form.get(CSRF_FIELD))
        try:
            self._add_silence(form)
        except WatcherError as exc:
            return self._status(request, error=str(exc))
        return RedirectResponse("/status", status_code=303)

    async def expire_silence_form(self, request: Request, silence_id: int) -> Response:
        form = await _form(request)
        self.require_write(request, form.get(CSRF_FIELD))
        try:
            self._expire(silence_id)
        except WatcherError as exc:
            return self._status(request, error=str(exc))
        return RedirectResponse("/status", status_code=303)

    async def api_add_silence(self, request: Request) -> Response:
        self.require_write(request, None)
        try:
            data = json.loads(await request.body() or b"null")
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "send a JSON object: company, rule, until, reason")
        try:
            silence = self._add_silence(data)
        except WatcherError as exc:
            raise HTTPException(400, str(exc)) from None
        return JSONResponse(_silence_record(silence), status_code=201)

    def api_expire_silence(self, request: Request, silence_id: int) -> Response:
        self.require_write(request, None)
        try:
            silence = self._expire(silence_id)
        except WatcherError as exc:
            raise HTTPException(404, str(exc)) from None
        return JSONResponse(_silence_record(silence))

    # -- data out ----------------------------------------------------------------------------

    def api_events(self, request: Request) -> Response:
        wanted = _event_filter(request)
        number = _int_arg(request, "page", 1)
        size = _int_arg(request, "per_page", PER_PAGE)
        with self.session() as session:
            events, page = queries.events_page(session, wanted, number, size)
            sources = queries.sources_of(session, [stored_id(e) for e in events])
        records = [event_record(e, sources[stored_id(e)]) for e in events]
        return JSONResponse(records, headers=_paging_headers(request, page))

    def api_observations(self, request: Request, company: str) -> Response:
        company = _company_id(company)
        args = request.query_params
        number = _int_arg(request, "page", 1)
        size = _int_arg(request, "per_page", PER_PAGE)
        with self.session() as session:
            rows, page = queries.observations_page(
                session,
                company,
                number,
                size,
                metric=args.get("metric") or None,
                kind=args.get("kind") or None,
            )
        records = [observation_record(row) for row in rows]
        return JSONResponse(records, headers=_paging_headers(request, page))

    def api_series(self, request: Request, company: str, metric: str) -> Response:
        company = _company_id(company)
        if metric not in SERIES_METRICS:
            raise HTTPException(404, f"metric: one of {', '.join(SERIES_METRICS)}")
        with self.session() as session:
            if metric == "capex_ocf":
                ratios = ratio_values(company_series(session, company))
                records: list[dict[str, Any]] = [
                    {"period": period, "value": value, "accn": point.accn}
                    for period, (value, point) in ratios.items()
                ]
            else:
                facts = session.exec(
                    select(Fact).where(col(Fact.company) == company, col(Fact.metric) == metric)
                ).all()
                records = [fact_record(fact) for fact in facts]
        records.sort(key=lambda r: quarter_number(r["period"]) or 0)
        return JSONResponse(records)

    def events_csv(self, request: Request) -> Response:
        wanted = _event_filter(request)

        def rows() -> Iterator[dict[str, Any]]:
            with self.session() as session:
                batch: list[Event] = []
                for event in queries.iter_events(session, wanted):
                    batch.append(event)
                    if len(batch) == queries.STREAM_CHUNK:
                        yield from _event_rows(session, batch)
                        batch = []
                yield from _event_rows(session, batch)

        return _csv_response("events.csv", csv_lines(EVENT_CSV_FIELDS, rows()))

    def observations_csv(self, request: Request, company: str) -> Response:
        company = _company_id(company)

        def rows() -> Iterator[dict[str, Any]]:
            with self.session() as session:
                for row in queries.iter_observations(session, company):
                    yield observation_record(row)

        fields = (*OBSERVATION_FIELDS, *OBSERVATION_EXTRAS)
        return _csv_response(f"{company}-observations.csv", csv_lines(fields, rows()))


def _event_rows(session: Session, events: list[Event]) -> Iterator[dict[str, Any]]:
    sources = queries.sources_of(session, [stored_id(e) for e in events])
    for event in events:
        yield event_csv_row(event, sources[stored_id(event)])


def _csv_response(filename: str, lines: Iterator[str]) -> Response:
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _paging_headers(request: Request, page: queries.Page) -> dict[str, str]:
    headers = {"X-Total-Count": str(page.total)}
    if page.has_next:
        items = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        items.append(("page", str(page.number + 1)))
        headers["Link"] = f'<{request.url.path}?{urlencode(items)}>; rel="next"'
    return headers


def _query(wanted: queries.EventFilter, changes: dict[str, Any]) -> str:
    items = dict(wanted.query_items())
    items.update({k: str(v) for k, v in changes.items() if v is not None})
    return urlencode(items)


def _silence_record(silence: Silence) -> dict[str, Any]:
    return {
        "id": silence.id,
        "company": silence.company,
        "rule": silence.rule,
        "until": silence.until.isoformat(),
        "reason": silence.reason,
        "created_at": silence.created_at.isoformat(),
        "expired_at": silence.expired_at.isoformat() if silence.expired_at else None,
    }


async def _form(request: Request) -> dict[str, str]:
    """A urlencoded form body as field -> first value."""
    if not request.headers.get("content-type", "").startswith(
        "application/x-www-form-urlencoded"
    ):
        raise HTTPException(415, "send the form as application/x-www-form-urlencoded")
    body = (await request.body()).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}

