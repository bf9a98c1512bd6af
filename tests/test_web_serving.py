"""The web app served in-process (`create_app` + `watcher.web.server.start` on a bound port):
paging and filters over many events stored through the models, exports, a read-only app; and
the daemon serving the view beside /metrics, /healthz and /readyz."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine

from tests.support.daemon import in_process_daemon
from watcher.daemon import Daemon
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Event
from watcher.web import create_app, server

EVENTS = 120
START = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """The events on SQLite, then on PostgreSQL."""
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        for n in range(EVENTS):
            company = ("MSFT", "AMZN", "ORCL")[n % 3]
            session.add(
                Event(
                    key=f"k{n}",
                    rule="capex-guidance-change" if n % 2 else "backlog-jump",
                    severity="high" if n % 4 == 0 else "medium",
                    company=company,
                    metric="capex",
                    period="FY2025",
                    change="raised",
                    low=(60 + n) * 10**9,
                    high=(65 + n) * 10**9,
                    quote=f"quote {n}",
                    summary=f"{company} event {n}",
                    headline=f"{company} event number {n}",
                    created_at=START + timedelta(hours=n),
                )
            )
    yield engine
    engine.dispose()


@pytest.fixture
def client(engine) -> Iterator[httpx.Client]:
    running = server.start(create_app(engine), "127.0.0.1", 0)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{running.port}", timeout=30) as client:
            yield client
    finally:
        running.shutdown()


def numbers(body: str) -> list[int]:
    return [int(n) for n in re.findall(r"event number (\d+)", body)]


def test_events_are_paged_newest_first(client):
    first = client.get("/")
    assert f"{EVENTS} events, page 1 of 3" in first.text
    assert numbers(first.text) == list(range(EVENTS - 1, EVENTS - 51, -1))
    last = client.get("/", params={"page": 3})
    assert numbers(last.text) == list(range(19, -1, -1))
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    assert client.get("/", params={"page": "0"}).status_code == 400

    api = client.get("/api/events", params={"per_page": 100})
    assert len(api.json()) == 100 and api.headers["x-total-count"] == str(EVENTS)
    assert "page=2" in api.headers["link"] and "per_page=100" in api.headers["link"]
    assert [e["id"] for e in client.get("/api/events", params={"page": 2}).json()][:1] == [70]


def test_filters_narrow_the_pages_and_the_exports(client):
    orcl = client.get("/api/events", params={"company": "ORCL", "per_page": 500}).json()
    assert {e["company"] for e in orcl} == {"ORCL"} and len(orcl) == EVENTS // 3
    high = client.get("/", params={"severity": "high", "rule": "backlog-jump"})
    assert f"{EVENTS // 4} events" in high.text
    day = START.date() + timedelta(days=2)
    one_day = client.get("/api/events", params={"since": day, "until": day}).json()
    assert sorted(e["id"] for e in one_day) == list(range(49, 73))
    exported = client.get("/events.csv", params={"company": "MSFT"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == EVENTS // 3 and {r["company"] for r in rows} == {"MSFT"}
    # The filter form keeps what was chosen, and paging links keep the filter.
    page = client.get("/", params={"company": "MSFT"}).text
    assert '<option value="MSFT" selected>' in page


def test_a_read_only_app_refuses_every_write(client):
    refused = client.post(
        "/api/silences",
        json={"company": "MSFT", "until": "1h", "reason": "r"},
        headers={"Authorization": "Bearer anything-at-all-here"},
    )
    assert refused.status_code == 403



@pytest.fixture
def daemon(tmp_path, monkeypatch) -> Iterator[Daemon]:
    """A Daemon in this process on SQLite, its endpoints on a socket bound here."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("WATCHER_")]:
        monkeypatch.delenv(name)
    with in_process_daemon(tmp_path) as instance:
        yield instance


def test_the_daemon_serves_the_view_beside_metrics_and_health(daemon):
    assert daemon.listener is not None
    base = f"http://127.0.0.1:{daemon.listener.getsockname()[1]}"
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/")
        assert page.status_code == 200 and "No events." in page.text
        assert "content-security-policy" in page.headers
        assert client.get("/sources").status_code == 200
        assert client.get("/api/events").json() == []
        metrics = client.get("/metrics")
        assert metrics.status_code == 200 and "watcher_events" in metrics.text
        assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
        assert (client.get("/healthz").status_code, client.get("/readyz").text) == (200, "ready\n")
        assert client.get("/nothing-here").status_code == 404


def test_every_page_and_export_answers_on_this_database(client):
    for path in (
        "/sources",
        "/status",
        "/companies",
        "/companies/MSFT",
        "/companies/MSFT/observations.csv",
        "/api/companies/MSFT/observations",
        "/api/series/MSFT/capex",
        "/api/series/MSFT/capex_ocf",
        "/login",
    ):
        assert client.get(path).status_code == 200, path
    assert "event number 117" in client.get("/companies/MSFT").text
