"""Slack delivery against a local server speaking the Web API: retries through 429, 5xx and
slow answers with every event arriving exactly once (only a rate limit or a connection never
made is retried inside one send), updates in the first message's thread,
confirmation by an official source, incoming-webhook mode, and hostile feed text kept inert."""

from __future__ import annotations

import random
import re
import socket
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.slack_server import SlackServer
from tests.test_rules_and_outbox import B, Store
from watcher.alerts.deliver import RetryPolicy, deliver_due
from watcher.alerts.messages import fit
from watcher.alerts.notifiers import SlackWebhookNotifier
from watcher.alerts.slack import NotConnectedRetryHandler, never_connected, slack_notifiers
from watcher.engine.evaluate import evaluate_pending
from watcher.pipeline import Pipeline
from watcher.settings import SlackSettings, load_settings
from watcher.store.db import session_scope
from watcher.store.models import Delivery, Document, Observation, Source, utcnow

CHANNEL = "#capex"
NOW_POLICY = RetryPolicy(base_seconds=0.0, cap_seconds=0.0)


@pytest.fixture
def store(db_url) -> Store:
    store = Store(db_url)
    with session_scope(store.engine) as session:
        session.add(
            Source(
                name="meta-ir",
                url="https://investor.example/feed",
                config_url="https://investor.example/feed",
                official=True,
            )
        )
    return store


@pytest.fixture
def slack():
    with SlackServer() as server:
        yield server


def evaluate(store: Store) -> None:
    evaluate_pending(store.engine, store.rules, lambda draft: [f"slack:{CHANNEL}"])


def notifiers(slack: SlackServer, **overrides):
    settings = SlackSettings(
        **{"token": slack.token, "api_url": slack.api_url, "timeout": 1, "max_retries": 2}
        | overrides
    )
    return slack_notifiers(settings, {CHANNEL})


def webhook_notifiers(slack: SlackServer):
    settings = SlackSettings(webhook_url=slack.webhook_url, timeout=1, max_retries=2)
    return slack_notifiers(settings, {CHANNEL})


def drain(store: Store, sender, rounds: int = 10) -> None:
    """Run the delivery job until nothing is due (the retry policy waits no time)."""
    for _ in range(rounds):
        counts = deliver_due(store.engine, sender, NOW_POLICY, rng=random.Random(0))
        if not (counts.retrying or counts.waiting):
            return
    raise AssertionError("deliveries still due after the server recovered")


def raise_event(store: Store, company: str = "META", source: str = "wire", offset: int = 0) -> None:
    store.report(60, 65, days=offset, company=company, source=source)
    store.report(64, 72, days=offset + 10, company=company, source=source)
    evaluate(store)


def deliveries(store: Store) -> list[Delivery]:
    with session_scope(store.engine) as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))


@pytest.mark.slow
def test_every_event_arrives_once_through_rate_limits_errors_and_slowness(store, slack):
    for offset, company in enumerate(("META", "MSFT", "GOOGL")):
        raise_event(store, company, offset=offset)
    slack.fail_next(429, retry_after=1)
    slack.fail_next(500)
    slack.fail_next(503, delay=1.5)  # slower than the client's 1 s timeout
    slack.fail_next(500, times=3)  # three sends fail: the outbox retries each
    slack.fail_next(429, retry_after=1)
    drain(store, notifiers(slack))
    companies = sorted(m.text.split()[1] for m in slack.messages)
    assert companies == ["GOOGL", "META", "MSFT"]
    assert all(d.status == "sent" for d in deliveries(store))
    assert len({d.external_id for d in deliveries(store)}) == 3
    assert slack.requests == len(slack.messages) + 7  # every failure was answered once


def test_one_send_retries_through_a_short_rate_limit(store, slack):
    raise_event(store)
    slack.fail_next(429, retry_after=1)
    counts = deliver_due(store.engine, notifiers(slack), RetryPolicy())
    assert (counts.sent, counts.retrying) == (1, 0)
    assert len(slack.messages) == 1 and slack.requests == 2


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_answer_is_left_to_the_outbox(store, slack, status):
    # Slack may have posted the message before answering 5xx: the send is not repeated within
    # the call, the delivery stays pending with its error and is sent at the next attempt.
    raise_event(store)
    slack.fail_next(status)
    counts = deliver_due(store.engine, notifiers(slack, max_retries=5), NOW_POLICY)
    assert (counts.sent, counts.retrying, counts.failed) == (0, 1, 0)
    assert slack.requests == 1
    (delivery,) = deliveries(store)
    assert delivery.status == "pending" and "fatal_error" in delivery.last_error
    counts = deliver_due(store.engine, notifiers(slack, max_retries=5), NOW_POLICY)
    assert counts.sent == 1 and slack.requests == 2 and len(slack.messages) == 1


