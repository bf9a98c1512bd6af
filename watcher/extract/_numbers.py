"""Reading money amounts in the languages we read: "$64.5 billion", "US$64-72 billion",
"between $40 billion and $42 billion", "over $30 billion", "4,200억 달러", "2조 3천억 원",
"640亿至720亿美元", "3兆円", "70.000 millones de dólares", "1.234,5 Mrd. Euro",
"zwischen 64 und 72 Milliarden".

Numbers are found with one simple token pattern; everything around a token (currency, scale,
range partner, qualifier words) is read from a small window next to it, so the cost stays
linear in the size of the text whatever the input. Full-width characters are folded to their
ASCII twins one for one, so offsets are kept.

A written figure (digits, scale, currency) is read in `_numbers_parts`, the words that bound it
in `_numbers_bounds`; this module joins figures into ranges, lets one borrow the scale of the
next ("de 60.000 a 65.000 millones"), and drops a figure restated in another currency."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._numbers_bounds import CHANGE_BEFORE, Bound, qualifier
from ._numbers_parts import FOLD, TOKEN, Part, continental_value, read_part

_I = re.IGNORECASE

# "ー" (the katakana long-vowel mark) stands in for a dash between two figures: "600億ー650億ドル".
_RANGE_JOIN = re.compile(r"\s?(?:to|-|–|—|ー|through|~|至|到|bis)\s?", _I)
_BETWEEN = re.compile(
    r"(?:(?<![A-Za-z])(?:between|entre|zwischen|range\s+of)|在|介于|介於)\s?$", _I
)
_AND_JOIN = re.compile(r"\s(?:and|y|und)\s|\s?(?:与|與|和)\s?", _I)
# "de 64.000 a 72.000 millones", "desde 64.000 hasta 72.000 millones" are ranges, unless a
# change verb says they go from old to new.
_DE_A_JOIN = re.compile(r"\s(?:a|hasta)\s")
# "增加110亿元至274.8亿元" is an increase and its result, not a range.
_CHANGE_RIGHT_BEFORE = re.compile(
    r"(?:增加|增长|增長|减少|減少|下降|提高|提升|上调|上調|下调|下調|降低|增|减|減|降)了?\s?(?:约|約|近)?\s?$"
)
_FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:(?:about|approximately|around|roughly|some|nearly)\s+)?(?:US|USD|RMB|KRW)?\s?$",
    _I,
)
_TO = re.compile(r"\s?to\s?", _I)
# "..., from 76 billion to 83 billion yuan previously": the old range, stated after the new.
_PRIOR_NEXT = re.compile(r"[^,;.\d]{0,12}?\b(?:previously|before|earlier|prior)\b", _I)
# "to $85 billion, from $75 to $80 billion", "to $34.5B-$37.5B from $31.5 billion to $34.5
# billion": after a new figure, "from X to Y" is the old range.
_COMMA_FROM = re.compile(
    r"(?:,|\b(?:billion|million|trillion|bn|mn|yuan|won|yen|dollars|euros)\b|\d(?:bn|mn|[BMbm])\b)"
    r"\s*(?:up|down)?\s*from\s+\D{0,16}$",
    _I,
)
_TO_NEXT = re.compile(r"\s(?:to|from)\s+(?:between\s+|a\s+range\s+of\s+)?\D{0,12}\d", _I)
_RANGING = re.compile(r"\brang(?:e|es|ed|ing)\b", _I)
_RANGE_WORD = re.compile(r"\b(?:rango|entre|horquilla)\b", _I)
_DE_BEFORE = re.compile(r"(?<![A-Za-zÀ-ɏ])(?:de|desde)\s$")
# "640억에서 720억 달러 사이", "1,000億から1,200億ドルの設備投資": a range, unless the second figure
# is where a change went ("600억에서 700억 달러로", "600億から700億ドルに").
_AUF_JOIN = re.compile(r"\sauf\s")
_VON_BEFORE = re.compile(r"(?<![A-Za-zÀ-ɏ])von\s$")
_FROM_JOIN = re.compile(r"\s?(?:에서|から)\s?")
_RANGE_NEXT = re.compile(r"\s?(?:~|-|–|—|ー)\s?\d")
# "600億から700億ドル程度" is a range; "…から450億ドル程度に上方修正" a change.
_RANGE_CLOSE = re.compile(r"\s?(?:사이|の範囲|の間|程度(?!\s?[にへ]))")
# "600억에서 700억 달러 수준으로", "840億元から880億元前後に": a change, not a range.
_CHANGE_CLOSE = re.compile(r"\s?(?:수준|안팎|가량|정도|내외|前後|程度)?\s?(?:으로|로|に|へ)")

# A figure restated in another currency: "1200亿元（约165亿美元）", "$64 billion (about 88
# trillion won)". The restatement is dropped; the figure keeps the currency stated first.
_RESTATE_GAP = re.compile(
    r"\s?(?:[(（]|,|，|、|;)?\s?(?:or\s+)?(?:approximately|approx\.?|about|around|roughly|some|nearly"
    r"|equivalent\s+to|约合|約合|折合|合计约|约|約|合|相当于|相當於|대략|약|약\s|unos|unas|alrededor\s+de"
    r"|aproximadamente|cerca\s+de|rund|etwa|ca\.|circa|umgerechnet|knapp)?\s?$",
    _I,
)


@dataclass(frozen=True)
class Amount:
    """A money figure in text[start:end]; low/high in full currency units."""

    start: int
    end: int
    low: int | None
    high: int | None
    currency: str | None
    bound: Bound
    scaled: bool  # carried a scale word (billion, bn, 억, 亿, millones, ...) not only digits


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Money amounts in text[start:end], in order. A bare number is money only with a scale
    word ("65 billion", "1200亿元") or a currency sign and at least a million
    ("$64,000,000,000"); an East Asian scale needs a currency ("4,200억 달러")."""
    end = len(text) if end is None else end
    t = text[start:end].translate(FOLD)
    parts: list[Part] = []
    for m in TOKEN.finditer(t):
        if parts and m.start() < parts[-1].end:
            continue  # inside the previous figure: the 3 of 2조 3천억
        part = read_part(t, m)
        if part is not None:
            parts.append(part)
    amounts: list[Amount] = []
    i = 0
    while i < len(parts):
        first = parts[i]
        second = parts[i + 1] if i + 1 < len(parts) else None
        if second is not None and _borrows_scale(t, first, second):
            _borrow(first, second)
        elif second is not None and i + 2 < len(parts):
            _borrow_over_range(t, first, second, parts[i + 2])
        if second is not None and _is_range(t, first, second):
            amount = _range_amount(t, first, second)
            i += 2
        else:
            amount = _single_amount(t, first)
            i += 1
        if amount is not None and _plausible(amount):
            amounts.append(amount)
    return [_shift(a, start) for a in _drop_restatements(t, amounts)]


