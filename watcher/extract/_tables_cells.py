"""Reading a table's header and body: what each column says (metric, kind, period, unit),
which company a row is about, and the figure in each cell, scaled by the column's unit when it
is a bare number."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from . import _terms as T
from ._numbers import find_amounts
from ._periods import FiscalCalendar, find_periods, label
from ._tables_layout import Row, cell_text
from .companies import CompanyRegistry
from .observation import Observation

_I = re.IGNORECASE
_GROUP_ROW = re.compile(
    r"^\s*(?:total|combined|sum|all|aggregate|big\s+(?:four|five|tech)|hyperscalers)\b", _I
)
_ESTIMATE = re.compile(
    r"\b(?:estimates?|est\.?|consensus|analysts?'?|street|\d{4}e|fy\d{2,4}e|expected\s+by)\b", _I
)
_GUIDANCE = re.compile(
    r"\b(?:guidance|guided|outlook|forecast|plan(?:ned)?|target|budget|projected|expected|"
    r"company\s+view)\b",
    _I,
)
_ACTUAL = re.compile(r"\b(?:actual|reported|spent|ended|as\s+of|\d{4}a|fy\d{2,4}a)\b", _I)
_NOT_AN_AMOUNT = re.compile(
    r"%|\bpercent\b|\bgrowth\b|\bchange\b|\by/?o/?y\b|\bvs\.?\b|\bshare\b|\bratio\b|\bmargin\b"
    r"|\bper\s+share\b|\bintensity\b",
    _I,
)
_CURRENCY = (
    r"US\s?\$|NT\$|HK\$|\$|€|£|¥|₩|USD|EUR|GBP|JPY|CNY|RMB|KRW|TWD|HKD|yuan|won|yen|euros?|dollars"
)
_UNIT = re.compile(
    rf"(?:^|[(\[,;]|\bin\s+)\s*(?P<cur>{_CURRENCY})?\s*"
    r"(?P<scale>trillions?|billions?|millions?|thousands?|tn|bn|bln|mn|mln|mm|m|b|k)\b"
    rf"|(?P<cur2>{_CURRENCY})\s?(?P<scale2>trillions?|billions?|millions?|thousands?|tn|bn|bln|"
    r"mn|mln|mm|m|b|k)\b",
    _I,
)
_CURRENCY_ONLY = re.compile(rf"[(\[]\s*(?P<cur>{_CURRENCY})\s*[)\]]", _I)
_SCALES = {
    "t": 10**12, "tn": 10**12, "trillion": 10**12, "b": 10**9, "bn": 10**9, "bln": 10**9,
    "billion": 10**9, "m": 10**6, "mn": 10**6, "mln": 10**6, "mm": 10**6, "million": 10**6,
    "k": 10**3, "thousand": 10**3,
}  # fmt: skip
_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "nt$": "TWD", "twd": "TWD",
    "hk$": "HKD", "hkd": "HKD", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "yen": "JPY", "cny": "CNY", "rmb": "CNY",
    "yuan": "CNY", "₩": "KRW", "krw": "KRW", "won": "KRW",
}  # fmt: skip
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_BARE = re.compile(
    r"^\s*(?P<q>~|≈|>|<|≥|≤|about|approx\.?|over|up\s+to|at\s+least)?\s*"
    rf"(?P<cur>{_CURRENCY})?\s*(?P<neg>\()?\s*(?P<a>{_NUM})\s*\)?"
    rf"(?:\s*(?:-|–|—|to)\s*(?:{_CURRENCY})?\s*(?P<b>{_NUM}))?\s*(?P<plus>\+)?\s*$",
    _I,
)
_QUALIFIER_BREAK = re.compile(r"[,;(]|\b(?:net\s+of|including|excluding|inclusive\s+of)\b", _I)
_DIGIT = re.compile(r"\d")
_EMPTY_CELL = re.compile(r"^\s*(?:|-+|–|—|n/?a|nm|tbd|\$|\*+)\s*$", _I)


@dataclass(frozen=True)
class _Column:
    metric: str | None
    variant: str | None
    kind: str | None
    period_text: str
    scale: int | None
    currency: str | None
    blocked: bool


def titled(column: _Column, title: tuple[str | None, str | None, bool]) -> _Column:
    """A column that names no metric (and is not blocked) takes the metric of the table's title."""
    if column.metric is not None or column.blocked:
        return column
    return replace(column, metric=title[0], variant=title[1])


