"""`watcher alerts preview` renders without sending; `watcher status` shows deliveries per
channel and status, failed ones with their error, the oldest pending age and failing sources."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.conftest import slow_case
from tests.support.slack_server import SlackServer
from tests.test_rules_and_outbox import Store
from watcher.engine.evaluate import evaluate_pending
from watcher.store.db import session_scope
from watcher.store.models import Delivery, Source, utcnow


@pytest.fixture
def store(db_url) -> Store:
    store = Store(db_url)  # the database run_watcher's commands use
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    store.report(90, 95, days=0, company="MSFT")
    store.report(80, 85, days=10, company="MSFT")
    evaluate_pending(store.engine, store.rules, lambda draft: ["slack:#capex", "console"])
    return store


def _deliveries(store: Store) -> list[tuple[str, int]]:
    with session_scope(store.engine) as session:
        return [(d.status, d.attempts) for d in session.exec(select(Delivery))]


def test_slack_preview_prints_blocks_and_fallback_without_sending(store, run_watcher):
    event_id = store.events()[0].id
    before = _deliveries(store)
    with SlackServer() as slack:
        result = run_watcher(
            "alerts",
            "preview",
            str(event_id),
            "--channel",
            "slack",
            slack__token=slack.token,
            slack__api_url=slack.api_url,
        )
        assert slack.requests == 0
    assert result.returncode == 0, result.stderr
    message = json.loads(result.stdout)
    assert message["text"].startswith("[HIGH] META raised")
    assert message["blocks"][0]["type"] == "header"
    assert "$64 billion to $72 billion" in json.dumps(message["blocks"], ensure_ascii=False)
    assert _deliveries(store) == before


@pytest.mark.slow  # the Slack preview above runs the same command in the quick loop
def test_email_preview_prints_the_message(store, run_watcher):
    result = run_watcher(
        "alerts",
        "preview",
        str(store.events()[0].id),
        "--channel",
        "email",
        email__to='["ops@example.com"]',
    )
    assert result.returncode == 0, result.stderr
    assert "Subject:" in result.stdout and "META" in result.stdout
    assert "text/plain" in result.stdout and "text/html" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999"], "no event with id 999"),
        slow_case(["abc"], "not an event id"),
        slow_case(["0"], "not an event id"),
        slow_case(["1", "--channel", "pager"], "--channel"),
    ],
)
def test_bad_preview_exits_2_with_one_line(store, run_watcher, args, message):
    result = run_watcher("alerts", "preview", *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_status_shows_deliveries_failures_and_source_health(store, run_watcher):
    with session_scope(store.engine) as session:
        rows = list(session.exec(select(Delivery).order_by(Delivery.id)))
        rows[0].status, rows[0].sent_at, rows[0].external_id = "sent", utcnow(), "1.2"
        rows[1].status, rows[1].attempts = "failed", 9
        rows[1].last_error = "console unwritable: [Errno 32] Broken pipe"
        rows[2].status = "silenced"
        rows[3].created_at = utcnow() - timedelta(hours=3, minutes=5)  # still pending
        for row in rows:
            session.add(row)
        wire = session.exec(select(Source).where(Source.name == "wire")).one()
        wire.consecutive_failures, wire.last_error = 4, "HTTP 503 from https://wire.example/feed"
        session.add(wire)
        gone = session.exec(select(Source).where(Source.name != "wire")).first()
        gone.enabled, gone.disabled_reason = False, "410 Gone"
        session.add(gone)
        gone_name = gone.name
    result = run_watcher("status")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = {line.split()[1]: line.split()[3:8] for line in out.splitlines() if "│ " in line}
    # channel: pending, sending, sent, failed, silenced
    assert lines["slack:#capex"] == ["0", "│", "0", "│", "1"]
    assert "failed: delivery" in out and "Broken pipe" in out and "after 9 attempts" in out
    assert "oldest pending: 3h 5m" in out
    assert "sources: 3, failing: 1, disabled: 1" in out  # a disabled source is not failing
    assert "failing source: wire" in out and "HTTP 503" in out
    assert f"disabled source: {gone_name}: 410 Gone" in out


def test_status_of_an_empty_database(run_watcher):
    result = run_watcher("status")
    assert result.returncode == 0, result.stderr
    assert "deliveries: none yet" in result.stdout and "oldest pending: none" in result.stdout


def test_console_alert_keeps_feed_text_on_its_line():
    from datetime import UTC, datetime

    from watcher.alerts.messages import plain_text
    from watcher.store.models import Event, EventSource

    event = Event(
        id=1,
        key="k",
        rule="r",
        severity="high",
        company="META",
        metric="capex",
        period="FY2026",
        change="raised",
        low=1,
        high=2,
        quote="q",
        summary="s",
        created_at=datetime.now(UTC),
    )
    hostile = EventSource(
        event_id=1,
        document_id=1,
        source_name="wire\n[CRITICAL] forged",
        title="title\x1b[31m red\r\nsecond line",
        url="https://x.example/",
    )
    lines = plain_text(event, [hostile]).splitlines()
    source_lines = [line for line in lines if "source:" in line]
    assert len(source_lines) == 1 and "\x1b" not in source_lines[0]
    assert not any(line.startswith("[CRITICAL]") for line in lines)
