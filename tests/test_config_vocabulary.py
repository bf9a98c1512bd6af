"""One vocabulary for configuration (issue 10): one YAML loader validated by pydantic models
(feeds, rules, companies), one duration parser, one Retry-After reader, one URL shortener."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from watcher.alerts.silences import parse_until
from watcher.durations import format_duration, parse_duration
from watcher.errors import ConfigError
from watcher.extract.companies import load_companies
from watcher.http_util import retry_after, retry_after_seconds, short_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h30m", timedelta(hours=2, minutes=30)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1w", timedelta(weeks=1)),
        ("1.5h", timedelta(minutes=90)),
        (" 2 H ", timedelta(hours=2)),
        (900, timedelta(minutes=15)),
    ],
)
def test_one_duration_parser(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["15", "soon", "", "m", "1h1d", "-5m", True])
def test_durations_need_a_unit_in_order(text):
    with pytest.raises(ValueError, match="must look like 15m, 1h, 30s or 2h30m"):
        parse_duration(text)


def test_silences_and_feeds_read_durations_alike():
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert parse_until("2h30m", now) == now + parse_duration("2h30m")
    assert parse_until("2025-06-03", now) == datetime(2025, 6, 4, tzinfo=UTC)
    assert format_duration(parse_duration("1d2h").total_seconds()) == "1d2h"


def test_retry_after_seconds_or_http_date_in_any_header_shape():
    now = datetime(2025, 6, 1, 12, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("1.5") == 1.5
    assert retry_after_seconds(later, now=now.timestamp()) == 90.0
    assert retry_after_seconds("next week") is None
    assert retry_after_seconds("-3") is None
    # A day at most: never a wait no datetime can hold (issue 12, item 6).
    assert retry_after_seconds("1e12") == 24 * 3600.0
    assert retry_after_seconds("Fri, 31 Dec 9999 23:59:59 GMT", now=now.timestamp()) == 86400.0
    assert retry_after({"retry-after": ["7"]}) == 7.0  # slack_sdk: lists of values
    assert retry_after({"Retry-After": "7"}) == 7.0
    assert retry_after({"Content-Type": "text/plain"}) is None
    assert retry_after(None) is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://blog.google/rss/", "https://blog.google/rss/"),
        (
            "https://data.sec.gov/api/xbrl/companyfacts/CIK0000789019.json",
            "https://data.sec.gov/…/CIK0000789019.json",
        ),
        (
            "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml",
            "https://www.ecb.europa.eu/…/eurofxref-hist-90d.xml",
        ),
    ],
)
def test_short_urls_keep_scheme_host_and_last_segment(url, shown):
    assert short_url(url, 40) == shown


def test_a_long_host_is_never_cut():
    host = "https://investor-relations.a-company-with-a-very-long-name.example.com"
    shown = short_url(host + "/news/releases/feed.xml", 30)
    assert shown.startswith(host + "/") and shown.endswith("feed.xml")


COMPANY_ERRORS = [
    ("companies:\n  - id: A\n    name: B\n    fiscal_year_end_month: 13\n",
     "companies[0].fiscal_year_end_month", "expected a month number 1-12, got 13"),
    ("companies:\n  - id: A\n    name: B\n    cik: -4\n",
     "companies[0].cik", "expected a positive integer, got -4"),
    ("companies:\n  - id: A\n    name: B\n  - id: A\n    name: C\n",
     "companies[1].id", "duplicate id 'A'"),
    ("companies:\n  - id: ''\n    name: B\n", "companies[0].id", "required, a non-empty string"),
    ("companies:\n  - id: A\n    name: B\n    aliases: [x, 3]\n",
     "companies[0].aliases", "expected a list of names"),
    ("companies:\n  - id: A\n    name: B\n    colour: red\n", "companies[0].colour", "unknown key"),
    ("companies:\n  - just a name\n", "companies[0]", "must be a mapping"),
    ("companies: none\n", "companies", "must be a list"),
]


@pytest.mark.parametrize(("text", "field", "message"), COMPANY_ERRORS)
def test_company_registry_errors_name_file_and_field(tmp_path, text, field, message):
    path = tmp_path / "companies.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_companies(path)
    assert (caught.value.file, caught.value.field) == (str(path), field)
    assert str(caught.value).startswith(f"{path}: {field}: {message}")
    assert "\n" not in str(caught.value)


def test_company_registry_loads_its_fields(tmp_path):
    path = tmp_path / "companies.yaml"
    path.write_text(
        "companies:\n  - id: MSFT\n    name: Microsoft\n    aliases: [' Azure ']\n"
        "    hangul_aliases: [MS]\n    fiscal_year_end_month: 6\n    cik: 789019\n",
        encoding="utf-8",
    )
    (company,) = load_companies(path).companies
    assert (company.aliases, company.hangul_aliases) == (("Azure",), ("MS",))
    assert (company.fiscal_year_end_month, company.cik) == (6, 789019)
