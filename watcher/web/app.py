"""The web application: `create_app(settings_or_engine)` builds the FastAPI app of the analyst's
view from its parts: server-rendered pages (`watcher.web.pages`), the JSON API and CSV
downloads (`watcher.web.data`), silences and the login (`watcher.web.writes`), all sharing a
`WebContext` (`watcher.web.context`). Pages and API read the store in short read-only
transactions; the only writes are silences, behind `web.token` (see `watcher.web.auth`).

Every response carries a Content-Security-Policy that allows no script at all, our one
stylesheet, and forms posting to ourselves; templates autoescape, and links taken from feeds
are rendered only when they are http(s), with rel="noopener nofollow"
(`watcher.web.security`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from pydantic import SecretStr
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from watcher.engine.types import Rule
from watcher.errors import WatcherError
from watcher.settings import Settings
from watcher.web.auth import WriteAccess
from watcher.web.company import default_series_rules
from watcher.web.context import HERE, WebContext, environment
from watcher.web.data import Data
from watcher.web.pages import Pages
from watcher.web.security import SecurityHeaders
from watcher.web.writes import Writes

log = logging.getLogger(__name__)


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
    chart_rules = list(rules) if rules is not None else _rules_for(settings)
    web = WebContext(engine, environment(), WriteAccess(token), chart_rules)
    app = FastAPI(
        title="capex-watcher",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for routes in (Pages(web), Data(web), Writes(web)):
        routes.register(app)
    app.exception_handler(StarletteHTTPException)(web.http_error)
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
