"""Logging setup: plain text by default, one JSON object per line with `logging.json = true`.

A JSON line holds time, level, logger and message, the context fields a log call passed with
`extra=` (source, document_id, event_id, rule, channel) and the traceback when there is one.
Every line, plain or JSON, has the configured secrets masked as a last line of defence, and no
control characters but line feeds (a reason phrase or feed title quoted in a message cannot
colour, move or link the terminal).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from watcher.settings import Settings
from watcher.terminal import printable

CONTEXT_FIELDS = ("source", "document_id", "event_id", "rule", "channel")
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "**********"
HANDLER_NAME = "watcher"
# Their INFO lines (every job run, every migration context) drown ours.
NOISY_LOGGERS = ("apscheduler", "alembic", "httpx", "httpcore", "urllib3")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class MaskingFormatter(logging.Formatter):
    """Wraps a formatter, replaces every known secret in what it wrote and takes out control
    characters."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return printable(text, keep_newlines=True)


def secrets_of(settings: Settings) -> list[str]:
    """The secret values in settings: tokens, passwords, the Slack webhook URL, the webhook
    channel's signing secret, the Apprise URLs, the database password; and the feed passwords
    in the environment."""
    from sqlalchemy.engine import make_url

    values = [
        settings.slack.token,
        settings.slack.webhook_url,
        settings.email.password,
        settings.webhook.secret,
        *settings.apprise.urls,
    ]
    found = [value.get_secret_value() for value in values if value is not None]
    try:
        password = make_url(settings.database.url).password
    except Exception:  # not a URL SQLAlchemy can read: the engine will say so
        password = None
    if password:
        found.append(str(password))
    # Feed passwords given in the environment (sources/config.py, credential_variables).
    found += [
        value
        for name, value in os.environ.items()
        if name.startswith("WATCHER_FEED_") and name.endswith("_PASSWORD") and value
    ]
    return found


def make_formatter(settings: Settings) -> logging.Formatter:
    inner = JsonFormatter() if settings.logging.json_ else logging.Formatter(PLAIN_FORMAT)
    return MaskingFormatter(inner, secrets_of(settings))


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Send the root logger's records to `stream` (stderr) in the configured format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(settings))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)  # configured twice (tests): the newer settings win
    root.addHandler(handler)
    root.setLevel(settings.logging.level)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # "Connection pool is full, discarding connection": by design when more fetches than the
    # connections kept per host run at once (watcher.sources.http).
    logging.getLogger("urllib3.connectionpool").setLevel(max(logging.ERROR, root.level))
