"""Where the tables of a text are (two or more consecutive pipe rows), their rows and the
spans of their cells, which rows are the header, the caption and title lines right above a
table, and the sentences with the table rows cut out."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._sentences import Sentence

_I = re.IGNORECASE
_ROW = re.compile(r"^[ \t]*\|[^\n]*\|[ \t]*$", re.MULTILINE)
_BAR = re.compile(r"\|")
_SEPARATOR_CELL = re.compile(r"\s*:?-{2,}:?\s*")
_CAPTION_LINES = 2
_MAX_CAPTION = 200
_MAX_TITLE = 100

_COMPANY_HEADER = re.compile(r"^\s*(?:company|companies|firm|ticker|name|issuer)\s*$", _I)
_PERIOD_WORDS = re.compile(
    r"(?<![\d,.])(?:FY\s?'?\d{2,4}|(?:19|20)\d{2}[EA]?|Q[1-4]|[1-4]Q|H[12]|'\d{2}|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2})(?![\d,.]?\d)",
    _I,
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Row:
    """One pipe row of a table: its span and its cells."""

    start: int
    end: int
    cells: list[tuple[int, int]]  # stripped spans of the cells


def table_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each table (two or more consecutive pipe rows) in the text."""
    return [(rows[0].start, rows[-1].end) for rows in find_tables(text, cells=False)]


def find_tables(text: str, cells: bool = True) -> Iterator[list[Row]]:
    """The tables of the text, each a list of its rows; with `cells`, the rows' cell spans."""
    block: list[Row] = []
    for m in _ROW.finditer(text):
        if block and text[block[-1].end : m.start()].strip():
            if len(block) >= 2:
                yield block
            block = []
        found = _cells(text, m.start(), m.end()) if cells else []
        block.append(Row(m.start(), m.end(), found))
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


def is_separator(text: str, row: Row) -> bool:
    """A header separator row ("|---|:--:|")."""
    return all(_SEPARATOR_CELL.fullmatch(text, a, b) or a == b for a, b in row.cells) and any(
        b > a for a, b in row.cells
    )


def has_data(text: str, row: Row) -> bool:
    """A row with a number that is not a year or a period name is a body row."""
    return any(_DIGIT.search(_PERIOD_WORDS.sub(" ", text[a:b])) for a, b in row.cells[1:])


def cell_text(text: str, row: Row, col: int) -> str:
    """The text of a row's cell number `col`, or "" when the row is shorter."""
    if col >= len(row.cells):
        return ""
    a, b = row.cells[col]
    return text[a:b]


def label_column(text: str, header: list[Row]) -> int:
    """The column naming the companies (a "Company" header), else the first."""
    for row in header:
        for n, (a, b) in enumerate(row.cells):
            if _COMPANY_HEADER.fullmatch(text[a:b]):
                return n
    return 0


def caption_above(text: str, table_start: int) -> str:
    """The short lines right above a table ("Capital expenditures (in millions)")."""
    lines = text[max(0, table_start - 2 * _MAX_CAPTION) : table_start].split("\n")
    kept = [ln.strip() for ln in lines if ln.strip()][-_CAPTION_LINES:]
    return " ".join(ln for ln in kept if len(ln) <= _MAX_CAPTION)


def title_above(text: str, table_start: int) -> str:
    """The line right above a table when it is a short title rather than a sentence."""
    line = text[max(0, table_start - _MAX_TITLE) : table_start].rstrip().rsplit("\n", 1)[-1]
    line = line.strip()
    return line if len(line) < _MAX_TITLE and not line.endswith((".", "!", "?")) else ""


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
