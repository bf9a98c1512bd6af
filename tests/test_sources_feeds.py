"""Feed parsing: entries and their keys and hashes, encodings, and hostile input (entity bombs,
garbage, pathological markup) failing in bounded time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from tests.conftest import PROJECT
from watcher.sources.errors import FeedParseError, SourceError
from watcher.sources.feeds import ParsedFeed, parse_feed

URL = "https://news.example.org/feed"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example Infrastructure Wire</title>
  <link>https://news.example.org/</link>
  <item>
    <title>Example Corp lifts its data-center budget</title>
    <link>https://news.example.org/a/1</link>
    <guid isPermaLink="false">wire-0001</guid>
    <pubDate>Wed, 30 Apr 2025 20:05:00 -0400</pubDate>
    <description>Short teaser about &lt;b&gt;capital spending&lt;/b&gt;.</description>
    <content:encoded><![CDATA[<p>Example Corp now plans to spend between
      $10 and $12 billion on servers this year.</p>]]></content:encoded>
  </item>
  <item>
    <title>No guid here</title>
    <link>/a/2</link>
    <description>Relative link, no guid.</description>
  </item>
  <item>
    <title>Neither guid nor link</title>
    <description>Only words.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Sample Filings Desk</title>
  <id>urn:example:filings</id>
  <updated>2025-05-01T12:00:00Z</updated>
  <entry>
    <title>8-K: results of operations</title>
    <id>urn:example:filing:42</id>
    <link rel="alternate" href="https://filings.example.org/42"/>
    <updated>2025-05-01T12:00:00+02:00</updated>
    <summary type="html">Quarterly results &amp; outlook.</summary>
  </entry>
</feed>
"""


def parse(body: bytes | str, content_type: str | None = None) -> ParsedFeed:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return parse_feed(data, url=URL, content_type=content_type)


def test_rss_entries():
    feed = parse(RSS, "application/rss+xml")
    assert feed.title == "Example Infrastructure Wire"
    assert feed.warning is None
    first, second, third = feed.entries
    assert first.guid == "wire-0001" and first.key == "wire-0001"
    assert first.link == "https://news.example.org/a/1"
    assert first.title == "Example Corp lifts its data-center budget"
    assert first.published == datetime(2025, 5, 1, 0, 5, tzinfo=UTC)
    assert first.text.startswith(first.title)
    assert "<p>Example Corp now plans to spend between" in first.text  # HTML kept
    assert second.guid is None and second.key == second.link == "https://news.example.org/a/2"
    assert third.guid is None and third.link is None and third.key == third.content_hash
    assert third.published is None and "Only words." in third.text
    assert all(len(entry.content_hash) == 64 for entry in feed.entries)


def test_atom_entries():
    feed = parse(ATOM, "application/atom+xml")
    assert feed.title == "Sample Filings Desk"
    (entry,) = feed.entries
    assert entry.key == "urn:example:filing:42"
    assert entry.link == "https://filings.example.org/42"
    assert entry.published == datetime(2025, 5, 1, 10, 0, tzinfo=UTC)
    assert entry.published.tzinfo is not None
    assert "Quarterly results &amp; outlook." in entry.text or "results & outlook" in entry.text


def test_hash_changes_with_content_only():
    before = parse(RSS).entries[0]
    assert parse(RSS).entries[0].content_hash == before.content_hash  # stable
    reflowed = RSS.replace("between\n      $10", "between $10")  # whitespace only
    assert parse(reflowed).entries[0].content_hash == before.content_hash
    raised = parse(RSS.replace("$12 billion", "$14 billion")).entries[0]
    assert raised.key == before.key and raised.content_hash != before.content_hash
    retitled = parse(RSS.replace("lifts its", "raises its")).entries[0]
    assert retitled.content_hash != before.content_hash


