"""Fetching against the local feed server: conditional GET, redirects, errors, size and time
limits, and backoff."""

from __future__ import annotations

import base64
import gzip
import random
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from tests.support.feed_server import FeedServer, connections_counted, http_date
from tests.support.waiting import wait_for
from watcher.sources.errors import FetchError, SourceError
from watcher.sources.http import FetchClient, backoff_delay, fetch, make_client

BODY = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as running:
        yield running


@pytest.fixture
def client() -> Iterator[FetchClient]:
    with make_client(user_agent="capex-watcher-test/1.0", read_timeout=5) as made:
        yield made


def test_fetch_returns_body_and_validators(server, client):
    modified = http_date(1_700_000_000)
    server.set(
        "/feed", BODY, content_type="application/rss+xml", etag='"v1"', last_modified=modified
    )
    result = fetch(client, server.url("/feed"))
    assert (result.status, result.body, result.content_type) == (200, BODY, "application/rss+xml")
    assert (result.etag, result.last_modified) == ('"v1"', modified)
    assert result.url == server.url("/feed")
    assert not (result.not_modified or result.gone or result.permanent_redirect_to)
    assert result.elapsed >= 0


def test_user_agent_is_sent(server, client):
    server.set("/feed", BODY)
    fetch(client, server.url("/feed"))
    assert server.last("/feed").headers["user-agent"] == "capex-watcher-test/1.0"


def test_etag_round_trip_gives_304_without_body(server, client):
    server.set("/feed", BODY, etag='"v1"')
    first = fetch(client, server.url("/feed"))
    second = fetch(client, server.url("/feed"), etag=first.etag)
    assert second.not_modified and second.status == 304 and second.body is None
    assert second.etag == '"v1"'
    assert server.last("/feed").headers["if-none-match"] == '"v1"'
    assert (server.count("/feed", status=200), server.count("/feed", status=304)) == (1, 1)


def test_last_modified_round_trip_gives_304(server, client):
    server.set("/feed", BODY, last_modified=http_date(1_700_000_000))
    first = fetch(client, server.url("/feed"))
    second = fetch(client, server.url("/feed"), last_modified=first.last_modified)
    assert second.not_modified and second.body is None
    assert second.last_modified == first.last_modified
    assert server.last("/feed").headers["if-modified-since"] == first.last_modified


def test_changed_feed_is_fetched_again(server, client):
    server.set("/feed", BODY, etag='"v1"')
    first = fetch(client, server.url("/feed"))
    server.set("/feed", BODY + b" ", etag='"v2"')
    second = fetch(client, server.url("/feed"), etag=first.etag)
    assert not second.not_modified and second.body == BODY + b" " and second.etag == '"v2"'


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_is_reported(server, client, status):
    server.set("/new", BODY)
    server.redirect("/old", "/new", status=status)
    result = fetch(client, server.url("/old"))
    assert result.body == BODY
    assert result.url == result.permanent_redirect_to == server.url("/new")


@pytest.mark.parametrize("status", [302, 303, 307])
def test_temporary_redirect_is_followed_but_not_reported(server, client, status):
    server.set("/new", BODY)
    server.redirect("/old", "/new", status=status)
    result = fetch(client, server.url("/old"))
    assert result.body == BODY and result.url == server.url("/new")
    assert result.permanent_redirect_to is None


def test_permanent_then_temporary_reports_the_permanent_part(server, client):
    server.set("/c", BODY)
    server.redirect("/a", "/b", permanent=True)
    server.redirect("/b", "/c", permanent=False)
    result = fetch(client, server.url("/a"))
    assert result.permanent_redirect_to == server.url("/b")
    assert result.url == server.url("/c")


def test_redirect_loop_fails(server, client):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    with pytest.raises(FetchError, match="redirects"):
        fetch(client, server.url("/a"))


def test_redirect_to_a_local_file_is_refused(server, client):
    server.redirect("/a", "file:///etc/passwd")
    with pytest.raises(FetchError, match="http"):
        fetch(client, server.url("/a"))


def test_410_means_gone_without_error(server, client):
    server.set("/feed", b"removed", status=410)
    result = fetch(client, server.url("/feed"))
    assert result.gone and result.status == 410 and result.body is None


@pytest.mark.parametrize("status", [403, 404, 500, 503])
def test_error_status_raises_with_the_status(server, client, status):
    server.set("/feed", b"no", status=status)
    with pytest.raises(FetchError, match=str(status)) as caught:
        fetch(client, server.url("/feed"))
    assert isinstance(caught.value, SourceError)


