"""Unit tests of the extraction stage: numbers, ranges, bounds, changes, kinds, companies,
periods, HTML input and the company registry. Fixtures are written for these tests."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from watcher.errors import ConfigError
from watcher.extract import extract, html_to_text, load_companies
from watcher.extract._numbers import find_amounts
from watcher.extract._periods import FiscalCalendar
from watcher.extract._sentences import split_sentences

ROOT = Path(__file__).parents[1]
B = 10**9


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config" / "companies.yaml")


def one(text, registry, date=dt.date(2025, 7, 30), hint=None):
    found = extract(text, date=date, companies=registry, source="t.txt", company_hint=hint)
    assert len(found) == 1, [o.to_dict() for o in found]
    return found[0]


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("spend $64 to $72 billion", 64 * B, 72 * B),
        ("a $70-72 billion plan", 70 * B, 72 * B),
        ("between $40 billion and $42 billion", 40 * B, 42 * B),
        ("US$1.5bn", 1_500_000_000, 1_500_000_000),
        ("about 3.2B", 3_200_000_000, 3_200_000_000),
        ("$2 trillion", 2 * 10**12, 2 * 10**12),
        ("$850 million", 850_000_000, 850_000_000),
        ("over $30 billion", 30 * B, None),
        ("at least $9 billion", 9 * B, None),
        ("up to $500 billion", None, 500 * B),
        ("$64,000,000,000 in total", 64 * B, 64 * B),
    ],
)
def test_number_reader(text, low, high):
    amounts = find_amounts(text)
    assert [(a.low, a.high) for a in amounts] == [(low, high)]


def test_non_money_numbers_are_ignored():
    assert find_amounts("grew 18% in 2024 and Q3, with 1,234 staff") == []
    assert find_amounts("increased 18% to $212 billion")[0].low == 212 * B


def test_currencies():
    assert find_amounts("12.5 billion RMB")[0].currency == "CNY"
    assert find_amounts("€3 billion")[0].currency == "EUR"


def test_sentences_keep_decimals_and_abbreviations():
    text = "Acme Inc. spent $64.5 billion in the U.S. last year. Capex rose."
    assert [s.text for s in split_sentences(text)] == [
        "Acme Inc. spent $64.5 billion in the U.S. last year.",
        "Capex rose.",
    ]


# --- what is an observation --------------------------------------------------------------


def test_actual_capex(registry):
    o = one("Meta said capital expenditures were $17 billion in the second quarter.", registry)
    assert (o.company, o.metric, o.kind, o.period, o.low, o.high) == (
        "META", "capex", "actual", "FY2025-Q2", 17 * B, 17 * B
    )  # fmt: skip


def test_guidance_range_with_raise_and_prior(registry):
    o = one(
        "Meta now anticipates full year 2025 capital expenditures of $66 to $72 billion, up from "
        "its prior outlook of $64 to $72 billion.",
        registry,
    )
    assert (o.kind, o.period, o.low, o.high) == ("guidance", "FY2025", 66 * B, 72 * B)
    assert (o.change, o.prior_low, o.prior_high) == ("raised", 64 * B, 72 * B)


def test_updated_range_is_narrowed_by_its_numbers(registry):
    o = one(
        "We expect 2024 capital expenditures in the range of $38 to $40 billion, updated from our "
        "prior range of $37 to $40 billion.",
        registry,
        hint="META",
    )
    assert o.change == "narrowed"


def test_reaffirmed_and_approximate(registry):
    o = one(
        "Alphabet said it still expects to invest approximately $85 billion in CapEx this year.",
        registry,
    )
    assert (o.company, o.kind, o.change, o.low, o.high, o.period) == (
        "GOOGL", "guidance", "reaffirmed", 85 * B, 85 * B, "FY2025"
    )  # fmt: skip


def test_open_bounds(registry):
    assert (
        one("Microsoft expects Q1 capital expenditures to be over $30 billion.", registry).high
        is None
    )
    o = one("Oracle plans capex of up to $25 billion next fiscal year.", registry)
    assert (o.low, o.high, o.period) == (None, 25 * B, "FY2027")


def test_third_party_estimate(registry):
    o = one("Analysts expect Amazon to spend about $120 billion on capex in 2025.", registry)
    assert (o.company, o.kind) == ("AMZN", "estimate")


def test_other_figures_are_not_observations(registry):
    text = (
        "Revenue was $42 billion and free cash flow was $10 billion, reflecting higher capital "
        "expenditures. Capex was up $18 billion year over year. Depreciation rose to $4 billion."
    )
    assert extract(text, date=dt.date(2025, 7, 30), companies=registry, company_hint="META") == []


def test_two_definitions_are_two_observations(registry):
    text = (
        "Capital expenditures, including finance leases, were $24.2 billion, and cash paid for "
        "PP&E was $17.1 billion."
    )
    found = extract(text, date=dt.date(2025, 7, 30), companies=registry, company_hint="MSFT")
    assert [(o.low, o.variant) for o in found] == [
        (24_200_000_000, None),
        (17_100_000_000, "cash paid for PP&E"),
    ]


def test_rpo(registry):
    o = one(
        "Commercial remaining performance obligation increased 37% to $368 billion.",
        registry,
        hint="MSFT",
    )
    assert (o.company, o.metric, o.kind, o.period) == ("MSFT", "rpo", "actual", "FY2025-Q4")


def test_analyst_question_is_excluded(registry):
    text = (
        "Our next question comes from the line of Jane Roe with Example Bank. Please go ahead. "
        "Thanks. So should we think about $100 billion of capex next year? Thank you. "
        "Sure. We are not giving a number for next year today."
    )
    assert extract(text, date=dt.date(2025, 7, 30), companies=registry, company_hint="META") == []


# --- companies ---------------------------------------------------------------------------


def test_company_hint_used_when_text_names_none(registry):
    assert one("Capex was $5 billion in the quarter.", registry, hint="AMZN").company == "AMZN"
    assert one("Capex was $5 billion in the quarter.", registry, hint="GOOG").company == "GOOGL"


def test_several_companies_together_have_no_company(registry):
    o = one(
        "Microsoft, Alphabet, Amazon and Meta plan capital expenditures of more than $300 billion "
        "this year.",
        registry,
    )
    assert (o.company, o.low, o.high) == (None, 300 * B, None)


def test_alias_case(registry):
    assert [m.company_id for m in registry.mentions("Meta and AWS, not metadata or meta")] == [
        "META",
        "AMZN",
    ]


# --- periods -----------------------------------------------------------------------------


def test_fiscal_calendars():
    msft = FiscalCalendar(6)
    assert msft.year_of(dt.date(2025, 7, 28)) == 2026
    assert msft.reported_quarter(dt.date(2025, 7, 28)) == (2025, 4)
    assert msft.reported_quarter(dt.date(2025, 10, 29)) == (2026, 1)
    assert FiscalCalendar(12).reported_quarter(dt.date(2025, 2, 1)) == (2024, 4)


def test_msft_relative_periods(registry):
    day = dt.date(2025, 7, 30)
    assert (
        one("We expect Q1 capital expenditures of over $30 billion.", registry, day, "MSFT").period
        == "FY2026-Q1"
    )
    assert (
        one("We expect capex this year of $120 billion.", registry, day, "MSFT").period == "FY2026"
    )
    assert one("Capex was $88 billion for the full year.", registry, day, "MSFT").period == "FY2025"


def test_calendar_company_periods(registry):
    day = dt.date(2025, 2, 1)
    assert (
        one("We expect capex next year of $80 billion.", registry, day, "META").period == "FY2026"
    )
    assert one(
        "Capex in the first half was $30 billion.", registry, dt.date(2024, 7, 30), "AMZN"
    ).period == ("FY2024-Q1-FY2024-Q2")
    o = one(
        "Capital expenditures were $8 billion over the last four quarters.", registry, day, "META"
    )
    assert o.period == "FY2024"


# --- input forms, robustness -------------------------------------------------------------


def test_html_input(registry):
    page = (
        "<html><head><style>p{color:red}</style><script>var capex = '$1 billion';</script></head>"
        "<body><h1>Results</h1><p>Meta&#8217;s capital expenditures were $9.2&nbsp;billion.</p>"
        "</body></html>"
    )
    assert "var capex" not in html_to_text(page)
    o = one(page, registry)
    assert (o.company, o.low) == ("META", 9_200_000_000)


@pytest.mark.parametrize(
    "bad", ["", "\x00\x01", "$" * 1000, "<html><<<>>", "1," * 2000, "Q9 FY99999"]
)
def test_never_raises(registry, bad):
    assert isinstance(extract(bad, date=None, companies=registry), list)


@pytest.mark.slow
def test_large_adversarial_input_is_linear(registry):
    # The work is counted, not timed (a wall-clock limit fails on a busy machine; the timing
    # is bench/extract.py's): Python and C function calls made by one extraction, less those
    # of a one-chunk document (the cost of any document). Four times the text may cost at
    # most about four times the calls; anything quadratic would cost sixteen.
    chunk = "$1,2 billion capex RPO to-over 9.9 Meta Q1 2025 $$ "

    def calls(size: int) -> int:
        text = chunk * max(1, size // len(chunk))
        count = 0

        def profile(_frame, event, _arg):  # type: ignore[no-untyped-def]
            nonlocal count
            if event in ("call", "c_call"):
                count += 1

        sys.setprofile(profile)
        try:
            assert isinstance(extract(text, companies=registry), list)
        finally:
            sys.setprofile(None)
        return count

    base = calls(0)
    small, large = calls(100_000) - base, calls(400_000) - base
    assert 0 < small < large <= 5 * small, (base, small, large)


# --- registry errors ---------------------------------------------------------------------


def write(tmp_path, body):
    path = tmp_path / "companies.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_registry_error_names_file_and_field(tmp_path):
    path = write(
        tmp_path, "companies:\n  - id: X\n    name: X Corp\n    fiscal_year_end_month: 13\n"
    )
    with pytest.raises(ConfigError) as err:
        load_companies(path)
    assert err.value.field == "companies[0].fiscal_year_end_month"
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("companies: 3\n", "companies"),
        ("companies:\n  - name: X\n", "companies[0].id"),
        ("companies:\n  - id: X\n    name: Y\n    aliases: x\n", "companies[0].aliases"),
        ("companies:\n  - {id: X, name: Y}\n  - {id: X, name: Z}\n", "companies[1].id"),
    ],
)
def test_registry_errors(tmp_path, body, field):
    with pytest.raises(ConfigError) as err:
        load_companies(write(tmp_path, body))
    assert err.value.field == field


def test_registry_shipped_file(registry):
    assert registry.fiscal_year_end_month("MSFT") == 6
    assert registry.fiscal_year_end_month("ORCL") == 5
    assert registry.fiscal_year_end_month("NVDA") == 1
    assert registry.resolve_alias("CoreWeave") == "CRWV"
