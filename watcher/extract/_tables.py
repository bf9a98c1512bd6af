"""Tables read row by row: markdown pipe tables, and HTML tables (which `text.html_to_text`
renders as pipe rows).

    | Company   | 2025 capex guidance | 2024 capex    |
    |-----------|---------------------|---------------|
    | Microsoft | $80 billion         | $55.7 billion |

gives MSFT capex guidance FY2025 80e9 and MSFT capex actual FY2024 55.7e9. A cell is read
only when its row names one company (or a group: "Total") and its column says what the
number is: a metric word, a kind (guidance, outlook, forecast / estimate, consensus /
actual, reported, or a period already reported), a period and, for bare numbers, a unit
("($bn)", "in billions", "US$ m") in the header or in the caption line above the table.
Tables about one company with metrics as rows and periods as columns (financial statements)
are read the same way, with the document's company. Anything unclear yields nothing.

The quote of a table observation is its row line; its offsets are that line's span."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from . import _terms as T
from ._numbers import find_amounts
from ._periods import FiscalCalendar, find_periods, label
from ._sentences import Sentence
from .companies import CompanyRegistry
from .observation import Observation

_I = re.IGNORECASE
_ROW = re.compile(r"^[ \t]*\|[^\n]*\|[ \t]*$", re.MULTILINE)
_BAR = re.compile(r"\|")
_SEPARATOR_CELL = re.compile(r"\s*:?-{2,}:?\s*")
_MAX_HEADER_ROWS = 4
_CAPTION_LINES = 2
_MAX_CAPTION = 200
_MAX_TITLE = 100

_COMPANY_HEADER = re.compile(r"^\s*(?:company|companies|firm|ticker|name|issuer)\s*$", _I)
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
_PERIOD_WORDS = re.compile(
    r"(?<![\d,.])(?:FY\s?'?\d{2,4}|(?:19|20)\d{2}[EA]?|Q[1-4]|[1-4]Q|H[12]|'\d{2}|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2})(?![\d,.]?\d)",
    _I,
)
_DIGIT = re.compile(r"\d")
_EMPTY_CELL = re.compile(r"^\s*(?:|-+|–|—|n/?a|nm|tbd|\$|\*+)\s*$", _I)


@dataclass(frozen=True)
class _Row:
    start: int
    end: int
    cells: list[tuple[int, int]]  # stripped spans of the cells


@dataclass(frozen=True)
class _Column:
    metric: str | None
    variant: str | None
    kind: str | None
    period_text: str
    scale: int | None
    currency: str | None
    blocked: bool


def table_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each table (two or more consecutive pipe rows) in the text."""
    return [(rows[0].start, rows[-1].end) for rows in _tables(text, cells=False)]


def _tables(text: str, cells: bool = True) -> Iterator[list[_Row]]:
    block: list[_Row] = []
    for m in _ROW.finditer(text):
        if block and text[block[-1].end : m.start()].strip():
            if len(block) >= 2:
                yield block
            block = []
        found = _cells(text, m.start(), m.end()) if cells else []
        block.append(_Row(m.start(), m.end(), found))
    if len(block) >= 2:
        yield block


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bars = [m.start() for m in _BAR.finditer(text, start, end)]
    spans = []
    for a, b in itertools.pairwise(bars):
        cell = text[a + 1 : b]
        a += 1 + len(cell) - len(cell.lstrip())
        spans.append((a, a + len(cell.strip())))
    return spans


def read_tables(
    text: str,
    registry: CompanyRegistry,
    day: dt.date | None,
    default_company: str | None,
    source: str | None,
) -> list[Observation]:
    """Observations read from the tables of the text, in order."""
    out: list[Observation] = []
    for rows in _tables(text):
        out.extend(_read_table(text, rows, registry, day, default_company, source))
    return out


def _read_table(
    text: str,
    rows: list[_Row],
    registry: CompanyRegistry,
    day: dt.date | None,
    default_company: str | None,
    source: str | None,
) -> list[Observation]:
    rows = [r for r in rows if r.cells]
    separator = next((n for n, r in enumerate(rows) if _is_separator(text, r)), None)
    if separator is not None:
        header, body = rows[:separator], rows[separator + 1 :]
    else:
        n = 1
        while n < min(len(rows), _MAX_HEADER_ROWS) and not _has_data(text, rows[n]):
            n += 1
        header, body = rows[:n], rows[n:]
    if not header or not body:
        return []
    label_col = _label_column(text, header)
    caption = _caption(text, rows[0].start)
    table_unit = _unit(" ".join([caption, *(_cell(text, r, label_col) for r in header)]))
    columns = _columns(text, header, label_col, table_unit)
    title = _metric(_title(text, rows[0].start))
    if title and title[0]:  # "Capital expenditures (US$ bn)" above a table of years
        columns = {n: _titled(c, title) for n, c in columns.items()}
    out: list[Observation] = []
    seen: set[tuple] = set()
    for row in body:
        for obs in _read_row(text, row, label_col, columns, registry, day, default_company):
            key = (obs.company, obs.metric, obs.kind, obs.period, obs.low, obs.high)
            if key not in seen:
                seen.add(key)
                out.append(_with(obs, text, row, source))
    return out