def test_unknown_path_is_404(server, client):
    with pytest.raises(FetchError, match="404"):
        fetch(client, server.url("/nothing"))


def test_connection_refused_is_a_fetch_error(client):
    with FeedServer() as gone:
        url = gone.url("/feed")
    with pytest.raises(FetchError):
        fetch(client, url)


def test_slow_headers_time_out(server):
    server.set("/feed", BODY, delay=2)
    with make_client(user_agent="t", read_timeout=0.3) as client, pytest.raises(FetchError):
        fetch(client, server.url("/feed"))


def test_oversize_with_content_length_fails_before_reading(server, client):
    server.set("/big", b"x" * 5000)
    # The error names the announced length: the body was refused before it was read.
    with pytest.raises(FetchError, match="too large: Content-Length 5000"):
        fetch(client, server.url("/big"), max_bytes=1000)


def test_oversize_without_content_length_fails_while_reading(server, client):
    server.set("/big", b"x" * 5000, content_length=False)
    with pytest.raises(FetchError, match="too large"):
        fetch(client, server.url("/big"), max_bytes=1000)


def test_body_longer_than_its_content_length_is_cut_there(server, client):
    server.endless("/huge", content_length=100)  # claims 100 bytes, then sends forever
    assert len(fetch(client, server.url("/huge"), max_bytes=10_000).body) == 100


def test_endless_body_stops_at_the_size_cap_fast(server, client):
    # Sixteen times the cap, then the server stops: a fetch that did not stop at the cap
    # would return the whole body instead of raising (no wall-clock limit needed).
    server.endless("/huge", limit=32 * 1024 * 1024)
    with pytest.raises(FetchError, match="too large: more than"):
        fetch(client, server.url("/huge"), max_bytes=2 * 1024 * 1024)


def test_trickling_body_stops_at_the_deadline(server, client):
    # 200 bytes over 10 s, then the body ends: only the 1 s deadline can make this raise.
    server.trickle("/slow", b"<", interval=0.05, limit=200)
    with pytest.raises(FetchError, match="deadline"):
        fetch(client, server.url("/slow"), deadline=1.0)


def test_a_body_on_a_closing_connection_stops_at_the_deadline(server, client):
    # A body with no length, ended by closing the connection (so the client hands the
    # connection over to the response as soon as the headers are read): it is watched by the
    # deadline all the same. 200 bytes over 10 s, read in one blocking read of up to 64 KB.
    server.trickle("/slow", b"<", interval=0.05, limit=200, chunked=False)
    with pytest.raises(FetchError, match="deadline of 1 s passed while reading the body"):
        fetch(client, server.url("/slow"), deadline=1.0)
    # Cut at the deadline, not read to its end (and then found late): the server's next
    # writes fail.
    wait_for(lambda: "/slow" in server.cut_short, 15, "the server to see the cut")


def test_body_within_limits_is_complete_when_chunked(server, client):
    server.set("/feed", BODY, content_length=False)
    assert fetch(client, server.url("/feed")).body == BODY


@pytest.mark.parametrize("url", ["file:///etc/passwd", "/etc/passwd", "ftp://example.com/x"])
def test_only_http_urls_by_default(client, url):
    with pytest.raises(FetchError, match="http"):
        fetch(client, url)


