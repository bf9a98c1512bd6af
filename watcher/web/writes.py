"""The web view's one write, silences (added and expired from the status page's forms or the
JSON API), and the login that lets a browser make it: everything here is behind `web.token`
(`watcher.web.auth`), and every body is read with a cap (`watcher.web.security`)."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from watcher.alerts.silences import add_silence, expire_silence, parse_until
from watcher.errors import WatcherError
from watcher.store.models import Silence
from watcher.web import args
from watcher.web.auth import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_SECONDS,
    Verdict,
    login_csrf_matches,
    new_login_csrf,
)
from watcher.web.context import WebContext
from watcher.web.pages import status
from watcher.web.security import read_body, read_form


class Writes:
    """Log in and out; add and expire silences."""

    def __init__(self, web: WebContext) -> None:
        self.web = web

    def register(self, app: FastAPI) -> None:
        app.get("/login", response_class=HTMLResponse)(self.login_page)
        app.post("/login")(self.login)
        app.post("/logout")(self.logout)
        app.post("/status/silences")(self.add_silence_form)
        app.post("/status/silences/{silence_id}/expire")(self.expire_silence_form)
        app.post("/api/silences", status_code=201)(self.api_add_silence)
        app.post("/api/silences/{silence_id}/expire")(self.api_expire_silence)

    # -- login -------------------------------------------------------------------------------

    def login_page(self, request: Request) -> Response:
        return self._login(request)

    def _login(self, request: Request, error: str | None = None) -> Response:
        value = new_login_csrf()
        response = self.web.render(
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
        form = await read_form(request)
        access = self.web.access
        if not access.enabled:
            raise HTTPException(403, Verdict.OFF.value)
        if not login_csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE), form.get(CSRF_FIELD)):
            raise HTTPException(403, Verdict.BAD_CSRF.value)
        if not access.token_matches(form.get("token", "")):
            return self._login(request, error="wrong token")
        response = RedirectResponse("/status", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            access.new_session(time.time()),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    async def logout(self, request: Request) -> Response:
        form = await read_form(request)
        self.web.require_write(request, form.get(CSRF_FIELD))
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
        with self.web.writing() as session:
            silence = add_silence(
                session, company=company, rule=rule, until=until, reason=text("reason") or ""
            )
            session.commit()
        return silence

    def _expire(self, silence_id: int) -> Silence:
        silence_id = args.row_id(silence_id, "silence")
        with self.web.writing() as session:
            silence = expire_silence(session, silence_id)
            session.commit()
        return silence

    async def add_silence_form(self, request: Request) -> Response:
        form = await read_form(request)
        self.web.require_write(request, form.get(CSRF_FIELD))
        try:
            self._add_silence(form)
        except WatcherError as exc:
            return status(self.web, request, error=str(exc))
        return RedirectResponse("/status", status_code=303)

    async def expire_silence_form(self, request: Request, silence_id: int) -> Response:
        form = await read_form(request)
        self.web.require_write(request, form.get(CSRF_FIELD))
        try:
            self._expire(silence_id)
        except WatcherError as exc:
            return status(self.web, request, error=str(exc))
        return RedirectResponse("/status", status_code=303)

    async def api_add_silence(self, request: Request) -> Response:
        self.web.require_write(request, None)
        try:
            data = json.loads(await read_body(request) or b"null")
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "send a JSON object: company, rule, until, reason")
        try:
            silence = self._add_silence(data)
        except WatcherError as exc:
            raise HTTPException(400, str(exc)) from None
        return JSONResponse(silence_record(silence), status_code=201)

    def api_expire_silence(self, request: Request, silence_id: int) -> Response:
        self.web.require_write(request, None)
        try:
            silence = self._expire(silence_id)
        except WatcherError as exc:
            raise HTTPException(404, str(exc)) from None
        return JSONResponse(silence_record(silence))


def silence_record(silence: Silence) -> dict[str, Any]:
    return {
        "id": silence.id,
        "company": silence.company,
        "rule": silence.rule,
        "until": silence.until.isoformat(),
        "reason": silence.reason,
        "created_at": silence.created_at.isoformat(),
        "expired_at": silence.expired_at.isoformat() if silence.expired_at else None,
    }
