"""Routing (ordered routes from settings, first match unless `continue`) and silences (added,
listed and expired through the CLI; silenced deliveries stored and shown, never sent)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from tests.conftest import slow_case
from tests.test_rules_and_outbox import Store
from watcher.alerts.channels import ChannelResolver
from watcher.alerts.deliver import RetryPolicy, deliver_due
from watcher.alerts.routing import Router
from watcher.alerts.silences import add_silence, parse_until
from watcher.engine.evaluate import evaluate_pending
from watcher.errors import ConfigError, WatcherError
from watcher.settings import EmailSettings, RouteSettings, Settings, SlackSettings, load_settings
from watcher.store.db import session_scope
from watcher.store.models import Delivery


@dataclass
class Draft:
    rule: str = "capex-guidance-change"
    severity: str = "medium"
    company: str | None = "META"


def router(*routes: dict, email: bool = True, slack: bool = True) -> Router:
    settings = Settings(
        slack=SlackSettings(channel="#capex-alerts", token="xoxb-1" if slack else None),
        email=EmailSettings(host="smtp.example" if email else None),
    )
    # Only the routes decide here: no immediate email of urgent events.
    resolve = ChannelResolver(settings, subscriptions=False)
    return Router([RouteSettings.model_validate(route) for route in routes], resolve)


ROUTES = (
    {"severity": "high", "channels": ["slack:#capex-urgent"], "continue": True},
    {"companies": ["meta", "msft"], "channels": ["email"]},
    {"rules": ["backlog-jump"], "channels": ["console"]},
    {"channels": ["slack:#catch-all"]},
)


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (Draft(severity="high"), ["slack:#capex-urgent", "email"]),  # continue, then META
        (Draft(severity="critical", company="ORCL"), ["slack:#capex-urgent", "slack:#catch-all"]),
        (Draft(severity="medium"), ["email"]),  # first match stops
        (Draft(company="ORCL", rule="backlog-jump"), ["console"]),
        (Draft(company=None), ["slack:#catch-all"]),
    ],
)
def test_first_match_wins_unless_it_continues(draft, expected):
    assert router(*ROUTES)(["slack"], draft) == expected


def test_no_route_matching_uses_the_rules_channels():
    route = {"companies": ["AMZN"], "severity": "critical", "channels": ["email"]}
    assert router(route)(["slack", "console"], Draft(severity="high")) == [
        "slack:#capex-alerts",
        "console",
    ]
    assert router()(["slack:#x"], Draft()) == ["slack:#x"]


def test_unconfigured_channels_fall_back_to_console():
    routes = ({"channels": ["email", "slack:#a", "console"]},)
    assert router(*routes, email=False, slack=False)(["slack"], Draft()) == ["console"]


def test_routes_from_toml_and_environment(tmp_path, monkeypatch):
    config = tmp_path / "watcher.toml"
    config.write_text(
        '[[routes]]\nseverity = "high"\nchannels = ["slack:#capex-urgent"]\ncontinue = true\n\n'
        '[[routes]]\ncompanies = ["meta"]\nrules = ["capex-guidance-change"]\n'
        'channels = ["email"]\n'
    )
    monkeypatch.setenv("WATCHER_CONFIG", str(config))
    first, second = load_settings().routes
    assert (first.severity, first.continue_, first.channels) == (
        "high",
        True,
        ["slack:#capex-urgent"],
    )
    assert (second.companies, second.rules, second.continue_) == (
        ["META"],
        ["capex-guidance-change"],
        False,
    )
    monkeypatch.delenv("WATCHER_CONFIG")
    monkeypatch.chdir(tmp_path)  # no config/watcher.toml here
    monkeypatch.setenv("WATCHER_ROUTES", json.dumps([{"channels": ["console"], "continue": True}]))
    (route,) = load_settings().routes
    assert route.channels == ["console"] and route.continue_ is True


@pytest.mark.parametrize(
    ("routes", "key"),
    [
        ([{"channels": ["pager"]}], "routes.0.channels"),
        ([{"severity": "urgent", "channels": ["console"]}], "routes.0.severity"),
        ([{"channels": []}], "routes.0.channels"),
        ([{"company": ["META"], "channels": ["console"]}], "routes.0.company"),
        ([{"channels": ["console"]}, {"companies": "META"}], "routes.1"),
    ],
)
def test_bad_routes_name_the_key(tmp_path, monkeypatch, routes, key):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WATCHER_ROUTES", json.dumps(routes))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert key in str(caught.value) and "WATCHER_ROUTES" in str(caught.value)


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", NOW + timedelta(hours=2)),
        ("90m", NOW + timedelta(minutes=90)),
        ("3d", NOW + timedelta(days=3)),
        ("1w", NOW + timedelta(weeks=1)),
        ("2026-03-05", datetime(2026, 3, 6, tzinfo=UTC)),  # through the end of that day
        ("2026-03-05T08:30", datetime(2026, 3, 5, 8, 30, tzinfo=UTC)),
        ("2026-03-05T08:30+02:00", datetime(2026, 3, 5, 6, 30, tzinfo=UTC)),
    ],
)
def test_until_accepts_durations_and_iso_times(text, expected):
    assert parse_until(text, NOW) == expected


def test_until_rejects_nonsense():
    with pytest.raises(WatcherError, match="--until"):
        parse_until("next tuesday", NOW)


class Recorder:
    def __init__(self):
        self.sent: list[int] = []

    def send(self, event, sources):
        self.sent.append(event.id)
        return None

    def send_update(self, event, note, thread_ts):
        self.sent.append(event.id)
        return None


def _raise(store: Store, company: str, days: int) -> None:
    store.report(60, 65, days=days, company=company)
    store.report(64, 72, days=days + 5, company=company)
    evaluate_pending(store.engine, store.rules, lambda draft: ["console"])


def _statuses(store: Store) -> list[tuple[int, str, str]]:
    with session_scope(store.engine) as session:
        rows = session.exec(select(Delivery).order_by(Delivery.id))
        return [(d.event_id, d.update_key.split(":")[0], d.status) for d in rows]


@pytest.mark.slow
def test_silences_through_the_cli(db_url, run_watcher):
    store = Store(db_url)  # the database run_watcher's commands use
    added = run_watcher("silence", "add", "--company", "meta", "--until", "2d", "--reason", "Q3")
    assert added.returncode == 0, added.stderr
    assert "silence 1 added" in added.stdout and "META" in added.stdout
    listed = run_watcher("silence", "list")
    assert "META" in listed.stdout and "Q3" in listed.stdout and "active" in listed.stdout

    _raise(store, "META", 0)  # silenced
    _raise(store, "MSFT", 1)  # not
    store.report(64, 72, days=6, company="META", source="desk")  # an update, silenced too
    evaluate_pending(store.engine, store.rules, lambda draft: ["console"])
    recorder = Recorder()
    deliver_due(store.engine, {"console": recorder}, RetryPolicy())
    meta, msft = (event.id for event in store.events())
    assert recorder.sent == [msft]
    assert _statuses(store) == [
        (meta, "", "silenced"),
        (msft, "", "sent"),
        (meta, "source", "silenced"),
    ]

    status = run_watcher("status")
    assert status.returncode == 0, status.stderr
    assert "silenced" in status.stdout and "silence 1" in status.stdout
    events = run_watcher("events", "--json")
    by_company = {row["company"]: row for row in map(json.loads, events.stdout.splitlines())}
    assert by_company["META"]["deliveries"] == {"console": "silenced"}
    assert by_company["MSFT"]["deliveries"] == {"console": "sent"}

    expired = run_watcher("silence", "expire", "1")
    assert expired.returncode == 0 and "silence 1 expired" in expired.stdout
    assert "no active silences" in run_watcher("silence", "list").stdout
    assert "expired" in run_watcher("silence", "list", "--all").stdout
    store.report(80, 85, days=10, company="META")  # after the silence: sent
    evaluate_pending(store.engine, store.rules, lambda draft: ["console"])
    deliver_due(store.engine, {"console": recorder}, RetryPolicy())
    assert len(recorder.sent) == 2 and meta not in recorder.sent


def test_rule_silence_covers_every_company(db_url):
    store = Store(db_url)
    with session_scope(store.engine) as session:
        until = datetime.now(UTC) + timedelta(hours=1)
        add_silence(session, company=None, rule="capex-guidance-change", until=until, reason="x")
        add_silence(session, company="MSFT", rule="other-rule", until=until, reason="y")
    _raise(store, "META", 0)
    _raise(store, "MSFT", 1)
    # Silences are checked in one place, the delivery chain: nothing reaches the channel.
    recorder = Recorder()
    deliver_due(store.engine, {"console": recorder}, RetryPolicy())
    assert recorder.sent == []
    assert [status for _, _, status in _statuses(store)] == ["silenced", "silenced"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--company", "META", "--until", "yesterday-ish", "--reason", "x"], "--until"),
        slow_case(["--company", "META", "--until", "2001-01-01", "--reason", "x"], "in the past"),
        slow_case(["--until", "2h", "--reason", "x"], "--company"),
        slow_case(["--company", "META", "--until", "2h", "--reason", " "], "--reason"),
    ],
)
def test_bad_silences_exit_2_with_one_line(run_watcher, args, message):
    result = run_watcher("silence", "add", *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_expiring_an_unknown_silence_exits_2(run_watcher):
    result = run_watcher("silence", "expire", "42")
    assert result.returncode == 2 and "no silence with id 42" in result.stderr


def test_silence_added_while_a_delivery_waits_holds_it_back(db_url):
    store = Store(db_url)
    _raise(store, "META", 0)  # recorded before the silence: pending
    with session_scope(store.engine) as session:
        until = datetime.now(UTC) + timedelta(hours=1)
        add_silence(session, company="META", rule=None, until=until, reason="outage backlog")
    recorder = Recorder()
    counts = deliver_due(store.engine, {"console": recorder}, RetryPolicy())
    assert counts.silenced == 1 and recorder.sent == []
    assert [status for _, _, status in _statuses(store)] == ["silenced"]
