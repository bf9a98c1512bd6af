"""Rule types over quarterly series of SEC XBRL facts: `ratio_record` (capex over operating
cash flow at a high of at least N quarters), `jump` (a quarter-over-quarter or year-over-year
change of at least X percent) and `threshold` (a value, or a group's sum, crossing a level).

A series rule sees the quarters of one company (or a group) and returns an event for each
quarter where it fires; the caller decides which of those are news (recently filed) and which
are history (replay). A rule never evaluates across a missing quarter or an undefined value:
it logs why instead.

Evaluating what is new, a rule is handed only what it `reach`es: some companies, some metrics,
and `lookback` quarters of history before the first quarter that can be news (`judge_from`);
quarters before that are compared with, not judged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from pydantic import Field

from watcher.engine.quarters import period_name, quarter_number
from watcher.engine.types import (
    Point,
    Reach,
    Rule,
    RuleConfig,
    RuleContext,
    Series,
    metric_label,
)
from watcher.formatting import format_amount
from watcher.store.drafts import Detail, EventDraft

log = logging.getLogger(__name__)

Metric = Literal["capex", "ocf", "rpo"]

# Defined with the rule interface (`engine.types`) and beside it (`engine.quarters`), used here.
__all__ = ["Point", "Reach", "Series", "period_name", "quarter_number"]


def judged(numbers: Iterable[int], judge_from: int | None) -> list[int]:
    """The quarters to judge, oldest first: those from `judge_from` on (None: all)."""
    return sorted(n for n in numbers if judge_from is None or n >= judge_from)


class SeriesRuleConfig(RuleConfig):
    # Quarters filed longer ago than this are history (judged, compared with), not news.
    max_age_days: float = Field(30.0, gt=0)


@dataclass(frozen=True)
class SeriesEvent:
    """An event a series rule found, and the day its quarter first became known."""

    draft: EventDraft
    filed: date


class SeriesRule(Rule):
    """Base of the rule types that read quarterly series."""

    reads = "facts"
    config: SeriesRuleConfig
    metrics_needed: tuple[str, ...] = ()
    # Quarters of history before a judged quarter that its judgement reads.
    lookback: int = 1

    def reach(self, changed: set[str]) -> Reach:
        """What judging the changed companies' new quarters reads: their series in the
        metrics the rule needs, `lookback` quarters back."""
        return Reach(
            frozenset(changed),
            frozenset(self.metrics_needed),
            self.lookback,
            self.config.max_age_days,
        )

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        """Events about the changed companies' quarters; only quarters first filed within
        `max_age_days` are news, unless the context replays history."""
        today = ctx.now.date()
        return [
            replace(found.draft, known_at=found.filed)
            for found in self.series_events(ctx.changed, ctx.series, ctx.judge_from)
            if ctx.replay or (today - found.filed).days <= self.config.max_age_days
        ]

    def series_events(
        self, companies: set[str], everyone: dict[str, Series], judge_from: int | None = None
    ) -> list[SeriesEvent]:
        """What the rule finds in each changed company's series."""
        return [
            found
            for company in sorted(companies)
            for found in self.evaluate_series(company, everyone.get(company, {}), judge_from)
        ]

    def evaluate_series(
        self, company: str | None, series: Series, judge_from: int | None = None
    ) -> list[SeriesEvent]:
        """Events in `series`, judging the quarters from `judge_from` on (None: all)."""
        raise NotImplementedError

    def _draft(
        self,
        company: str | None,
        metric: str,
        period: str,
        change: str,
        value: float,
        previous: float | None,
        summary: str,
        quote: str,
        money: int | None = None,
        change_pct: float | None = None,
        *,
        headline: str,
        details: list[Detail],
    ) -> EventDraft:
        key = "|".join(str(part) for part in (self.name, company, metric, period, f"{value:.6g}"))
        return EventDraft(
            key=key,
            rule=self.name,
            severity=self.config.severity,
            company=company,
            metric=metric,
            period=period,
            change=change,
            currency="USD",
            low=money,
            high=money,
            prior_low=None,
            prior_high=None,
            change_pct=change_pct,
            quote=quote,
            summary=summary,
            observation_id=None,
            document_id=None,
            value=value,
            previous=previous,
            headline=headline,
            details=tuple(details),
            channels=tuple(self.config.channels),
        )


