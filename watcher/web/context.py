"""What every route of the web view shares (`WebContext`): the database, read through a
reader's engine whose transactions take no write lock (`watcher.store.db.reader`), written
only for silences; the templates; write access (`watcher.web.auth`); the rules whose hits
charts mark; and the error pages."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from watcher.alerts.messages import change_text, confirmation, fields_of, headline
from watcher.engine.types import Rule
from watcher.formatting import format_range
from watcher.store.db import reader
from watcher.store.source_state import describe_state
from watcher.web.auth import CSRF_HEADER, SESSION_COOKIE, Verdict, WriteAccess, same_origin
from watcher.web.security import safe_url

HERE = Path(__file__).parent


def _when(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt) if value else "never"


def environment() -> Environment:
    """The templates, autoescaped, with the filters and functions they use."""
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


class WebContext:
    """The engine, templates, write access and chart rules the routes share."""

    def __init__(
        self, engine: Engine, env: Environment, access: WriteAccess, rules: list[Rule]
    ) -> None:
        self.engine = engine
        # Pages, the API and exports read through this one: on SQLite its transactions
        # begin deferred, so a reader never holds the lock the daemon's writes wait for.
        self.reader = reader(engine)
        self.env = env
        self.access = access
        self.rules = rules

    def reading(self) -> Session:
        """A session that only reads; keep it open no longer than the reads take."""
        return Session(self.reader, expire_on_commit=False)

    def writing(self) -> Session:
        """A session that writes (silences): on SQLite it takes the write lock first."""
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

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """An error as JSON for the API and writes, as a page for a browser's GET."""
        assert isinstance(exc, StarletteHTTPException)
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api/") or request.method != "GET":
            return JSONResponse({"detail": exc.detail}, exc.status_code, headers=headers)
        return self.render(
            request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail
        )
