"""Guidance revised by comparison with what the speaker thought before.

"We now expect capex of $7 to $7.5 billion, a little lower than we had planned" states a
lowered outlook without stating the prior figure. The comparison may sit in the guidance's own
sentence after the figure, in the same speaker's next sentence ("That is higher than we
expected three months ago."), or in a later restatement of the same figure, often in words:
"I'm going to be somewhere between seven and seven and a half for the full year, which is
actually a little bit lower than I thought"."""

from __future__ import annotations

import bisect
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass

_I = re.IGNORECASE

REVISION_CUE = re.compile(
    r"\b(?P<dir>lower|higher|less|more|below|above|smaller|larger|bigger)\s+(?:than\s+)?(?:"
    r"(?:what\s+)?(?:I|we|it|they|the\s+company)\s+(?:had\s+)?(?:originally\s+|previously\s+|initially\s+|first\s+)?"
    r"(?:thought|expected|planned|anticipated|guided|projected|budgeted|forecast)"
    r"|(?:previously|originally|initially)\s+(?:thought|expected|planned|anticipated|guided|"
    r"projected|budgeted|forecast)"
    r"|(?:our|the)\s+(?:prior|previous|earlier|original|initial)\s+"
    r"(?:outlook|guidance|plan|expectations?|forecast|budget))\b",
    _I,
)
_LOWER = frozenset(("lower", "less", "below", "smaller"))
# A later sentence that points back at the figure: "That is more than we planned."
_BACK_REFERENCE = re.compile(r"^\W*(?:and\s+|so\s+)?(?:that|this|which|it)\b", _I)

_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUES = {w: n for n, w in enumerate(_UNITS)} | {w: 20 + 10 * n for n, w in enumerate(_TENS)}
_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_NUMBER = re.compile(
    rf"(?<![\w.])(?P<n>\d+(?:\.\d+)?|(?:{_TENS_WORD})(?:[\s-](?:{_UNIT_WORD}))?|(?:{_UNIT_WORD}))\b"
    rf"(?P<half>\s+and\s+a\s+half)?(?:\s+point\s+(?P<point>{_UNIT_WORD}))?",
    _I,
)
_RANGE_GAP = re.compile(r"\s*(?:and|to|-|–|through)\s*", _I)
_WINDOW = 150


@dataclass(frozen=True)
class Restatement:
    """Figures said again next to a revision cue: `values` in the order spoken."""

    values: tuple[float, ...]
    change: str


# "高于此前的预期", "低於先前指引", "mehr als bisher geplant", "unter der bisherigen Prognose"
_BEFORE_ZH = r"(?:公司)?(?:此前|之前|先前|原先|原本|早前|原来|原來|上次|前次)的?"
_PLAN_ZH = r"(?:预期|預期|指引|预测|預測|计划|計劃|目标|目標|预计|預計|水平|展望)"
# "mehr als bislang von Analysten erwartet" compares with others' expectation: no revision
_EARLIER_DE = (
    r"(?:bisher|bislang|zuvor|ursprünglich|vorher)(?!\s+(?:von\s+)?(?:den\s+)?(?:Analysten|Experten"
    r"|Beobachtern|Marktbeobachtern|dem\s+Markt|Investoren|Anlegern)\b)"
)
_FOREIGN_REVISION = re.compile(
    rf"(?P<up>(?:高于|高於|多于|多於|超过|超過|大于|大於){_BEFORE_ZH}{_PLAN_ZH}"
    rf"|\b(?:mehr|höher)\s+als\s+{_EARLIER_DE}\b|\büber\s+(?:der|den|dem)\s+(?:bisherigen"
    rf"|ursprünglichen|früheren)\b)"
    rf"|(?P<down>(?:低于|低於|少于|少於|不及){_BEFORE_ZH}{_PLAN_ZH}"
    rf"|\b(?:weniger|niedriger)\s+als\s+{_EARLIER_DE}\b|\bunter\s+(?:der|den|dem)\s+"
    rf"(?:bisherigen|ursprünglichen|früheren)\b)"
    rf"|(?P<same>(?:维持|維持|重申|保持|符合|与|與){_BEFORE_ZH}{_PLAN_ZH}"
    rf"|\bwie\s+(?:bisher|zuvor)\s+(?:erwartet|geplant|prognostiziert|angekündigt)\b)",
    _I,
)


def direction(text: str, start: int, end: int) -> str | None:
    """`lowered` or `raised` when text[start:end] compares with a previous expectation."""
    m = REVISION_CUE.search(text, start, end)
    if m is None:
        f = _FOREIGN_REVISION.search(text, start, end)
        if f is None:
            return None
        return "raised" if f.group("up") else "lowered" if f.group("down") else "reaffirmed"
    return "lowered" if m.group("dir").lower() in _LOWER else "raised"


def points_back(sentence: str) -> bool:
    """True when a sentence opens by referring to what was just said."""
    return bool(_BACK_REFERENCE.match(sentence))


def restatements(
    text: str, spans: Sequence[tuple[int, int]], skip: Container[int] = ()
) -> list[Restatement]:
    """Figures restated right before a revision cue in the given sentence spans (in text
    order), except in the sentences whose index is in `skip`."""
    starts = [a for a, _ in spans]
    out: list[Restatement] = []
    for cue in REVISION_CUE.finditer(text):  # one pass; cues are rare
        k = bisect.bisect_right(starts, cue.start()) - 1
        if k < 0 or cue.end() > spans[k][1] or k in skip:
            continue  # not inside one of the sentences read
        values = _last_figure(text, max(spans[k][0], cue.start() - _WINDOW), cue.start())
        if values:
            change = "lowered" if cue.group("dir").lower() in _LOWER else "raised"
            out.append(Restatement(values, change))
    return out


def _last_figure(text: str, start: int, end: int) -> tuple[float, ...]:
    """The last number, or pair of numbers joined as a range, in text[start:end]."""
    numbers = [(m, v) for m in _NUMBER.finditer(text, start, end) if (v := _value(m)) is not None]
    if not numbers:
        return ()
    last_m, last_v = numbers[-1]
    if len(numbers) >= 2:
        prev_m, prev_v = numbers[-2]
        if _RANGE_GAP.fullmatch(text, prev_m.end(), last_m.start()) and prev_v < last_v:
            return (prev_v, last_v)
    return (last_v,)


def _value(m: re.Match[str]) -> float | None:
    raw = m.group("n").lower()
    if raw[0].isdigit():
        value = float(raw)
    else:
        words = re.split(r"[\s-]+", raw)
        value = float(sum(_WORD_VALUES.get(w, 0) for w in words))
    if m.group("half"):
        value += 0.5
    if m.group("point"):
        value += _WORD_VALUES[m.group("point").lower()] / 10
    return value


def matches(values: tuple[float, ...], low: int | None, high: int | None) -> bool:
    """True when restated values are the figure low..high at some scale (units, millions,
    billions): "seven and seven and a half" is $7 to $7.5 billion."""
    if low is None or high is None:
        return False
    wanted = (low,) if low == high else (low, high)
    if len(values) != len(wanted):
        return False
    pairs = list(zip(values, wanted, strict=True))
    return any(
        all(abs(v * scale - w) <= 1e-6 * abs(w) for v, w in pairs)
        for scale in (1, 10**6, 10**9, 10**12)
    )