def _points(series: Series, metric: str) -> dict[int, Point]:
    return {
        number: point
        for point in series.get(metric, {}).values()
        if (number := quarter_number(point.period)) is not None
    }


class RatioRecordConfig(SeriesRuleConfig):
    type: Literal["ratio_record"] = "ratio_record"
    numerator: Metric = "capex"
    denominator: Metric = "ocf"
    # The ratio must be the highest of at least this many consecutive stored quarters.
    quarters: int = Field(8, ge=2)
    # "quarter": each quarter's own ratio; "ttm": trailing twelve months (four quarters).
    basis: Literal["quarter", "ttm"] = "quarter"


class RatioRecordRule(SeriesRule):
    """Capex over operating cash flow at its highest in at least N quarters."""

    type_name = "ratio_record"
    config_model = RatioRecordConfig
    config: RatioRecordConfig

    @property
    def metrics_needed(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.config.numerator, self.config.denominator)

    @property
    def lookback(self) -> int:  # type: ignore[override]
        # Enough for the shortest run that can be a record before the first judged quarter.
        return self.config.quarters - 1 + self._span - 1

    @property
    def _span(self) -> int:
        return 4 if self.config.basis == "ttm" else 1

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        """As every series rule; but a record within a window of quarters may not be one over
        the whole run before it (nor as long), so those companies are judged again on their
        whole series. A quarter that is no record within the window is none over more."""
        drafts = super().evaluate(ctx)
        if ctx.whole_series is None or not drafts:
            return drafts
        again = {draft.company for draft in drafts if draft.company is not None}
        return super().evaluate(
            replace(
                ctx,
                series=ctx.whole_series(again, set(self.metrics_needed)),
                changed=again,
                whole_series=None,
            )
        )

    def evaluate_series(
        self, company: str | None, series: Series, judge_from: int | None = None
    ) -> list[SeriesEvent]:
        ratios, filed = self._ratios(company, series)
        drafts, unjudged = [], []
        first = min(ratios, default=0)
        for number in judged(ratios, judge_from):
            run = self._run_before(ratios, number)
            if len(run) + 1 < self.config.quarters:
                if number - len(run) - 1 > first:  # history exists, but beyond a gap
                    unjudged.append(period_name(number))
                continue
            best_number = max(run, key=lambda n: ratios[n])
            best = ratios[best_number]
            if ratios[number] > best:
                record = self._record(
                    company,
                    number,
                    ratios[number],
                    (best, best_number),
                    len(run) + 1,
                    filed[number],
                )
                drafts.append(SeriesEvent(record, filed[number].first_filed))
        if unjudged:
            log.info(
                "%s: %s %s not judged: fewer than %d consecutive quarters since a missing one",
                self.name,
                company,
                ", ".join(unjudged),
                self.config.quarters,
            )
        return drafts

    def _ratios(self, company: str | None, series: Series) -> tuple[dict[int, float], dict]:
        top = _points(series, self.config.numerator)
        bottom = _points(series, self.config.denominator)
        span = self._span
        ratios: dict[int, float] = {}
        filed: dict[int, Point] = {}
        undefined = []
        for number in sorted(set(top) & set(bottom)):
            quarters = range(number - span + 1, number + 1)
            if any(q not in top or q not in bottom for q in quarters):
                continue
            denominator = sum(bottom[q].value for q in quarters)
            if denominator <= 0:
                undefined.append(period_name(number))
                continue
            ratios[number] = sum(top[q].value for q in quarters) / denominator
            filed[number] = max(top[number], bottom[number], key=lambda point: point.first_filed)
        if undefined:
            log.info(
                "%s: %s has no positive %s in %s: no ratio there, and no record is judged "
                "across those quarters",
                self.name,
                company,
                self.config.denominator,
                ", ".join(undefined),
            )
        return ratios, filed

    def _run_before(self, ratios: dict[int, float], number: int) -> list[int]:
        """The consecutive quarters with a ratio right before `number` (stops at a gap)."""
        run, previous = [], number - 1
        while previous in ratios:
            run.append(previous)
            previous -= 1
        return run

    def _record(
        self,
        company: str | None,
        number: int,
        ratio: float,
        previous_high: tuple[float, int],
        quarters: int,
        point: Point,
    ) -> EventDraft:
        best, best_number = previous_high
        basis = "trailing-twelve-month " if self.config.basis == "ttm" else ""
        metric = f"{self.config.numerator}/{self.config.denominator}"
        period = period_name(number)
        summary = (
            f"{company} {basis}{metric} ratio at a {quarters}-quarter high in {period}: "
            f"{ratio:.2f} (previous high {best:.2f})"
        )
        quote = f"{metric} {period} = {ratio:.3f}; SEC filing {point.accn} filed {point.filed}"
        label = (
            f"{metric_label(self.config.numerator)} / "
            f"{metric_label(self.config.denominator).lower()}"
        )
        ratio_name = f"{basis}{label} ratio"
        headline = f"{company}: {ratio_name} at a {quarters}-quarter high in {period}: {ratio:.2f}"
        details: list[Detail] = [
            (f"{ratio_name[0].upper()}{ratio_name[1:]}, {period}", f"{ratio:.2f}"),
            ("Previous high", f"{best:.2f} in {period_name(best_number)}"),
            ("Quarters compared", str(quarters)),
            ("Filing", f"{point.accn}, filed {point.filed}"),
        ]
        return self._draft(
            company,
            metric,
            period,
            "record",
            ratio,
            best,
            summary,
            quote,
            headline=headline,
            details=details,
        )


