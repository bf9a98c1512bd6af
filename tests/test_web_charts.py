"""The chart layouts of the web view (pure functions): axes that cover the data with round
ticks, guidance revisions as range bars at their dates with estimates drawn apart and actuals
as levels, open-ended figures, and series whose marked quarters are labelled."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from watcher.web.charts import (
    Figure,
    Quarter,
    guidance_chart,
    money_label,
    nice_ticks,
    scale,
    series_chart,
)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (54e9, 75.6e9, [50e9, 55e9, 60e9, 65e9, 70e9, 75e9, 80e9]),
        (0.0, 0.89, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (5, 5, [5, 6, 7, 8, 9, 10]),
    ],
)
def test_nice_ticks_cover_the_range_in_round_steps(low, high, expected):
    ticks = nice_ticks(low, high)
    assert ticks == pytest.approx(expected)
    assert ticks[0] <= low and ticks[-1] >= high


def test_scale_maps_ends_and_a_single_value_to_the_middle():
    x = scale((10, 20), (100, 200))
    assert (x(10), x(15), x(20)) == (100, 150, 200)
    assert scale((3, 3), (0, 50))(3) == 25


def test_money_labels():
    assert [money_label(v) for v in (64e9, 1.5e12, 800e6, 0)] == ["$64B", "$1.5T", "$800M", "$0"]


def figures() -> list[Figure]:
    return [
        Figure(date(2025, 1, 29), 60e9, 65e9, "guidance", "first", "/observations/1"),
        Figure(date(2025, 4, 30), 64e9, 72e9, "guidance", "raise", "/observations/2"),
        Figure(date(2025, 4, 30), 70e9, 70e9, "estimate", "an analyst", "/observations/3"),
        Figure(date(2025, 6, 2), 75e9, None, "estimate", "at least", "/observations/4"),
        Figure(date(2026, 1, 29), 72.2e9, 72.2e9, "actual", "reported", "/observations/5"),
    ]


def test_guidance_chart_draws_each_revision_at_its_date():
    chart = guidance_chart("META capex for FY2025", figures(), today=date(2026, 2, 1))
    first, raised = [b for b in chart.bars if b.cls == "guidance"]
    assert first.x < raised.x  # in date order
    assert raised.y1 < first.y1  # a higher top is higher up (smaller y)
    assert (first.href, raised.href) == ("/observations/1", "/observations/2")
    assert raised.label == "$64B–$72B"
    # Estimates are drawn apart from the guidance of the same day, hollow (their own class).
    estimate = next(d for d in chart.dots if d.cls == "estimate" and d.title == "an analyst")
    assert estimate.x > raised.x
    open_ended = next(b for b in chart.bars if b.cls == "estimate open")
    assert open_ended.y2 > open_ended.y1  # a short bar up from the floor
    assert next(d for d in chart.dots if d.title == "at least").label == "≥ $75B"
    # The actual: a diamond and a level across the plot.
    (actual,) = [d for d in chart.dots if d.cls == "actual"]
    assert actual.shape == "diamond"
    (level,) = chart.levels
    assert level.y == actual.y and level.label == "actual $72.2B"
    # Every value is inside the plot.
    for shape in [*chart.bars]:
        assert chart.top <= shape.y1 <= shape.y2 <= chart.bottom
    for dot in chart.dots:
        assert chart.left <= dot.x <= chart.right and chart.top <= dot.y <= chart.bottom


def test_guidance_chart_ticks_weeks_for_a_short_history():
    short = figures()[:2]
    weeks = guidance_chart("t", [short[0], short[0]], today=date(2025, 2, 10))
    months = guidance_chart("t", short, today=date(2025, 6, 1))
    assert all(" 20" not in t.label for t in weeks.x_ticks)  # "03 Feb", no year
    assert [t.label for t in months.x_ticks][:3] == ["Feb 2025", "Mar 2025", "Apr 2025"]


def test_empty_charts_have_no_shapes():
    assert guidance_chart("t", [], today=date(2025, 1, 1)).bars == ()
    assert series_chart("t", []).dots == ()


def test_series_chart_marks_and_labels_quarters():
    quarters = [
        Quarter("FY2025-Q1", 8100, 100.0, "q1"),
        Quarter("FY2025-Q2", 8101, 110.0, "q2"),
        Quarter("FY2025-Q3", 8102, 160.0, "q3", "+45%", "jump"),
        Quarter("FY2025-Q4", 8103, 150.0, "q4"),
        Quarter("FY2026-Q1", 8104, 90.0, "q5"),
    ]
    chart = series_chart("backlog", quarters)
    xs = [d.x for d in chart.dots]
    assert xs == sorted(xs) and len(chart.line.split()) == 5
    marked = [d for d in chart.dots if d.label]
    assert [(d.label, d.cls) for d in marked] == [("+45%", "mark jump")]
    assert marked[0].title == "q3 (+45%)"
    assert min(d.y for d in chart.dots) == marked[0].y  # the highest value is highest up
    assert chart.legend == (("jump", "jump"),)
    assert [t.label for t in chart.x_ticks] == ["FY2025", "FY2026"]
    assert chart.y_ticks[0].label == "$0"  # money axes start at zero


def test_labels_of_marks_on_neighbouring_quarters_do_not_overlap():
    values = [20.0] * 8 + [21.0, 30.0, 31.0] + [32.0] * 29  # jumps on three quarters in a row
    quarters = [
        Quarter(f"q{n}", 8000 + n, value, f"q{n}", *(("+50%", "jump") if 8 <= n <= 10 else ()))
        for n, value in enumerate(values)
    ]
    chart = series_chart("backlog", quarters)
    labelled = [d for d in chart.dots if d.label]
    baselines = [d.y - 9 if d.label_y is None else d.label_y for d in labelled]
    assert labelled[0].label_y is None  # the first stays just above its dot
    for (a, ya), (b, yb) in itertools.combinations(zip(labelled, baselines, strict=True), 2):
        apart = abs(a.x - b.x) >= len(a.label) * 6.6 or abs(ya - yb) >= 12
        assert apart, (a, b)
    alone = series_chart("t", [Quarter("q", 1, 1.0, "q", "record", "record")])
    assert alone.dots[0].label_y is None
