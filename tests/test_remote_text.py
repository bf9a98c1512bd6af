"""Remote text in the terminal (issue 12, item 6): a server's reason phrase with rich markup or
escape sequences, and feed text with escape sequences, are printed as inert text by `watcher
sources`, `watcher status`, the logs, the console notifier and the email's text part."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from tests.support.smtp_server import IGNORE_AUTH_WARNING, SmtpServer
from tests.test_email import AlertStore, parts
from watcher.alerts.email import event_message
from watcher.alerts.notifiers import ConsoleNotifier
from watcher.logs import make_formatter
from watcher.settings import EmailSettings, Settings
from watcher.store.db import session_scope
from watcher.store.events import event_sources
from watcher.store.models import Event, stored_id
from watcher.terminal import for_rich, printable

# A terminal hyperlink (OSC 8), a colour, a cursor move that could hide the line before, and
# rich markup that is a link or an unbalanced closing tag; feed text also has a right-to-left
# override (a reason phrase is Latin-1).
ESCAPES = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[31mred\x1b[0m \x1b[2A"
MARKUP = "[link=https://evil.example]click here[/link] [/bold]"
REASON = f"{MARKUP} {ESCAPES}"
FEED_TEXT = f"{ESCAPES} \u202eevil"


def inert(text: str) -> bool:
    return not any(c in text for c in "\x1b\x9b\x07\u202e")


@pytest.fixture
def hostile_server() -> Iterator[str]:
    """A server that answers every request with 500 and a hostile reason phrase."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(500, REASON)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_reason_phrase_is_shown_as_written_never_as_markup_or_escapes(
    run_watcher, tmp_path, hostile_server
):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"sources:\n  - name: hostile\n    url: {hostile_server}\n    kind: rss\n")
    settings = {"sources__file": str(feeds), "sources__allow_local": "true"}
    ran = run_watcher("run", "--once", **settings)
    assert ran.returncode == 0, ran.stderr
    assert "HTTP 500" in ran.stderr and inert(ran.stderr), ran.stderr  # the log line
    for command in ("sources", "status"):
        shown = run_watcher(command, **settings)
        assert shown.returncode == 0, shown.stderr
        assert MARKUP in shown.stdout, shown.stdout  # as written, not a link
        assert inert(shown.stdout), shown.stdout


@pytest.fixture
def hostile_event(tmp_path) -> tuple[AlertStore, Event, list]:
    store = AlertStore(tmp_path / "alerts.db")
    event_id = store.raise_event(
        quote=f"we expect $64-72 billion {FEED_TEXT}",
        title=f"Meta raises capex {FEED_TEXT}",
        url="https://wire.example/a",
    )
    with session_scope(store.engine) as session:
        event = session.exec(select(Event).where(Event.id == event_id)).one()
        return store, event, event_sources(session, stored_id(event))


def test_console_notifier_prints_no_escape_sequences(hostile_event):
    _, event, sources = hostile_event
    stream = io.StringIO()
    console = ConsoleNotifier(stream)
    console.send(event, sources)
    console.send_update(event, f"Another source: {FEED_TEXT}", None)
    printed = stream.getvalue()
    assert "we expect $64-72 billion" in printed and "Another source" in printed
    assert inert(printed), printed
    assert len(printed.splitlines()) == len(printed.rstrip("\n").split("\n"))


@pytest.mark.filterwarnings(IGNORE_AUTH_WARNING)
def test_email_text_part_carries_no_escape_sequences(hostile_event):
    _, event, sources = hostile_event
    with SmtpServer() as server:
        settings = EmailSettings(**server.settings())
    plain, html = parts(event_message(settings, event, sources))
    assert "we expect $64-72 billion" in plain and "Meta raises capex" in plain
    assert inert(plain), plain
    assert inert(html), html


def test_log_lines_carry_no_escape_sequences():
    record = logging.LogRecord(
        "watcher.sources.poll", logging.WARNING, __file__, 1, "%s", (REASON,), None
    )
    line = make_formatter(Settings()).format(record)
    assert MARKUP in line and inert(line), line


def test_the_helpers():
    assert printable("a\x1b[31mb\r\nc\td") == "a [31mb c d"
    assert printable("one\ntwo\x1b", keep_newlines=True) == "one\ntwo "
    assert for_rich("[bold]x[/bold]") == "\\[bold]x\\[/bold]"