def _is_separator(text: str, row: _Row) -> bool:
    return all(_SEPARATOR_CELL.fullmatch(text, a, b) or a == b for a, b in row.cells) and any(
        b > a for a, b in row.cells
    )


def _has_data(text: str, row: _Row) -> bool:
    """A row with a number that is not a year or a period name is a body row."""
    return any(_DIGIT.search(_PERIOD_WORDS.sub(" ", text[a:b])) for a, b in row.cells[1:])


def _cell(text: str, row: _Row, col: int) -> str:
    if col >= len(row.cells):
        return ""
    a, b = row.cells[col]
    return text[a:b]


def _label_column(text: str, header: list[_Row]) -> int:
    for row in header:
        for n, (a, b) in enumerate(row.cells):
            if _COMPANY_HEADER.fullmatch(text[a:b]):
                return n
    return 0


def _caption(text: str, table_start: int) -> str:
    """The short lines right above a table ("Capital expenditures (in millions)")."""
    lines = text[max(0, table_start - 2 * _MAX_CAPTION) : table_start].split("\n")
    kept = [ln.strip() for ln in lines if ln.strip()][-_CAPTION_LINES:]
    return " ".join(ln for ln in kept if len(ln) <= _MAX_CAPTION)


def _title(text: str, table_start: int) -> str:
    """The line right above a table when it is a short title rather than a sentence."""
    line = text[max(0, table_start - _MAX_TITLE) : table_start].rstrip().rsplit("\n", 1)[-1]
    line = line.strip()
    return line if len(line) < _MAX_TITLE and not line.endswith((".", "!", "?")) else ""


def _titled(column: _Column, title: tuple[str | None, str | None, bool]) -> _Column:
    if column.metric is not None or column.blocked:
        return column
    return replace(column, metric=title[0], variant=title[1])


def _columns(
    text: str, header: list[_Row], label_col: int, table_unit: tuple[int | None, str | None]
) -> dict[int, _Column]:
    width = max(len(r.cells) for r in header)
    texts = ["" for _ in range(width)]
    for row in header:
        last = ""
        for n in range(width):
            cell = _cell(text, row, n)
            if n <= label_col:
                last = ""
            elif not cell:
                cell = last  # a spanned header cell covers the empty ones to its right
            else:
                last = cell
            texts[n] = f"{texts[n]} {cell}".strip()
    return {n: _column(t, table_unit) for n, t in enumerate(texts) if n != label_col}


def _column(header: str, table_unit: tuple[int | None, str | None]) -> _Column:
    found = _metric(header)
    metric, variant, blocked = found if found else (None, None, False)
    scale, currency = _unit(header)
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
def _metric(text: str) -> tuple[str | None, str | None, bool] | None:
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


def _unit(text: str) -> tuple[int | None, str | None]:
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


def _read_row(
    text: str,
    row: _Row,
    label_col: int,
    columns: dict[int, _Column],
    registry: CompanyRegistry,
    day: dt.date | None,
    default_company: str | None,
) -> Iterator[Observation]:
    if label_col >= len(row.cells):
        return
    la, lb = row.cells[label_col]
    row_label = text[la:lb]
    row_metric = _metric(row_label)
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


def _with(obs: Observation, text: str, row: _Row, source: str | None) -> Observation:
    start, end = row.start, row.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Observation(
        **{**obs.to_dict(), "quote": text[start:end], "source": source, "start": start, "end": end}
    )


def outside_tables(
    text: str, sentences: list[Sentence], spans: list[tuple[int, int]]
) -> list[Sentence]:
    """The sentences with table rows cut out: table lines are read by the table reader only,
    and a line of prose that the splitter joined to a row keeps its own text."""
    if not spans:
        return sentences
    out: list[Sentence] = []
    k = 0
    for s in sentences:
        while k < len(spans) and spans[k][1] <= s.start:
            k += 1
        start, j = s.start, k
        while j < len(spans) and spans[j][0] < s.end:
            out.extend(_piece(text, start, spans[j][0]))
            start = max(start, spans[j][1])
            j += 1
        out.extend(_piece(text, start, s.end))
    return out


def _piece(text: str, start: int, end: int) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Sentence(start, end, text[start:end])] if end > start else []
