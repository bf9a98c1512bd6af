"""Quarterly capex, operating cash flow and backlog (RPO) from SEC XBRL `companyfacts` JSON.

Pure functions: no database, no network. `parse_companyfacts` validates a body and keeps the
facts of the tags we use; `quarterly_series` turns them into one value per fiscal quarter:

- Cash-flow facts in 10-Q filings are year-to-date, so a quarter is the difference of two YTD
  values that share their start date (the fiscal-year start): Q2 = 6M - Q1, Q3 = 9M - 6M,
  Q4 = FY - 9M (`derived` True). A directly reported three-month value is used as is.
- Periods are named by the company's fiscal calendar, computed from the period end date and the
  fiscal-year end month. The `fy`/`fp` fields of companyfacts describe the filing a fact came
  from, not the fact (a 10-K's prior-year comparatives carry the filing's `fy`), so they are
  not used.
- Point-in-time: one period is reported by many filings (the original, later comparatives,
  restatements). Each quarter carries its value as first filed and as last filed, and `as_of`
  hides every filing made after that date.
- A derived quarter never mixes vintages: a restated YTD piece is only subtracted from a piece
  restated as often (or re-stated after that restatement); until the other piece catches up,
  the quarter keeps the latest pair on one basis (see `_derived`).
- A quarter that cannot be derived with certainty (a missing YTD piece, a duration that is no
  whole number of quarters, two different values in one filing) is left out, never guessed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from watcher.sources.errors import FeedParseError

# Capital expenditure tags, most specific first; the order only breaks ties (see `_choose`).
# PaymentsForProceedsFromProductiveAssets is a net figure (purchases less sales proceeds); it is
# last so that it is used only where a filing gives no gross tag for the period (Amazon's capex
# line in its 2017-2018 filings).
CAPEX_TAGS: tuple[str, ...] = (
    "PaymentsToAcquirePropertyPlantAndEquipment",
    "PaymentsToAcquireProductiveAssets",
    "PaymentsToAcquireOtherPropertyPlantAndEquipment",
    "PaymentsForCapitalImprovements",
    "PaymentsForProceedsFromProductiveAssets",
)
OCF_TAG = "NetCashProvidedByUsedInOperatingActivities"
# Microsoft (FY2014-2017) and Apple (FY2014-2016) tagged their operating cash flow as the
# continuing-operations figure, which equals the total for a filer with no discontinued
# operations; a filer that has some reports the total too, and the total wins the tie.
OCF_TAGS: tuple[str, ...] = (
    OCF_TAG,
    "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
)
RPO_TAG = "RevenueRemainingPerformanceObligation"

METRIC_TAGS: dict[str, tuple[str, ...]] = {
    "capex": CAPEX_TAGS,
    "ocf": OCF_TAGS,
    "rpo": (RPO_TAG,),
}
INSTANT_METRICS = frozenset({"rpo"})
_WANTED_TAGS = frozenset(tag for tags in METRIC_TAGS.values() for tag in tags)
_TAG_RANK = {tag: i for tags in METRIC_TAGS.values() for i, tag in enumerate(tags)}

# Inclusive day counts of a duration of 1-4 quarters. Wide enough for 52/53-week years
# (13 or 14 weeks a quarter, 364 or 371 days a year), narrow enough that the classes never meet.
_QUARTER_SPANS: dict[int, tuple[int, int]] = {
    1: (80, 100),
    2: (174, 193),
    3: (265, 284),
    4: (356, 375),
}


@dataclass(frozen=True, slots=True)
class Fact:
    """One value of one tag for one period, as reported in one filing."""

    start: date | None
    end: date
    value: int
    accn: str
    filed: date
    form: str


@dataclass(frozen=True)
class CompanyFacts:
    """The facts of one company that the metrics need: tag -> currency unit -> facts."""

    cik: int | None
    entity_name: str
    tags: Mapping[str, Mapping[str, tuple[Fact, ...]]]

    def metrics(self) -> list[str]:
        """The metrics this company has any facts for."""
        return [m for m, tags in METRIC_TAGS.items() if any(self.tags.get(t) for t in tags)]


@dataclass(frozen=True)
class QuarterFact:
    """One fiscal quarter of one metric: `value`/`accn`/`filed` as last filed (as of the
    `as_of` asked for), `first_*` as first filed; `derived` when computed from YTD values,
    whose later filing `accn`/`filed` name."""

    company: str
    metric: str
    period: str
    start: date | None
    end: date
    value: int
    currency: str
    derived: bool
    tag: str
    accn: str
    filed: date
    first_value: int
    first_accn: str
    first_filed: date


# --- parsing -------------------------------------------------------------------------------


def parse_companyfacts(data: bytes | str | dict) -> CompanyFacts:
    """Validate a companyfacts body (bytes, text or an already parsed dict) and keep the facts
    of the tags in METRIC_TAGS. Raises FeedParseError when it is not companyfacts JSON."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise FeedParseError(f"companyfacts: not JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise FeedParseError("companyfacts: expected a JSON object with a 'facts' object")
    gaap = data["facts"].get("us-gaap", {})
    if not isinstance(gaap, dict):
        raise FeedParseError("companyfacts: 'facts.us-gaap' is not an object")
    tags = {tag: _parse_tag(tag, gaap[tag]) for tag in _WANTED_TAGS if tag in gaap}
    cik = data.get("cik")
    if isinstance(cik, str) and cik.isdigit():
        cik = int(cik)
    return CompanyFacts(
        cik=cik if isinstance(cik, int) and not isinstance(cik, bool) else None,
        entity_name=str(data.get("entityName") or ""),
        tags=tags,
    )


