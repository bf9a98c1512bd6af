"""Structured logs: JSON lines with context fields when `logging.json` is set, plain text by
default, and secrets masked in both."""

from __future__ import annotations

import io
import json
import logging

import pytest

from watcher.logs import configure_logging
from watcher.settings import Settings


@pytest.fixture
def logger():
    """A logger to write to, and the root logger's handlers and level restored afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield logging.getLogger("watcher.test")
    root.handlers[:] = handlers
    root.setLevel(level)


def configured(**sections) -> io.StringIO:
    stream = io.StringIO()
    configure_logging(Settings(**sections), stream=stream)
    return stream


def test_json_lines_parse_with_context_fields(logger):
    stream = configured(logging={"json": True})
    logger.warning("source %s failed", "meta-ir", extra={"source": "meta-ir"})
    logger.info("rule raised event %s", 7, extra={"event_id": 7, "document_id": 42})
    try:
        raise ValueError("bad entry")
    except ValueError:
        logger.exception("extraction failed", extra={"document_id": 3})
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "WARNING" and first["logger"] == "watcher.test"
    assert first["message"] == "source meta-ir failed" and first["source"] == "meta-ir"
    assert first["time"].endswith("+00:00")
    assert "event_id" not in first and "document_id" not in first
    assert (second["event_id"], second["document_id"]) == (7, 42)
    assert "ValueError: bad entry" in third["exception"] and third["document_id"] == 3


def test_plain_text_is_the_default(logger):
    stream = configured()
    logger.warning("source %s failed", "meta-ir", extra={"source": "meta-ir"})
    line = stream.getvalue().strip()
    assert line.endswith("WARNING watcher.test: source meta-ir failed")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


@pytest.mark.parametrize("as_json", [False, True])
def test_secrets_are_masked(logger, as_json):
    stream = configured(
        logging={"json": as_json},
        slack={"token": "xoxb-123-secret"},
        email={"password": "pa55word"},
        database={"url": "postgresql+psycopg://app:hunter2@db/watcher"},
    )
    logger.error("oops: xoxb-123-secret pa55word postgresql://app:hunter2@db/watcher")
    text = stream.getvalue()
    for secret in ("xoxb-123-secret", "pa55word", "hunter2"):
        assert secret not in text
    assert "**********" in text


def test_json_is_chosen_by_environment_variable(monkeypatch):
    monkeypatch.setenv("WATCHER_LOGGING__JSON", "true")
    monkeypatch.delenv("WATCHER_CONFIG", raising=False)
    from watcher.settings import load_settings

    assert load_settings().logging.json_ is True
