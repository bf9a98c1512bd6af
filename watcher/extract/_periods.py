"""Fiscal periods: a company's fiscal calendar, the quarter a document reports on, and the
period expressions of a sentence ("Q1", "the fourth quarter", "fiscal 2025", "this year",
"next year", "the first half", "year-to-date", "the last four quarters") resolved to labels
such as FY2025, FY2026-Q1 or the span FY2023-Q2-FY2024-Q1."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

Quarter = tuple[int, int]  # (fiscal year, quarter 1-4)


@dataclass(frozen=True)
class FiscalCalendar:
    """Fiscal years are named by the calendar year in which they end."""

    end_month: int = 12

    def year_of(self, day: dt.date) -> int:
        return day.year if day.month <= self.end_month else day.year + 1

    def quarter_of(self, day: dt.date) -> Quarter:
        first_month = self.end_month % 12 + 1
        return self.year_of(day), (day.month - first_month) % 12 // 3 + 1

    def reported_quarter(self, day: dt.date) -> Quarter:
        """The last quarter that ended before the day: what an earnings call or a filing on
        that day reports."""
        return shift(self.quarter_of(day), -1)


def shift(q: Quarter, n: int) -> Quarter:
    index = q[0] * 4 + (q[1] - 1) + n
    return index // 4, index % 4 + 1


def label(first: Quarter | int, last: Quarter | int | None = None) -> str:
    """FY2025, FY2025-Q1, FY2023-Q2-FY2024-Q1; a span of a whole fiscal year is named by it."""
    if isinstance(first, int):
        if last is None or last == first:
            return f"FY{first}"
        return f"FY{first}-FY{last}"
    if last is None or last == first:
        return f"FY{first[0]}-Q{first[1]}"
    assert isinstance(last, tuple)
    if first[0] == last[0] and first[1] == 1 and last[1] == 4:
        return f"FY{first[0]}"
    return f"FY{first[0]}-Q{first[1]}-FY{last[0]}-Q{last[1]}"


@dataclass(frozen=True)
class PeriodRef:
    """A period expression at text[start:end]."""

    start: int
    end: int
    kind: str  # quarter, year, this_quarter, next_quarter, last_quarter, this_year, next_year,
    # last_year, half, ytd, trailing, same_period, year_span
    quarter: int | None = None
    year: int | None = None
    year2: int | None = None
    comparison: bool = False  # "from Q3", "versus last year": a comparison base

    def resolve(
        self, cal: FiscalCalendar, day: dt.date | None, guidance: bool
    ) -> tuple[Quarter | int, Quarter | int | None] | None:
        """(first, last) of the period, or None when the date is needed and unknown."""
        year = self.year
        if self.kind == "year" and year is not None:
            return year, None
        if self.kind == "year_span" and year is not None:
            return year, self.year2
        if self.kind == "quarter" and year is not None and self.quarter:
            return (year, self.quarter), None
        if day is None:
            return None
        reported = cal.reported_quarter(day)
        current_year = cal.year_of(day) if guidance else reported[0]
        if self.kind == "quarter" and self.quarter:
            return _nearest_quarter(reported, self.quarter, guidance), None
        if self.kind == "this_quarter":
            return (shift(reported, 1) if guidance else reported), None
        if self.kind == "next_quarter":
            return shift(reported, 1), None
        if self.kind == "last_quarter":
            return shift(reported, -1), None
        if self.kind == "this_year":
            return current_year, None
        if self.kind == "next_year":
            return current_year + 1, None
        if self.kind == "last_year":
            return current_year - 1, None
        if self.kind == "half" and self.quarter:
            fy = year or current_year
            return (fy, self.quarter), (fy, self.quarter + 1)
        if self.kind == "ytd":
            return (reported[0], 1), reported
        if self.kind == "trailing":
            return shift(reported, -3), reported
        return None


def _nearest_quarter(reported: Quarter, q: int, guidance: bool) -> Quarter:
    """A bare "Q1": the latest Q1 reported so far for an actual, the next one for guidance."""
    if guidance:
        cand = (reported[0], q)
        return cand if cand > reported else (reported[0] + 1, q)
    cand = (reported[0], q)
    return cand if cand <= reported else (reported[0] - 1, q)


_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YEAR_TAIL = (
    r"(?:\s*(?:of\s+)?(?:(?:fiscal\s+(?:year\s+)?|FY\s?'?|F)(?P<qfy>\d{4}|\d{2})\b"
    r"|(?:calendar\s+(?:year\s+)?)?(?P<qy>20\d{2})\b|'(?P<qy2>\d{2})\b))?"
)
_PATTERNS: list[tuple[str, str]] = [
    (
        "quarter",
        r"\b(?:F?Q(?P<q1>[1-4])|(?P<q2>[1-4])Q|(?P<q3>first|second|third|fourth|1st|2nd|3rd|4th)"
        r"[\s-]+(?:fiscal\s+|calendar\s+)?quarter)" + _YEAR_TAIL,
    ),
    (
        "half",
        r"\b(?:(?P<h1>first|1st|second|2nd|back|front)\s+half|(?P<h2>[12])H|H(?P<h3>[12]))\b"
        r"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal\s+(?:year\s+)?)?(?P<hy>20\d{2})|year))?",
    ),
    (
        "year_span",
        r"\b(?:FY\s?|fiscal\s+(?:years\s+)?)?(?P<s1>20\d{2})\s?(?:-|–|to|through)\s?(?:FY\s?)?(?P<s2>20\d{2})\b",
    ),
    (
        "year",
        r"\b(?:fiscal\s+year\s*|fiscal\s*|FY\s?'?|calendar\s+(?:year\s+)?)(?P<fy>\d{4}|\d{2})\b",
    ),
    ("year", r"(?<![\d$.,])(?P<y>20\d{2})(?!\d|[.,]\d)"),
    ("this_quarter", r"\b(?:this|the|current|that)\s+(?:fiscal\s+)?quarter\b"),
    ("next_quarter", r"\b(?:next|coming|following)\s+(?:fiscal\s+)?quarter\b"),
    ("last_quarter", r"\b(?:last|prior|previous|preceding)\s+quarter\b"),
    ("next_year", r"\b(?:next|coming)\s+(?:fiscal\s+|calendar\s+)?year\b"),
    ("last_year", r"\b(?:last|prior|previous)\s+(?:fiscal\s+)?year\b|\ba\s+year\s+ago\b"),
    (
        "this_year",
        r"\b(?:this|the\s+current|current)\s+(?:fiscal\s+|calendar\s+)?year\b"
        r"|\b(?:the\s+)?full[\s-]+(?:fiscal\s+)?year\b|\bfor\s+the\s+(?:fiscal\s+)?year\b"
        r"|\bthroughout\s+the\s+year\b",
    ),
    ("ytd", r"\byear[\s-]+to[\s-]+date\b|\bYTD\b|\bso\s+far\s+this\s+year\b"),
    (
        "trailing",
        r"\b(?:last|past|trailing|prior)\s+(?:four|4|twelve|12)\s+(?:quarters|months)\b"
        r"|\btrailing[\s-]+twelve[\s-]+months?\b|\bTTM\b|\bLTM\b",
    ),
    ("same_period", r"\bsame\s+(?:time\s+)?period\b"),
]
_COMPILED = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in _PATTERNS]
_COMPARISON_BEFORE = re.compile(
    r"\bfrom\s+\S+\s+to\s+$|\b(?:from|versus|vs\.?|compared\s+(?:to|with)|than|relative\s+to)\s+(?:the\s+|our\s+)?$",
    re.IGNORECASE,
)


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[PeriodRef]:
    """Period expressions in text[start:end], longest first where they overlap."""
    end = len(text) if end is None else end
    found: list[PeriodRef] = []
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(text, start, end):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            ref = _make_ref(kind, m, text)
            if ref is not None:
                found.append(ref)
    found.sort(key=lambda f: f.start)
    return found


def _make_ref(kind: str, m: re.Match[str], text: str) -> PeriodRef | None:
    g = m.groupdict()
    comparison = bool(_COMPARISON_BEFORE.search(text, max(0, m.start() - 20), m.start()))
    if kind == "quarter":
        q = int(g["q1"] or g["q2"] or _ORD[g["q3"].lower()])
        year = _year(g.get("qfy") or g.get("qy") or g.get("qy2"))
        return PeriodRef(m.start(), m.end(), "quarter", q, year, comparison=comparison)
    if kind == "half":
        word = (g["h1"] or g["h2"] or g["h3"] or "").lower()
        first = 1 if word in ("first", "1st", "front", "1") else 3
        return PeriodRef(
            m.start(), m.end(), "half", first, _year(g.get("hy")), comparison=comparison
        )
    if kind == "year_span":
        y1, y2 = _year(g["s1"]), _year(g["s2"])
        if y1 is None or y2 is None or not y1 < y2 <= y1 + 10:
            return None
        return PeriodRef(m.start(), m.end(), kind, None, y1, y2, comparison=comparison)
    if kind == "year":
        year = _year(g.get("fy") or g.get("y"))
        if year is None or not 1990 <= year <= 2100:
            return None
        return PeriodRef(m.start(), m.end(), kind, None, year, comparison=comparison)
    return PeriodRef(m.start(), m.end(), kind, comparison=comparison)