@pytest.mark.parametrize("webhook", [False, True], ids=["web-api", "webhook"])
def test_a_connection_closed_after_sending_is_left_to_the_outbox(store, slack, webhook):
    raise_event(store)
    slack.disconnect_next()
    if webhook:
        settings = SlackSettings(webhook_url=slack.webhook_url, timeout=1, max_retries=5)
        sender = slack_notifiers(settings, {CHANNEL})
    else:
        sender = notifiers(slack, max_retries=5)
    counts = deliver_due(store.engine, sender, NOW_POLICY)
    assert (counts.sent, counts.retrying, counts.failed) == (0, 1, 0)
    assert slack.requests == 1
    (delivery,) = deliveries(store)
    assert delivery.status == "pending" and "unreachable" in delivery.last_error
    counts = deliver_due(store.engine, sender, NOW_POLICY)
    assert counts.sent == 1 and slack.requests == 2


def test_a_refused_connection_is_retried_within_the_send(store):
    # Nothing listens on the port: no request was sent, so the send retries at once
    # (max_retries times) before the outbox takes over.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, not listening: connections are refused
        port = closed.getsockname()[1]
        settings = SlackSettings(
            token="xoxb-test-token",
            api_url=f"http://127.0.0.1:{port}/api/",
            timeout=1,
            max_retries=1,
        )
        (notifier,) = slack_notifiers(settings, {CHANNEL}).values()
        handler = next(
            h for h in notifier.client.retry_handlers if isinstance(h, NotConnectedRetryHandler)
        )
        tries: list[BaseException | None] = []
        can_retry = handler.can_retry

        def counting(**kwargs):
            tries.append(kwargs.get("error"))
            return can_retry(**kwargs)

        handler.can_retry = counting  # type: ignore[method-assign]
        raise_event(store)
        counts = deliver_due(store.engine, {f"slack:{CHANNEL}": notifier}, NOW_POLICY)
    assert (counts.sent, counts.retrying) == (0, 1)
    assert len(tries) == 2 and all(never_connected(error) for error in tries)
    (delivery,) = deliveries(store)
    assert delivery.status == "pending" and "Connection refused" in delivery.last_error


def test_a_timed_out_post_is_left_to_the_outbox(store, slack):
    # Slack may have posted a message whose answer timed out: posting it again at once (and
    # again, up to max_retries) repeats it. The send ends; the outbox tries once more later.
    raise_event(store)
    slack.delay = 1.5  # every answer comes after the client's 1 s timeout
    counts = deliver_due(store.engine, notifiers(slack, max_retries=5), NOW_POLICY)
    assert (counts.sent, counts.retrying, counts.failed) == (0, 1, 0)
    assert slack.requests == 1
    (delivery,) = deliveries(store)
    assert delivery.status == "pending" and "timed out" in delivery.last_error
    slack.delay = 0.0
    counts = deliver_due(store.engine, notifiers(slack, max_retries=5), NOW_POLICY)
    assert counts.sent == 1 and slack.requests == 2


def test_a_huge_retry_after_is_capped(store, slack):
    raise_event(store)
    slack.fail_next(429, retry_after="1e12")
    counts = deliver_due(store.engine, notifiers(slack), RetryPolicy())
    assert counts.retrying == 1
    (delivery,) = deliveries(store)
    assert delivery.status == "pending"
    assert delivery.next_attempt_at <= utcnow() + timedelta(days=1, minutes=1)


LONG_URL = "https://news.example/" + "a" * 4000


def test_texts_are_cut_to_block_kits_limits(store, slack):
    # A 4,000-character link, a title and a source name far past every limit: Slack (like the
    # local server) refuses a block whose text is too long, so each text is cut to fit.
    with session_scope(store.engine) as session:
        session.add(Source(name="w" * 300, url=LONG_URL, config_url=LONG_URL))
    store.report(60, 65, days=0)
    store.report(64, 72, days=10, source="w" * 300)
    with session_scope(store.engine) as session:
        for document in session.exec(select(Document)):
            document.url, document.title = LONG_URL, "Capex " * 1000
            session.add(document)
    _set_quotes(store, "capex of $64 to $72 billion " * 500)
    evaluate(store)
    counts = deliver_due(store.engine, notifiers(slack), NOW_POLICY)
    assert counts.sent == 1
    (message,) = slack.messages
    assert message.blocks and slack.requests == 1  # the blocks, not the plain-text fallback
    assert "Capex Capex" in message.all_text() and "news.example" in message.all_text()


def test_refused_blocks_fall_back_once_to_plain_text(store, slack):
    raise_event(store)
    slack.refuse_blocks = True
    counts = deliver_due(store.engine, notifiers(slack), NOW_POLICY)
    assert counts.sent == 1 and slack.requests == 2
    (message,) = slack.messages
    assert message.blocks == []
    assert "META" in message.text and "$64 billion to $72 billion" in message.text
    assert "item 10" in message.text  # the source, as text


