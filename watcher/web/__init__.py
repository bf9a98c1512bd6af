"""The analyst's web view and its JSON/CSV API, over the store: events, a company's guidance
history and SEC series as server-rendered SVG charts, source health, delivery status. It
reads the store; its one write is silences, behind `web.token`.

`create_app(settings_or_engine)` builds the ASGI app; `watcher.web.server` serves it
(`watcher web` in the foreground, `watcher run` beside /metrics, /healthz and /readyz).
"""

from watcher.web.app import create_app

__all__ = ["create_app"]
