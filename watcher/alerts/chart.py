"""The digest's chart: one PNG per company of its capex guidance (the ranges it gave, when it
gave them) and its capex actuals over time (quarters from SEC facts, or reported actuals from
the news), drawn with matplotlib's Agg backend (no display needed).

Guidance is annual and quarters are not, so actuals are also drawn as a trailing four-quarter
sum, the figure a full-year guidance is comparable with.
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from watcher.store.models import Fact, Observation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

HISTORY = timedelta(days=3 * 366)
_QUARTER_GAP = timedelta(days=100)  # quarter ends further apart than this are not adjacent
# matplotlib's pyplot state is not thread-safe; Figure objects are, but font caches are shared.
_lock = threading.Lock()


@dataclass(frozen=True)
class GuidancePoint:
    when: date
    low: float | None
    high: float | None
    period: str | None


@dataclass(frozen=True)
class ActualPoint:
    end: date
    value: float
    quarterly: bool  # a quarter (SEC fact) rather than a reported full-year figure


@dataclass
class ChartData:
    company: str
    currency: str
    guidance: list[GuidancePoint] = field(default_factory=list)
    actuals: list[ActualPoint] = field(default_factory=list)

    def empty(self) -> bool:
        return not self.guidance and not self.actuals


def chart_data(session: Session, company: str, now: datetime) -> ChartData:
    """The company's capex guidance and actuals of the last three years, in one currency."""
    since = now - HISTORY
    observations = list(
        session.exec(
            select(Observation)
            .where(
                Observation.company == company,
                Observation.metric == "capex",
                col(Observation.kind).in_(("guidance", "actual")),
                Observation.published_at >= since,
            )
            .order_by(col(Observation.published_at))
        )
    )
    facts = list(
        session.exec(
            select(Fact)
            .where(Fact.company == company, Fact.metric == "capex", Fact.end >= since.date())
            .order_by(col(Fact.end))
        )
    )
    currency = _main_currency([o.currency for o in observations] + [f.currency for f in facts])
    data = ChartData(company=company, currency=currency)
    for observation in observations:
        if observation.currency != currency:
            continue
        if observation.kind == "guidance":
            data.guidance.append(
                GuidancePoint(
                    observation.published_at.date(),
                    observation.low,
                    observation.high,
                    observation.period,
                )
            )
        elif not facts and _is_full_year(observation.period) and observation.low is not None:
            data.actuals.append(
                ActualPoint(observation.published_at.date(), observation.low, False)
            )
    data.actuals.extend(
        ActualPoint(fact.end, fact.value, True) for fact in facts if fact.currency == currency
    )
    return data


def _main_currency(currencies: list[str]) -> str:
    return Counter(currencies).most_common(1)[0][0] if currencies else "USD"


def _is_full_year(period: str | None) -> bool:
    return period is not None and period.startswith("FY") and "-" not in period


def trailing_year(actuals: list[ActualPoint]) -> list[tuple[date, float]]:
    """The sum of each run of four adjacent quarters, at the last quarter's end."""
    quarters = sorted((a for a in actuals if a.quarterly), key=lambda a: a.end)
    sums = []
    for i in range(3, len(quarters)):
        window = quarters[i - 3 : i + 1]
        adjacent = all(b.end - a.end <= _QUARTER_GAP for a, b in pairwise(window))
        if adjacent:
            sums.append((window[-1].end, sum(q.value for q in window)))
    return sums


def render_png(data: ChartData) -> bytes:
    """The chart as PNG bytes: guidance ranges as bars at the date they were given, actual
    quarters as dots and their trailing-year sum as a line, in billions."""
    scale = 1e9
    with _lock:
        figure = _figure_class()(figsize=(6.4, 3.2), dpi=100)
        axes = figure.add_subplot()
        _draw_guidance(axes, data.guidance, scale)
        _draw_actuals(axes, data.actuals, scale)
        symbol = "$" if data.currency == "USD" else f"{data.currency} "
        axes.set_ylabel(f"{symbol}billion")
        axes.set_title(f"{data.company}: capex guidance and actuals", fontsize=10)
        axes.grid(True, alpha=0.3)
        axes.set_ylim(bottom=0)  # bars from zero: a move looks as big as it is
        if axes.get_legend_handles_labels()[0]:
            axes.legend(fontsize=7, loc="upper left")
        figure.autofmt_xdate()
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _figure_class() -> type[Figure]:
    """matplotlib's Figure, imported on the first chart: matplotlib takes about half a second
    to import, and most processes (the command line, a daemon between digests) never draw."""
    import matplotlib

    matplotlib.use("Agg")  # before anything imports pyplot: no display on a server
    from matplotlib.figure import Figure

    return Figure


def _draw_guidance(axes, guidance: list[GuidancePoint], scale: float) -> None:
    label = "guidance (full year)"
    for point in guidance:
        low = point.low if point.low is not None else point.high
        high = point.high if point.high is not None else point.low
        if low is None or high is None:
            continue
        axes.vlines(
            point.when, low / scale, high / scale, colors="#d9480f", linewidth=4, label=label
        )
        axes.plot([point.when], [(low + high) / 2 / scale], "_", color="#7a2600", markersize=10)
        if point.period:
            axes.annotate(
                point.period,
                (point.when, high / scale),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=6,
            )
        label = "_nolegend_"


def _draw_actuals(axes, actuals: list[ActualPoint], scale: float) -> None:
    quarters = [a for a in actuals if a.quarterly]
    if quarters:
        axes.plot(
            [a.end for a in quarters],
            [a.value / scale for a in quarters],
            "o",
            color="#1c7ed6",
            markersize=3,
            label="actual (quarter)",
        )
    ttm = trailing_year(actuals)
    if ttm:
        axes.plot(
            [when for when, _ in ttm],
            [value / scale for _, value in ttm],
            "-",
            color="#1c7ed6",
            label="actual (trailing 4 quarters)",
        )
    years = [a for a in actuals if not a.quarterly]
    if years:
        axes.plot(
            [a.end for a in years],
            [a.value / scale for a in years],
            "s",
            color="#1c7ed6",
            label="actual (full year, reported)",
        )
