"""A sentence that names no metric of its own but points back at the figure of the sentence
before ("In the fourth quarter alone it was ...", "这一数字", "이는", "waren es", "la cifra"):
the figure is of that metric, and a year-ago comparison is a year before that figure."""

from __future__ import annotations

import datetime as dt

import pytest

from watcher.extract import extract, load_companies

REGISTRY = load_companies("config/companies.yaml")


def brief(text: str, day: dt.date) -> list[tuple]:
    return [
        (o.company, o.metric, o.kind, o.period, o.low, o.currency)
        for o in extract(text, date=day, companies=REGISTRY)
    ]


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [
        (
            "Nvidia spent 1.2 billion dollars on capital expenditures in the first quarter of "
            "fiscal 2026. A year earlier the figure was $0.4 billion.",
            dt.date(2025, 5, 30),
            ("NVDA", "capex", "actual", "FY2025-Q1", 400_000_000, "USD"),
        ),
        (
            "Oracle meldete für das abgelaufene Quartal Investitionsausgaben von 8,5 Milliarden "
            "Dollar. Im Vorjahresquartal waren es 2,8 Milliarden Dollar.",
            dt.date(2025, 9, 10),
            ("ORCL", "capex", "actual", "FY2025-Q1", 2_800_000_000, "USD"),
        ),
        (
            "阿里巴巴本季度资本开支为386亿元。去年同期，这一数字为170亿元。",
            dt.date(2025, 8, 29),
            ("BABA", "capex", "actual", "FY2025-Q1", 17_000_000_000, "CNY"),
        ),
        (
            "알파벳의 2분기 자본지출은 224억 달러였다. "
            "이는 전년 동기 132억 달러보다 70% 늘어난 규모다.",
            dt.date(2025, 7, 24),
            ("GOOGL", "capex", "actual", "FY2024-Q2", 13_200_000_000, "USD"),
        ),
    ],
)
def test_the_year_ago_figure_of_a_sentence_pointing_back(text, day, expected):
    assert expected in brief(text, day)


def test_a_sentence_with_its_own_other_figure_does_not_point_back():
    text = (
        "Meta's capital expenditures were $19.4 billion in the third quarter. "
        "That was the quarter in which revenue reached $51.2 billion."
    )
    found = brief(text, dt.date(2025, 10, 30))
    assert [f[4] for f in found] == [19_400_000_000]


def test_no_pointer_no_figure():
    text = "Amazon's capital expenditures were $31.4 billion in the quarter. Shares fell $3.10."
    assert [f[4] for f in brief(text, dt.date(2025, 8, 1))] == [31_400_000_000]