class JumpConfig(SeriesRuleConfig):
    type: Literal["jump"] = "jump"
    metric: Metric = "rpo"
    compare: Literal["qoq", "yoy"] = "qoq"
    min_pct: float = Field(25.0, gt=0)
    direction: Literal["up", "down", "both"] = "up"


class JumpRule(SeriesRule):
    """A metric moving by at least `min_pct` percent against the previous quarter (qoq) or
    the same quarter a year before (yoy)."""

    type_name = "jump"
    config_model = JumpConfig
    config: JumpConfig

    @property
    def metrics_needed(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.config.metric,)

    @property
    def lookback(self) -> int:  # type: ignore[override]
        return 1 if self.config.compare == "qoq" else 4

    def evaluate_series(
        self, company: str | None, series: Series, judge_from: int | None = None
    ) -> list[SeriesEvent]:
        points = _points(series, self.config.metric)
        lag = self.lookback
        drafts = []
        for number in judged(points, judge_from):
            before = points.get(number - lag)
            if before is None:
                if number - 1 in points or number - lag + 1 in points:
                    log.info(
                        "%s: %s %s has no %s to compare with",
                        self.name,
                        company,
                        period_name(number),
                        period_name(number - lag),
                    )
                continue
            if before.value <= 0:
                continue
            pct = (points[number].value - before.value) / before.value * 100
            if self._fires(pct):
                jump = self._jump(company, number, points[number], before, pct)
                drafts.append(SeriesEvent(jump, points[number].first_filed))
        return drafts

    def _fires(self, pct: float) -> bool:
        up = pct >= self.config.min_pct
        down = pct <= -self.config.min_pct
        return {"up": up, "down": down, "both": up or down}[self.config.direction]

    def _jump(
        self, company: str | None, number: int, point: Point, before: Point, pct: float
    ) -> EventDraft:
        period = period_name(number)
        against = "the quarter before" if self.config.compare == "qoq" else "a year before"
        summary = (
            f"{company} {self.config.metric} {'jumped' if pct > 0 else 'fell'} "
            f"{pct:+.1f}% in {period} to {format_amount(point.value, 'USD')} "
            f"against {against} ({format_amount(before.value, 'USD')})"
        )
        quote = f"{self.config.metric} {period}: SEC filing {point.accn} filed {point.filed}"
        label = metric_label(self.config.metric)
        headline = (
            f"{company}: {label} {period} {'up' if pct > 0 else 'down'} {abs(pct):.0f}% "
            f"against {against}, to {format_amount(point.value, 'USD')}"
        )
        details: list[Detail] = [
            (f"{label}, {period}", format_amount(point.value, "USD")),
            (f"{label}, {before.period}", format_amount(before.value, "USD")),
            ("Change", f"{pct:+.1f}%"),
            ("Filing", f"{point.accn}, filed {point.filed}"),
        ]
        return self._draft(
            company,
            self.config.metric,
            period,
            "up" if pct > 0 else "down",
            float(point.value),
            float(before.value),
            summary,
            quote,
            money=point.value,
            change_pct=pct,
            headline=headline,
            details=details,
        )