def test_empty_but_valid_feed_has_no_entries():
    feed = parse('<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert feed.title == "Quiet" and feed.entries == []


def test_broken_feed_with_entries_parses_with_a_warning():
    broken = RSS.replace("</channel>", "<unclosed></channel>")
    feed = parse(broken)
    assert len(feed.entries) == 3 and feed.warning


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"\x00\xff\xfe garbage \x89PNG\r\n\x1a\n" * 100,
        b"<html><body><h1>Not a feed</h1></body></html>",
        b'{"version": "not xml"}',
        b"<?xml " + b'encoding="a" ' * 5000,  # catastrophic backtracking in feedparser's regex
        b"<",
    ],
)
def test_not_a_feed_raises_feed_parse_error(body):
    with pytest.raises(FeedParseError, match=r"not a feed|empty") as caught:
        parse(body, "text/html")
    assert isinstance(caught.value, SourceError)
    assert "\n" not in str(caught.value)


def test_random_bytes_only_ever_raise_feed_parse_error():
    import random

    rng = random.Random(1)
    for size in (1, 10, 100, 10_000, 200_000):
        with pytest.raises(FeedParseError):
            parse(bytes(rng.getrandbits(8) for _ in range(size)))


def test_wrong_charset_in_header_is_overridden_by_valid_utf8():
    body = RSS.replace("Example Corp lifts", "Société Générale lifts").encode("utf-8")
    feed = parse(body, "application/rss+xml; charset=iso-8859-1")
    assert feed.entries[0].title == "Société Générale lifts its data-center budget"


def test_wrong_encoding_in_declaration_falls_back_with_a_warning():
    body = RSS.replace("Example Corp lifts", "Société lifts").encode("latin-1")  # says utf-8
    feed = parse(body)
    assert feed.entries[0].title.startswith("Société lifts")
    assert "decoded as" in feed.warning


def test_utf16_with_bom_and_declared_encoding():
    body = RSS.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert parse(body).entries[0].guid == "wire-0001"


def test_bogus_encoding_name_is_ignored():
    body = RSS.replace('encoding="utf-8"', 'encoding="rot13"').encode("utf-8")
    assert parse(body, "text/xml; charset=no-such-charset").entries[0].guid == "wire-0001"


def test_harmless_doctype_entities_still_work():
    body = RSS.replace(
        "<rss ",
        '<!DOCTYPE rss [\n<!ENTITY corp "Example Corp">\n<!ENTITY nbsp "&#160;">\n]>\n<rss ',
    ).replace("<title>No guid here</title>", "<title>&corp;&nbsp;again</title>")
    feed = parse(body)
    assert feed.entries[1].title == "Example Corp\xa0again"


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = RSS.replace(
        "<rss ", f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n<rss '
    ).replace("Only words.", "&xxe;")
    feed = parse(body)
    assert all("TOP-SECRET" not in entry.text for entry in feed.entries)


# --- bombs: measured in a fresh process, so the memory figure is this parse's alone ----------