@pytest.mark.parametrize(
    "error", ["channel_not_found", "not_in_channel", "invalid_auth", "invalid_blocks"]
)
def test_permanent_errors_fail_at_once_with_their_reason(store, slack, error):
    raise_event(store)
    if error == "invalid_auth":
        sender = slack_notifiers(
            SlackSettings(token="xoxb-revoked", api_url=slack.api_url, timeout=1), {CHANNEL}
        )
    else:
        sender = notifiers(slack)
        # invalid_blocks: the message, then its plain-text fallback.
        slack.fail_next(200, error=error, times=2 if error == "invalid_blocks" else 1)
    counts = deliver_due(store.engine, sender, NOW_POLICY)
    assert (counts.sent, counts.retrying, counts.failed) == (0, 0, 1)
    assert slack.requests == (2 if error == "invalid_blocks" else 1)
    (delivery,) = deliveries(store)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert error in delivery.last_error


def test_webhook_refusing_blocks_falls_back_to_plain_text(store, slack):
    raise_event(store)
    slack.refuse_blocks = True
    counts = deliver_due(store.engine, webhook_notifiers(slack), NOW_POLICY)
    assert counts.sent == 1
    (message,) = slack.messages
    assert message.blocks == [] and "META" in message.text


def test_status_shows_the_last_error_of_pending_deliveries(store, slack, run_watcher):
    raise_event(store)
    slack.fail_next(200, error="ratelimited")  # not permanent: retried later
    counts = deliver_due(store.engine, notifiers(slack), RetryPolicy())
    assert counts.retrying == 1
    (delivery,) = deliveries(store)
    shown = run_watcher("status")
    assert shown.returncode == 0, shown.stderr
    pending = [line for line in shown.stdout.splitlines() if line.startswith("pending:")]
    assert len(pending) == 1, shown.stdout
    assert f"delivery {delivery.id}" in pending[0] and "ratelimited" in pending[0]


def test_long_retry_after_is_left_to_the_outbox(store, slack):
    raise_event(store)
    slack.fail_next(429, retry_after=120)
    counts = deliver_due(store.engine, notifiers(slack, max_retry_after=5), RetryPolicy())
    assert counts.retrying == 1 and slack.messages == []
    (delivery,) = deliveries(store)
    assert delivery.status == "pending" and "ratelimited" in delivery.last_error
    assert delivery.next_attempt_at >= utcnow() + timedelta(seconds=110)


def test_second_source_replies_in_the_first_messages_thread(store, slack):
    raise_event(store)
    sender = notifiers(slack)
    drain(store, sender)
    store.report(64, 72, days=11, source="desk")
    evaluate(store)
    drain(store, sender)
    first, reply = slack.messages
    assert first.thread_ts is None
    assert reply.thread_ts == first.ts and reply.channel == CHANNEL
    assert "desk" in reply.all_text() and "Another source" in reply.all_text()
    assert [(d.update_key.split(":")[0], d.status) for d in deliveries(store)] == [
        ("", "sent"),
        ("source", "sent"),
    ]


def test_update_waits_for_its_events_message(store, slack):
    raise_event(store)
    store.report(64, 72, days=11, source="desk")
    evaluate(store)
    slack.fail_next(500, times=3)  # the event's message fails this round
    counts = deliver_due(store.engine, notifiers(slack), NOW_POLICY)
    assert (counts.sent, counts.retrying, counts.waiting) == (0, 1, 1)
    main, update = deliveries(store)
    assert main.status == "pending" and main.attempts == 1
    assert update.status == "pending" and update.attempts == 0 and update.last_error is None
    drain(store, notifiers(slack))
    first, reply = slack.messages
    assert reply.thread_ts == first.ts


def test_official_source_confirms_in_the_thread(store, slack):
    raise_event(store)
    (event,) = store.events()
    assert event.confirmed is False
    sender = notifiers(slack)
    drain(store, sender)
    assert "unconfirmed" in slack.messages[0].all_text()
    store.report(64, 72, days=11, source="meta-ir")
    evaluate(store)
    (event,) = store.events()
    assert event.confirmed is True
    drain(store, sender)
    first, confirmation = slack.messages
    assert confirmation.thread_ts == first.ts
    assert "Confirmed" in confirmation.all_text() and "meta-ir" in confirmation.all_text()
    assert [d.update_key for d in deliveries(store)] == ["", "confirmed"]
    # A further official report is one more source, not a second confirmation.
    store.report(64, 72, days=12, source="meta-ir")
    evaluate(store)
    assert [d.update_key.split(":")[0] for d in deliveries(store)] == ["", "confirmed", "source"]


