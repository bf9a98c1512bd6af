"""Fiscal periods: a company's fiscal calendar, the quarter a document reports on, and the
period expressions of a sentence ("Q1", "the fourth quarter", "fiscal 2025", "this year",
"next year", "the first half", "year-to-date", "the last four quarters") resolved to labels
such as FY2025, FY2026-Q1 or the span FY2023-Q2-FY2024-Q1.

The expressions of each language are in `_periods_en` and `_periods_foreign`; this module
holds the calendar, the period a reference resolves to, and the matching."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ._periods_en import MONTHS, MONTHS_WORDS, ORD, PATTERNS
from ._periods_foreign import DE_MONTH_NAMES, ES_MONTH_NAMES, FOREIGN_FIRST, FOREIGN_LAST, Q_WORDS
from ._scripts import EAST_ASIAN, ScriptPattern

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
    # "올해", "去年", "el año pasado": named from the document's date, as news does, not
    # from the quarter a call reports on.
    dated: bool = False
    month: int | None = None  # a day named by its date ("September 30, 2024"): its month
    months: int | None = None  # "the nine months ended ...": a span of that many months

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
        if self.kind == "date" and year is None and self.month and day is not None:
            # "4～6月期" with no year: the latest such months ended by the day (an outlook:
            # the next ones to end)
            ended = self.month < day.month
            if guidance:
                year = day.year + 1 if ended else day.year
            else:
                year = day.year if ended else day.year - 1
        if self.kind == "date" and year is not None and self.month:
            last = cal.quarter_of(dt.date(year, self.month, 1))
            if not self.months or self.months <= 3:
                return last, None
            return shift(last, -(self.months // 3 - 1)), last
        if day is None:
            return None
        reported = cal.reported_quarter(day)
        current_year = cal.year_of(day) if guidance or self.dated else reported[0]
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


_COMPILED = [
    (kind, ScriptPattern(p, re.IGNORECASE))
    for kind, p in FOREIGN_FIRST + PATTERNS + [(f"dated:{k}", p) for k, p in FOREIGN_LAST]
]
_COMPARISON_BEFORE = re.compile(
    r"\bfrom\s+\S+\s+to\s+$|\b(?:from|versus|vs\.?|compared\s+(?:to|with)|than|relative\s+to)\s+(?:the\s+|our\s+)?$"
    r"|(?:较|較|比|相比|对比|對比|同比)\s?$"
    r"|\b(?:frente\s+a(?:l)?|respecto\s+a(?:l)?|comparado\s+con|gegenüber|im\s+Vergleich\s+zu(?:m)?"
    r"|verglichen\s+mit)\s+(?:el\s+|la\s+|dem\s+|der\s+)?$",
    re.IGNORECASE,
)
_COMPARISON_AFTER = re.compile(r"\s?(?:대비|보다|に比べ|と比べ|比|同期|比較)")


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[PeriodRef]:
    """Period expressions in text[start:end], longest first where they overlap."""
    end = len(text) if end is None else end
    east_asian = EAST_ASIAN.search(text, start, end) is not None
    found: list[PeriodRef] = []
    for kind, patterns in _COMPILED:
        pattern = patterns.for_text(east_asian)
        if pattern is None:
            continue
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
    comparison = bool(
        _COMPARISON_BEFORE.search(text, max(0, m.start() - 20), m.start())
        or _COMPARISON_AFTER.match(text, m.end(), m.end() + 5)
    )
    foreign = (
        "fquarter", "fhalf", "year_split", "mspan", "en_mspan", "es_mspan", "cjk_q", "de_mspan",
        "de_q4",
    )  # fmt: skip
    if kind in foreign:
        return _foreign_ref(kind, m, comparison)
    if kind.startswith("dated:"):
        return PeriodRef(m.start(), m.end(), kind[6:], comparison=comparison, dated=True)
    if kind == "date":
        months = 12 if g["dyr"] else MONTHS_WORDS.get((g["dn"] or "").lower())
        month = MONTHS[g["dm"].lower()]
        return PeriodRef(m.start(), m.end(), "date", None, int(g["dy"]), comparison=comparison,
                         month=month, months=months)  # fmt: skip
    if kind == "year_quarter":
        q = int(g["yqn"] or ORD[g["yqw"].lower()])
        return PeriodRef(m.start(), m.end(), "quarter", q, _year(g["yqy"]), comparison=comparison)
    if kind == "quarter":
        q = int(g["q1"] or g["q2"] or ORD[g["q3"].lower()])
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


def _foreign_ref(kind: str, m: re.Match[str], comparison: bool) -> PeriodRef | None:
    g = m.groupdict()
    if kind == "mspan" and g["ya"]:
        year, last = _year(g["yb"]), int(g["mb"])
        months = (year or 0) * 12 + last - ((_year(g["ya"]) or 0) * 12 + int(g["ma"])) + 1
        if months not in (3, 6, 9, 12):
            return None
    elif kind == "mspan":
        first, last = int(g["m1"]), int(g["m2"])
        months = (last - first) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        year = _year(g["my"])
        if year is not None and last < first:
            year += 1  # "2023년 11~1월": the span ends in the next year
    if kind == "mspan":
        return PeriodRef(m.start(), m.end(), "date", None, year, comparison=comparison,
                         month=last, months=months)  # fmt: skip
    if kind == "en_mspan":
        first, last = MONTHS[g["am1"].lower()], MONTHS[g["am2"].lower()]
        months = (last - first) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        return PeriodRef(m.start(), m.end(), "date", None, _year(g["amy"]), comparison=comparison,
                         month=last, months=months)  # fmt: skip
    if kind == "es_mspan":
        first = ES_MONTH_NAMES.index(g["em1"].lower().replace("setiembre", "septiembre")) + 1
        last = ES_MONTH_NAMES.index(g["em2"].lower().replace("setiembre", "septiembre")) + 1
        months = (last - first) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        return PeriodRef(m.start(), m.end(), "date", None, _year(g["emy"]), comparison=comparison,
                         month=last, months=months)  # fmt: skip
    if kind == "cjk_q":
        return PeriodRef(m.start(), m.end(), "quarter", int(g["cq"]), _year(g["cqy"]),
                         comparison=comparison)  # fmt: skip
    if kind == "de_q4":
        return PeriodRef(m.start(), m.end(), "quarter", 4, None, comparison=comparison)
    if kind == "de_mspan":
        last = DE_MONTH_NAMES.index((g["dm2"] or g["dm3"]).lower()) + 1
        months = 3 if g["dm2"] else (last - DE_MONTH_NAMES.index(g["dm1"].lower()) - 1) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        return PeriodRef(m.start(), m.end(), "date", None, _year(g["dmy"] or g["dmy2"]),
                         comparison=comparison, month=last, months=months)  # fmt: skip
    if kind == "fquarter":
        word = g["fq"] or g["fq2"] or g["fq3"] or g["fq4"] or ""
        year = _year(g["fqy"] or g["fqy2"] or g["fqy3"] or g["fqy5"])
        if year is not None and g["fqy3b"] and int(g["fqy3b"]) == (year + 1) % 100:
            year += 1  # "im dritten Quartal des Geschäftsjahres 2025/26"
        q = Q_WORDS.get(word.lower())
        return PeriodRef(m.start(), m.end(), "quarter", q, year, comparison=comparison)
    if kind == "fhalf":
        word = (g["fh"] or g["fh2"] or g["fh3"] or "").lower()
        first = 1 if word in ("상반기", "上半年", "上半期", "primer", "ersten") else 3
        return PeriodRef(m.start(), m.end(), "half", first, _year(g["fhy"]), comparison=comparison)
    # "Geschäftsjahr 2025/26": the fiscal year is named by the year in which it ends.
    first, second = int(g["ya"]), int(g["yb"])
    if second != (first + 1) % 100:
        return None
    return PeriodRef(m.start(), m.end(), "year", None, first + 1, comparison=comparison)