def header_columns(
    text: str, header: list[Row], label_col: int, table_unit: tuple[int | None, str | None]
) -> dict[int, _Column]:
    """What each column says, read from the text of its header cells (all header rows)."""
    width = max(len(r.cells) for r in header)
    texts = ["" for _ in range(width)]
    for row in header:
        last = ""
        for n in range(width):
            cell = cell_text(text, row, n)
            if n <= label_col:
                last = ""
            elif not cell:
                cell = last  # a spanned header cell covers the empty ones to its right
            else:
                last = cell
            texts[n] = f"{texts[n]} {cell}".strip()
    return {n: _column(t, table_unit) for n, t in enumerate(texts) if n != label_col}


def _column(header: str, table_unit: tuple[int | None, str | None]) -> _Column:
    found = metric_of(header)
    metric, variant, blocked = found if found else (None, None, False)
    scale, currency = unit_of(header)
    return _Column(
        metric=metric,
        variant=variant,
        kind=_kind_word(header),
        period_text=header,
        scale=scale or table_unit[0],
        currency=currency or table_unit[1],
        blocked=blocked or bool(_NOT_AN_AMOUNT.search(header)),
    )


@functools.lru_cache(maxsize=4096)
def metric_of(text: str) -> tuple[str | None, str | None, bool] | None:
    """(metric, variant, blocked) of the first metric or other-figure term in the text. A
    metric term qualified by another figure's word ("Operating cash flows for operating
    leases") is blocked; one whose qualifier is set off ("..., net of proceeds") is not."""
    terms = list(T.TERM_RE.finditer(text))
    if not terms:
        return None
    m = terms[0]
    if m.group("block"):
        return None, None, True
    for later in terms[1:]:
        if later.group("block") and not _QUALIFIER_BREAK.search(text, m.end(), later.start()):
            return None, None, True
    for n, (metric, variant, _) in enumerate(T.METRIC_TERMS):
        if m.group(f"m{n}"):
            return metric, variant, False
    return None


def _kind_word(text: str) -> str | None:
    kinds = {
        kind
        for kind, pattern in (("estimate", _ESTIMATE), ("guidance", _GUIDANCE), ("actual", _ACTUAL))
        if pattern.search(text)
    }
    if kinds == {"estimate", "guidance"}:
        return "estimate"  # "consensus forecast", "analysts' expected"
    return kinds.pop() if len(kinds) == 1 else None


def unit_of(text: str) -> tuple[int | None, str | None]:
    """(scale, currency) a header names for bare numbers ("($bn)", "in billions", "US$ m")."""
    scale = currency = None
    m = _UNIT.search(text)
    if m:
        word = (m.group("scale") or m.group("scale2")).lower()
        scale = _SCALES.get(word.rstrip("s")) or _SCALES.get(word)
        cur = m.group("cur") or m.group("cur2")
        currency = _CODES.get(cur.lower().replace(" ", "")) if cur else None
    if currency is None:
        c = _CURRENCY_ONLY.search(text)
        if c:
            currency = _CODES.get(c.group("cur").lower().replace(" ", ""))
    return scale, currency


def read_row(
    text: str,
    row: Row,
    label_col: int,
    columns: dict[int, _Column],
    registry: CompanyRegistry,
    day: dt.date | None,
    default_company: str | None,
) -> Iterator[Observation]:
    """The observations of a body row: its company (or group) and each readable cell."""
    if label_col >= len(row.cells):
        return
    la, lb = row.cells[label_col]
    row_label = text[la:lb]
    row_metric = metric_of(row_label)
    if not (row_metric and row_metric[0]) and not any(c.metric for c in columns.values()):
        return  # no metric in the row nor in any column: nothing to read
    if not any(_DIGIT.search(text, a, b) for a, b in row.cells[label_col + 1 :]):
        return
    ids = {m.company_id for m in registry.mentions(text, la, lb)}
    if len(ids) == 1:
        company: str | None = next(iter(ids))
    elif not ids and _GROUP_ROW.match(row_label):
        company = None
    elif not ids and row_metric and row_metric[0] and default_company:
        company = default_company  # a statement of one company: metrics as rows
    else:
        return
    if row_metric and row_metric[2] and company is not None and len(ids) != 1:
        return
    row_kind = _kind_word(row_label)
    cal = FiscalCalendar(registry.fiscal_year_end_month(company or default_company))
    for n, column in columns.items():
        if n >= len(row.cells):
            continue
        obs = _read_cell(
            text, row.cells[n], column, row_label, row_metric, row_kind, company, cal, day
        )
        if obs is not None:
            yield obs