# No company states a figure of ten quadrillion units of any currency (Korea's whole economy is
# about 2.5 quadrillion won); a longer digit string is noise and would not fit a BIGINT.
_MAX_AMOUNT = 10**16


def _plausible(a: Amount) -> bool:
    return all(v is None or 0 < v < _MAX_AMOUNT for v in (a.low, a.high))


def _shift(a: Amount, offset: int) -> Amount:
    if not offset:
        return a
    return Amount(a.start + offset, a.end + offset, a.low, a.high, a.currency, a.bound, a.scaled)


def _drop_restatements(t: str, amounts: list[Amount]) -> list[Amount]:
    kept: list[Amount] = []
    for a in amounts:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.currency != a.currency
            and a.start - prev.end <= 24
            and _RESTATE_GAP.fullmatch(t, prev.end, a.start)
            and _restates(t[prev.end : a.start])
        ):
            continue
        kept.append(a)
    return kept


def _restates(gap: str) -> bool:
    """A bracket or a word of equivalence, not a mere comma, joins a restated figure."""
    return bool(gap.strip(" ,，、;")) or not gap


def _is_range(t: str, first: Part, second: Part) -> bool:
    gap_start, gap_end = first.end, second.start
    if gap_end - gap_start > 12:
        return False
    if _RANGE_JOIN.fullmatch(t, gap_start, gap_end):
        if _CHANGE_RIGHT_BEFORE.search(t, max(0, first.start - 6), first.start):
            return False
        if _from_to(t, first, second):
            return False  # "raised its outlook from $14 billion to $17 billion": old to new
    elif _AND_JOIN.fullmatch(t, gap_start, gap_end):
        if not _BETWEEN.search(t, max(0, first.start - 10), first.start):
            return False
    elif _DE_A_JOIN.fullmatch(t, gap_start, gap_end):
        if not _DE_BEFORE.search(t, max(0, first.start - 7), first.start):
            return False
        if _changes_before(t, first.start):
            return False  # "elevó su previsión de 60.000 a 65.000 millones": old to new
    elif _FROM_JOIN.fullmatch(t, gap_start, gap_end):
        if _RANGE_NEXT.match(t, second.end, min(len(t), second.end + 4)):
            return False  # "850억 달러에서 910억∼930억 달러로": the old figure, then a new range
        if not _RANGE_CLOSE.match(t, second.end, min(len(t), second.end + 6)) and (
            _CHANGE_CLOSE.match(t, second.end, min(len(t), second.end + 8))
        ):
            return False
    else:
        return False
    if second.scale is None and not (second.currency and second.value >= 1e6):
        return False
    if first.currency is None and second.currency is not None and second.currency_before:
        return False  # "in 2024 to $75 billion"
    # "in 2024 to 75 billion" is no range; "1900~1901억원" is.
    bare = first.scale is None and first.currency is None
    # An East Asian money scale (억, 亿, 億) after "1900~2101" makes both ends money.
    if bare and _looks_like_year(first) and not _looks_like_year(second) and not second.east_asian:
        return False
    low = _low_value(first, second) * (first.scale or second.scale or 1)
    high = second.value * (second.scale or 1)
    return 0 < low <= high <= low * 10


