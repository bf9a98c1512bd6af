"""The whole path: feeds served over local HTTP -> `watcher run --once` -> one raise event ->
one Slack message on a local server speaking the Slack Web API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer

# News must be recent to alert (older figures are history); the guidance is for this year.
NOW = datetime.now(UTC)
YEAR = NOW.year


def _days_ago(days: float) -> str:
    return format_datetime(NOW - timedelta(days=days), usegmt=True)


FIRST = (
    f"Meta Platforms sets out its {YEAR} spending plan",
    f"Meta Platforms said on Wednesday that it expects full-year {YEAR} capital expenditures, "
    "including principal payments on finance leases, to be in the range of $60 billion to "
    "$65 billion as it builds out data centers for AI.",
    _days_ago(20),
)
RAISE = (
    f"Meta lifts its {YEAR} capex outlook",
    f"Meta Platforms now anticipates {YEAR} capital expenditures of $64 billion to $72 billion, "
    "increased from its prior outlook of $60 billion to $65 billion, to add capacity for "
    "its AI work.",
    _days_ago(2),
)
UNRELATED = (
    "Chip stocks close higher",
    "Semiconductor shares rose on Tuesday after a strong session for memory makers.",
    _days_ago(21),
)


def rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>https://news.example/{abs(hash(title))}</link>"
        f"<guid>https://news.example/{abs(hash(title))}</guid><pubDate>{date}</pubDate>"
        f"<description>{text}</description></item>"
        for title, text, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Tech wire</title><link>https://news.example/</link>"
        f"<description>test feed</description>{body}</channel></rss>"
    ).encode()


def atom(*items: tuple[str, str, str]) -> bytes:
    from email.utils import parsedate_to_datetime

    body = "".join(
        f"<entry><title>{title}</title><id>urn:example:{abs(hash(title + 'atom'))}</id>"
        f'<link href="https://markets.example/{abs(hash(title))}"/>'
        f"<updated>{parsedate_to_datetime(date).isoformat()}</updated>"
        f"<summary>{text}</summary></entry>"
        for title, text, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Markets desk</title><id>urn:example:markets</id>"
        f"<updated>{NOW.isoformat()}</updated>{body}</feed>"
    ).encode()


def write_feeds(tmp_path: Path, feeds: FeedServer) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "sources:\n"
        f"  - name: tech-wire\n    url: {feeds.url('/tech.rss')}\n    kind: rss\n"
        "    interval: 15m\n"
        f"  - name: markets-desk\n    url: {feeds.url('/markets.atom')}\n    kind: rss\n"
        "    interval: 15m\n"
    )
    return path


def events(run_watcher, settings) -> list[dict]:
    result = run_watcher("events", "--json", **settings)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_raise_gives_one_event_and_one_slack_message(tmp_path, run_watcher):
    with FeedServer() as feeds, SlackServer() as slack:
        feeds.set("/tech.rss", rss(FIRST), content_type="application/rss+xml", etag='"t1"')
        feeds.set(
            "/markets.atom", atom(UNRELATED), content_type="application/atom+xml", etag='"m1"'
        )
        settings = {
            "sources__file": str(write_feeds(tmp_path, feeds)),
            "slack__token": slack.token,
            "slack__api_url": slack.api_url,
            "slack__channel": "#capex",
        }

        first = run_watcher("run", "--once", **settings)
        assert first.returncode == 0, first.stderr
        assert "sources polled: 2" in first.stdout
        assert events(run_watcher, settings) == []
        assert slack.messages == []

        feeds.set("/tech.rss", rss(RAISE, FIRST), content_type="application/rss+xml", etag='"t2"')
        second = run_watcher("run", "--once", **settings)
        assert second.returncode == 0, second.stderr
        found = events(run_watcher, settings)
        assert len(found) == 1
        event = found[0]
        assert (event["company"], event["metric"], event["period"], event["change"]) == (
            "META",
            "capex",
            f"FY{YEAR}",
            "raised",
        )
        assert (event["low"], event["high"]) == (64_000_000_000, 72_000_000_000)
        assert (event["prior_low"], event["prior_high"]) == (60_000_000_000, 65_000_000_000)
        assert len(slack.messages) == 1
        message = slack.messages[0]
        assert message.channel == "#capex"
        text = message.all_text()
        assert "$60 billion to $65 billion" in text and "$64 billion to $72 billion" in text

        # The same news in the second feed: one more source, no new message, only a reply in
        # the first message's thread.
        feeds.set(
            "/markets.atom",
            atom(RAISE, UNRELATED),
            content_type="application/atom+xml",
            etag='"m2"',
        )
        third = run_watcher("run", "--once", **settings)
        assert third.returncode == 0, third.stderr
        found = events(run_watcher, settings)
        assert len(found) == 1
        assert {s["name"] for s in found[0]["sources"]} == {"tech-wire", "markets-desk"}
        assert len(slack.messages) == 2
        reply = slack.messages[1]
        assert reply.thread_ts == message.ts and "markets-desk" in reply.all_text()

        # Nothing changed: both feeds answer 304 and nothing is sent.
        before = len(feeds.requests)
        fourth = run_watcher("run", "--once", **settings)
        assert fourth.returncode == 0, fourth.stderr
        assert [r.status for r in feeds.requests[before:]] == [304, 304]
        assert len(events(run_watcher, settings)) == 1
        assert len(slack.messages) == 2
