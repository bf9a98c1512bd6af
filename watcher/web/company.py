"""A company page's charts: for each recent fiscal year the guidance history (from stored
observations, with the year's actual from SEC filings once all four quarters are filed), and
the quarterly series from SEC filings (capex, operating cash flow, capex/OCF, backlog) with
the quarters the configured series rules single out marked, found by the rules' own code."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from watcher.engine.history import load_series
from watcher.engine.series_rules import (
    JumpConfig,
    JumpRule,
    RatioRecordConfig,
    RatioRecordRule,
    SeriesRule,
    quarter_number,
)
from watcher.engine.types import Point, Rule, Series, metric_label
from watcher.formatting import format_amount, format_range
from watcher.web.charts import (
    Chart,
    Figure,
    Quarter,
    guidance_chart,
    money_label,
    ratio_label,
    series_chart,
)
from watcher.web.queries import ObservationRow, guidance_history, guidance_years

log = logging.getLogger(__name__)

GUIDED_METRIC = "capex"
YEARS_SHOWN = 4
FIGURES_PER_YEAR = 100
QUOTE_IN_TOOLTIP = 160
RATIO = "capex/ocf"
# The series charts in the order shown: (metric key, title).
SERIES = (
    ("capex", f"{metric_label('capex')} by quarter"),
    ("ocf", f"{metric_label('ocf')} by quarter"),
    (RATIO, "Capex / operating cash flow by quarter"),
    ("rpo", f"{metric_label('rpo')} at quarter end"),
)


def default_series_rules() -> list[Rule]:
    """The shipped series rules' defaults, for marks when no rules folder is at hand."""
    return [
        RatioRecordRule(RatioRecordConfig(name="capex-ocf-record", type="ratio_record")),
        JumpRule(JumpConfig(name="backlog-jump", type="jump")),
    ]


def guidance_charts(session: Session, company: str, series: Series, today: date) -> list[Chart]:
    """A chart per recent fiscal year with guidance, estimates or actuals stated for it."""
    charts = []
    for period in guidance_years(session, company, GUIDED_METRIC, YEARS_SHOWN):
        rows = guidance_history(session, company, GUIDED_METRIC, period, FIGURES_PER_YEAR)
        figures = [f for f in (_figure(row) for row in rows) if f is not None]
        if (actual := _annual_actual(series.get(GUIDED_METRIC, {}), period)) is not None:
            figures.append(actual)
        if figures:
            title = f"{company} {metric_label(GUIDED_METRIC).lower()} for {period}"
            charts.append(guidance_chart(title, figures, today))
    return charts


def _usd(row: ObservationRow) -> tuple[int | None, int | None]:
    o = row.observation
    if o.currency == "USD":
        return o.low, o.high
    return o.usd_low, o.usd_high


def _figure(row: ObservationRow) -> Figure | None:
    """A stored observation as a chart figure in US dollars; None when it has no dollar
    value (no exchange rate known)."""
    o = row.observation
    low, high = _usd(row)
    if low is None and high is None:
        return None
    quote = " ".join(o.quote.split())
    if len(quote) > QUOTE_IN_TOOLTIP:
        quote = quote[: QUOTE_IN_TOOLTIP - 1] + "…"
    change = f" ({o.change})" if o.change else ""
    title = (
        f"{o.kind} {o.published_at:%Y-%m-%d}: {format_range(o.low, o.high, o.currency)}"
        f"{change}, {row.source_name}: “{quote}”"
    )
    return Figure(
        o.published_at.date(),
        None if low is None else float(low),
        None if high is None else float(high),
        o.kind if o.kind in ("guidance", "estimate", "actual") else "guidance",
        title,
        f"/observations/{o.id}",
    )


def _annual_actual(quarters: dict[str, Point], period: str) -> Figure | None:
    """The fiscal year's total from its four quarters in SEC filings, dated when the last
    of them was first filed; None until all four are filed."""
    points = [quarters.get(f"{period}-Q{n}") for n in (1, 2, 3, 4)]
    if any(p is None for p in points):
        return None
    filed = [p for p in points if p is not None]
    total = sum(p.value for p in filed)
    last = max(filed, key=lambda p: p.first_filed)
    title = f"actual {period} from SEC filings: {format_amount(total, 'USD')} (filed {last.filed})"
    return Figure(last.first_filed, float(total), float(total), "actual", title, "#series")


def series_charts(company: str, series: Series, rules: Sequence[Rule]) -> list[Chart]:
    """Charts of the quarterly series, quarters marked where a series rule fires."""
    marks = series_marks(company, series, rules)
    charts = []
    for key, title in SERIES:
        if key == RATIO:
            values = ratio_values(series)
            label = ratio_label
        else:
            values = {p.period: (float(p.value), p) for p in series.get(key, {}).values()}
            label = money_label
        quarters = [
            _quarter(period, value, point, key, marks.get((key, period)))
            for period, (value, point) in values.items()
            if quarter_number(period) is not None
        ]
        if quarters:
            charts.append(series_chart(f"{company}: {title} (SEC filings)", quarters, label))
    return charts


def ratio_values(series: Series) -> dict[str, tuple[float, Point]]:
    """Each quarter's capex over its operating cash flow, where the cash flow is positive."""
    capex, ocf = series.get("capex", {}), series.get("ocf", {})
    return {
        period: (capex[period].value / ocf[period].value, capex[period])
        for period in capex.keys() & ocf.keys()
        if ocf[period].value > 0
    }


def _quarter(
    period: str, value: float, point: Point, key: str, mark: tuple[str, str] | None
) -> Quarter:
    shown = f"{value:.2f}" if key == RATIO else format_amount(int(value), "USD")
    title = f"{period}: {shown} (filing {point.accn}, filed {point.filed})"
    words, kind = mark or ("", "")
    number = quarter_number(period)
    assert number is not None
    return Quarter(period, number, value, title, words, kind)


def series_marks(
    company: str, series: Series, rules: Sequence[Rule]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(metric, period) -> (words, kind) for every quarter a series rule fires on, as the
    rule itself judges it (every quarter judged, as a replay does)."""
    marks: dict[tuple[str, str], tuple[str, str]] = {}
    for rule in rules:
        if not isinstance(rule, SeriesRule) or not rule.config.enabled:
            continue
        try:
            found = rule.evaluate_series(company, series)
        except Exception as exc:  # a rule's bug must not take the page down
            log.warning("web: rule %s failed on %s: %s", rule.name, company, exc)
            continue
        for item in found:
            draft = item.draft
            if draft.period is None:
                continue
            if draft.change == "record":
                words, kind = "record", "record"
            elif draft.change_pct is not None:
                words, kind = f"{draft.change_pct:+.0f}%", "jump"
            else:
                words, kind = f"crossed {draft.change}", "threshold"
            marks[(draft.metric, draft.period)] = (words, kind)
    return marks


def company_series(session: Session, company: str) -> Series:
    return load_series(session, {company}).get(company, {})
