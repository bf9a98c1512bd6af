"""The web view over HTTP, against a SQLite database filled by the real pipeline: a local feed
whose raise arrives with a `<script>`, an `<img onerror>` and a `javascript:` link, polled,
extracted and evaluated by `watcher run --once`, and Alphabet's companyfacts loaded by
`watcher sec import`; then `watcher web --port 0` serves it, and every page and export is
read as a browser or a spreadsheet would. Writes (silences) are tried without the token, with
it as a bearer token, and with a login cookie and its CSRF token."""

from __future__ import annotations

import csv
import fcntl
import html
import io
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.conftest import WATCHER, watcher_env
from tests.support.feed_server import FeedServer
from tests.test_end_to_end import FIRST, RAISE, YEAR, rss
from tests.test_sec_rules import ALPHABET, needs_data
from watcher.web.export import EVENT_CSV_FIELDS, OBSERVATION_FIELDS

# `watcher` processes fill the database and serve it: out of the quick loop, whose web tests are
# tests/test_web_serving.py and tests/test_web_hardening.py (create_app in-process).
pytestmark = pytest.mark.slow

TOKEN = "s3cret-token-for-web-tests"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
JS_LINK = "javascript:alert(3)"


def hostile_rss() -> bytes:
    """The raise and the first guidance, the raise titled with markup and linked to a
    `javascript:` URL (escaped in the XML, as a feed would send it)."""
    title, text, date = RAISE
    item = (
        f"<item><title>{html.escape(title + ' ' + SCRIPT + IMG)}</title>"
        f"<link>{html.escape(JS_LINK)}</link><guid>urn:raise</guid><pubDate>{date}</pubDate>"
        f"<description>{html.escape(text + ' <script>alert(4)</script>')}</description></item>"
    )
    plain = rss(FIRST)
    return plain.replace(b"</channel>", item.encode() + b"</channel>")


@dataclass
class Served:
    url: str
    tmp: Path
    env: dict[str, str]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)


