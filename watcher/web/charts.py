"""Charts as geometry: small pure functions that lay out a guidance history or a quarterly
series as shapes in an SVG coordinate space. A template (`templates/_chart.html`) draws the
shapes with autoescaping, so text from feeds (quotes in tooltips) never becomes markup here.

- `guidance_chart`: one fiscal year's figures over time: each guidance revision a range bar
  (or a dot for a point figure) at its publication date, third-party estimates drawn apart
  (hollow, beside the guidance), actuals as a diamond and a dashed level once reported.
- `series_chart`: a quarterly series as a line with a dot per quarter; quarters the rules
  single out (a record, a jump) are marked and labelled.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

WIDTH = 720
HEIGHT = 260
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 36


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Bar:
    """A vertical range from y1 (top) to y2 (bottom) at x."""

    x: float
    y1: float
    y2: float
    cls: str
    title: str
    href: str | None = None
    label: str = ""  # shown beside the bar (the range, short)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    cls: str
    title: str
    href: str | None = None
    label: str = ""  # shown above the dot (a mark's name)
    shape: str = "circle"  # circle | diamond
    label_y: float | None = None  # the label's baseline when not just above the dot


@dataclass(frozen=True)
class Level:
    """A horizontal line across the plot (an actual once reported)."""

    y: float
    cls: str
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    left: float = MARGIN_LEFT
    top: float = MARGIN_TOP
    right: float = WIDTH - MARGIN_RIGHT
    bottom: float = HEIGHT - MARGIN_BOTTOM
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    bars: tuple[Bar, ...] = ()
    dots: tuple[Dot, ...] = ()
    levels: tuple[Level, ...] = ()
    line: str = ""  # SVG polyline points "x,y x,y ..."
    legend: tuple[tuple[str, str], ...] = ()  # (css class, words)


@dataclass(frozen=True)
class Figure:
    """One figure of a guidance history: a range (or a point: low == high), open at one end
    when a bound is None, in the chart's unit (US dollars)."""

    day: date
    low: float | None
    high: float | None
    kind: str  # guidance | estimate | actual
    title: str
    href: str | None = None


@dataclass(frozen=True)
class Quarter:
    period: str
    number: int  # grows by one per quarter (see engine.series_rules.quarter_number)
    value: float
    title: str
    mark: str = ""  # "" or the words of a mark (a record, a jump)
    mark_kind: str = ""  # css class of the mark: record | jump | threshold


def scale(domain: tuple[float, float], span: tuple[float, float]) -> Callable[[float], float]:
    """A linear map from `domain` onto `span`; a domain of one value maps to the middle."""
    d0, d1 = domain
    r0, r1 = span
    if d1 == d0:
        middle = (r0 + r1) / 2
        return lambda _value: middle
    factor = (r1 - r0) / (d1 - d0)
    return lambda value: r0 + (value - d0) * factor


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high], about `count` of them (1, 2 or 5 times a
    power of ten apart)."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [first]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(first + len(ticks) * step)
    return [round(value, 12) for value in ticks]


def money_label(value: float) -> str:
    """A US-dollar axis label: $64B, $1.5T, $800M."""
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"${value / size:.4g}{suffix}"
    return f"${value:.4g}"


def ratio_label(value: float) -> str:
    return f"{value:.2f}"


def guidance_chart(title: str, figures: Sequence[Figure], today: date) -> Chart:
    """One fiscal year's guidance history: revisions as range bars at their dates, estimates
    apart (hollow, shifted right), actuals as diamonds with a dashed level."""
    if not figures:
        return Chart(title=title)
    chart = Chart(title=title)
    days = [f.day.toordinal() for f in figures]
    first, last = min(days), max(max(days), min(today.toordinal(), max(days) + 30))
    pad = max((last - first) * 0.04, 3)
    x = scale((first - pad, last + pad), (chart.left, chart.right))
    values = [v for f in figures for v in (f.low, f.high) if v is not None]
    y_ticks_values = nice_ticks(min(values) * 0.9, max(values) * 1.05)
    y = scale((y_ticks_values[0], y_ticks_values[-1]), (chart.bottom, chart.top))
    bars: list[Bar] = []
    dots: list[Dot] = []
    levels: list[Level] = []
    for figure in sorted(figures, key=lambda f: f.day):
        cx = x(figure.day.toordinal()) + (5 if figure.kind == "estimate" else 0)
        cls = figure.kind
        if figure.kind == "actual":
            value = figure.low if figure.low is not None else figure.high
            assert value is not None
            dots.append(Dot(cx, y(value), cls, figure.title, figure.href, shape="diamond"))
            levels.append(Level(y(value), cls, f"actual {money_label(value)}"))
            continue
        low, high = figure.low, figure.high
        if low is not None and high is not None and low != high:
            label = f"{money_label(low)}–{money_label(high)}"
            bars.append(Bar(cx, y(high), y(low), cls, figure.title, figure.href, label))
            continue
        known = low if low is not None else high
        assert known is not None
        if low is None or high is None:
            # Open-ended ("at least", "up to"): a short bar from the bound the way it opens.
            end = y_ticks_values[-1] if high is None else y_ticks_values[0]
            reach = (y(end) - y(known)) * 0.25
            top, bottom = sorted((y(known), y(known) + reach))
            bars.append(Bar(cx, top, bottom, f"{cls} open", figure.title, figure.href))
        dots.append(Dot(cx, y(known), cls, figure.title, figure.href, label=_bound(low, high)))
    return Chart(
        title=title,
        x_ticks=tuple(_date_ticks(first - pad, last + pad, x)),
        y_ticks=tuple(Tick(y(v), money_label(v)) for v in y_ticks_values),
        bars=tuple(bars),
        dots=tuple(dots),
        levels=tuple(levels),
        legend=(
            ("guidance", "company guidance"),
            ("estimate", "third-party estimate"),
            ("actual", "actual"),
        ),
    )


