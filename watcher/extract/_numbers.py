"""Reading money amounts: "$64.5 billion", "US$64-72 billion", "between $40 billion and $42
billion", "nearly 65 billion", "over $30 billion", "up to $500 billion", "$1.2bn".

Numbers are found with one simple token pattern; everything around a token (currency, scale,
range partner, qualifier words) is read from a small window next to it, so the cost stays
linear in the size of the text whatever the input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Bound = Literal["exact", "approx", "min", "max", "range"]

_TOKEN = re.compile(r"(?<![\w.,])\d[\d,]{0,24}(?:\.\d{1,6})?(?![\d.]\d)")
_SCALE = re.compile(
    r"(?:\s?(?:plus|\+)\s?)?"
    r"(?:\s?-?\s?(trillion|billion|million|thousand)\b|\s?(tn|bn|mn|bln|mln)\b|([BMTbm])\b)",
    re.IGNORECASE,
)
_SCALES = {
    "trillion": 10**12, "tn": 10**12, "t": 10**12,
    "billion": 10**9, "bn": 10**9, "bln": 10**9, "b": 10**9,
    "million": 10**6, "mn": 10**6, "mln": 10**6, "m": 10**6,
    "thousand": 10**3,
}  # fmt: skip
_CURRENCY_BEFORE = re.compile(
    r"(US\s?\$|NT\$|HK\$|A\$|C\$|S\$|R\$|\$|€|£|¥|₩|₹|(?:USD|EUR|GBP|JPY|CNY|RMB|KRW|TWD|INR)\s?)\s?$"
)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:(?:US|U\.S\.)\s)?(dollars|USD|yuan|renminbi|RMB|CNY|euros?|EUR|won|KRW|yen|JPY|"
    r"pounds|GBP|NT dollars|Taiwan dollars|TWD|rupees|INR)\b",
)
_CURRENCY_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "nt$": "TWD", "hk$": "HKD",
    "a$": "AUD", "c$": "CAD", "s$": "SGD", "r$": "BRL", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP", "¥": "JPY", "jpy": "JPY",
    "yen": "JPY", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "₩": "KRW",
    "krw": "KRW", "won": "KRW", "twd": "TWD", "nt dollars": "TWD", "taiwan dollars": "TWD",
    "₹": "INR", "inr": "INR", "rupees": "INR",
}  # fmt: skip
_RANGE_JOIN = re.compile(r"\s?(?:to|-|–|—|through)\s?", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s$", re.IGNORECASE)
_AND_JOIN = re.compile(r"\s(?:and)\s", re.IGNORECASE)

_APPROX = re.compile(
    r"\b(?:approximately|approx\.?|about|around|roughly|nearly|almost|close to|circa|some|"
    r"an estimated|estimated|just under|just shy of|in the neighborhood of|in the region of|"
    r"on the order of|of around|of about|of roughly|of approximately)\s$|~\s?$",
    re.IGNORECASE,
)
_MIN = re.compile(
    r"\b(?:over|more than|at least|above|exceeding|exceed|exceeds|in excess of|north of|"
    r"upwards of|greater than|at or above|no less than|a minimum of|at a minimum|just over|"
    r"well over|well above|beyond)\s$"
    r"|\b(?:at or above|at least|above|over|more than)\s+the\s$"
    # "at or above the Q1 CapEx of $12 billion": the bound names the figure it is anchored to.
    r"|\b(?:at or above|at least|above|over|more than|exceed|exceeding)\s+the\s+[^$.;]{0,40}?"
    r"\bof\s$",
    re.IGNORECASE,
)
_MAX = re.compile(
    r"\b(?:up to|less than|under|below|at most|no more than|a maximum of|as much as|as high as|"
    r"capped at|not to exceed|not exceeding)\s$",
    re.IGNORECASE,
)
_MIN_AFTER = re.compile(r"^\s?(?:or (?:more|higher|above)|plus\b|\+)", re.IGNORECASE)
_MAX_AFTER = re.compile(r"^\s?or (?:less|lower|below)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A money figure in text[start:end]; low/high in full currency units."""

    start: int
    end: int
    low: int | None
    high: int | None
    currency: str | None
    bound: Bound
    scaled: bool  # carried a scale word (billion, bn, ...) rather than only digits


