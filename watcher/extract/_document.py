"""Passes over all the figures of a document: a guidance given only by reference to the figure
of the sentence before, an outlook restated as if it were an actual, and the same figure said
twice. Each returns what it keeps and, for `explain`, why it dropped the rest."""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

from . import _terms as T
from ._figure import Doc, Figure, quoted, same_value
from ._metric import term_metric
from ._numbers import Amount, find_amounts
from ._periods import FiscalCalendar, find_periods, label
from ._sentences import Sentence, headline_end
from .observation import Observation

V = TypeVar("V")

_MENTIONED = re.compile(
    r"\b(?:mentioned|said|discussed|talked\s+about|guided|noted)\b", re.IGNORECASE
)


def reference_figures(doc: Doc, figures: list[Figure]) -> list[Figure]:
    """ "CapEx was $13 billion in Q3. We expect Q4 CapEx at similar levels to Q3." gives Q4
    guidance of $13 billion: a guidance that states its figure only by reference, with the
    figure in the immediately preceding sentence of the same speaker."""
    by_sentence: dict[int, list[Figure]] = {}
    for f in figures:
        by_sentence.setdefault(f.sentence, []).append(f)
    out: list[Figure] = []
    for i in sorted({f.sentence + 1 for f in figures}):  # right after a figure's sentence
        if i >= len(doc.sentences) or i in doc.excluded or i - 1 in doc.excluded:
            continue
        if i in by_sentence:
            continue
        s = doc.sentences[i]
        point, floor = T.REFERENCE_POINT.search(s.text), T.REFERENCE_MIN.search(s.text)
        if not (point or floor) or not T.GUIDANCE_CUES.search(s.text):
            continue
        terms = [m for m in T.TERM_RE.finditer(s.text) if not m.group("block")]
        prev = by_sentence.get(i - 1, [])
        if not terms or len(prev) != 1 or find_amounts(doc.text, s.start, s.end):
            continue
        base = prev[0]
        if term_metric(terms[0]) != base.metric:
            continue
        value = base.amount.low if base.amount.low is not None else base.amount.high
        high = None if floor and not point else value
        amount = Amount(
            base.amount.start, base.amount.end, value, high, base.amount.currency, "exact", True
        )
        cue = quoted((point or floor).group(0))  # type: ignore[union-attr]
        cal = FiscalCalendar(doc.registry.fiscal_year_end_month(base.company))
        fig = Figure(
            amount,
            base.metric,
            base.variant,
            i,
            kind="guidance",
            company=base.company,
            quote_start=doc.sentences[i - 1].start,
            why=(
                ("metric", f"{quoted(terms[0].group(0))} in the sentence that refers back"),
                ("kind", f"guidance given by reference ({cue}) to the figure before"),
                ("company", f"as the figure referred to ({base.company})"),
            ),
        )
        fig = fig.step("period", "the period the referring sentence names",
                       period=_reference_period(doc, s, cal, base.period))  # fmt: skip
        if T.REAFFIRMED.search(s.text):
            fig = fig.step("change", "reaffirmed", change="reaffirmed")
        out.append(fig)
    return out


def _reference_period(doc: Doc, s: Sentence, cal: FiscalCalendar, base: str | None) -> str | None:
    """The period of a guidance by reference: the first one named that is not the period of
    the figure referred to ("We expect Q2 capex to be representative of ... the back half")."""
    for ref in find_periods(doc.text, s.start, s.end):
        as_actual = ref.resolve(cal, doc.day, False)
        if ref.comparison or (as_actual and label(*as_actual) == base):
            continue
        resolved = ref.resolve(cal, doc.day, True)
        return label(*resolved) if resolved else None
    return None


def drop_headline_repeats(
    doc: Doc, figures: list[Figure]
) -> tuple[list[Figure], list[tuple[Figure, str]]]:
    """A headline that states a figure the body states again ("오라클, 새 회계연도 설비투자
    250억달러 이상…") is read from the body, whose sentence gives its kind, period and prior;
    a headline figure the body does not repeat stays."""
    end = headline_end(doc.text)
    if not end:
        return figures, []
    body = [n for n, f in enumerate(figures) if f.amount.start >= end]
    out = list(figures)
    dropped: list[tuple[Figure, str]] = []
    for f in figures:
        if f.amount.start >= end:
            break
        same = next((n for n in body if _same_figure(f, figures[n])), None)
        if same is None:
            continue
        dropped.append((f, "the headline repeats a figure the body states"))
        b = out[same]
        if b.kind == "guidance" and f.kind == "guidance" and b.change is None:
            # "…見通しを660億～720億ドルに　下限を引き上げ": the headline says how it moved
            a = f.amount
            change = f.change or T.foreign_change(
                doc.text[:end], doc.text[: a.start], doc.text[a.end : end]
            )
            if change:
                out[same] = b.step("change", f"{change}, as the headline says", change=change)
    gone = {id(f) for f, _ in dropped}
    return [f for f in out if id(f) not in gone], dropped


