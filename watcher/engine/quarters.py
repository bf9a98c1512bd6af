"""Quarters as numbers: `FY2025-Q3` <-> a number that grows by one per quarter, so that quarters
can be counted, compared and stepped through. Used by the series rules, the history they read
(`engine.history`) and the evaluator's window of quarters (`RuleContext.judge_from`)."""

from __future__ import annotations

import re

_PERIOD = re.compile(r"^FY(\d{4})-Q([1-4])$")


def quarter_number(period: str) -> int | None:
    """FY2025-Q3 -> a number that grows by one per quarter; None for other periods."""
    match = _PERIOD.match(period)
    return int(match.group(1)) * 4 + int(match.group(2)) - 1 if match else None


def period_name(number: int) -> str:
    """The inverse of `quarter_number`: a quarter number -> FY<year>-Q<n>."""
    return f"FY{number // 4}-Q{number % 4 + 1}"
