"""Tables in articles, markdown and HTML, read row by row when the row's company and the
column's meaning are clear; nothing is read when either is unclear."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, html_to_text, load_companies

ROOT = Path(__file__).parents[1]
DAY = dt.date(2025, 2, 10)


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config/companies.yaml")


def _brief(observations) -> set[tuple]:
    return {
        (o.company, o.metric, o.kind, o.period, o.low, o.high, o.currency) for o in observations
    }


MARKDOWN = """Where the big spenders stand.

| Company | 2025 capex guidance | 2024 capex |
|---|---|---|
| Microsoft | $80 billion | $55.7 billion |
| Meta | 60-65 | 39.2 |
"""


def test_markdown_row_by_row(registry):
    obs = extract(MARKDOWN, date=DAY, companies=registry)
    assert _brief(obs) == {
        ("MSFT", "capex", "guidance", "FY2025", 80 * 10**9, 80 * 10**9, "USD"),
        ("MSFT", "capex", "actual", "FY2024", 557 * 10**8, 557 * 10**8, "USD"),
    }  # Meta's bare numbers have no unit in the header: not read
    row = "| Microsoft | $80 billion | $55.7 billion |"
    assert all(o.quote == row for o in obs)
    assert all(MARKDOWN[o.start : o.end] == row for o in obs)


def test_header_unit_scales_bare_numbers_and_ranges(registry):
    text = (
        "| Company | FY2025 capex outlook ($bn) | 2025 capex consensus (US$ bn) |\n"
        "| --- | --- | --- |\n"
        "| Meta | 64-72 | 68.5 |\n"
        "| Alphabet | ~75 | n/a |\n"
    )
    assert _brief(extract(text, date=DAY, companies=registry)) == {
        ("META", "capex", "guidance", "FY2025", 64 * 10**9, 72 * 10**9, "USD"),
        ("META", "capex", "estimate", "FY2025", 685 * 10**8, 685 * 10**8, "USD"),
        ("GOOGL", "capex", "guidance", "FY2025", 75 * 10**9, 75 * 10**9, "USD"),
    }


def test_html_table_becomes_pipe_rows_and_is_read(registry):
    html = (
        "<html><body><p>Spending plans at a glance.</p><table>"
        "<tr><th>Company</th><th>2025 capex guidance</th><th>2024 capex</th></tr>"
        "<tr><td>Microsoft</td><td>$80 billion</td><td>$55.7 billion</td></tr>"
        "<tr><td>Amazon</td><td>&mdash;</td><td>$83 billion</td></tr>"
        "</table></body></html>"
    )
    reduced = html_to_text(html)
    assert "| Microsoft | $80 billion | $55.7 billion |" in reduced.splitlines()
    obs = extract(html, date=DAY, companies=registry)
    assert _brief(obs) == {
        ("MSFT", "capex", "guidance", "FY2025", 80 * 10**9, 80 * 10**9, "USD"),
        ("MSFT", "capex", "actual", "FY2024", 557 * 10**8, 557 * 10**8, "USD"),
        ("AMZN", "capex", "actual", "FY2024", 83 * 10**9, 83 * 10**9, "USD"),
    }
    assert all(reduced[o.start : o.end] == o.quote for o in obs)


def test_statement_table_with_caption_unit_and_spanned_header(registry):
    html = (
        "<p>EXAMPLE CORP CONSOLIDATED STATEMENTS OF CASH FLOWS</p><p>(in millions)</p><table>"
        '<tr><td></td><td colspan="4">Year Ended December 31,</td></tr>'
        '<tr><td></td><td colspan="2">2023</td><td colspan="2">2024</td></tr>'
        "<tr><td>Net cash provided by operating activities</td><td>$</td><td>84,946</td>"
        "<td>$</td><td>115,877</td></tr>"
        '<tr><td>Purchases of property and equipment</td><td colspan="2">(52,729)</td>'
        '<td colspan="2">(82,999)</td></tr>'
        "<tr><td>Operating cash flows for operating leases</td><td>$</td><td>2,830</td>"
        "<td>$</td><td>2,233</td></tr>"
        "</table>"
    )
    obs = extract(html, companies=registry, company_hint="AMZN")
    assert _brief(obs) == {
        ("AMZN", "ocf", "actual", "FY2023", 84_946 * 10**6, 84_946 * 10**6, "USD"),
        ("AMZN", "ocf", "actual", "FY2024", 115_877 * 10**6, 115_877 * 10**6, "USD"),
        ("AMZN", "capex", "actual", "FY2023", 52_729 * 10**6, 52_729 * 10**6, "USD"),
        ("AMZN", "capex", "actual", "FY2024", 82_999 * 10**6, 82_999 * 10**6, "USD"),
    }


@pytest.mark.parametrize(
    "table",
    [
        # no metric in the header
        "| Company | 2025 | 2024 |\n|---|---|---|\n| Microsoft | $80 billion | $55.7 billion |\n",
        # another figure's column
        "| Company | 2025 revenue | 2024 revenue |\n|---|---|---|\n"
        "| Meta | $190 billion | $164 billion |\n",
        # a share, not an amount
        "| Company | Capex as % of revenue (2024) |\n|---|---|\n| Meta | 24 |\n",
        # no company in the row
        "| Segment | 2024 capex ($bn) |\n|---|---|\n| Data centers | 40 |\n",
        # a future year with no kind word: guidance or estimate? unclear
        "| Company | 2026 capex ($bn) |\n|---|---|\n| Microsoft | 100 |\n",
    ],
)
def test_unclear_tables_give_nothing(registry, table):
    assert extract(table, date=DAY, companies=registry) == []


def test_table_rows_are_not_read_as_prose(registry):
    text = (
        "Capital expenditures table below\n"
        "| Company | 2024 capex |\n|---|---|\n| Microsoft | $55.7 billion in 2023 |\n"
        "Meta's capital expenditures were $39.2 billion in 2024.\n"
    )
    obs = extract(text, date=DAY, companies=registry)
    quotes = [o.quote for o in obs]
    assert "Meta's capital expenditures were $39.2 billion in 2024." in quotes
    assert all(not q.startswith("Capital") for q in quotes)


def test_total_row_is_a_group_figure(registry):
    text = (
        "| Company | 2024 capex ($bn) |\n|---|---|\n| Microsoft | 55.7 |\n| Meta | 39.2 |\n"
        "| Total | 94.9 |\n"
    )
    obs = extract(text, date=DAY, companies=registry)
    assert (None, "capex", "actual", "FY2024", 949 * 10**8, 949 * 10**8, "USD") in _brief(obs)