BOMB_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    sys.path.insert(0, sys.argv[1])
    from watcher.sources.feeds import parse_feed
    from watcher.sources.errors import FeedParseError
    kind = sys.argv[2]
    if kind == "billion_laughs":
        ents = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
        ]
        dtd = "<!DOCTYPE rss [\\n" + "\\n".join(ents) + "\\n]>"
        payload = "&lol9;" * 100
    elif kind == "quadratic":
        dtd = '<!DOCTYPE rss [<!ENTITY big "' + "capex " * 20000 + '">]>'
        payload = "&big;" * 30000
    elif kind == "quadratic_own_lines":
        dtd = '<!DOCTYPE rss [\\n<!ENTITY big "' + "x" * 100000 + '">\\n]>'
        payload = "&big;" * 30000
    elif kind == "many_short_entities":
        dtd = '<!DOCTYPE rss [\\n<!ENTITY s "' + "y" * 200 + '">\\n]>'
        payload = "&s;" * 200_000
    elif kind == "parameter_entities":
        dtd = ('<!DOCTYPE rss [<!ENTITY % a "' + "z" * 1000 + '"><!ENTITY % b "%a;%a;%a;%a;">'
               '<!ENTITY c "%b;%b;%b;%b;">]>')
        payload = "&c;" * 10000
    elif kind == "entity_in_comment":
        dtd = ('<!--\\n<!DOCTYPE rss>\\n<!ENTITY big "' + "w" * 100000 + '">\\n-->')
        payload = "&big;" * 30000
    body = (f'<?xml version="1.0"?>\\n{dtd}\\n<rss version="2.0"><channel><title>t</title>'
            f'<item><title>x</title><description>{payload}</description></item>'
            f'</channel></rss>').encode()
    started = time.monotonic()
    try:
        feed = parse_feed(body, url="http://example.com/", isolate=sys.argv[3] == "isolate")
        outcome, size = "parsed", max(len(e.text) for e in feed.entries)
    except FeedParseError as exc:
        outcome, size = f"FeedParseError: {exc}", 0
    elapsed = time.monotonic() - started
    # VmHWM, not ru_maxrss: a child started by a big pytest process inherits the parent's
    # high-water mark in ru_maxrss. Children (an isolated parser) count too.
    hwm = next(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmHWM"))
    peak = max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak, "outcome": outcome,
                      "text_size": size, "body_size": len(body)}))
    """
)

BOMBS = [
    "billion_laughs",
    "quadratic",
    "quadratic_own_lines",
    "many_short_entities",
    "parameter_entities",
    "entity_in_comment",
]


def measure_bomb(kind: str, mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, str(PROJECT), kind, mode],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["inline", "isolate"])
@pytest.mark.parametrize("kind", BOMBS)
def test_entity_bombs_are_bounded(kind, mode):
    # Time and peak memory are bench/feeds.py's figures (no wall-clock or memory ceilings in
    # tests); what must hold here is that nothing is expanded.
    measured = measure_bomb(kind, mode)
    assert measured["outcome"] == "parsed" or measured["outcome"].startswith("FeedParseError")
    # whatever parsed was not amplified (unknown references come back escaped, at most 2x)
    assert measured["text_size"] <= 2 * measured["body_size"], measured


def test_pathological_markup_is_cut_off_by_the_worker_timeout():
    deep = b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
    deep += b"<a>" * 1_500_000  # ~4.5 MB that takes feedparser's loose parser ~20 s
    with pytest.raises(FeedParseError, match="longer than"):
        parse_feed(deep, url=URL, timeout=2)


def test_too_large_body_is_refused():
    with pytest.raises(FeedParseError, match="too large"):
        parse_feed(b" " + b"x" * (20 * 1024 * 1024), url=URL)


def test_large_valid_feed_parses_in_the_worker():
    items = "".join(
        f"<item><title>Item {i}</title><guid isPermaLink='false'>g{i}</guid>"
        f"<description>{'words ' * 40}</description></item>"
        for i in range(600)
    )
    body = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    assert len(body) > 64 * 1024  # beyond the in-process size
    feed = parse_feed(body, url=URL)
    assert len(feed.entries) == 600 and feed.entries[599].key == "g599"


def test_the_worker_gets_no_secrets_from_our_environment(tmp_path, monkeypatch):
    # A sitecustomize on PYTHONPATH (which the worker keeps, to import this package) records
    # the environment the worker process really starts with.
    record = tmp_path / "worker-env.json"
    (tmp_path / "sitecustomize.py").write_text(
        f"import json, os\nopen({str(record)!r}, 'w').write(json.dumps(dict(os.environ)))\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("WATCHER_DATABASE__URL", "postgresql://watcher:hunter2@db/watcher")
    monkeypatch.setenv("WATCHER_SLACK__TOKEN", "xoxb-1234-abcd")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI")
    items = "".join(f"<item><guid>g{i}</guid><title>{'t' * 200}</title></item>" for i in range(400))
    body = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    assert len(body) > 64 * 1024  # parsed in the worker
    assert len(parse_feed(body, url=URL).entries) == 400
    seen = json.loads(record.read_text())
    assert not any(name.startswith(("WATCHER_", "AWS_")) for name in seen), sorted(seen)
    assert not any(
        secret in value
        for value in seen.values()
        for secret in ("hunter2", "xoxb-1234", "wJalrXUtnFEMI")
    ), seen