def test_local_file_when_allowed(client, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_bytes(BODY)
    first = fetch(client, str(path), allow_local=True)
    assert first.body == BODY and first.last_modified
    again = fetch(client, path.as_uri(), allow_local=True, last_modified=first.last_modified)
    assert again.not_modified and again.body is None
    with pytest.raises(FetchError, match="too large"):
        fetch(client, str(path), allow_local=True, max_bytes=10)
    with pytest.raises(FetchError, match="cannot read"):
        fetch(client, str(tmp_path / "missing.xml"), allow_local=True)


def test_backoff_grows_exponentially_with_full_jitter():
    rng = random.Random(7)
    assert backoff_delay(0, base=60, cap=3600, rng=rng) == 0
    for failures, ceiling in [(1, 60), (2, 120), (3, 240), (7, 3600), (10_000, 3600)]:
        delays = [backoff_delay(failures, base=60, cap=3600, rng=rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # jitter spans the whole range


# --- the client: compression, kept connections, proxies -------------------------------------


def test_a_gzip_body_is_decoded(server, client):
    server.set("/feed", gzip.compress(BODY), headers={"Content-Encoding": "gzip"})
    assert fetch(client, server.url("/feed")).body == BODY
    assert "gzip" in server.last("/feed").headers["accept-encoding"]


def test_a_compressed_body_is_capped_by_its_decoded_size(server, client):
    # 4 MB of spaces squeeze into a few kilobytes: the cap counts what they decode to.
    bomb = gzip.compress(b" " * (4 * 1024 * 1024))
    assert len(bomb) < 100_000
    server.set("/feed", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="too large: more than 100000 bytes"):
        fetch(client, server.url("/feed"), max_bytes=100_000)


def test_a_body_that_is_not_the_gzip_it_claims_fails_its_fetch(server, client):
    server.set("/feed", b"plain, not gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="DecodeError"):
        fetch(client, server.url("/feed"))


def test_not_modified_answers_keep_their_connection(server, client):
    accepted = connections_counted(server)
    server.set("/feed", BODY, etag='"v1"')
    first = fetch(client, server.url("/feed"))
    for _ in range(3):
        assert fetch(client, server.url("/feed"), etag=first.etag).not_modified
    assert len(accepted) == 1


def test_a_proxy_named_by_the_environment_is_used(server, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.base_url)
    monkeypatch.setenv("http_proxy", server.base_url)
    url = "http://feeds.example.invalid/rss"
    with make_client(user_agent="t") as client, pytest.raises(FetchError, match="404"):
        fetch(client, url)  # the proxy (our server) knows no such feed
    assert server.last().path == url  # asked in the absolute form a proxy is asked in


def test_no_proxy_exempts_a_host_from_the_environments_proxy(server, monkeypatch):
    for name in ("ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as closed:  # a port nothing listens on: the proxy, if used, fails
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}"
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, nowhere)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "localhost,127.0.0.1")
    server.set("/feed", BODY)
    with make_client(user_agent="t") as client:
        assert fetch(client, server.url("/feed")).body == BODY
    assert server.last().path == "/feed"  # asked directly, not in a proxy's absolute form


def test_a_proxys_own_credentials_go_in_their_header(server, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    proxy = server.base_url.replace("http://", "http://alice:s%C3%A9same@")
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("http_proxy", proxy)
    with make_client(user_agent="t") as client, pytest.raises(FetchError, match="404"):
        fetch(client, "http://feeds.example.invalid/rss")
    sent = server.last().headers
    assert sent["proxy-authorization"] == "Basic " + base64.b64encode(
        "alice:sésame".encode()
    ).decode("ascii")
    assert "feeds.example.invalid" in sent["host"] and "alice" not in server.last().path


def test_basic_credentials_are_sent_in_utf8(server, client):
    server.set("/feed", BODY)
    for password in ("pässwort", "密码"):
        fetch(client, server.url("/feed"), auth=("bob", password))
        sent = server.last("/feed").headers["authorization"]
        assert base64.b64decode(sent.removeprefix("Basic ")) == f"bob:{password}".encode()


def test_a_refused_connection_says_so_in_one_line(client):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(client, f"http://127.0.0.1:{port}/feed")
    message = str(caught.value)
    assert "refused" in message.lower() and "timed out" not in message
    assert "Connection(" not in message and "\n" not in message


# --- HTTPS ------------------------------------------------------------------------------------


@pytest.fixture
def https_server(tmp_path) -> Iterator[tuple[str, Path]]:
    """A local HTTPS server answering BODY, its certificate from a CA of its own; (its URL,
    the CA's certificate file)."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}/feed", ca_file
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_https_certificates_are_checked(https_server, monkeypatch):
    # A certificate from a CA nobody trusts fails; trusted through SSL_CERT_FILE (a company's
    # own CA, say), the same server is fetched.
    url, ca_file = https_server
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with make_client(user_agent="t") as client, pytest.raises(FetchError, match="CERTIFICATE"):
        fetch(client, url)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    with make_client(user_agent="t") as client:
        assert fetch(client, url).body == BODY


def test_a_server_closing_without_an_answer_is_one_readable_line(client):
    # It accepts, reads the request and hangs up: the message says so without a tuple's text.
    listener = socket.create_server(("127.0.0.1", 0))

    def hang_up() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        with pytest.raises(FetchError) as caught:
            fetch(client, f"http://127.0.0.1:{listener.getsockname()[1]}/feed")
    finally:
        listener.close()
    message = str(caught.value)
    assert "Connection aborted. (RemoteDisconnected: " in message, message
    assert "('" not in message and "\n" not in message
