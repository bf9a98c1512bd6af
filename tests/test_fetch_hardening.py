"""What an adversarial review found in fetching (issue 12, item 6), against local servers: a
deadline over the headers too, credentials kept out of every URL we store or show, redirects
kept off internal addresses, implausible publication dates."""

from __future__ import annotations

import base64
import json
import logging
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlmodel import select as select_rows

from tests.conftest import WATCHER, watcher_env
from tests.support.feed_server import FeedServer, connections_counted
from tests.support.slack_server import SlackServer
from tests.support.smtp_server import SmtpServer
from watcher.errors import ConfigError
from watcher.http_util import redact_urls, split_credentials, without_credentials
from watcher.logs import make_formatter
from watcher.settings import Settings
from watcher.sources import http, watched
from watcher.sources.config import SourceConfig, credential_variables, load_sources
from watcher.sources.errors import FetchError
from watcher.sources.feeds import plausible_published
from watcher.sources.http import FetchClient, fetch, make_client
from watcher.sources.outcomes import MOVE_AFTER
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Document, Observation, Source

BODY = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
PASSWORD = "s3cret-Pa55word"


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def inner() -> Iterator[FeedServer]:
    """A second local server: to the first, another origin at an internal address."""
    with FeedServer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[FetchClient]:
    with make_client(user_agent="capex-watcher-test/1.0", read_timeout=5) as made:
        yield made


def with_credentials(url: str, user: str = "reader", password: str = PASSWORD) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}:{password}@{rest}"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --- one deadline over connect, headers and body ------------------------------------------


def test_headers_sent_a_byte_at_a_time_stop_at_the_deadline(server, client):
    # 200 header bytes, one every 0.05 s (10 s in all), then a whole answer: each byte comes
    # long before the 5 s read timeout, so only a deadline over the headers makes this raise
    # while they are still coming (before, it raised only in the body, the headers read).
    server.slow_headers("/stall", BODY, interval=0.05, limit=200)
    with pytest.raises(FetchError, match="deadline of 1 s passed while waiting for the response"):
        fetch(client, server.url("/stall"), deadline=1.0)


def test_the_deadline_spans_every_redirect(server, client):
    server.redirect("/a", "/stall", permanent=False)
    server.slow_headers("/stall", BODY, interval=0.05, limit=200)
    with pytest.raises(FetchError, match="deadline of 1 s passed while waiting"):
        fetch(client, server.url("/a"), deadline=1.0)


def test_a_fetch_within_its_deadline_is_whole(server, client):
    server.slow_headers("/slowish", BODY, interval=0.01, limit=5)
    assert fetch(client, server.url("/slowish"), deadline=30).body == BODY


def test_a_kept_connection_is_reused_and_still_cut_by_the_deadline(server, client):
    # Connections are kept between fetches; a stuck fetch on a kept one is cut all the same,
    # and the cut connection never goes back into use.
    accepted = connections_counted(server)
    server.set("/feed", BODY)
    for _ in range(3):
        assert fetch(client, server.url("/feed")).body == BODY
    assert len(accepted) == 1
    server.slow_headers("/stall", BODY, interval=0.05, limit=200)
    with pytest.raises(FetchError, match="deadline of 1 s passed while waiting for the response"):
        fetch(client, server.url("/stall"), deadline=1.0)
    assert len(accepted) == 1  # the stuck fetch was on the kept connection
    assert fetch(client, server.url("/feed")).body == BODY
    assert len(accepted) == 2