def _parse_tag(tag: str, body: Any) -> dict[str, tuple[Fact, ...]]:
    units = body.get("units") if isinstance(body, dict) else None
    if not isinstance(units, dict):
        raise FeedParseError(f"companyfacts: us-gaap/{tag}: expected an object with 'units'")
    parsed: dict[str, tuple[Fact, ...]] = {}
    for unit, items in units.items():
        # Monetary units are ISO 4217 codes; anything else ("USD/shares", "pure") is not ours.
        if not (len(unit) == 3 and unit.isalpha() and unit.isupper()):
            continue
        if not isinstance(items, list):
            raise FeedParseError(f"companyfacts: us-gaap/{tag}/{unit}: expected a list")
        parsed[unit] = tuple(
            _parse_fact(item, f"us-gaap/{tag}/{unit}[{i}]") for i, item in enumerate(items)
        )
    return parsed


def _parse_fact(item: Any, where: str) -> Fact:
    try:
        start = item.get("start")
        value = item["val"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"val is {value!r}")
        return Fact(
            start=date.fromisoformat(start) if start else None,
            end=date.fromisoformat(item["end"]),
            value=value if isinstance(value, int) else round(value),
            accn=str(item["accn"]),
            filed=date.fromisoformat(item["filed"]),
            form=str(item.get("form") or ""),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise FeedParseError(f"companyfacts: {where}: malformed fact: {exc!r}") from exc


# --- fiscal calendar -----------------------------------------------------------------------


def fiscal_quarter(end: date, fiscal_year_end_month: int) -> tuple[int, int] | None:
    """(fiscal year, quarter 1-4) of a quarter ending on `end`, or None when `end` is not a
    quarter end of that calendar. 52/53-week years end near, not on, a month end: a date in the
    first ten days of a month counts as the end of the month before."""
    year, month = end.year, end.month
    if end.day <= 10:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    elif end.day < 20:
        return None
    months_into_year = (month - fiscal_year_end_month) % 12
    if months_into_year % 3:
        return None
    quarter = months_into_year // 3 or 4
    fiscal_year = year if month <= fiscal_year_end_month else year + 1
    return fiscal_year, quarter


def period_label(fiscal_year: int, quarter: int) -> str:
    return f"FY{fiscal_year}-Q{quarter}"


def _quarters_spanned(start: date, end: date) -> int | None:
    days = (end - start).days + 1
    for quarters, (low, high) in _QUARTER_SPANS.items():
        if low <= days <= high:
            return quarters
    return None


# --- point-in-time history of one period ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _History:
    """Every filing of one (tag, unit, start, end), oldest first, one fact per filing."""

    facts: tuple[Fact, ...]

    @property
    def first(self) -> Fact:
        return self.facts[0]

    @property
    def last(self) -> Fact:
        return self.facts[-1]

    def at(self, day: date) -> Fact:
        """The latest fact filed on or before `day` (which must be on or after the first)."""
        known = self.facts[0]
        for fact in self.facts:
            if fact.filed > day:
                break
            known = fact
        return known

    @property
    def changes(self) -> tuple[date, ...]:
        """The filing days on which the value changed from the one stated before: the
        restatements of this period, oldest first."""
        return tuple(
            later.filed
            for earlier, later in zip(self.facts, self.facts[1:], strict=False)
            if later.value != earlier.value
        )

    def before(self, day: date) -> Fact:
        """The latest fact filed strictly before `day` (which must be after the first)."""
        return max((f for f in self.facts if f.filed < day), key=_filing_order)


def _histories(
    facts: Iterable[Fact], as_of: date | None
) -> dict[tuple[date | None, date], _History]:
    grouped: dict[tuple[date | None, date], list[Fact]] = defaultdict(list)
    for fact in facts:
        if as_of is None or fact.filed <= as_of:
            grouped[(fact.start, fact.end)].append(fact)
    histories = {}
    for key, group in grouped.items():
        group.sort(key=_filing_order)
        by_accn: dict[str, Fact] = {}
        for fact in group:
            by_accn.setdefault(fact.accn, fact)
        # One filing stating two values for one period: we cannot tell which is right.
        if len({(f.accn, f.value) for f in group}) > len(by_accn):
            continue
        histories[key] = _History(tuple(by_accn.values()))
    return histories


def _filing_order(fact: Fact) -> tuple[date, str]:
    return fact.filed, fact.accn


# --- building quarters from one tag and unit -----------------------------------------------


@dataclass(frozen=True)
class _Context:
    company: str
    metric: str
    tag: str
    currency: str
    fiscal_year_end_month: int


def _direct(ctx: _Context, label: str, history: _History) -> QuarterFact:
    first, last = history.first, history.last
    return QuarterFact(
        company=ctx.company,
        metric=ctx.metric,
        period=label,
        start=last.start,
        end=last.end,
        value=last.value,
        currency=ctx.currency,
        derived=False,
        tag=ctx.tag,
        accn=last.accn,
        filed=last.filed,
        first_value=first.value,
        first_accn=first.accn,
        first_filed=first.filed,
    )


def _derived(ctx: _Context, label: str, ytd: _History, prior: _History) -> QuarterFact:
    """The quarter `ytd` minus `prior` (the YTD value one quarter shorter, same start).

    The two pieces are never taken from different vintages. As first filed: both as they
    stood on the day both were first known. As last filed: the last value of each, when
    each restatement of one piece is matched by a restatement of the other (Alphabet's
    FY2015: nine months restated from 7,815 to 7,848 in a 2016 10-Q, the full year from
    9,915 to 9,950 in the 2016 10-K; Q4 is 9,950 - 7,848, never 9,915 - 7,848), or when the
    piece restated fewer times was stated again on or after the other's unmatched
    restatement (its value holds on the new basis). Otherwise the other piece's restatement
    has no counterpart yet, and the quarter keeps the piece as it stood before it."""
    ytd_now, prior_now = _same_vintage(ytd, prior)
    last = max(ytd_now, prior_now, key=_filing_order)
    first_day = max(ytd.first.filed, prior.first.filed)
    ytd_then, prior_then = ytd.at(first_day), prior.at(first_day)
    first = max(ytd_then, prior_then, key=_filing_order)
    return QuarterFact(
        company=ctx.company,
        metric=ctx.metric,
        period=label,
        start=prior.last.end + timedelta(days=1),
        end=ytd.last.end,
        value=ytd_now.value - prior_now.value,
        currency=ctx.currency,
        derived=True,
        tag=ctx.tag,
        accn=last.accn,
        filed=last.filed,
        first_value=ytd_then.value - prior_then.value,
        first_accn=first.accn,
        first_filed=first.filed,
    )


def _same_vintage(ytd: _History, prior: _History) -> tuple[Fact, Fact]:
    """The latest (ytd fact, prior fact) pair on one basis (see `_derived`)."""
    ytd_changes, prior_changes = ytd.changes, prior.changes
    if len(ytd_changes) == len(prior_changes):
        return ytd.last, prior.last
    if len(ytd_changes) > len(prior_changes):
        unmatched = ytd_changes[len(prior_changes)]
        if prior.last.filed >= unmatched:
            return ytd.last, prior.last
        return ytd.before(unmatched), prior.last
    unmatched = prior_changes[len(ytd_changes)]
    if ytd.last.filed >= unmatched:
        return ytd.last, prior.last
    return ytd.last, prior.before(unmatched)


def _instant_quarters(
    ctx: _Context, histories: Mapping[tuple[date | None, date], _History]
) -> dict[str, QuarterFact | None]:
    found: dict[str, QuarterFact | None] = {}
    for (start, end), history in histories.items():
        fq = fiscal_quarter(end, ctx.fiscal_year_end_month) if start is None else None
        if fq:
            _put(found, _direct(ctx, period_label(*fq), history))
    return found


def _flow_quarters(
    ctx: _Context, histories: Mapping[tuple[date | None, date], _History]
) -> dict[str, QuarterFact | None]:
    direct: dict[str, QuarterFact | None] = {}
    # YTD values from a fiscal-year start: (start, quarters spanned) -> (fiscal year, history).
    ytd: dict[tuple[date, int], tuple[int, _History] | None] = {}
    for (start, end), history in histories.items():
        if start is None or end <= start:
            continue
        spanned = _quarters_spanned(start, end)
        fq = fiscal_quarter(end, ctx.fiscal_year_end_month)
        if spanned is None or fq is None:
            continue
        fiscal_year, quarter = fq
        if spanned == 1:
            _put(direct, _direct(ctx, period_label(fiscal_year, quarter), history))
        # A span of n quarters ending at Qn starts at the fiscal-year start; anything else
        # (Amazon's trailing twelve months, say) is no YTD value.
        if spanned == quarter:
            # Two YTD values of one length from one start but different ends: ambiguous.
            ytd[(start, spanned)] = None if (start, spanned) in ytd else (fiscal_year, history)

    derived: dict[str, QuarterFact | None] = {}
    for (start, quarters), current in ytd.items():
        prior = ytd.get((start, quarters - 1))
        if current is None or prior is None or prior[0] != current[0]:
            continue
        fiscal_year, history = current
        fact = _derived(ctx, period_label(fiscal_year, quarters), history, prior[1])
        if fact.start and _quarters_spanned(fact.start, fact.end) == 1:
            _put(derived, fact)
    # A directly reported quarter wins over one derived from the same tag.
    return {**derived, **direct}


def _put(found: dict[str, QuarterFact | None], quarter: QuarterFact) -> None:
    """Add a quarter; two different periods under one label make the label ambiguous (None)."""
    if quarter.period in found:
        other = found[quarter.period]
        if other is None or (other.start, other.end) != (quarter.start, quarter.end):
            found[quarter.period] = None
            return
    found[quarter.period] = quarter


def _choose(candidates: list[QuarterFact]) -> QuarterFact:
    """One quarter out of those from different tags (or currencies), never their sum.

    The tag the company reported the period under in its latest filing wins: a filer that
    moves to a new tag (Apple from PaymentsToAcquireProductiveAssets to
    PaymentsToAcquirePropertyPlantAndEquipment in 2015) re-reports its comparatives under the
    new one, so the latest filing is its current definition. Ties go to the earlier tag of
    METRIC_TAGS.

    `first_*` is the earliest filing of the same period and currency under any tag: "as first
    filed" is about the period, and a move to a new definition is a restatement to show.
    """
    chosen = max(candidates, key=lambda c: (c.filed, c.accn, -_TAG_RANK[c.tag]))
    same_period = [
        c
        for c in candidates
        if (c.start, c.end, c.currency) == (chosen.start, chosen.end, chosen.currency)
    ]
    earliest = min(same_period, key=lambda c: (c.first_filed, c.first_accn))
    if earliest is chosen:
        return chosen
    return replace(
        chosen,
        first_value=earliest.first_value,
        first_accn=earliest.first_accn,
        first_filed=earliest.first_filed,
    )


# --- public entry point --------------------------------------------------------------------


def quarterly_series(
    facts: CompanyFacts,
    *,
    company: str,
    metric: str,
    fiscal_year_end_month: int,
    as_of: date | None = None,
) -> list[QuarterFact]:
    """One value per fiscal quarter for `metric` ("capex", "ocf" or "rpo"), oldest first.

    `as_of`: only facts filed on or before that day count (what a backtest could have known).
    """
    if metric not in METRIC_TAGS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {sorted(METRIC_TAGS)}")
    if not 1 <= fiscal_year_end_month <= 12:
        raise ValueError(f"fiscal_year_end_month must be 1-12, got {fiscal_year_end_month!r}")
    build = _instant_quarters if metric in INSTANT_METRICS else _flow_quarters
    candidates: dict[str, list[QuarterFact]] = defaultdict(list)
    for tag in METRIC_TAGS[metric]:
        for unit, unit_facts in facts.tags.get(tag, {}).items():
            ctx = _Context(company, metric, tag, unit, fiscal_year_end_month)
            for label, quarter in build(ctx, _histories(unit_facts, as_of)).items():
                if quarter is not None:
                    candidates[label].append(quarter)
    series = [_choose(found) for found in candidates.values()]
    series.sort(key=lambda q: q.end)
    return series