def test_event_first_seen_in_an_official_source_is_confirmed(store, slack):
    raise_event(store, source="meta-ir")
    (event,) = store.events()
    assert event.confirmed is True
    drain(store, notifiers(slack))
    (message,) = slack.messages
    assert "unconfirmed" not in message.all_text() and "confirmed by the company" in (
        message.all_text()
    )


def test_corrected_document_is_announced_in_the_old_thread(store, slack):
    raise_event(store)
    drain(store, notifiers(slack))
    with session_scope(store.engine) as session:
        # The article is corrected: re-extraction gives a new figure from the same document.
        document = session.exec(select(Document).where(Document.key.contains("-10-"))).one()
        session.add(
            Observation(
                document_id=document.id,
                company="META",
                metric="capex",
                kind="guidance",
                period="FY2025",
                low=66 * B,
                high=70 * B,
                quote="capex of 66 to 70 billion",
                published_at=document.published_at,
            )
        )
    evaluate(store)
    assert len(store.events()) == 2
    drain(store, notifiers(slack))
    first, *rest = slack.messages
    corrections = [m for m in rest if m.thread_ts == first.ts]
    assert len(corrections) == 1 and "Correction" in corrections[0].all_text()


def test_webhook_mode_posts_events_and_follow_ups(store, slack):
    raise_event(store)
    store.report(64, 72, days=11, source="desk")
    evaluate(store)
    slack.fail_next(500)
    drain(store, webhook_notifiers(slack))
    event_message, follow_up = slack.messages
    assert event_message.channel == "webhook" and event_message.token is None
    assert "$64 billion to $72 billion" in event_message.all_text()
    assert follow_up.thread_ts is None and "desk" in follow_up.all_text()
    assert all(d.status == "sent" for d in deliveries(store))


HOSTILE = "<!channel> <!here> <@U123ABC> <#C999> <https://evil.example|reuters.com> & <!everyone>"
LIVE = re.compile(r"<[!@#]|<https?://")


def test_hostile_feed_text_arrives_inert(store, slack):
    with session_scope(store.engine) as session:
        session.add(
            Source(
                name="<!channel>-desk",
                url="https://hostile.example/feed",
                config_url="https://hostile.example/feed",
            )
        )
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    with session_scope(store.engine) as session:
        for document in session.exec(select(Document)):
            document.title = f"{HOSTILE} title"
            document.url = "https://evil.example/a|<!channel>"
            session.add(document)
    _set_quotes(store, f"capex of $64 to $72 billion {HOSTILE}")
    evaluate(store)
    store.report(64, 72, days=11, source="<!channel>-desk")
    with session_scope(store.engine) as session:
        for document in session.exec(select(Document)):
            document.title = f"{HOSTILE} second"
            session.add(document)
    evaluate(store)
    drain(store, notifiers(slack))
    assert len(slack.messages) == 2 and slack.messages[1].thread_ts == slack.messages[0].ts
    for message in slack.messages:
        text = message.all_text()
        assert not LIVE.search(text), text
        assert "&lt;!channel&gt;" in text
    # The only link is the one the message builds, labelled by the URL's real host.
    assert "|reuters.com>" not in slack.messages[0].all_text()


def _set_quotes(store: Store, quote: str) -> None:
    with session_scope(store.engine) as session:
        for observation in session.exec(select(Observation)):
            observation.quote = quote
            session.add(observation)


def test_pipeline_wires_webhook_mode_and_routes(tmp_path, slack, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(
        database={"url": f"sqlite:///{tmp_path / 'p.db'}"},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        sources={"file": PROJECT / "config" / "feeds.yaml"},
        slack={"webhook_url": slack.webhook_url},
        routes=[{"companies": ["META"], "channels": ["slack:#meta", "email"]}],
    )
    pipeline = Pipeline(settings)
    try:
        assert isinstance(pipeline.notifiers["slack:#meta"], SlackWebhookNotifier)
        assert isinstance(pipeline.notifiers["slack:#capex-alerts"], SlackWebhookNotifier)
        meta = SimpleNamespace(rule="capex-guidance-change", severity="high", company="META")
        other = SimpleNamespace(rule="capex-guidance-change", severity="high", company="AMZN")
        # No SMTP host: email falls back to the console.
        assert pipeline.resolve_channels(["slack"], meta) == ["slack:#meta", "console"]
        assert pipeline.resolve_channels(["slack"], other) == ["slack:#capex-alerts"]
    finally:
        pipeline.close()


def test_a_cut_never_splits_an_escape_or_a_link():
    assert fit("short", 10) == "short"
    assert fit("AT&amp;T capex rises", 6) == "AT…"  # not "AT&am…"
    linked = "see <https://news.example/a|news.example> now"
    assert fit(linked, 20) == "see …"  # not half a link
    assert fit(linked, len(linked)) == linked
    assert all(len(fit("&amp;" * 1000, n)) <= n for n in (1, 2, 3000))
