"""Channels as plug-ins: one fresh guidance raise reaches a local Slack API server, a signed
webhook and an Apprise `json://` URL exactly once each; a refusing webhook is retried no
sooner than its Retry-After; previews and `config show` know the new channels."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.http_recorder import HttpRecorder
from tests.support.slack_server import SlackServer
from tests.test_rules_and_outbox import Store
from watcher.alerts.deliver import RetryPolicy, deliver_due
from watcher.alerts.notifiers import DeliveryError
from watcher.engine.evaluate import evaluate_pending
from watcher.pipeline import Pipeline
from watcher.settings import load_settings
from watcher.store.db import session_scope
from watcher.store.models import Delivery, utcnow

SECRET = "s3cret-signing-key"


def pipeline_for(tmp_path, store: Store, slack: SlackServer, hook: HttpRecorder) -> Pipeline:
    settings = load_settings(
        database={"url": "sqlite://"},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        sources={"file": PROJECT / "config" / "feeds.yaml"},
        slack={"token": slack.token, "api_url": slack.api_url, "channel": "#capex", "timeout": 2},
        webhook={"url": hook.url("/hook"), "secret": SECRET},
        apprise={"urls": [f"json://127.0.0.1:{hook.port}/apprise"]},
        routes=[{"channels": ["slack", "webhook", "apprise"]}],
    )
    return Pipeline(settings, engine=store.engine)


def deliver_until(pipeline: Pipeline, done, deadline: float = 30.0) -> None:
    """Run the delivery job until `done()` holds or the deadline passes."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        pipeline.deliver()
        if done():
            return
        time.sleep(0.05)
    raise AssertionError("deliveries did not settle before the deadline")


def test_a_raise_reaches_slack_webhook_and_apprise_once_each(tmp_path, db_url, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = Store(db_url)
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    with SlackServer() as slack, HttpRecorder() as hook:
        pipeline = pipeline_for(tmp_path, store, slack, hook)
        try:
            assert pipeline.evaluate().events == 1

            def done() -> bool:
                with session_scope(store.engine) as session:
                    rows = session.exec(select(Delivery)).all()
                return bool(rows) and all(row.status == "sent" for row in rows)

            deliver_until(pipeline, done)
            pipeline.deliver()  # nothing is due any more: nothing is sent twice
        finally:
            pipeline.close()
        (message,) = slack.messages
        assert message.channel == "#capex" and "Old guidance" in message.all_text()
        webhooks = [r for r in hook.requests if r.path == "/hook"]
        apprises = [r for r in hook.requests if r.path == "/apprise"]
        assert len(webhooks) == 1 and len(apprises) == 1
    (posted,) = webhooks
    expected = hmac.new(SECRET.encode(), posted.body, hashlib.sha256).hexdigest()
    assert posted.headers["X-Watcher-Signature"] == f"sha256={expected}"
    event = posted.json()
    assert (event["rule"], event["company"], event["metric"], event["period"]) == (
        "capex-guidance-change",
        "META",
        "capex",
        "FY2025",
    )
    assert event["change"] == "raised" and event["currency"] == "USD"
    assert event["figures"] == {"low": 64_000_000_000, "high": 72_000_000_000}
    assert event["prior"] == {"low": 60_000_000_000, "high": 65_000_000_000}
    assert event["severity"] == "high" and event["confirmed"] is False
    assert event["headline"] == "META raised FY2025 capex guidance"
    assert {"label": "New guidance", "value": "$64 billion to $72 billion"} in event["details"]
    assert [s["url"] for s in event["sources"]] == ["https://wire.example/10"]
    notification = apprises[0].json()
    assert notification["title"] == "[HIGH] META raised FY2025 capex guidance"
    assert "new guidance: $64 billion to $72 billion" in notification["message"]


def test_webhook_refusal_is_retried_after_retry_after(tmp_path, db_url):
    from watcher.alerts.channels.webhook import WebhookNotifier

    store = Store(db_url)
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    evaluate_pending(store.engine, store.rules, lambda draft: ["webhook"])
    with HttpRecorder() as hook:
        notifiers = {"webhook": WebhookNotifier(hook.url("/hook"), SECRET, timeout=2)}
        hook.fail_next(503, retry_after="120")
        counts = deliver_due(store.engine, notifiers, RetryPolicy(base_seconds=0, cap_seconds=0))
        assert counts.retrying == 1 and hook.requests == []
        with session_scope(store.engine) as session:
            (row,) = session.exec(select(Delivery)).all()
            assert "HTTP 503" in row.last_error
            assert (row.next_attempt_at - utcnow()).total_seconds() > 100
            row.next_attempt_at = utcnow()  # the wait is over
            session.add(row)
        counts = deliver_due(store.engine, notifiers, RetryPolicy())
        assert counts.sent == 1 and len(hook.requests) == 1


def test_unreachable_webhook_raises_delivery_error():
    from watcher.alerts.channels.webhook import WebhookNotifier
    from watcher.store.models import Event

    event = Event(id=1, key="k", rule="r", severity="low", metric="capex", quote="", summary="s")
    with pytest.raises(DeliveryError, match="webhook unreachable"):
        WebhookNotifier("http://127.0.0.1:9/", None, timeout=1).send(event, [])


@pytest.mark.slow
def test_preview_and_config_show_know_the_new_channels(db_url, run_watcher):
    store = Store(db_url)
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    evaluate_pending(store.engine, store.rules, lambda draft: ["console"])
    webhook = run_watcher("alerts", "preview", "1", "--channel", "webhook")
    assert webhook.returncode == 0, webhook.stderr
    assert json.loads(webhook.stdout)["headline"] == "META raised FY2025 capex guidance"
    apprise = run_watcher("alerts", "preview", "1", "--channel", "apprise")
    assert apprise.returncode == 0 and "[HIGH] META raised FY2025" in apprise.stdout
    shown = run_watcher(
        "config",
        "show",
        webhook__secret="top-secret-key",
        apprise__urls='["tgram://123456:ABCDEF/987"]',
    )
    assert shown.returncode == 0, shown.stderr
    assert "top-secret-key" not in shown.stdout and "ABCDEF" not in shown.stdout
    assert json.loads(shown.stdout.split("\n", 1)[1])["apprise"]["urls"] == ["**********"]
