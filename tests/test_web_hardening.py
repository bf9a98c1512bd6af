"""The web view against slow, hostile or careless clients, served in-process on a bound port:
a client reading /events.csv slowly holds no lock and no transaction that keeps the daemon
from writing; request bodies are capped before they are read; integer arguments are bounded;
percentages are rounded for people and spreadsheets."""

from __future__ import annotations

import csv
import io
import socket
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, insert, text

from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Event, Silence, utcnow
from watcher.web import create_app, server

TOKEN = "a-token-for-hardening-tests"
START = datetime(2025, 1, 1, tzinfo=UTC)
# A CSV far larger than what the kernel's socket buffers and uvicorn's write buffer hold
# between the server and a client that stopped reading (some 4 MB): the export is surely
# still being written when the client pauses.
BIG_EVENTS = 3000
QUOTE_CHARS = 4000


def _event(n: int, *, quote: str = "", hours_apart: int = 1, **fields) -> dict:
    return {
        "key": f"k{n}",
        "rule": "capex-guidance-change",
        "severity": "medium",
        "company": "MSFT",
        "metric": "capex",
        "period": "FY2025",
        "change": "raised",
        "currency": "USD",
        "quote": quote or f"quote {n}",
        "summary": f"event {n}",
        "headline": f"event number {n}",
        "details": [],
        "confirmed": False,
        # Seven events share each hour: ties that the export's paging must not lose or repeat.
        "created_at": START + timedelta(hours=n // 7 * hours_apart),
        **fields,
    }


def _fill(engine: Engine, rows: list[dict]) -> None:
    with session_scope(engine) as session:
        session.connection().execute(insert(Event), rows)


@pytest.fixture
def big_sqlite(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp_path / 'watcher.db'}"
    engine = make_engine(url)
    upgrade(engine)
    filler = "capex " * (QUOTE_CHARS // 6)
    _fill(engine, [_event(n, quote=f"{n} {filler}") for n in range(BIG_EVENTS)])
    yield url, engine
    engine.dispose()


def _served(engine: Engine, **options) -> Iterator[str]:
    running = server.start(create_app(engine, **options), "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{running.port}"
    finally:
        running.shutdown()


def _slow_get(port: int, path: str) -> socket.socket:
    """A GET whose reader takes in almost nothing: a receive buffer of a few KB."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    return sock


def _read_until(sock: socket.socket, marker: bytes, got: bytes = b"") -> bytes:
    """Read until `marker` has arrived (the socket's timeout bounds the wait)."""
    while marker not in got:
        piece = sock.recv(4096)
        if not piece:
            raise AssertionError(f"the connection closed before {marker!r}: {got[:300]!r}")
        got += piece
    return got


def _read_all(sock: socket.socket, got: bytes) -> bytes:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)  # no longer slow
    while piece := sock.recv(1 << 16):
        got += piece
    return got


def _dechunk(body: bytes) -> bytes:
    out, rest = [], body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(rest[:size])
        rest = rest[size + 2 :]


def _write_while_exporting(url: str) -> None:
    """A write as the daemon's pipeline makes one, from another engine: it waits up to 5 s for
    the write lock, and fails with "database is locked" if the export holds it longer."""
    writer = make_engine(f"{url}?timeout=5")
    try:
        with session_scope(writer) as session:
            session.add(Silence(company="MSFT", until=utcnow(), reason="while exporting"))
    finally:
        writer.dispose()


def _checkpoint_completes(path: str, within: float = 15.0) -> bool:
    """Whether a WAL checkpoint that must wait for every reader of an older snapshot
    completes, tried again until `within` seconds have passed (an export may be reading a
    chunk just then; one that holds a transaction while its client is away never ends)."""
    deadline = time.monotonic() + within
    connection = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    try:
        while time.monotonic() < deadline:
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy == 0:
                return True
        return False
    finally:
        connection.close()


def test_a_slow_csv_reader_keeps_no_lock_nor_transaction(big_sqlite):
    url, engine = big_sqlite
    app_engine = make_engine(url)  # the web view's own engine, as `watcher web` has
    for base in _served(app_engine):
        sock = _slow_get(int(base.rsplit(":", 1)[1]), "/events.csv")
        try:
            # Read a little: the headers and the CSV's first line, then stop reading while
            # another process writes and checkpoints.
            got = _read_until(sock, b"\r\n\r\n")
            got = _read_until(sock, b"event number", got)
            _write_while_exporting(url)
            assert _checkpoint_completes(url.removeprefix("sqlite:///"))
            headers, _, body = _read_all(sock, got).partition(b"\r\n\r\n")
        finally:
            sock.close()
    app_engine.dispose()
    assert b"200 OK" in headers.split(b"\r\n")[0]
    text_body = _dechunk(body).decode() if b"chunked" in headers.lower() else body.decode()
    rows = list(csv.DictReader(io.StringIO(text_body)))
    # Every event once, newest first, ties by id: the pages of the export join exactly.
    assert [int(r["id"]) for r in rows] == list(range(BIG_EVENTS, 0, -1))
    with session_scope(engine) as session:
        assert session.execute(text("SELECT count(*) FROM silences")).scalar_one() == 1


@pytest.fixture
def small_engine(db_url) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    _fill(
        engine,
        [_event(n, change_pct=8.799999999999999 if n == 0 else None) for n in range(40)],
    )
    yield engine
    engine.dispose()


@pytest.fixture
def client(small_engine) -> Iterator[httpx.Client]:
    for base in _served(small_engine, token=TOKEN):
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client


def test_exports_page_through_ties_in_small_chunks(small_engine, client, monkeypatch):
    from watcher.web import queries

    monkeypatch.setattr(queries, "STREAM_CHUNK", 3)
    rows = list(csv.DictReader(io.StringIO(client.get("/events.csv").text)))
    api = client.get("/api/events", params={"per_page": 500}).json()
    assert [int(r["id"]) for r in rows] == [e["id"] for e in api] == list(range(40, 0, -1))


def test_change_pct_is_rounded_in_csv_and_json(client):
    (row,) = [
        r for r in csv.DictReader(io.StringIO(client.get("/events.csv").text)) if r["id"] == "1"
    ]
    assert row["change_pct"] == "8.8"
    event = client.get("/api/events", params={"per_page": 500}).json()[-1]
    assert event["id"] == 1 and event["change_pct"] == 8.8


@pytest.mark.parametrize(
    "path",
    ["/", "/api/events", "/api/companies/MSFT/observations"],
)
def test_huge_integer_arguments_are_refused(client, path):
    for name in ("page", "per_page"):
        if path == "/" and name == "per_page":
            continue
        for value in ("99999999999999999999", "1000001" if name == "page" else "501", "²"):
            reply = client.get(path, params={name: value})
            assert reply.status_code == 400, (path, name, value, reply.text[:200])
    assert client.get(path, params={"page": "1000000"}).status_code == 200


def test_huge_ids_in_paths_are_not_found(client):
    assert client.get("/observations/99999999999999999999").status_code == 404
    expire = client.post(
        "/api/silences/99999999999999999999/expire",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert expire.status_code == 404


BIG = 1 << 20  # 1 MB, far above the cap


@pytest.mark.parametrize("path", ["/login", "/logout", "/status/silences", "/api/silences"])
def test_large_bodies_are_refused(client, path):
    kind = "application/json" if path.startswith("/api/") else "application/x-www-form-urlencoded"
    headers = {"Content-Type": kind, "Authorization": f"Bearer {TOKEN}"}
    declared = client.post(path, content=b"a" * BIG, headers=headers)
    assert declared.status_code == 413, declared.text[:200]

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for _ in range(BIG // 4096):
            yield b"a" * 4096

    chunked = client.post(path, content=chunks(), headers=headers)
    assert chunked.status_code == 413, chunked.text[:200]


def test_a_declared_huge_body_is_refused_before_it_is_sent(client):
    """The length alone is enough: the server answers without waiting for a gigabyte."""
    port = int(str(client.base_url).rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000000000\r\n\r\ntoken=abc"
        )
        reply = _read_until(sock, b"\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 413")


def test_small_bodies_still_work(client):
    added = client.post(
        "/api/silences",
        json={"company": "MSFT", "until": "1h", "reason": "r" * 1000},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert added.status_code == 201, added.text