def _from_to(t: str, first: Part, second: Part) -> bool:
    """ "from X to Y" moves from one figure to another, unless it says a range ("ranging",
    or "from X to Y to Z", where X to Y was the old range)."""
    return bool(
        _TO.fullmatch(t, first.end, second.start)
        and _FROM_BEFORE.search(t, max(0, first.start - 24), first.start)
        and not _RANGING.search(t, max(0, first.start - 40), first.start)
        and not _TO_NEXT.match(t, second.end)
        and not _PRIOR_NEXT.match(t, second.end)
        and not _COMMA_FROM.search(t, max(0, first.start - 30), first.start)
    )


def _looks_like_year(part: Part) -> bool:
    return len(part.raw) == 4 and part.raw.isdigit() and 1900 <= part.value <= 2100


def _borrows_scale(t: str, first: Part, second: Part) -> bool:
    """ "de 60.000 a 65.000 millones" after a change verb, "von 60 auf 65 Milliarden": the old
    figure shares the scale of the new one but is a figure of its own."""
    if second.scale is None or first.currency is not None:
        return False
    if first.scale is not None and not (first.east_asian and second.east_asian):
        return False
    if second.end - first.start > 40 or _looks_like_year(first):
        return False
    if first.east_asian and second.east_asian and _FROM_JOIN.fullmatch(t, first.end, second.start):
        return bool(_CHANGE_CLOSE.match(t, second.end, min(len(t), second.end + 8)))
    if _AUF_JOIN.fullmatch(t, first.end, second.start):
        return bool(_VON_BEFORE.search(t, max(0, first.start - 5), first.start))
    return bool(
        _DE_A_JOIN.fullmatch(t, first.end, second.start)
        and _DE_BEFORE.search(t, max(0, first.start - 7), first.start)
        and _changes_before(t, first.start)
    )


def _borrow_over_range(t: str, first: Part, second: Part, third: Part) -> None:
    """ "850억에서 910억~930억 달러로": the old figure takes the currency of the new range."""
    if (
        first.east_asian
        and second.east_asian
        and first.currency is None
        and second.currency is None
        and third.currency is not None
        and _FROM_JOIN.fullmatch(t, first.end, second.start)
        and _RANGE_NEXT.match(t, second.end, min(len(t), second.end + 4))
    ):
        first.currency = third.currency


def _changes_before(t: str, start: int) -> bool:
    """A change verb, and no word that announces a range, before a "de X a Y"."""
    window = t[max(0, start - 120) : start]
    return bool(CHANGE_BEFORE.search(window)) and not _RANGE_WORD.search(window[-20:])


def _borrow(first: Part, second: Part) -> None:
    if first.scale is not None:  # "8천억에서 1조 원으로": only the currency is shared
        first.currency = second.currency
        return
    if second.continental:
        first.value = continental_value(first.raw, second.scale or 1) or first.value
    first.scale, first.continental, first.east_asian = (
        second.scale,
        second.continental,
        second.east_asian,
    )
    first.currency = second.currency


def _low_value(first: Part, second: Part) -> float:
    """The low end read in the convention of the scale it shares: "entre 64.000 y 72.000
    millones" groups thousands with dots."""
    if first.scale is None and second.continental:
        return continental_value(first.raw, second.scale or 1) or first.value
    return first.value


def _range_amount(t: str, first: Part, second: Part) -> Amount | None:
    low = round(_low_value(first, second) * (first.scale or second.scale or 1))
    high = round(second.value * (second.scale or 1))
    currency = first.currency or second.currency
    if currency is None and (first.east_asian or second.east_asian):
        return None
    return Amount(first.start, second.end, low, high, currency or "USD", "range", True)


def _single_amount(t: str, part: Part) -> Amount | None:
    if part.scale is None and not (part.currency and part.value >= 1e6):
        return None
    if part.east_asian and part.currency is None:
        return None  # 1억 명 is people, not money
    if part.vague:
        return None
    value = round(part.value * (part.scale or 1))
    bound = "min" if part.plus else qualifier(t, part.start, part.end)
    currency = part.currency or "USD"
    if bound == "min":
        return Amount(part.start, part.end, value, None, currency, bound, part.scale is not None)
    if bound == "max":
        return Amount(part.start, part.end, None, value, currency, bound, part.scale is not None)
    return Amount(part.start, part.end, value, value, currency, bound, part.scale is not None)