def test_deadlines_of_fetches_side_by_side_each_cut_their_own(server, client):
    # One thread watches every deadline: the earlier and the later stuck fetch are each cut
    # at their own, and a fetch beside them that is not stuck is whole.
    server.slow_headers("/stall", BODY, interval=0.05, limit=400)
    server.set("/feed", BODY)
    outcomes: dict[str, object] = {}

    def run(name: str, path: str, deadline: float) -> None:
        try:
            outcomes[name] = fetch(client, server.url(path), deadline=deadline).body
        except FetchError as exc:
            outcomes[name] = str(exc)

    threads = [
        threading.Thread(target=run, args=("later", "/stall", 1.5)),
        threading.Thread(target=run, args=("earlier", "/stall", 0.5)),
        threading.Thread(target=run, args=("whole", "/feed", 30.0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes["whole"] == BODY
    assert str(outcomes["earlier"]).startswith("deadline of 0.5 s passed while waiting")
    assert str(outcomes["later"]).startswith("deadline of 1.5 s passed while waiting")


# --- credentials ---------------------------------------------------------------------------


def test_credentials_in_the_url_are_sent_but_never_returned(server, client):
    server.set("/feed", BODY)
    result = fetch(client, with_credentials(server.url("/feed")))
    assert server.last("/feed").headers["authorization"] == basic("reader", PASSWORD)
    assert result.url == server.url("/feed")


def test_credentials_given_apart_are_sent(server, client):
    server.set("/feed", BODY)
    fetch(client, server.url("/feed"), auth=("reader", PASSWORD))
    assert server.last("/feed").headers["authorization"] == basic("reader", PASSWORD)


@pytest.mark.parametrize("status", [401, 404, 500])
def test_an_error_never_quotes_the_credentials(server, client, status):
    server.set("/feed", b"no", status=status)
    with pytest.raises(FetchError) as caught:
        fetch(client, with_credentials(server.url("/feed")))
    assert PASSWORD not in str(caught.value) and "reader" not in str(caught.value)
    assert server.url("/feed") in str(caught.value)


def test_connection_errors_never_quote_the_credentials(client):
    with FeedServer() as gone:
        url = with_credentials(gone.url("/feed"))
    with pytest.raises(FetchError) as caught:
        fetch(client, url)
    assert PASSWORD not in str(caught.value)


def test_credentials_stay_on_the_configured_origin(server, inner, client):
    inner.set("/feed", BODY)
    server.redirect("/feed", inner.url("/feed"), permanent=False)
    fetch(client, server.url("/feed"), auth=("reader", PASSWORD), allow_internal_redirects=True)
    assert server.last("/feed").headers["authorization"] == basic("reader", PASSWORD)
    assert "authorization" not in inner.last("/feed").headers


def test_user_info_in_a_redirect_is_dropped(server, client):
    server.set("/feed", BODY)
    server.redirect("/a", with_credentials(server.url("/feed"), "x", "from-the-server"))
    result = fetch(client, server.url("/a"))
    assert result.url == result.permanent_redirect_to == server.url("/feed")
    assert "authorization" not in server.last("/feed").headers


def test_url_credentials_helpers():
    url = "https://me:p%40ss@feeds.example:8443/rss?q=1"
    assert split_credentials(url) == ("https://feeds.example:8443/rss?q=1", ("me", "p@ss"))
    assert split_credentials("https://feeds.example/rss") == ("https://feeds.example/rss", None)
    assert without_credentials("https://token@feeds.example/") == "https://feeds.example/"
    text = "ConnectError fetching https://me:p@ss@feeds.example/rss and http://a@b/c"
    assert redact_urls(text) == "ConnectError fetching https://feeds.example/rss and http://b/c"


def test_a_feeds_file_url_gives_up_its_credentials(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "sources:\n"
        f"  - name: members\n    url: https://reader:{PASSWORD}@ir.example/rss\n"
        "  - name: ir-feed.v2\n    url: https://reader:from-the-url@ir.example/v2\n"
        "  - name: open\n    url: https://news.example/rss\n"
    )
    environ = {"WATCHER_FEED_IR_FEED_V2_PASSWORD": "from-the-environment"}
    members, v2, open_feed = load_sources(feeds, environ=environ)
    assert (members.url, members.auth) == ("https://ir.example/rss", ("reader", PASSWORD))
    assert (v2.url, v2.auth) == ("https://ir.example/v2", ("", "from-the-environment"))
    assert (open_feed.url, open_feed.auth) == ("https://news.example/rss", None)
    assert credential_variables("ir-feed.v2") == (
        "WATCHER_FEED_IR_FEED_V2_USERNAME",
        "WATCHER_FEED_IR_FEED_V2_PASSWORD",
    )
    assert PASSWORD not in repr(members) and PASSWORD not in members.model_dump_json()


def test_a_bad_url_is_named_without_its_credentials(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(f"sources:\n  - name: members\n    url: ftp://reader:{PASSWORD}@x/rss\n")
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url") as caught:
        load_sources(feeds, environ={})
    assert PASSWORD not in str(caught.value)


def test_feed_passwords_from_the_environment_are_masked_in_every_log_line(monkeypatch):
    monkeypatch.setenv("WATCHER_FEED_MEMBERS_PASSWORD", PASSWORD)
    formatter = make_formatter(Settings())
    record = logging.LogRecord("t", logging.WARNING, __file__, 1, "sent %s", (PASSWORD,), None)
    assert PASSWORD not in formatter.format(record)


# --- redirects off the configured origin -----------------------------------------------------


@pytest.mark.parametrize("permanent", [True, False])
def test_a_redirect_to_another_internal_server_is_refused(server, inner, client, permanent):
    # The first server stands for a public feed (its origin is the configured one); the
    # second for an internal service it points us at.
    inner.set("/admin", BODY)
    server.redirect("/feed", inner.url("/admin"), permanent=permanent)
    with pytest.raises(FetchError, match="redirect to an internal address refused"):
        fetch(client, server.url("/feed"))
    assert inner.count() == 0


def test_a_redirect_by_name_to_the_loopback_is_refused(server, inner, client):
    inner.set("/admin", BODY)
    server.redirect("/feed", inner.url("/admin").replace("127.0.0.1", "localhost"))
    with pytest.raises(FetchError, match="internal address refused"):
        fetch(client, server.url("/feed"))
    assert inner.count() == 0


def test_a_name_that_changes_address_before_connecting_is_refused(
    server, inner, client, monkeypatch
):
    # DNS rebinding: checked, the name is public; by the time we connect it is the loopback.
    real = socket.getaddrinfo
    asked: list[str] = []

    def resolve(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = "93.184.216.34" if len(asked) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    inner.set("/admin", BODY)
    server.redirect("/feed", inner.url("/admin").replace("127.0.0.1", "rebind.test"))
    with pytest.raises(FetchError, match=r"internal address refused: \S+ is 127\.0\.0\.1"):
        fetch(client, server.url("/feed"))
    assert len(asked) == 2 and inner.count() == 0


def test_a_kept_connection_is_checked_again_for_a_redirect_off_the_origin(
    server, inner, client, monkeypatch
):
    # A source at home on a name that pointed at the loopback left its connection in the
    # pool; a redirect elsewhere to that name, public by the time it is checked, must not
    # slip through on the kept connection.
    real = socket.getaddrinfo
    asked: list[str] = []

    def resolve(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        asked.append(host)
        address = "93.184.216.34" if len(asked) == 2 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    inner.set("/feed", BODY)
    inner.set("/admin", BODY)
    at_home = inner.url("/feed").replace("127.0.0.1", "rebind.test")
    assert fetch(client, at_home).body == BODY  # its own origin: any address
    server.redirect("/feed", inner.url("/admin").replace("127.0.0.1", "rebind.test"))
    with pytest.raises(FetchError, match=r"internal address refused: \S+ is 127\.0\.0\.1"):
        fetch(client, server.url("/feed"))
    assert len(asked) == 2  # the kept connection was taken: no new lookup to connect
    assert inner.count("/admin") == 0


def test_a_redirect_targets_lookup_is_bounded_by_the_deadline(server, inner, client, monkeypatch):
    # A resolver that never answers for the redirect's name: the fetch ends at its deadline
    # with the reason, not when the resolver gives up.
    real = socket.getaddrinfo
    answer = threading.Event()

    def resolve(host, port, *args, **kwargs):
        if host == "stuck.test":
            answer.wait()
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    server.redirect("/feed", inner.url("/feed").replace("127.0.0.1", "stuck.test"))
    try:
        with pytest.raises(FetchError, match=r"deadline of 0\.5 s passed while resolving stuck"):
            fetch(client, server.url("/feed"), deadline=0.5)
    finally:
        answer.set()
    assert inner.count() == 0


def test_redirects_within_the_configured_origin_are_followed(server, client):
    # The configured URL may itself be internal (a feed on the intranet).
    server.set("/new", BODY)
    server.redirect("/old", "/new", permanent=True)
    result = fetch(client, server.url("/old"))
    assert result.body == BODY and result.permanent_redirect_to == server.url("/new")


def test_a_source_moved_inward_earlier_is_refused(server, inner, client):
    # A move stored before moves were checked: the stored URL is off the configured origin
    # and internal, so it is refused like a redirect there.
    inner.set("/moved", BODY)
    with pytest.raises(FetchError, match="internal address refused"):
        fetch(client, inner.url("/moved"), home=server.url("/feed"))
    assert inner.count() == 0


def test_an_allowed_internal_redirect_is_followed_but_never_a_move(server, inner, client):
    inner.set("/feed", BODY)
    server.redirect("/feed", inner.url("/feed"), permanent=True)
    result = fetch(client, server.url("/feed"), allow_internal_redirects=True)
    assert result.body == BODY and result.url == inner.url("/feed")
    assert result.permanent_redirect_to is None


# --- one cycle beside hostile sources ---------------------------------------------------------

NOW = datetime.now(UTC)
ENV_PASSWORD = "env-Pa55word-for-a-feed"


def rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS feed of (title, text, link) items published an hour ago; links may be relative
    (made absolute against the feed's URL)."""
    date = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{date}</pubDate><description>{text}</description></item>"
        for title, text, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>wire</title>'
        f"<link>/</link><description>test feed</description>{body}</channel></rss>"
    ).encode()


META_RAISE = (
    f"Meta lifts its {NOW.year} capex outlook",
    f"Meta Platforms now anticipates {NOW.year} capital expenditures of $64 billion to $72 "
    "billion, increased from its prior outlook of $60 billion to $65 billion, to add capacity "
    "for its AI work.",
    "https://news.example/meta-capex",
)
GOOGL_RAISE = (
    f"Alphabet lifts its {NOW.year} capex outlook",
    f"Alphabet now anticipates {NOW.year} capital expenditures of $85 billion, increased from "
    "its prior outlook of $75 billion, to meet demand for its cloud.",
    "/members/alphabet-capex",  # relative: made absolute against the credentialed feed URL
)


def database_text(url: str) -> str:
    """Every value of every row of every table, as text."""
    engine = create_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return "\n".join(
                repr(tuple(row))
                for table in metadata.sorted_tables
                for row in connection.execute(select(table))
            )
    finally:
        engine.dispose()


def wait_for(process: subprocess.Popen, seconds: float) -> int:
    """The process's exit status, polled for up to `seconds` (then it is killed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return process.returncode
        time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"not finished within {seconds:g} s")


@pytest.mark.slow
def test_one_cycle_beside_a_stalled_a_credentialed_and_a_redirecting_source(
    tmp_path, db_url, run_watcher
):
    with (
        FeedServer() as good,
        FeedServer() as stalled,
        FeedServer() as bouncer,
        FeedServer() as inside,
        SlackServer() as slack,
        SmtpServer() as smtp,
    ):
        good.set("/wire.rss", rss(META_RAISE), content_type="application/rss+xml")
        good.set("/members.rss", rss(GOOGL_RAISE), content_type="application/rss+xml")
        good.set("/env.rss", rss(), content_type="application/rss+xml")
        stalled.slow_headers("/stall.rss", interval=0.5)  # forever, until the test ends
        inside.set("/admin.rss", rss(), content_type="application/rss+xml")
        bouncer.redirect("/feed.rss", inside.url("/admin.rss"), permanent=True)
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(
            "sources:\n"
            f"  - name: good-wire\n    url: {good.url('/wire.rss')}\n"
            f"  - name: stalled\n    url: {stalled.url('/stall.rss')}\n"
            f"  - name: members\n    url: {with_credentials(good.url('/members.rss'))}\n"
            f"  - name: members-gone\n    url: {with_credentials(good.url('/gone.rss'))}\n"
            f"  - name: members.env\n    url: {good.url('/env.rss')}\n"
            f"  - name: bounced\n    url: {bouncer.url('/feed.rss')}\n"
        )
        settings = {
            "database__url": db_url,
            "sources__file": str(feeds),
            "sources__fetch_deadline": "5",
            "slack__token": slack.token,
            "slack__api_url": slack.api_url,
            "email__host": smtp.host,
            "email__port": str(smtp.port),
            "email__security": "none",
            "email__to": '["analyst@example.org"]',
        }
        env = watcher_env(tmp_path, **settings)
        env["WATCHER_FEED_MEMBERS_ENV_PASSWORD"] = ENV_PASSWORD
        with subprocess.Popen(
            [str(WATCHER), "run", "--once"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as run:
            status = wait_for(run, 120)
            out, err = run.communicate()
        # The stalled server never ends its headers: only a deadline over them lets the cycle
        # end (before, it did not).
        assert status == 0, err

        # The good feed and the credentialed one were alerted, on Slack and by email.
        alerts = "\n".join(message.all_text() for message in slack.messages)
        assert "$64 billion to $72 billion" in alerts and "$85 billion" in alerts
        assert len(smtp.received) == 2
        # Credentials went to their feeds, apart from the URL.
        assert good.last("/members.rss").headers["authorization"] == basic("reader", PASSWORD)
        assert good.last("/env.rss").headers["authorization"] == basic("", ENV_PASSWORD)
        # The redirect inward was refused: the inside server never saw a request.
        assert inside.count() == 0

        shown = [out, err]
        for command in (["sources"], ["status"], ["events", "--json"]):
            result = run_watcher(*command, **settings)
            assert result.returncode == 0, result.stderr
            shown += [result.stdout, result.stderr]
        listing = shown[2]
        assert "redirect to an internal address refused" in listing
        assert "deadline of 5 s passed while waiting for the response headers" in listing
        assert good.url("/members.rss") in listing

        everything = "\n".join(
            [
                *shown,
                *(repr(message) for message in slack.messages),
                *(received.message.as_string() for received in smtp.received),
                database_text(db_url),
            ]
        )
        for secret in (PASSWORD, ENV_PASSWORD, "reader:"):
            assert secret not in everything


# --- permanent redirects, stored only once seen consistently -----------------------------------


@pytest.fixture
def polling(db_url, server, client):
    """(engine, poll): a store on the test's database, and one forced poll of its sources."""
    engine = make_engine(db_url)
    upgrade(engine)

    def poll(**limits):
        return poll_sources(engine, client, FetchLimits(**limits), force=True)

    yield engine, poll
    engine.dispose()


def stored(engine, name: str) -> Source:
    with session_scope(engine) as session:
        return session.exec(select_rows(Source).where(Source.name == name)).one()


def test_a_move_interrupted_starts_over(polling, server):
    engine, poll = polling
    server.set("/feed.rss", rss(), content_type="application/rss+xml")
    server.set("/new.rss", rss(), content_type="application/rss+xml")
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/feed.rss"))])
    for _ in range(MOVE_AFTER - 1):
        server.redirect("/feed.rss", "/new.rss", permanent=True)
        poll()
    server.set("/feed.rss", rss(), content_type="application/rss+xml")  # the 301 was a slip
    poll()
    assert stored(engine, "a").moved_seen == 0
    server.redirect("/feed.rss", "/new.rss", permanent=True)
    for _ in range(MOVE_AFTER - 1):
        poll()
    assert stored(engine, "a").url == server.url("/feed.rss")


def test_a_move_to_changing_places_is_never_stored(polling, server):
    engine, poll = polling
    for path in ("/one.rss", "/two.rss"):
        server.set(path, rss(), content_type="application/rss+xml")
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/feed.rss"))])
    for turn in range(2 * MOVE_AFTER):
        server.redirect("/feed.rss", "/one.rss" if turn % 2 else "/two.rss", permanent=True)
        poll()
    assert stored(engine, "a").url == server.url("/feed.rss")


def test_a_move_inward_is_never_stored_even_when_followed(polling, server, inner):
    engine, poll = polling
    inner.set("/feed.rss", rss(META_RAISE), content_type="application/rss+xml")
    server.redirect("/feed.rss", inner.url("/feed.rss"), permanent=True)
    sync_sources(engine, [SourceConfig(name="a", url=server.url("/feed.rss"))])
    assert poll().failed == 1  # refused by default
    assert "internal address refused" in (stored(engine, "a").last_error or "")
    for _ in range(MOVE_AFTER + 1):
        counts = poll(allow_internal_redirects=True)
        assert counts.failed == 0
    source = stored(engine, "a")
    assert source.url == server.url("/feed.rss") and source.moved_to is None


# --- implausible publication dates ----------------------------------------------------------------

FIRST_OUTLOOK = (
    f"Meta Platforms said it expects full-year {NOW.year} capital expenditures, including "
    "principal payments on finance leases, to be in the range of $60 billion to $65 billion."
)


def dated_rss(*items: tuple[str, str, str, str]) -> bytes:
    """An RSS feed of (guid, title, text, pubDate) items."""
    body = "".join(
        f"<item><title>{title}</title><guid>urn:test:{guid}</guid><link>https://news.example/{guid}"
        f"</link><pubDate>{date}</pubDate><description>{text}</description></item>"
        for guid, title, text, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>wire</title>'
        f"<link>https://news.example/</link><description>d</description>{body}</channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "date",
    [
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Mon, 01 Jan 1900 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ],
)
@pytest.mark.slow
def test_a_raise_with_an_implausible_date_is_alerted_as_a_raise(
    tmp_path, db_url, run_watcher, date
):
    # The outlook of three weeks ago and its raise, the raise dated absurdly: ordered by that
    # date, the outlook would read as a cut of the raise.
    with FeedServer() as feeds:
        feeds.set(
            "/wire.rss",
            dated_rss(
                (
                    "outlook",
                    f"Meta sets out its {NOW.year} plan",
                    FIRST_OUTLOOK,
                    format_datetime(NOW - timedelta(days=21), usegmt=True),
                ),
                ("raise", META_RAISE[0], META_RAISE[1], date),
            ),
            content_type="application/rss+xml",
        )
        (tmp_path / "feeds.yaml").write_text(
            f"sources:\n  - name: wire\n    url: {feeds.url('/wire.rss')}\n"
        )
        settings = {"sources__file": str(tmp_path / "feeds.yaml"), "database__url": db_url}
        before = datetime.now(UTC)
        result = run_watcher("run", "--once", **settings)
        assert result.returncode == 0, result.stderr
        events = run_watcher("events", "--json", **settings)
    found = [json.loads(line) for line in events.stdout.splitlines() if line.strip()]
    assert [event["change"] for event in found] == ["raised"]
    assert (found[0]["low"], found[0]["prior_low"]) == (64_000_000_000, 60_000_000_000)
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            documents = {d.key: d for d in session.exec(select_rows(Document))}
            raise_, outlook = documents["urn:test:raise"], documents["urn:test:outlook"]
            assert raise_.published_at == raise_.fetched_at >= before
            assert date[12:16] in (raise_.published_note or "")
            assert outlook.published_note is None and outlook.published_at < before
            observed = session.exec(
                select_rows(Observation).where(Observation.document_id == raise_.id)
            ).all()
            assert observed and all(o.published_at == raise_.fetched_at for o in observed)
    finally:
        engine.dispose()


def test_plausible_dates_are_kept():
    fetched = datetime(2026, 3, 1, 12, tzinfo=UTC)
    for published in (datetime(1990, 1, 1, tzinfo=UTC), fetched + timedelta(hours=23)):
        assert plausible_published(published, fetched) == (published, None)
    assert plausible_published(None, fetched) == (None, None)
    replaced, note = plausible_published(fetched + timedelta(days=2), fetched)
    assert replaced == fetched and note and "2026-03-03" in note


# --- a stuck daemon is restarted ------------------------------------------------------------------


@pytest.mark.slow
def test_a_stuck_daemon_exits_to_be_restarted_and_pings_systemd_until_then(tmp_path):
    # Slack holds the alert's request unanswered (and the Slack timeout is long): the first
    # cycle never finishes. The daemon tells systemd it is alive until the stall limit, then
    # exits with status 70 for its supervisor to restart it.
    notify_path = tmp_path / "notify"
    with (
        socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as manager,
        FeedServer() as feeds,
        SlackServer() as slack,
    ):
        manager.bind(str(notify_path))
        manager.settimeout(0.2)
        feeds.set("/wire.rss", rss(META_RAISE), content_type="application/rss+xml")
        (tmp_path / "feeds.yaml").write_text(
            f"sources:\n  - name: wire\n    url: {feeds.url('/wire.rss')}\n"
        )
        slack.hold()
        env = watcher_env(
            tmp_path,
            sources__file=str(tmp_path / "feeds.yaml"),
            slack__token=slack.token,
            slack__api_url=slack.api_url,
            slack__timeout="600",
            scheduler__tick_seconds="1",
            scheduler__stall_seconds="3",
        )
        env["NOTIFY_SOCKET"] = str(notify_path)
        with subprocess.Popen(
            [str(WATCHER), "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as daemon:
            status = wait_for(daemon, 90)
            _, err = daemon.communicate()
            messages = []
            while True:
                try:
                    messages.append(manager.recv(4096).decode())
                except TimeoutError:
                    break
        assert slack.in_flight() == 1  # the request that held the cycle
        slack.release()
    assert status == 70, err
    assert "stalled: no cycle finished for" in err
    assert messages[0] == "READY=1" and "WATCHDOG=1" in messages


def test_a_url_whose_host_is_ambiguous_is_refused(client):
    # Python's URL parser and the HTTP client could read a different host out of it: the
    # address checks would look at one and the request go to the other.
    with pytest.raises(FetchError, match="ambiguous"):
        fetch(client, "http://127.0.0.1\\.feeds.example/rss")


def test_a_url_with_an_impossible_port_says_why(client):
    with pytest.raises(FetchError, match=r"not an http\(s\) URL \(.*99999") as caught:
        fetch(client, "http://127.0.0.1:99999/rss")
    assert "ambiguous" not in str(caught.value)


def test_a_connection_closed_while_its_lock_is_held_does_not_wait_for_itself():
    # The garbage collector may close a dropped pool's connections in any thread, one that
    # holds the connections' lock included (the deadline watchdog cutting connections).
    left, right = socket.socketpair()
    connection = watched._Connection(left)
    done = threading.Event()

    def close_under_the_lock() -> None:
        with watched._USE:
            connection.close()
        done.set()

    threading.Thread(target=close_under_the_lock, daemon=True).start()
    try:
        assert done.wait(10), "closing a connection under its own lock never returned"
        assert connection.closed
    finally:
        left.close()
        right.close()


def test_a_name_is_checked_as_the_client_will_ask_for_it(monkeypatch):
    # 'ß' is 'ss' in IDNA 2003 (Python's own lookup) but kept in IDNA 2008 (what urllib3 asks
    # a proxy for): the address check must look up the name the request will carry.
    asked: list[str] = []

    def resolve(host: str, port: int, seconds: float) -> list:
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(http, "_resolve", resolve)
    assert http._internal_address("http://faß.example/feed", time.monotonic(), 5) == "10.0.0.7"
    assert asked == ["xn--fa-hia.example"]
