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

from ._tables_cells import header_columns, metric_of, read_row, titled, unit_of
from ._tables_layout import (
    Row,
    caption_above,
    cell_text,
    find_tables,
    has_data,
    is_separator,
    label_column,
    outside_tables,
    table_spans,
    title_above,
)
from .companies import CompanyRegistry
from .observation import Observation

__all__ = ["outside_tables", "read_tables", "table_spans"]

_MAX_HEADER_ROWS = 4


def read_tables(
    text: str,
    registry: CompanyRegistry,
    day: dt.date | None,
    default_company: str | None,
    source: str | None,
) -> list[Observation]:
    """Observations read from the tables of the text, in order."""
    out: list[Observation] = []
    for rows in find_tables(text):
        out.extend(_read_table(text, rows, registry, day, default_company, source))
    return out


def _read_table(
    text: str,
    rows: list[Row],
    registry: CompanyRegistry,
    day: dt.date | None,
    default_company: str | None,
    source: str | None,
) -> list[Observation]:
    rows = [r for r in rows if r.cells]
    separator = next((n for n, r in enumerate(rows) if is_separator(text, r)), None)
    if separator is not None:
        header, body = rows[:separator], rows[separator + 1 :]
    else:
        n = 1
        while n < min(len(rows), _MAX_HEADER_ROWS) and not has_data(text, rows[n]):
            n += 1
        header, body = rows[:n], rows[n:]
    if not header or not body:
        return []
    label_col = label_column(text, header)
    caption = caption_above(text, rows[0].start)
    table_unit = unit_of(" ".join([caption, *(cell_text(text, r, label_col) for r in header)]))
    columns = header_columns(text, header, label_col, table_unit)
    title = metric_of(title_above(text, rows[0].start))
    if title and title[0]:  # "Capital expenditures (US$ bn)" above a table of years
        columns = {n: titled(c, title) for n, c in columns.items()}
    out: list[Observation] = []
    seen: set[tuple] = set()
    for row in body:
        for obs in read_row(text, row, label_col, columns, registry, day, default_company):
            key = (obs.company, obs.metric, obs.kind, obs.period, obs.low, obs.high)
            if key not in seen:
                seen.add(key)
                out.append(_with(obs, text, row, source))
    return out


def _with(obs: Observation, text: str, row: Row, source: str | None) -> Observation:
    start, end = row.start, row.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Observation(
        **{**obs.to_dict(), "quote": text[start:end], "source": source, "start": start, "end": end}
    )
