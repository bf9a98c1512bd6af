"""Loading config/feeds.yaml: a good file loads; each kind of mistake is a ConfigError that
names the file and the field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from watcher.errors import ConfigError
from watcher.sources.config import SourceConfig, load_sources, parse_interval

GOOD = """\
sources:
  - name: meta-investor-news
    url: https://investor.example.com/rss
    kind: rss
    company: META
    interval: 2h30m
  - name: sec-meta-8k
    url: https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=0001326801&output=atom
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text)
    return path


def test_good_file_loads_with_defaults(tmp_path):
    first, second = load_sources(write(tmp_path, GOOD))
    assert first == SourceConfig(
        name="meta-investor-news",
        url="https://investor.example.com/rss",
        kind="rss",
        company="META",
        interval=timedelta(hours=2, minutes=30),
    )
    assert (second.kind, second.company, second.interval) == ("rss", None, timedelta(minutes=15))


def test_shipped_feeds_file_is_valid():
    sources = load_sources(PROJECT / "config" / "feeds.yaml")
    assert len(sources) >= 10
    assert all(source.url.startswith("https://") for source in sources)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("1h", timedelta(hours=1)),
        ("2h30m", timedelta(hours=2, minutes=30)),
        ("1d", timedelta(days=1)),
        (90, timedelta(seconds=90)),
    ],
)
def test_intervals(text, expected):
    assert parse_interval(text) == expected


BAD = [
    ("  - name: a\n    url: https://x.example/\n    interval: soon\n", "sources[0].interval"),
    ("  - name: a\n    url: https://x.example/\n    interval: 0m\n", "sources[0].interval"),
    ("  - name: a\n    url: https://x.example/\n    interval: '15'\n", "sources[0].interval"),
    ("  - name: a\n    url: ftp://x.example/\n", "sources[0].url"),
    ("  - name: a\n    url: /etc/feed.xml\n", "sources[0].url"),
    ("  - name: a\n    url: https://\n", "sources[0].url"),
    ("  - name: a\n", "sources[0].url"),
    ("  - url: https://x.example/\n", "sources[0].name"),
    ("  - name: 'has spaces'\n    url: https://x.example/\n", "sources[0].name"),
    ("  - name: a\n    url: https://x.example/\n    kind: podcast\n", "sources[0].kind"),
    ("  - name: a\n    url: https://x.example/\n    colour: red\n", "sources[0].colour"),
    ("  - name: a\n    url: https://x.example/\n    company: ''\n", "sources[0].company"),
    ("  - just a string\n", "sources[0]"),
    (
        "  - name: a\n    url: https://x.example/\n  - name: b\n    url: https://y.example/\n"
        "  - name: a\n    url: https://z.example/\n",
        "sources[2].name",
    ),
]


@pytest.mark.parametrize(("entries", "field"), BAD)
def test_bad_field_names_file_and_field(tmp_path, entries, field):
    path = write(tmp_path, "sources:\n" + entries)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert caught.value.file == str(path)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{path}: {field}: ")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["", "sources: [\n", "- a list\n", "sources: {}\n", "sources: []\nextra: 1\n"],
)
def test_bad_file_structure(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=str(path)):
        load_sources(path)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_sources(tmp_path / "nope.yaml")


def test_local_paths_only_when_allowed(tmp_path):
    path = write(tmp_path, "sources:\n  - name: a\n    url: feeds/local.xml\n")
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url"):
        load_sources(path)
    (source,) = load_sources(path, allow_local=True)
    assert source.url == str(tmp_path / "feeds" / "local.xml")  # relative to the feeds file
    file_url = write(tmp_path, "sources:\n  - name: a\n    url: file:///srv/feed.xml\n")
    assert load_sources(file_url, allow_local=True)[0].url == "file:///srv/feed.xml"


def test_empty_source_list_is_allowed(tmp_path):
    assert load_sources(write(tmp_path, "sources: []\n")) == []