def _read_cell(
    text: str,
    span: tuple[int, int],
    column: _Column,
    row_label: str,
    row_metric: tuple[str | None, str | None, bool] | None,
    row_kind: str | None,
    company: str | None,
    cal: FiscalCalendar,
    day: dt.date | None,
) -> Observation | None:
    cell = text[span[0] : span[1]]
    if _EMPTY_CELL.fullmatch(cell) or column.blocked or _NOT_AN_AMOUNT.search(cell):
        return None
    metric, variant = column.metric, column.variant
    if row_metric is not None and row_metric[0] is not None:
        if metric is not None and metric != row_metric[0]:
            return None
        metric, variant = row_metric[0], variant or row_metric[1]
    elif row_metric is not None and row_metric[2] and metric is None:
        return None
    if metric is None:
        return None
    value = _value(text, span, column)
    if value is None:
        return None
    low, high, currency = value
    period = _period(column.period_text, cal, day) or _period(row_label, cal, day)
    kind = _kind(column.kind, row_kind, period, cal, day)
    if kind is None:
        return None
    return Observation(
        company=company,
        metric=metric,
        kind=kind,
        period=period,
        low=low,
        high=high,
        currency=currency,
        change=None,
        prior_low=None,
        prior_high=None,
        quote="",
        source=None,
        variant=variant,
    )


def _value(
    text: str, span: tuple[int, int], column: _Column
) -> tuple[int | None, int | None, str] | None:
    """(low, high, currency) of a cell: an amount with its own scale ("$80 billion", "64-72
    bn") or a bare number scaled by the column's unit ("80", "64-72", "(48,133)")."""
    cell = text[span[0] : span[1]]
    bare = _BARE.fullmatch(cell)
    if bare is None:
        amounts = find_amounts(text, span[0], span[1])
        if len(amounts) != 1 or not amounts[0].scaled:
            return None
        a = amounts[0]
        own = re.search(_CURRENCY, cell, _I)
        currency = a.currency if own or column.currency is None else column.currency
        return a.low, a.high, currency or "USD"
    if column.scale is None:
        return None
    low = _number(bare.group("a"))
    high = _number(bare.group("b")) if bare.group("b") else low
    if low is None or high is None or low > high or (bare.group("neg") and bare.group("b")):
        return None
    cur = bare.group("cur")
    currency = _CODES.get(cur.lower().replace(" ", "")) if cur else column.currency
    scaled_low, scaled_high = round(low * column.scale), round(high * column.scale)
    q = (bare.group("q") or "").lower()
    if q in (">", "≥", "over", "at least") or bare.group("plus"):
        return scaled_low, None, currency or "USD"
    if q in ("<", "≤", "up to"):
        return None, scaled_high, currency or "USD"
    return scaled_low, scaled_high, currency or "USD"


def _number(raw: str) -> float | None:
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def _period(header: str, cal: FiscalCalendar, day: dt.date | None) -> str | None:
    labels = set()
    for ref in find_periods(header):
        if ref.comparison:
            continue
        resolved = ref.resolve(cal, day, False)
        if resolved:
            labels.add(label(*resolved))
    return labels.pop() if len(labels) == 1 else None


def _kind(
    column_kind: str | None,
    row_kind: str | None,
    period: str | None,
    cal: FiscalCalendar,
    day: dt.date | None,
) -> str | None:
    """The kind the header (or row label) says; without a kind word, a period already
    reported is an actual; otherwise the column's meaning is unclear."""
    kinds = {k for k in (column_kind, row_kind) if k}
    if len(kinds) > 1:
        return None
    if kinds:
        return kinds.pop()
    if period is None or day is None:
        return None
    m = re.fullmatch(r"FY(\d{4})(?:-Q([1-4]))?", period)
    if not m:
        return None
    year, quarter = int(m.group(1)), int(m.group(2) or 4)
    return "actual" if (year, quarter) <= cal.reported_quarter(day) else None
