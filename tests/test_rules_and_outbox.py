"""Rules v1 and the outbox on a real SQLite file: guidance_change decisions, one event per
figure however many sources report it, deliveries marked sent only when accepted."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from tests.conftest import PROJECT
from tests.support.slack_server import SlackServer
from watcher.alerts.channels import ChannelResolver
from watcher.alerts.channels import names as channel_names
from watcher.alerts.deliver import RetryPolicy, deliver_due
from watcher.alerts.notifiers import DeliveryError, SlackNotifier
from watcher.engine.evaluate import evaluate_pending
from watcher.engine.rules import load_rule_file, load_rules
from watcher.errors import ConfigError
from watcher.settings import Settings, SlackSettings
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Delivery, Document, Event, EventSource, Observation, Source

B = 1_000_000_000
# Recent enough that the reports are news (the rule ignores figures older than 30 days).
START = datetime.now(UTC) - timedelta(days=20)


class Store:
    """A migrated database (a SQLite file, or a URL) and helpers to put documents and
    observations in it."""

    def __init__(self, path: Path | str):
        self.engine = make_engine(path if isinstance(path, str) else f"sqlite:///{path}")
        upgrade(self.engine)
        self.rules = load_rules(PROJECT / "rules")
        with session_scope(self.engine) as session:
            for name in ("wire", "desk", "blog"):
                session.add(
                    Source(
                        name=name,
                        url=f"https://{name}.example/feed",
                        config_url=f"https://{name}.example/feed",
                    )
                )

    def report(
        self,
        low: float | None,
        high: float | None,
        *,
        days: int,
        source: str = "wire",
        kind: str = "guidance",
        change: str | None = None,
        prior: tuple | None = None,
        company: str = "META",
        period: str = "FY2025",
        variant: str | None = None,
    ) -> None:
        """One document from `source`, published `days` after START, stating one figure."""
        with session_scope(self.engine) as session:
            source_id = session.exec(select(Source.id).where(Source.name == source)).one()
            document = Document(
                source_id=source_id,
                key=f"{source}-{days}-{low}-{high}",
                url=f"https://{source}.example/{days}",
                title=f"item {days}",
                text="...",
                content_hash="h",
                extracted_hash="h",
                published_at=START + timedelta(days=days),
            )
            session.add(document)
            session.flush()
            session.add(
                Observation(
                    document_id=document.id,
                    company=company,
                    metric="capex",
                    kind=kind,
                    period=period,
                    low=_full(low),
                    high=_full(high),
                    change=change,
                    variant=variant,
                    prior_low=_full(prior[0]) if prior else None,
                    prior_high=_full(prior[1]) if prior else None,
                    quote=f"capex of {low} to {high} billion",
                    published_at=document.published_at,
                )
            )

    def evaluate(self):
        return evaluate_pending(self.engine, self.rules, lambda draft: ["console"])

    def events(self) -> list[Event]:
        with session_scope(self.engine) as session:
            return list(session.exec(select(Event).order_by(Event.id)))

    def count(self, table) -> int:
        with session_scope(self.engine) as session:
            return len(session.exec(select(table)).all())


def _full(value: float | None) -> int | None:
    return None if value is None else int(value * B)


@pytest.fixture
def store(db_url) -> Store:
    return Store(db_url)


def test_first_guidance_alone_raises_nothing(store):
    store.report(60, 65, days=0)
    assert store.evaluate().events == 0
    assert store.events() == []


def test_raise_against_stored_guidance(store):
    store.report(60, 65, days=0)
    store.report(64, 72, days=10, change="raised", prior=(60, 65))
    counts = store.evaluate()
    assert counts.events == 1
    (event,) = store.events()
    assert (event.change, event.low, event.high) == ("raised", 64 * B, 72 * B)
    assert (event.prior_low, event.prior_high) == (60 * B, 65 * B)
    assert event.change_pct == pytest.approx((68 - 62.5) / 62.5 * 100)
    assert store.count(Delivery) == 1


def test_cut_is_lowered_even_when_text_says_nothing(store):
    store.report(100, 105, days=0)
    store.report(95, 100, days=5)
    store.evaluate()
    (event,) = store.events()
    assert event.change == "lowered" and event.change_pct < 0


def test_same_figure_from_other_sources_adds_sources_not_events(store):
    store.report(60, 65, days=0)
    store.report(64, 72, days=10, source="wire", change="raised", prior=(60, 65))
    store.evaluate()
    store.report(64, 72, days=10, source="desk", change="raised", prior=(60, 65))
    store.report(64, 72, days=11, source="blog")
    counts = store.evaluate()
    assert counts.events == 0 and counts.sources_added == 2
    assert len(store.events()) == 1
    assert store.count(EventSource) == 3
    # One message for the event; each later source is an update for its thread.
    with session_scope(store.engine) as session:
        keys = sorted(session.exec(select(Delivery.update_key)).all())
    assert keys[0] == "" and [key.split(":")[0] for key in keys[1:]] == ["source", "source"]


def test_stale_repeat_of_old_figure_is_not_a_cut(store):
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    store.report(60, 65, days=15, source="blog")  # an old article resurfacing
    store.evaluate()
    assert [event.change for event in store.events()] == ["raised"]


def test_stated_raise_with_nothing_stored(store):
    store.report(64, 72, days=10, change="raised", prior=(60, 65))
    store.evaluate()
    (event,) = store.events()
    assert (event.change, event.prior_low, event.prior_high) == ("raised", 60 * B, 65 * B)


def test_stated_move_contradicting_the_history_is_old_news(store):
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    # A late article about an earlier raise ("raised to $62-66B from $55B"): no false cut.
    store.report(62, 66, days=12, source="blog", change="raised", prior=(55, 55))
    store.evaluate()
    assert [event.change for event in store.events()] == ["raised"]


def test_old_figures_are_history_not_news(store):
    store.report(60, 65, days=-400, period="FY2024")
    store.report(64, 72, days=-380, period="FY2024", change="raised", prior=(60, 65))
    store.evaluate()
    assert store.events() == []
    # ...but they are what new guidance is compared with.
    store.report(70, 75, days=1, period="FY2024")
    store.evaluate()
    (event,) = store.events()
    assert (event.prior_low, event.prior_high) == (64 * B, 72 * B)


def test_different_definitions_are_not_compared(store):
    store.report(80, 80, days=0, variant="including finance leases")
    store.report(70, 70, days=5, variant="cash paid for PP&E")
    store.evaluate()
    assert store.events() == []


def test_open_bound_is_not_a_cut_from_a_range(store):
    store.report(64, 72, days=0)
    store.report(64, None, days=5, source="blog")  # "at least $64 billion"
    store.evaluate()
    assert store.events() == []


def test_cut_and_reraise_are_separate_events(store):
    store.report(60, 65, days=0)
    store.report(64, 72, days=5, change="raised")
    store.report(60, 65, days=10, change="lowered")
    store.report(64, 72, days=15, change="raised")
    store.evaluate()
    assert [event.change for event in store.events()] == ["raised", "lowered", "raised"]
    assert store.count(Delivery) == 3


def test_stated_raise_after_an_unexplained_first_report(store):
    store.report(64, 72, days=0, source="blog")  # first seen with no context: no event
    store.report(64, 72, days=1, source="wire", change="raised", prior=(60, 65))
    store.evaluate()
    (event,) = store.events()
    assert (event.change, event.prior_low) == ("raised", 60 * B)


def test_a_figure_far_off_the_guidance_is_not_a_revision(store):
    store.report(75, 80, days=0)
    store.report(3.2, 3.2, days=5, source="blog")  # a single project's spending, misread
    store.evaluate()
    assert store.events() == []


def test_estimates_never_feed_guidance_rules(store):
    store.report(60, 65, days=0, kind="estimate")
    store.report(70, 75, days=10, kind="estimate", change="raised")
    store.evaluate()
    assert store.events() == []


def test_other_periods_and_companies_are_not_compared(store):
    store.report(60, 65, days=0, period="FY2025")
    store.report(90, 100, days=10, period="FY2026")
    store.report(80, 85, days=20, company="MSFT")
    store.evaluate()
    assert store.events() == []


def test_min_change_threshold(tmp_path, store):
    rule_file = tmp_path / "strict.yaml"
    rule_file.write_text("type: guidance_change\nname: strict\nmin_change_pct: 5\n")
    store.rules = [load_rule_file(rule_file)]
    store.report(100, 100, days=0)
    store.report(102, 102, days=10)  # +2%: under the threshold
    store.report(110, 110, days=20)  # +7.8% against the latest
    store.evaluate()
    assert [round(event.change_pct, 1) for event in store.events()] == [7.8]


def test_evaluating_again_after_a_crash_makes_no_second_event(store):
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    store.evaluate()
    with session_scope(store.engine) as session:  # as if the marks had been lost
        for observation in session.exec(select(Observation)):
            observation.evaluated = False
            session.add(observation)
    store.evaluate()
    assert len(store.events()) == 1 and store.count(Delivery) == 1


class FlakyNotifier:
    def __init__(self, failures: int):
        self.failures = failures
        self.sent: list[int] = []

    def send(self, event, sources):
        if self.failures:
            self.failures -= 1
            raise DeliveryError("channel down")
        self.sent.append(event.id)
        return "ok"


def _raise_event(store: Store) -> None:
    store.report(60, 65, days=0)
    store.report(64, 72, days=10)
    store.evaluate()


def test_delivery_retries_until_accepted(store):
    _raise_event(store)
    notifier = FlakyNotifier(failures=1)
    policy = RetryPolicy(base_seconds=0.0, cap_seconds=0.0)
    first = deliver_due(store.engine, {"console": notifier}, policy, rng=random.Random(1))
    assert (first.sent, first.retrying) == (0, 1)
    with session_scope(store.engine) as session:
        (delivery,) = session.exec(select(Delivery)).all()
        assert (delivery.status, delivery.attempts, delivery.last_error) == (
            "pending",
            1,
            "channel down",
        )
    second = deliver_due(store.engine, {"console": notifier}, policy)
    assert second.sent == 1 and len(notifier.sent) == 1
    third = deliver_due(store.engine, {"console": notifier}, policy)
    assert third.sent == 0 and len(notifier.sent) == 1


def test_delivery_fails_for_good_after_max_age(store):
    _raise_event(store)
    policy = RetryPolicy(base_seconds=0.0, cap_seconds=0.0, max_age=timedelta(0))
    counts = deliver_due(store.engine, {"console": FlakyNotifier(failures=5)}, policy)
    assert counts.failed == 1
    with session_scope(store.engine) as session:
        assert session.exec(select(Delivery.status)).one() == "failed"


def test_slack_message_carries_both_ranges_and_is_inert(store):
    store.report(60, 65, days=0)
    with session_scope(store.engine) as session:
        document = session.exec(select(Document)).first()
        document.title = "<!channel> Meta capex <https://evil.example|click>"
        session.add(document)
    store.report(64, 72, days=10)
    with session_scope(store.engine) as session:
        observation = session.exec(select(Observation).where(Observation.low == 64 * B)).one()
        observation.quote = "<!channel> <@U123> capex of $64 to $72 billion & more"
        session.add(observation)
        titled = session.get(Document, observation.document_id)
        titled.title = "<!here> raise <https://evil.example|totally safe>"
        session.add(titled)
    store.evaluate()
    with SlackServer() as slack:
        client = WebClient(token=slack.token, base_url=slack.api_url)
        counts = deliver_due(
            store.engine, {"console": SlackNotifier(client, "#capex")}, RetryPolicy()
        )
        assert counts.sent == 1
        (message,) = slack.messages
    text = message.all_text()
    assert "$60 billion to $65 billion" in text and "$64 billion to $72 billion" in text
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text
    assert "<https://evil.example|" not in text
    assert "&lt;!channel&gt;" in text


def test_slack_refusal_keeps_delivery_pending(store):
    _raise_event(store)
    with SlackServer() as slack:
        slack.fail_next(500)
        client = WebClient(token=slack.token, base_url=slack.api_url)
        counts = deliver_due(
            store.engine, {"console": SlackNotifier(client, "#capex")}, RetryPolicy()
        )
    assert counts.sent == 0 and counts.retrying == 1


def test_channels_fall_back_to_console_without_slack_token():
    without = ChannelResolver(Settings(slack=SlackSettings(channel="#capex")))
    assert without(["slack", "slack:#other"]) == ["console"]
    slack = SlackSettings(channel="#capex", token="xoxb-1")
    assert ChannelResolver(Settings(slack=slack))(["slack", "slack:#other", "console"]) == [
        "slack:#capex",
        "slack:#other",
        "console",
    ]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: x\nseverity: high\n", "type"),
        ("type: nonsense\n", "type"),
        ("type: guidance_change\nseverity: apocalyptic\n", "severity"),
        ("type: guidance_change\nmin_change_pct: -3\n", "min_change_pct"),
        ("type: guidance_change\nmetrics: [revenue]\n", "metrics[0]"),
        ("type: guidance_change\nchannels: [Slack Channel]\n", "channels"),
        ("type: guidance_change\nthreshold: 3\n", "threshold"),
    ],
)
def test_bad_rule_file_names_file_and_field(tmp_path, text, field):
    path = tmp_path / "bad-rule.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_rule_file(path)
    assert "bad-rule.yaml" in str(caught.value)
    assert field in str(caught.value)


def test_unknown_channel_names_file_and_field(tmp_path):
    # The engine checks a channel's shape; the names are the channel registry's, which the
    # pipeline and `watcher rules check` pass in.
    path = tmp_path / "bad-rule.yaml"
    path.write_text("type: guidance_change\nchannels: [slack, pager]\n")
    assert load_rule_file(path).config.channels == ["slack", "pager"]
    with pytest.raises(ConfigError) as caught:
        load_rule_file(path, channel_names=channel_names())
    assert "bad-rule.yaml" in str(caught.value) and "channels[1]" in str(caught.value)
    assert "pager" in str(caught.value)


def test_shipped_rules_load():
    names = [rule.name for rule in load_rules(PROJECT / "rules")]
    assert "capex-guidance-change" in names