def _bound(low: float | None, high: float | None) -> str:
    """A point or open figure, short: "$75B", "≥ $30B", "≤ $500B"."""
    if low is None and high is not None:
        return f"≤ {money_label(high)}"
    if high is None and low is not None:
        return f"≥ {money_label(low)}"
    return money_label(low if low is not None else 0.0)


def _date_ticks(first: float, last: float, x: Callable[[float], float]) -> list[Tick]:
    """Month starts between two ordinals (Mondays when the span is under three months),
    thinned to at most eight labels."""
    start, end = date.fromordinal(math.ceil(first)), date.fromordinal(math.floor(last))
    if (end - start).days < 90:
        monday = start.toordinal() + (-start.weekday()) % 7
        days = [date.fromordinal(d) for d in range(monday, end.toordinal() + 1, 7)]
        fmt = "%d %b"
    else:
        days = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            day = date(year, month, 1)
            if day >= start:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        fmt = "%b %Y"
    step = max(1, math.ceil(len(days) / 8))
    return [Tick(x(d.toordinal()), d.strftime(fmt)) for d in days[::step]]


def series_chart(
    title: str,
    quarters: Sequence[Quarter],
    label: Callable[[float], str] = money_label,
) -> Chart:
    """A quarterly series as a line with a dot per quarter, marked quarters labelled; the
    value axis starts at zero unless the series goes below it."""
    if not quarters:
        return Chart(title=title)
    chart = Chart(title=title)
    ordered = sorted(quarters, key=lambda q: q.number)
    numbers = [q.number for q in ordered]
    x = scale((numbers[0] - 0.5, numbers[-1] + 0.5), (chart.left, chart.right))
    values = [q.value for q in ordered]
    ticks = nice_ticks(min(0.0, min(values)), max(values) * 1.1)
    y = scale((ticks[0], ticks[-1]), (chart.bottom, chart.top))
    dots = _spread_labels(
        [
            Dot(
                x(q.number),
                y(q.value),
                f"mark {q.mark_kind}" if q.mark else "quarter",
                q.title + (f" ({q.mark})" if q.mark else ""),
                label=q.mark,
            )
            for q in ordered
        ],
        chart.top,
    )
    line = " ".join(f"{x(q.number):.1f},{y(q.value):.1f}" for q in ordered)
    marked = {q.mark_kind for q in ordered if q.mark}
    return Chart(
        title=title,
        x_ticks=tuple(_year_ticks(ordered, x)),
        y_ticks=tuple(Tick(y(v), label(v)) for v in ticks),
        dots=dots,
        line=line,
        legend=tuple(
            (kind, kind) for kind in ("record", "jump", "threshold") if kind in marked
        ),
    )


LABEL_CHAR = 6.6  # the width of a mark label's character (11px, bold), in chart units
LABEL_LINE = 12  # the height of a mark label's line


def _spread_labels(dots: Sequence[Dot], top: float) -> tuple[Dot, ...]:
    """Dots whose labels would overlap one already placed (marks on neighbouring quarters)
    get theirs a line higher, as often as needed; a label pushed above the plot goes under
    its dot instead."""
    placed: list[tuple[float, float, float]] = []  # left, right, baseline
    spread: list[Dot] = []
    for dot in dots:
        if not dot.label:
            spread.append(dot)
            continue
        half = len(dot.label) * LABEL_CHAR / 2 + 2
        left, right = dot.x - half, dot.x + half
        baseline = dot.y - 9
        while _crosses(placed, left, right, baseline):
            baseline -= LABEL_LINE
        if baseline < top:
            baseline = dot.y + 18
        placed.append((left, right, baseline))
        moved = baseline != dot.y - 9
        spread.append(replace(dot, label_y=baseline) if moved else dot)
    return tuple(spread)


def _crosses(
    placed: Sequence[tuple[float, float, float]], left: float, right: float, baseline: float
) -> bool:
    """Whether a label from `left` to `right` on `baseline` overlaps one of `placed`."""
    return any(
        left < other_right and other_left < right and abs(other - baseline) < LABEL_LINE
        for other_left, other_right, other in placed
    )


def _year_ticks(ordered: Sequence[Quarter], x: Callable[[float], float]) -> list[Tick]:
    """A label at each fiscal year's first quarter, thinned to at most ten."""
    firsts = [q for q in ordered if q.period.endswith("-Q1")] or list(ordered[:1])
    step = max(1, math.ceil(len(firsts) / 10))
    return [Tick(x(q.number), q.period[:6]) for q in firsts[::step]]