def _watcher(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(WATCHER), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


def _serve(env: dict[str, str], cwd: Path, *args: str) -> Iterator[str]:
    """`watcher web --port 0 ARGS`: yields its base URL, from the line it prints."""
    process = subprocess.Popen(
        [str(WATCHER), "web", "--port", "0", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"serving (http://\S+)/", line)
        if not found:
            process.wait(timeout=30)
            raise AssertionError(f"watcher web did not start: {line!r} {process.stderr.read()}")
        yield found.group(1)
    finally:
        process.terminate()
        process.communicate(timeout=30)


def _fill(tmp: Path) -> None:
    """The pipeline's database in tmp/watcher.db, with its feeds file tmp/feeds.yaml."""
    with FeedServer() as feeds:
        feeds.set("/tech.rss", rss(FIRST), content_type="application/rss+xml", etag='"1"')
        path = tmp / "feeds.yaml"
        path.write_text(
            f"sources:\n  - name: tech-wire\n    url: {feeds.url('/tech.rss')}\n"
            "    interval: 15m\n"
        )
        env = watcher_env(tmp, sources__file=str(path), web__token=TOKEN)
        _watcher(env, tmp, "run", "--once")
        feeds.set("/tech.rss", hostile_rss(), content_type="application/rss+xml", etag='"2"')
        _watcher(env, tmp, "run", "--once")
    if ALPHABET.is_file():
        _watcher(env, tmp, "sec", "import", str(ALPHABET))


def _filled_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder _fill filled: under pytest-xdist, the first worker to get here fills it (a
    `watcher` process for each step, the costliest part of this module) and the others wait
    for it and then copy it, instead of each running the pipeline again."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by this run's workers
    template = base / "web-template"
    with open(base / "web-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "filled").is_file():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            _fill(template)
            (template / "filled").touch()
    return template


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("web")
    template = _filled_once(tmp_path_factory)
    for name in ("watcher.db", "watcher.db-wal", "feeds.yaml"):
        if (template / name).is_file():
            shutil.copy(template / name, tmp / name)
    env = watcher_env(tmp, sources__file=str(tmp / "feeds.yaml"), web__token=TOKEN)
    for url in _serve(env, tmp):
        yield Served(url, tmp, env)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(body: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(body)
    return parser.tags


def assert_inert(body: str) -> None:
    """No script, no event handler, no link that is not ours or http(s), external links
    marked noopener nofollow."""
    for tag, attrs in tags_of(body):
        assert tag != "script"
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = (attrs.get("href") or "").strip()
        if tag == "a" and href:
            assert href.startswith(("/", "#", "?", "http://", "https://")), href
            if href.startswith("http"):
                assert attrs.get("rel") == "noopener nofollow", attrs
        for name in ("href", "src", "action", "formaction"):
            assert "javascript:" not in (attrs.get(name) or "").lower(), (tag, attrs)


def test_events_page_lists_the_raise_with_feed_markup_inert(served):
    with served.client() as client:
        reply = client.get("/")
        (event,) = client.get("/api/events").json()
    assert reply.status_code == 200
    body = reply.text
    assert event["company"] == "META" and event["change"] == "raised"
    assert html.escape(event["headline"], quote=False) in body
    assert "$60 billion to $65 billion → $64 billion to $72 billion" in body  # old -> new
    assert "news only" in body and "high" in body
    assert 'href="/companies/META"' in body
    # The feed's markup is shown as text, never as markup.
    assert html.escape(SCRIPT, quote=False) in body and SCRIPT not in body
    assert html.escape(IMG, quote=False) in body and "<img" not in body
    assert not any(attrs.get("href", "").startswith("javascript") for _, attrs in tags_of(body))
    assert_inert(body)
    (source,) = event["sources"]
    assert source["url"] == JS_LINK and source["name"] == "tech-wire"
    assert source["published_at"] is not None


def test_content_security_policy_forbids_script(served):
    with served.client() as client:
        for path in ("/", "/sources", "/status", "/api/events", "/events.csv"):
            reply = client.get(path)
            policy = reply.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "script-src" not in policy
            assert "unsafe-inline" not in policy
            assert reply.headers["x-content-type-options"] == "nosniff"


def test_event_filters_and_validation(served):
    with served.client() as client:
        assert len(client.get("/api/events", params={"company": "meta"}).json()) == 1
        assert client.get("/api/events", params={"company": "GOOGL"}).json() == []
        assert client.get("/api/events", params={"severity": "critical"}).json() == []
        assert len(client.get("/api/events", params={"severity": "medium"}).json()) == 1
        assert len(client.get("/api/events", params={"rule": "capex-guidance-change"}).json()) == 1
        assert client.get("/api/events", params={"until": "2000-01-01"}).json() == []
        assert client.get("/api/events", params={"severity": "urgent"}).status_code == 400
        assert client.get("/", params={"since": "yesterday"}).status_code == 400
        filtered = client.get("/", params={"company": "GOOGL"}).text
        assert "No events." in filtered


def test_events_csv_has_a_header_and_the_raise(served):
    with served.client() as client:
        reply = client.get("/events.csv")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(reply.text)))
    assert tuple(rows[0]) == EVENT_CSV_FIELDS
    (row,) = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert (row["company"], row["change"], row["low"], row["high"]) == (
        "META",
        "raised",
        "64000000000",
        "72000000000",
    )
    assert row["sources"] == JS_LINK  # data, not a link


def test_company_page_has_the_guidance_history_chart(served):
    with served.client() as client:
        reply = client.get("/companies/META")
        assert reply.status_code == 200
        body = reply.text
        assert "<svg" in body and f"capex for FY{YEAR}" in body
        links = [
            attrs["href"]
            for tag, attrs in tags_of(body)
            if tag == "a" and "guidance" in (attrs.get("class") or "")
        ]
        assert len(links) == 2  # the first guidance and the raise, each a range bar
        assert_inert(body)
        quote = client.get(links[-1])
    assert quote.status_code == 200
    assert "$64 billion to $72 billion" in quote.text and "tech-wire" in quote.text
    assert_inert(quote.text)


@needs_data
def test_company_page_charts_alphabet_series_with_marks(served):
    with served.client() as client:
        reply = client.get("/companies/googl")
    assert reply.status_code == 200
    body = reply.text
    assert body.count("<svg") == 4  # capex, OCF, capex/OCF, backlog
    assert "Capex / operating cash flow by quarter" in body
    marks = re.findall(r'class="mark-label"[^>]*>([^<]+)<', body)
    assert marks.count("record") == 2  # the capex-ocf-record rule's FY2018-Q1 and FY2025-Q2
    assert "+46%" in marks  # the backlog jump of FY2025-Q3


@needs_data
def test_series_api(served):
    with served.client() as client:
        rpo = client.get("/api/series/GOOGL/rpo").json()
        ratio = client.get("/api/series/GOOGL/capex_ocf").json()
        assert client.get("/api/series/GOOGL/revenue").status_code == 404
    by_period = {row["period"]: row for row in rpo}
    assert by_period["FY2025-Q4"]["value"] == 242_800_000_000
    assert [row["period"] for row in rpo] == sorted(
        by_period, key=lambda p: (int(p[2:6]), int(p[-1]))
    )
    q2 = next(row for row in ratio if row["period"] == "FY2025-Q2")
    assert q2["value"] == pytest.approx(22_446 / 27_732, rel=0.02)


def test_observations_api_and_csv(served):
    with served.client() as client:
        found = client.get("/api/companies/META/observations").json()
        page = client.get("/api/companies/META/observations", params={"per_page": 1})
        exported = client.get("/companies/META/observations.csv")
        assert client.get("/api/companies/NOPE/observations").json() == []
        assert client.get("/companies/NOPE").status_code == 404
    assert len(found) == 2
    assert set(OBSERVATION_FIELDS) <= set(found[0])
    newest = found[0]
    assert (newest["kind"], newest["period"], newest["low"], newest["high"]) == (
        "guidance",
        f"FY{YEAR}",
        64_000_000_000,
        72_000_000_000,
    )
    assert newest["prior_low"] == 60_000_000_000 and newest["source"] == JS_LINK
    assert len(page.json()) == 1 and page.headers["x-total-count"] == "2"
    assert 'rel="next"' in page.headers["link"]
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert tuple(rows[0][: len(OBSERVATION_FIELDS)]) == OBSERVATION_FIELDS
    assert len(rows) == 3


def test_companies_page_lists_what_is_stored(served):
    with served.client() as client:
        reply = client.get("/companies")
    assert reply.status_code == 200
    assert 'href="/companies/META"' in reply.text
    if ALPHABET.is_file():  # only SEC facts are stored about Alphabet
        assert 'href="/companies/GOOGL"' in reply.text


def test_sources_page_shows_health(served):
    with served.client() as client:
        reply = client.get("/sources")
    assert reply.status_code == 200
    assert "tech-wire" in reply.text and 'class="state ok"' in reply.text
    assert_inert(reply.text)


def test_status_page_shows_deliveries(served):
    with served.client() as client:
        reply = client.get("/status")
    assert reply.status_code == 200
    assert "<td>console</td>" in reply.text
    assert "Log in" in reply.text  # a token is configured, nobody is logged in


def test_silences_need_the_token(served):
    silence = {"company": "META", "until": "2h", "reason": "earnings week"}
    with served.client() as client:
        refused = client.post("/api/silences", json=silence)
        wrong = client.post("/api/silences", json=silence, headers=_bearer("nope"))
        bad = client.post("/api/silences", json={"until": "2h"}, headers=_bearer(TOKEN))
        accepted = client.post("/api/silences", json=silence, headers=_bearer(TOKEN))
        status = client.get("/status").text
        expired = client.post(
            f"/api/silences/{accepted.json()['id']}/expire", headers=_bearer(TOKEN)
        )
    assert refused.status_code == 401 and wrong.status_code == 401
    assert bad.status_code == 400 and "company" in bad.json()["detail"]
    assert accepted.status_code == 201
    assert accepted.json()["company"] == "META" and accepted.json()["reason"] == "earnings week"
    assert "earnings week" in status
    assert expired.status_code == 200 and expired.json()["expired_at"] is not None


def test_silences_from_the_status_page_with_a_login_and_csrf(served):
    with served.client() as client:
        login = client.get("/login")
        csrf = _hidden(login.text, "csrf")
        wrong = client.post("/login", data={"token": "nope", "csrf": csrf})
        assert wrong.status_code == 400 and "wrong token" in wrong.text
        csrf = _hidden(wrong.text, "csrf")
        forged = client.post("/login", data={"token": TOKEN, "csrf": "forged"})
        assert forged.status_code == 403
        logged_in = client.post("/login", data={"token": TOKEN, "csrf": csrf})
        assert logged_in.status_code == 303 and "watcher_session" in client.cookies
        page = client.get("/status").text
        token = _hidden(page, "csrf")
        form = {"company": "GOOGL", "until": "1d", "reason": "filing season", "csrf": token}

        assert client.post("/status/silences", data={**form, "csrf": ""}).status_code == 403
        other_site = client.post(
            "/status/silences", data=form, headers={"Origin": "https://evil.example"}
        )
        assert other_site.status_code == 403
        past = client.post("/status/silences", data={**form, "until": "2000-01-01"})
        assert past.status_code == 400 and "is in the past" in past.text
        added = client.post("/status/silences", data=form)
        assert added.status_code == 303
        listed = client.get("/status").text
        assert "filing season" in listed
        (silence_id,) = re.findall(r'action="/status/silences/(\d+)/expire"', listed)

        api = client.post(
            "/api/silences",
            json={"rule": "backlog-jump", "until": "1h", "reason": "noisy"},
            headers={"X-CSRF-Token": token},
        )
        assert api.status_code == 201
        no_csrf = client.post("/api/silences", json={"rule": "x", "until": "1h", "reason": "r"})
        assert no_csrf.status_code == 403

        expired = client.post(f"/status/silences/{silence_id}/expire", data={"csrf": token})
        assert expired.status_code == 303
        assert "filing season" not in client.get("/status").text
        client.post("/logout", data={"csrf": token})
        assert "watcher_session" not in client.cookies
        assert client.post("/status/silences", data=form).status_code == 401


def test_occupied_port_is_one_line_and_exit_2(served):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = subprocess.run(
            [str(WATCHER), "web", "--port", str(port)],
            cwd=served.tmp,
            env=served.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "--port" in result.stderr and f"127.0.0.1:{port}" in result.stderr


def test_without_a_token_writes_are_off(tmp_path):
    env = watcher_env(tmp_path)
    for url in _serve(env, tmp_path):
        with httpx.Client(base_url=url, timeout=30) as client:
            silence = {"company": "META", "until": "2h", "reason": "r"}
            refused = client.post("/api/silences", json=silence, headers=_bearer(TOKEN))
            login = client.get("/login").text
            status = client.get("/status").text
    assert refused.status_code == 403 and "writes are off" in refused.json()["detail"]
    assert "nothing to log in to" in login
    assert "WATCHER_WEB__TOKEN" in status


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _hidden(page: str, name: str) -> str:
    for tag, attrs in tags_of(page):
        if tag == "input" and attrs.get("name") == name:
            return attrs.get("value") or ""
    raise AssertionError(f"no hidden field {name}")



def test_the_token_is_a_secret_of_some_length(tmp_path):
    short = subprocess.run(
        [str(WATCHER), "web", "--port", "0"],
        cwd=tmp_path,
        env=watcher_env(tmp_path, web__token="short"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert short.returncode == 2 and short.stderr.count("\n") == 1
    assert "web.token" in short.stderr and "WATCHER_WEB__TOKEN" in short.stderr
    shown = _watcher(watcher_env(tmp_path, web__token=TOKEN), tmp_path, "config", "show")
    assert TOKEN not in shown.stdout and '"token": "**********"' in shown.stdout
