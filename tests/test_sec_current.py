"""EDGAR's current-filings feed as the fast path to 8-K earnings releases, against a local
server standing in for EDGAR (the recorded feed pages of ../shared/data/sec/edgar-current/,
with an entry of our own for a watched company, its filing index and an exhibit 99.1 in our
own words): the release reaches Slack within a minute of the feed listing it; unwatched filers
are ignored; the submissions poller seeing the same 8-K makes no second document or event; a
429 pauses every SEC request; a page that is not EDGAR's fails that source only."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.conftest import PROJECT, SHARED_DATA, WATCHER, watcher_env
from tests.support.feed_server import FeedServer
from tests.support.slack_server import SlackServer
from tests.test_sec_filings import CIK, folder_index
from watcher.extract import load_companies
from watcher.pipeline import Pipeline
from watcher.settings import load_settings
from watcher.sources.config import load_sources
from watcher.sources.poll import poll_tick
from watcher.sources.sec_current import read_listings, watched_releases
from watcher.store.db import session_scope
from watcher.store.models import Document, Event, Source

RECORDED = SHARED_DATA / "sec" / "edgar-current"
PAGE = "edgar_getcurrent_2026-01-12_start0100.atom.xml"  # lists 8-Ks with Item 2.02
FEED = "/cgi-bin/browse-edgar"
FEED_QUERY = "?action=getcurrent&type=8-K&company=&dateb=&owner=include&count=100&output=atom"
SUBMISSIONS = f"/submissions/CIK{CIK:010d}.json"
ACCN = "0001326801-26-000010"  # the filing folder_index() describes
FOLDER = f"/Archives/edgar/data/{CIK}/{ACCN.replace('-', '')}/"
EXHIBIT = FOLDER + "meta-12312025xex991.htm"
CONTACT = "analyst@example.org"
TODAY = datetime.now(UTC).date()
YEAR = TODAY.year
RELEASE = f"""<html><body>
<p><b>Meta Platforms, Inc. reports results for the quarter</b></p>
<p>MENLO PARK, Calif. - Meta Platforms, Inc. today published its results for the quarter.</p>
<p>Capital expenditures, including principal payments on finance leases, came to $21.3 billion
in the quarter.</p>
<p>Outlook: we now expect full-year {YEAR} capital expenditures, including principal payments
on finance leases, of $74 billion to $78 billion, raised from our earlier outlook of
$68 billion to $72 billion, as we add data center capacity.</p>
</body></html>"""
EARNINGS = (("2.02", "Results of Operations and Financial Condition"),)
EXHIBITS = (("9.01", "Financial Statements and Exhibits"),)


def listing(
    cik: int,
    name: str,
    accn: str,
    filed: date,
    items: tuple[tuple[str, str], ...] = EARNINGS + EXHIBITS,
    *,
    form: str = "8-K",
    role: str = "Filer",
) -> bytes:
    """One entry in the shape of EDGAR's current feed."""
    lines = "".join(f"\n&lt;br&gt;Item {number}: {title}" for number, title in items)
    folder = f"https://www.sec.gov/Archives/edgar/data/{cik}/{accn.replace('-', '')}/"
    return (
        f"<entry>\n<title>{form} - {name} ({cik:010d}) ({role})</title>\n"
        f'<link rel="alternate" type="text/html" href="{folder}{accn}-index.htm"/>\n'
        f'<summary type="html">\n &lt;b&gt;Filed:&lt;/b&gt; {filed.isoformat()} '
        f"&lt;b&gt;AccNo:&lt;/b&gt; {accn} &lt;b&gt;Size:&lt;/b&gt; 2 MB{lines}\n</summary>\n"
        f"<updated>{filed.isoformat()}T16:05:12-05:00</updated>\n"
        f'<category scheme="https://www.sec.gov/" label="form type" term="{form}"/>\n'
        f"<id>urn:tag:sec.gov,2008:accession-number={accn}</id>\n</entry>\n"
    ).encode()


META_RELEASE = listing(CIK, "Meta Platforms, Inc.", ACCN, TODAY)