def _parse_number(raw: str) -> float | None:
    raw = raw.rstrip(",")
    if "," in raw:
        head, *groups = raw.split(".")[0].split(",")
        if not head or len(head) > 3 or any(len(g) != 3 for g in groups):
            return None
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


@dataclass
class _Part:
    start: int  # including a currency prefix
    end: int  # including scale and currency suffix
    value: float
    scale: int | None
    currency: str | None
    plus: bool


def _read_part(text: str, m: re.Match[str]) -> _Part | None:
    value = _parse_number(m.group(0))
    if value is None:
        return None
    start, end = m.start(), m.end()
    currency = None
    before = _CURRENCY_BEFORE.search(text, max(0, start - 6), start)
    if before:
        currency = _CURRENCY_CODES.get(before.group(1).strip().lower().replace(" ", ""))
        start = before.start()
    scale = None
    plus = False
    sm = _SCALE.match(text, end, min(len(text), end + 16))
    if sm:
        word = (sm.group(1) or sm.group(2) or sm.group(3)).lower()
        scale = _SCALES.get(word)
        plus = "plus" in sm.group(0).lower() or "+" in sm.group(0)
        end = sm.end()
    am = _CURRENCY_AFTER.match(text, end, min(len(text), end + 20))
    if am and (scale or currency is None):
        currency = currency or _CURRENCY_CODES.get(am.group(1).lower())
        end = am.end()
    return _Part(start, end, value, scale, currency, plus)


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Money amounts in text[start:end], in order. A bare number is money only with a scale
    word ("65 billion") or a currency sign and at least a million ("$64,000,000,000")."""
    end = len(text) if end is None else end
    parts = [p for m in _TOKEN.finditer(text, start, end) if (p := _read_part(text, m))]
    amounts: list[Amount] = []
    i = 0
    while i < len(parts):
        first = parts[i]
        second = parts[i + 1] if i + 1 < len(parts) else None
        if second is not None and _is_range(text, first, second):
            amount = _range_amount(text, first, second)
            i += 2
        else:
            amount = _single_amount(text, first)
            i += 1
        if amount is not None:
            amounts.append(amount)
    return amounts


def _is_range(text: str, first: _Part, second: _Part) -> bool:
    gap = text[first.end : second.start]
    if _RANGE_JOIN.fullmatch(gap) or (
        _AND_JOIN.fullmatch(gap) and _BETWEEN.search(text, max(0, first.start - 9), first.start)
    ):
        pass
    else:
        return False
    if second.scale is None and not (second.currency and second.value >= 1e6):
        return False
    if first.currency is None and second.currency is not None:
        return False  # "in 2024 to $75 billion"
    if first.scale is None and first.currency is None and 1900 <= first.value <= 2100:
        return False
    low = first.value * (first.scale or second.scale or 1)
    high = second.value * (second.scale or 1)
    return 0 < low <= high <= low * 10


def _range_amount(text: str, first: _Part, second: _Part) -> Amount:
    low = round(first.value * (first.scale or second.scale or 1))
    high = round(second.value * (second.scale or 1))
    currency = first.currency or second.currency or "USD"
    return Amount(first.start, second.end, low, high, currency, "range", True)


def _single_amount(text: str, part: _Part) -> Amount | None:
    if part.scale is None and not (part.currency and part.value >= 1e6):
        return None
    value = round(part.value * (part.scale or 1))
    bound = qualifier(text, part.start, part.end)
    if part.plus:
        bound = "min"
    currency = part.currency or "USD"
    if bound == "min":
        return Amount(part.start, part.end, value, None, currency, bound, part.scale is not None)
    if bound == "max":
        return Amount(part.start, part.end, None, value, currency, bound, part.scale is not None)
    return Amount(part.start, part.end, value, value, currency, bound, part.scale is not None)


def qualifier(text: str, start: int, end: int) -> Bound:
    """How the words around a figure bound it: approximately, at least, at most, or exactly."""
    window = text[max(0, start - 60) : start]
    after = text[end : end + 12]
    if _MIN.search(window) or _MIN_AFTER.match(after):
        return "min"
    if _MAX.search(window) or _MAX_AFTER.match(after):
        return "max"
    if _APPROX.search(window):
        return "approx"
    return "exact"
