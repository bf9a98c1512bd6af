"""What an adversarial review found in fetching (issue 12, item 6), against local servers: a
deadline over the headers too, credentials kept out of every URL we store or show, redirects
kept off internal addresses, implausible publication dates."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.support.feed_server import FeedServer
from watcher.http_util import redact_urls, split_credentials, without_credentials
from watcher.sources.errors import FetchError
from watcher.sources.http import fetch, make_client

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
def client() -> Iterator[httpx.Client]:
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
    # long before the 5 s read timeout, so only a deadline over the headers makes this raise.
    server.slow_headers("/stall", BODY, interval=0.05, limit=200)
    with pytest.raises(FetchError, match="deadline of 1 s passed while waiting for the response"):
        fetch(client, server.url("/stall"), deadline=1.0)
    assert server.busy("/stall") == 1  # given up on while the server was still dribbling


def test_the_deadline_spans_every_redirect(server, client):
    server.redirect("/a", "/stall", permanent=False)
    server.slow_headers("/stall", BODY, interval=0.05, limit=200)
    with pytest.raises(FetchError, match="deadline of 1 s passed while waiting"):
        fetch(client, server.url("/a"), deadline=1.0)
    assert server.busy("/stall") == 1


def test_a_fetch_within_its_deadline_is_whole(server, client):
    server.slow_headers("/slowish", BODY, interval=0.01, limit=5)
    assert fetch(client, server.url("/slowish"), deadline=30).body == BODY


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