def page(*entries: bytes, recorded: str = PAGE) -> bytes:
    """A recorded page with `entries` listed first (the newest)."""
    body = (RECORDED / recorded).read_bytes()
    first = body.index(b"<entry>")
    return body[:first] + b"".join(entries) + body[first:]


def submissions(*filings: tuple[str, str, date, str]) -> bytes:
    """A submissions file listing (accession number, form, filing date, items)."""
    columns = list(zip(*filings, strict=True)) or [(), (), (), ()]
    recent = {
        "accessionNumber": list(columns[0]),
        "form": list(columns[1]),
        "filingDate": [day.isoformat() for day in columns[2]],
        "items": list(columns[3]),
    }
    return json.dumps({"cik": str(CIK), "filings": {"recent": recent}}).encode()


QUARTERLY_REPORT = ("0001326801-26-000004", "10-Q", TODAY - timedelta(days=40), "")
RELEASE_IN_SUBMISSIONS = (ACCN, "8-K", TODAY, "2.02,9.01")


def serve_edgar(server: FeedServer, feed: bytes, *filings: tuple[str, str, date, str]) -> None:
    server.set(FEED, feed, content_type="application/atom+xml")
    server.set(SUBMISSIONS, submissions(*filings), content_type="application/json")
    server.set(FOLDER + "index.json", folder_index(), content_type="application/json")
    server.set(EXHIBIT, RELEASE.encode(), content_type="text/html")


def write_feeds(tmp_path: Path, server: FeedServer, *, with_submissions: bool = True) -> Path:
    """The current feed polled every 30 s, and META's submissions (the catch-up path)."""
    text = (
        "sources:\n"
        f"  - name: edgar-current\n    url: {server.url(FEED + FEED_QUERY)}\n"
        "    kind: sec_current\n    interval: 30s\n"
    )
    if with_submissions:
        text += (
            f"  - name: sec-meta-filings\n    url: {server.url(SUBMISSIONS)}\n"
            "    kind: sec_filings\n    company: META\n    interval: 15m\n"
        )
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def edgar_settings(
    tmp_path: Path, server: FeedServer, slack: SlackServer, *, with_submissions: bool = True
) -> dict[str, str]:
    """The settings a user sets for this, as WATCHER_<SECTION>__<KEY> names."""
    feeds = write_feeds(tmp_path, server, with_submissions=with_submissions)
    return {
        "sources__file": str(feeds),
        "sec__contact": CONTACT,
        "sec__archives_url": server.url("/Archives/edgar/data/"),
        "slack__token": slack.token,
        "slack__api_url": slack.api_url,
        "slack__channel": "#capex",
    }


def pipeline(
    tmp_path: Path,
    db_url: str | None,
    server: FeedServer,
    slack: SlackServer,
    monkeypatch: pytest.MonkeyPatch,
    *,
    with_submissions: bool = True,
) -> Pipeline:
    """The daemon's pipeline, built from settings as `watcher run` builds it (on a SQLite
    file in tmp_path unless `db_url` is given)."""
    monkeypatch.chdir(tmp_path)  # no config/watcher.toml of the project
    overrides: dict = {
        "database": {"url": db_url or f"sqlite:///{tmp_path / 'watcher.db'}"},
        "rules": {"dir": PROJECT / "rules"},
        "companies": {"file": PROJECT / "config" / "companies.yaml"},
        "http": {"port": 0},
    }
    settings = edgar_settings(tmp_path, server, slack, with_submissions=with_submissions)
    for key, value in settings.items():
        section, _, name = key.partition("__")
        overrides.setdefault(section, {})[name] = value
    return Pipeline(load_settings(**overrides))


