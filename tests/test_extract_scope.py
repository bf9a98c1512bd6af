"""Scope in English: a figure restated in another currency is one observation in the
currency stated first; a figure about several companies together has company null; third
parties' forecasts are estimates; guidance revised against what the speaker expected before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, load_companies

ROOT = Path(__file__).parents[1]
DAY = dt.date(2025, 5, 1)
B = 10**9


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config/companies.yaml")


def _one(registry, text: str):
    obs = extract(text, date=DAY, companies=registry)
    assert len(obs) == 1, obs
    return obs[0]


@pytest.mark.parametrize(
    ("text", "low", "currency"),
    [
        ("Alibaba plans to raise its capital spending to 120 billion yuan ($16.5 billion) "
         "in fiscal 2026.", 120 * B, "CNY"),
        ("Alibaba will put US$16.5 billion (about 120 billion yuan) into capital "
         "expenditures in fiscal 2026.", 16_500_000_000, "USD"),
        ("Microsoft expects capex of $64 billion, or about 88 trillion won, in fiscal 2026.",
         64 * B, "USD"),
    ],
)  # fmt: skip
def test_restated_currency_is_one_observation(registry, text, low, currency):
    o = _one(registry, text)
    assert (o.metric, o.low, o.currency, o.period) == ("capex", low, currency, "FY2026")


@pytest.mark.parametrize(
    "text",
    [
        "The four largest cloud providers will spend more than $300 billion combined on "
        "capital expenditures in 2025.",
        "Microsoft, Alphabet, Amazon and Meta together spent $230 billion on capex in 2024.",
        "Hyperscalers are expected to lift capital expenditures to roughly $350 billion this year.",
    ],
)
def test_figure_about_several_companies_has_no_company(registry, text):
    o = _one(registry, text)
    assert o.company is None and o.metric == "capex"


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Analysts expect Meta's 2025 capital expenditures to reach $62 billion.", "META"),
        ("Consensus estimates put Alphabet's capex at $58 billion for 2025.", "GOOGL"),
        ("A large investment bank forecasts Microsoft capex of $90 billion in fiscal 2026, "
         "according to a research note.", "MSFT"),
        ("Wall Street expects Amazon to spend about $105 billion on capital expenditures "
         "this year.", "AMZN"),
    ],
)  # fmt: skip
def test_third_party_forecasts_are_estimates(registry, text, company):
    o = _one(registry, text)
    assert (o.company, o.kind) == (company, "estimate")


def test_actual_next_to_an_estimate_keeps_its_kind(registry):
    text = (
        "Microsoft said capex was $21.4 billion in the quarter, above the $20.9 billion "
        "analysts had expected."
    )
    kinds = {o.low: o.kind for o in extract(text, date=DAY, companies=registry)}
    assert kinds[21_400_000_000] == "actual"
    assert kinds.get(20_900_000_000, "estimate") == "estimate"


@pytest.mark.parametrize(
    ("text", "change"),
    [
        ("Meta now expects 2025 capital expenditures of $66 billion to $72 billion, a little "
         "higher than it had planned.", "raised"),
        ("We expect capex of about $7 billion this fiscal year. That is a bit lower than we "
         "originally expected.", "lowered"),
        ("We expect capex of $7 to $7.5 billion this fiscal year. Our regions keep filling "
         "up. So I'm going to be somewhere between seven and seven and a half for the full "
         "year, which is actually a little bit lower than I thought.", "lowered"),
        ("We expect capex of $7 to $7.5 billion this fiscal year. Revenue was $13 billion, "
         "lower than we expected.", None),
    ],
)  # fmt: skip
def test_guidance_revised_against_earlier_expectation(registry, text, change):
    guidance = [
        o
        for o in extract(text, date=DAY, companies=registry, company_hint="META")
        if o.kind == "guidance"
    ]
    assert len(guidance) == 1 and guidance[0].change == change