class ThresholdConfig(SeriesRuleConfig):
    type: Literal["threshold"] = "threshold"
    metric: Metric = "capex"
    level: float = Field(gt=0)  # in full currency units (USD)
    direction: Literal["above", "below"] = "above"
    # With `companies`, the rule watches the sum of their quarters (a group); without, it
    # watches each company on its own.
    companies: list[str] | None = Field(default=None, min_length=1)
    group_name: str | None = None


class ThresholdRule(SeriesRule):
    """A quarterly value, or a group's summed value, crossing a level."""

    type_name = "threshold"
    config_model = ThresholdConfig
    config: ThresholdConfig

    @property
    def metrics_needed(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.config.metric,)

    def reach(self, changed: set[str]) -> Reach:
        """A group's members when one of them changed; else the changed companies."""
        if not self.config.companies:
            return super().reach(changed)
        members = set(self.config.companies) if changed & set(self.config.companies) else set()
        return replace(super().reach(changed), companies=frozenset(members))

    def series_events(
        self, companies: set[str], everyone: dict[str, Series], judge_from: int | None = None
    ) -> list[SeriesEvent]:
        """A group's sums when the group has a changed member; else each changed company."""
        if not self.config.companies:
            return super().series_events(companies, everyone, judge_from)
        if not companies & set(self.config.companies):
            return []
        return self.evaluate_series(None, self.group_series(everyone), judge_from)

    def evaluate_series(
        self, company: str | None, series: Series, judge_from: int | None = None
    ) -> list[SeriesEvent]:
        points = _points(series, self.config.metric)
        drafts = []
        for number in judged(points, judge_from):
            before = points.get(number - 1)
            if before is None:
                continue
            if self._crossed(before.value, points[number].value):
                crossing = self._crossing(company, number, points[number], before)
                drafts.append(SeriesEvent(crossing, points[number].first_filed))
        return drafts

    def group_series(self, by_company: dict[str, Series]) -> Series:
        """The group's quarterly sums: only quarters every member has."""
        members = self.config.companies or []
        per_member = [_points(by_company.get(member, {}), self.config.metric) for member in members]
        common = set.intersection(*(set(points) for points in per_member)) if per_member else set()
        for number in set().union(*(set(points) for points in per_member)) - common:
            log.info("%s: %s not summed, a member has no figure", self.name, period_name(number))
        summed = {}
        for number in common:
            quarter = [points[number] for points in per_member]
            latest = max(quarter, key=lambda point: point.filed)
            summed[period_name(number)] = Point(
                period_name(number),
                sum(point.value for point in quarter),
                latest.filed,
                latest.accn,
                # The group's quarter is complete, and so news, when its last member files.
                max(point.first_filed for point in quarter),
            )
        return {self.config.metric: summed}

    def _crossed(self, before: int, now: int) -> bool:
        level = self.config.level
        if self.config.direction == "above":
            return before < level <= now
        return before > level >= now

    def _crossing(
        self, company: str | None, number: int, point: Point, before: Point
    ) -> EventDraft:
        period = period_name(number)
        who = company or self.config.group_name or "+".join(self.config.companies or [])
        summary = (
            f"{who} {self.config.metric} crossed {self.config.direction} "
            f"{format_amount(int(self.config.level), 'USD')} in {period}: "
            f"{format_amount(point.value, 'USD')} (was {format_amount(before.value, 'USD')})"
        )
        quote = f"{self.config.metric} {period}: SEC filing {point.accn} filed {point.filed}"
        label = metric_label(self.config.metric)
        level = format_amount(int(self.config.level), "USD")
        headline = (
            f"{who}: {label} {period} crossed {self.config.direction} {level}: "
            f"{format_amount(point.value, 'USD')}"
        )
        details: list[Detail] = [
            (f"{label}, {period}", format_amount(point.value, "USD")),
            (f"{label}, {before.period}", format_amount(before.value, "USD")),
            ("Level", f"{self.config.direction} {level}"),
        ]
        return self._draft(
            company,
            self.config.metric,
            period,
            self.config.direction,
            float(point.value),
            float(before.value),
            summary,
            quote,
            money=point.value,
            headline=headline,
            details=details,
        )