def documents(engine) -> list[tuple[str, str]]:
    """(source name, key) of every stored document."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(Source.name, Document.key).join(Source, col(Document.source_id) == Source.id)
        )
        return sorted((name, key) for name, key in rows)


def event_count(engine) -> int:
    with session_scope(engine) as session:
        return len(session.exec(select(Event)).all())


def archive_paths(server: FeedServer) -> set[str]:
    return {r.path for r in server.requests if r.path.startswith("/Archives/")}


def registry_ciks() -> dict[int, str]:
    registry = load_companies(PROJECT / "config" / "companies.yaml")
    return {c.cik: c.id for c in registry.companies if c.cik is not None}


# --- the feed as recorded ---------------------------------------------------------------


@pytest.mark.parametrize("recorded", sorted(p.name for p in RECORDED.glob("*.atom.xml")))
def test_recorded_pages_are_read_entry_by_entry(recorded):
    body = (RECORDED / recorded).read_bytes()
    listings, warning = read_listings(body, url="https://www.sec.gov" + FEED)
    assert warning is None and len(listings) == body.count(b"<entry>")
    assert all(len(x.accn) == 20 and x.cik > 0 and x.form for x in listings)
    # None of the watched companies filed an 8-K on these pages: nothing is kept.
    assert watched_releases(listings, registry_ciks()) == ([], [])


def test_only_a_watched_filers_8k_item_202_is_kept():
    listings, _ = read_listings(page(), url="https://www.sec.gov" + FEED)
    grail, bristol, first_watch = 1699031, 14272, 1789940  # on the recorded page
    releases, problems = watched_releases(
        listings, {grail: "GRAIL", bristol: "BMY", first_watch: "FWRG"}
    )
    assert problems == []
    # GRAIL and First Watch filed Item 2.02; Bristol Myers Squibb's 8-K is Item 7.01 only.
    assert [(company, filing.accn, filing.items) for company, _, filing in releases] == [
        ("FWRG", "0001789940-26-000003", ("2.02", "9.01")),
        ("GRAIL", "0001628280-26-001786", ("2.02", "9.01")),
    ]


def test_an_issuers_form_4_and_a_reporting_persons_entry_are_not_releases():
    entries = (
        listing(
            CIK, "Meta Platforms, Inc.", "0001326801-26-000020", TODAY, form="4", role="Issuer"
        ),
        listing(CIK, "Meta Platforms, Inc.", "0001326801-26-000021", TODAY, role="Reporting"),
        listing(CIK, "Meta Platforms, Inc.", "0001326801-26-000022", TODAY, items=EXHIBITS),
    )
    listings, _ = read_listings(page(*entries), url="https://www.sec.gov" + FEED)
    assert watched_releases(listings, {CIK: "META"}) == ([], [])


# --- the fast path, with the submissions poller beside it --------------------------------


def test_release_listed_in_the_feed_reaches_slack_and_the_submissions_path_adds_nothing(
    tmp_path, db_url, monkeypatch
):
    with FeedServer() as server, SlackServer() as slack:
        # EDGAR lists the 8-K in its current feed; the submissions file does not have it yet.
        serve_edgar(server, page(META_RELEASE), QUARTERLY_REPORT)
        watcher = pipeline(tmp_path, db_url, server, slack, monkeypatch)
        try:
            first = watcher.run_cycle(force=True)
            assert (first.poll.failed, first.poll.new_documents) == (0, 1), first.poll.errors
            assert (first.evaluation.events, first.delivery.sent) == (1, 1)
            (message,) = slack.messages
            text = message.all_text()
            assert "$68 billion to $72 billion" in text and "$74 billion to $78 billion" in text
            # Stored under the company's submissions source, keyed by accession number.
            assert documents(watcher.engine) == [("sec-meta-filings", ACCN)]
            # Only the watched company's folder was read: GRAIL's, First Watch's and KORU's
            # Item 2.02 filings on the same page were not.
            assert archive_paths(server) == {FOLDER + "index.json", EXHIBIT}
            feed_request = server.last(FEED + FEED_QUERY)
            assert feed_request is not None and CONTACT in feed_request.headers["user-agent"]
            exhibit_request = server.last(EXHIBIT)
            assert exhibit_request is not None and CONTACT in exhibit_request.headers["user-agent"]

            # The submissions file catches up; the feed still lists the filing.
            server.set(
                SUBMISSIONS,
                submissions(RELEASE_IN_SUBMISSIONS, QUARTERLY_REPORT),
                content_type="application/json",
                etag='"caught-up"',
            )
            second = watcher.run_cycle(force=True)
        finally:
            watcher.close()
        assert (second.poll.failed, second.poll.new_documents) == (0, 0), second.poll.errors
        assert second.poll.changed_documents == 0
        assert (second.evaluation.events, second.delivery.sent) == (0, 0)
        assert server.count(EXHIBIT) == 1 and server.count(FOLDER + "index.json") == 1
        assert len(slack.messages) == 1
    assert documents(watcher.engine) == [("sec-meta-filings", ACCN)]
    assert event_count(watcher.engine) == 1


def test_release_the_submissions_path_stored_first_is_not_fetched_again_from_the_feed(
    tmp_path, db_url, monkeypatch
):
    with FeedServer() as server, SlackServer() as slack:
        serve_edgar(server, page(), RELEASE_IN_SUBMISSIONS, QUARTERLY_REPORT)
        watcher = pipeline(tmp_path, db_url, server, slack, monkeypatch)
        try:
            first = watcher.run_cycle(force=True)
            assert (first.poll.new_documents, first.delivery.sent) == (1, 1), first.poll.errors
            server.set(FEED, page(META_RELEASE), content_type="application/atom+xml")
            second = watcher.run_cycle(force=True)
        finally:
            watcher.close()
        assert (second.poll.failed, second.poll.new_documents) == (0, 0), second.poll.errors
        assert server.count(EXHIBIT) == 1
        assert len(slack.messages) == 1
    assert documents(watcher.engine) == [("sec-meta-filings", ACCN)]
    assert event_count(watcher.engine) == 1


def test_without_a_submissions_source_the_release_is_the_feeds_document(tmp_path, monkeypatch):
    with FeedServer() as server, SlackServer() as slack:
        serve_edgar(server, page(META_RELEASE))
        watcher = pipeline(tmp_path, None, server, slack, monkeypatch, with_submissions=False)
        try:
            cycle = watcher.run_cycle(force=True)
        finally:
            watcher.close()
        assert (cycle.poll.new_documents, cycle.delivery.sent) == (1, 1), cycle.poll.errors
    assert documents(watcher.engine) == [("edgar-current", ACCN)]


# --- failures ----------------------------------------------------------------------------


def source_errors(engine) -> dict[str, str | None]:
    with session_scope(engine) as session:
        return {s.name: s.last_error for s in session.exec(select(Source)) if s.enabled}


def test_a_429_on_the_exhibit_pauses_every_sec_request(tmp_path, monkeypatch):
    with FeedServer() as server, SlackServer() as slack:
        serve_edgar(server, page(META_RELEASE), QUARTERLY_REPORT)
        server.set(FOLDER + "index.json", b"slow down", status=429, headers={"Retry-After": "600"})
        watcher = pipeline(tmp_path, None, server, slack, monkeypatch)
        try:
            watcher.poll(force=True)
            errors = source_errors(watcher.engine)
            assert "429" in (errors["edgar-current"] or "") and ACCN in errors["edgar-current"]
            assert server.count(EXHIBIT) == 0
            asked = len(server.requests)
            again = watcher.poll(force=True)
        finally:
            watcher.close()
        # Paused for 600 s: no SEC request leaves, whichever source asks.
        assert len(server.requests) == asked
        assert set(again.errors) == {"edgar-current", "sec-meta-filings"}
        assert all("slow down" in error for error in again.errors.values())
    assert documents(watcher.engine) == []


def test_a_429_on_the_feed_pauses_every_sec_request(tmp_path, monkeypatch):
    with FeedServer() as server, SlackServer() as slack:
        serve_edgar(server, page(META_RELEASE), QUARTERLY_REPORT)
        server.set(FEED, b"slow down", status=429, headers={"Retry-After": "600"})
        watcher = pipeline(tmp_path, None, server, slack, monkeypatch)
        try:
            first = watcher.poll(force=True)
            assert "429" in first.errors["edgar-current"]
            asked = server.count()
            assert server.count(FEED + FEED_QUERY) == 1
            again = watcher.poll(force=True)
        finally:
            watcher.close()
        assert server.count() == asked
        assert all("slow down" in error for error in again.errors.values())
        assert set(again.errors) == {"edgar-current", "sec-meta-filings"}


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Service unavailable</body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item>'
        b"<title>Chip stocks rise</title><guid>n1</guid></item></channel></rss>",
        page(META_RELEASE)[:4000],  # cut off in the middle of an entry
    ],
    ids=["html", "another-feed", "truncated"],
)
def test_a_page_that_is_not_edgars_fails_that_source_only(tmp_path, monkeypatch, body):
    with FeedServer() as server, SlackServer() as slack:
        serve_edgar(server, body, RELEASE_IN_SUBMISSIONS)
        watcher = pipeline(tmp_path, None, server, slack, monkeypatch)
        try:
            cycle = watcher.run_cycle(force=True)
        finally:
            watcher.close()
        # The submissions path still delivers the release.
        assert cycle.delivery.sent == 1
    errors = source_errors(watcher.engine)
    assert errors["sec-meta-filings"] is None
    assert errors["edgar-current"], "the broken page is named on its source"
    assert "\n" not in errors["edgar-current"]


# --- configuration -----------------------------------------------------------------------


def test_feeds_file_entry_defaults_and_checks(tmp_path):
    path = tmp_path / "feeds.yaml"
    url = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom"
    path.write_text(f"sources:\n  - name: edgar-current\n    url: {url}\n    kind: sec_current\n")
    (source,) = load_sources(path)
    assert source.interval == timedelta(seconds=30)
    for extra, words in (("    company: META\n", "company"), ("    interval: 10s\n", "30s")):
        path.write_text(
            f"sources:\n  - name: edgar-current\n    url: {url}\n    kind: sec_current\n{extra}"
        )
        with pytest.raises(Exception) as raised:
            load_sources(path)
        assert "sources[0]" in str(raised.value) and words in str(raised.value)
    shipped = load_sources(PROJECT / "config" / "feeds.yaml")
    assert [s.name for s in shipped if s.kind == "sec_current"] == ["sec-current-8k"]


def test_due_sources_are_looked_for_often_enough_for_the_fastest():
    assert poll_tick(30, [timedelta(seconds=30), timedelta(minutes=15)]) == 7.5
    assert poll_tick(30, [timedelta(minutes=15)]) == 30
    assert poll_tick(30, []) == 30
    assert poll_tick(0.5, [timedelta(seconds=2)]) == 0.5


# --- the daemon, end to end --------------------------------------------------------------


@pytest.mark.slow
def test_daemon_delivers_a_release_within_a_minute_of_edgar_listing_it(tmp_path):
    """`watcher run`, the feed polled every 30 s: the release is published right after a
    poll (the worst case), and must still be in Slack within 60 s."""
    with FeedServer() as server, SlackServer() as slack:
        serve_edgar(server, page(), QUARTERLY_REPORT)
        env = watcher_env(tmp_path, **edgar_settings(tmp_path, server, slack))
        daemon = subprocess.Popen(
            [str(WATCHER), "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(lambda: server.count(FEED + FEED_QUERY) >= 1, daemon, 60, "the first poll")
            server.set(FEED, page(META_RELEASE), content_type="application/atom+xml")
            listed = time.monotonic()
            wait_for(lambda: bool(slack.messages), daemon, 60, "the Slack message")
            took = time.monotonic() - listed
        finally:
            daemon.terminate()
            _, stderr = daemon.communicate(timeout=30)
        assert took < 60, stderr
        assert server.count(FEED + FEED_QUERY) >= 2
        (message,) = slack.messages
        assert "$74 billion to $78 billion" in message.all_text()


def wait_for(condition, daemon: subprocess.Popen, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if daemon.poll() is not None:
            raise AssertionError(f"the daemon exited before {what}: {daemon.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {seconds} s")
        time.sleep(0.1)