def _same_figure(a: Figure, b: Figure) -> bool:
    if a.metric != b.metric or a.company != b.company:
        return False
    return any(
        x is not None and y is not None and same_value(x, y)
        for x, y in ((a.amount.low, b.amount.low), (a.amount.high, b.amount.high))
    )


def split_restated_guidance(
    doc: Doc, figures: list[Figure]
) -> tuple[list[Figure], list[tuple[Figure, str]]]:
    """ "So the $75 billion in CapEx I mentioned for this year ..." repeats an outlook given
    earlier; read as an actual it would be a false report."""
    kept: list[Figure] = []
    dropped: list[tuple[Figure, str]] = []
    outlooks: _NearValues[Figure] = _NearValues()
    for f in figures:
        key, low, high = (f.metric, f.company), f.amount.low, f.amount.high
        if f.kind == "guidance":
            outlooks.add(key, low, high, f)
        earlier = f.kind == "actual" and next(outlooks.near(key, low, high), None) is not None
        if earlier and (f.period_defaulted or _MENTIONED.search(doc.sentences[f.sentence].text)):
            dropped.append((f, "repeats the outlook stated earlier in the document"))
            continue
        kept.append(f)
    return kept, dropped


class _NearValues(Generic[V]):
    """Items filed by a key and by their low and high values, so that the ones whose low or
    high is within `same_value`'s 2% of a figure's are found in constant time: a document of
    many figures stays linear."""

    _STEP = math.log(1.02)

    def __init__(self) -> None:
        self._filed: dict[tuple[Hashable, str, int | None], list[tuple[int | None, V]]] = {}

    def _bucket(self, value: int | None) -> int | None:
        return None if value is None else int(math.log(max(abs(value), 1)) / self._STEP)

    def add(self, key: Hashable, low: int | None, high: int | None, item: V) -> None:
        for bound, value in (("low", low), ("high", high)):
            self._filed.setdefault((key, bound, self._bucket(value)), []).append((value, item))

    def near(self, key: Hashable, low: int | None, high: int | None) -> Iterator[V]:
        """The items of the key whose low is the same value as low, or high as high."""
        for bound, value in (("low", low), ("high", high)):
            b = self._bucket(value)
            buckets = (None,) if b is None else range(b - 2, b + 3)  # 2% spans at most 2 steps
            for n in buckets:
                for stored, item in self._filed.get((key, bound, n), ()):
                    if same_value(stored, value):
                        yield item


def observation(doc: Doc, f: Figure) -> Observation:
    s = doc.sentences[f.sentence]
    start = min(f.quote_start, s.start)
    return Observation(
        company=f.company,
        metric=f.metric,
        kind=f.kind,
        period=f.period,
        low=f.amount.low,
        high=f.amount.high,
        currency=f.amount.currency,
        change=f.change,
        prior_low=f.prior.low if f.prior else None,
        prior_high=f.prior.high if f.prior else None,
        quote=doc.text[start : s.end],
        source=doc.source,
        variant=f.variant,
        start=start,
        end=s.end,
    )


def first_of_each(observations: list[Observation]) -> tuple[list[Observation], set[int]]:
    """The same figure said again (in the Q&A, rounded) is one observation, the first.
    Returns the kept ones and the indices of the repeats."""
    kept: list[Observation] = []
    repeats: set[int] = set()
    filed: _NearValues[Observation] = _NearValues()
    for n, o in enumerate(observations):
        key = (o.company, o.metric, o.kind)
        duplicate = any(
            (k.period == o.period or o.period is None or k.period is None or k.kind == "guidance")
            and (k.low is not None or o.low is None)
            for k in filed.near(key, o.low, o.high)
        )
        if duplicate:
            repeats.add(n)
        else:
            kept.append(o)
            filed.add(key, o.low, o.high, o)
    return kept, repeats
