"""The period pass: the fiscal period of a figure, from the period words nearest it in its
clause, a period the previous sentence opens with, or (for an actual that names none) the
quarter the document reports on. Periods are on the figure's company's fiscal calendar."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from . import _terms as T
from ._figure import Doc, Figure, explained_after, quoted, restatement_end
from ._numbers import Amount
from ._periods import FiscalCalendar, PeriodRef, Quarter, find_periods, label, shift

_CLAUSE_BREAK = re.compile(r"[,;:，；：、—%]|\s[-–]\s")
_OPENING = re.compile(
    r"\s*(?:(?:and|so|also|now|in|over|for|during|through|at)\s+)*(?:the\s+)?", re.IGNORECASE
)
_AND = re.compile(r"\s*(?:,|,?\s+and)\s*")
_FOR = re.compile(r"\s*(?:for|in|during|as\s+of|at\s+the\s+end\s+of)\s+(?:the\s+)?", re.IGNORECASE)
_DEICTIC = re.compile(r"\b(?:this|current|last|next|coming|prior|previous|ago)\b", re.I)
# "2026 full-year", "the full year of 2026", and a year explained in brackets before the word
# for the whole year: "2027 회계연도(2026년 7월~2027년 6월) 연간", "fiscal 2027 (July-June)
# full-year"
_ADJACENT = re.compile(
    r"[\s-]*(?:of\s+)?(?:(?:회계\s?[연년]도|会计年度|會計年度|会計年度|财年|財年|年度)\s?)?"
    r"(?:[(（][^()（）]{1,40}[)）]\s?)?"
)
_LABEL = re.compile(r"FY(\d{4})(?:-Q([1-4]))?")
# "over the next three years", "en los próximos tres años", "in den nächsten drei Jahren": a plan
# for the year under way and the ones after it.
_YEARS_COUNT = {
    "two": 2, "three": 3, "four": 4, "five": 5, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
}  # fmt: skip
_SEVERAL_YEARS = re.compile(
    r"\b(?:over|in|during|within|en|durante|innerhalb)\s+(?:the|los|den|der)\s+"
    r"(?:next|coming|próximos|siguientes|nächsten|kommenden)\s+"
    r"(two|three|four|five|dos|tres|cuatro|cinco|zwei|drei|vier|fünf|[2-5])\s+(?:years|años|Jahren?)\b",
    re.IGNORECASE,
)
# A year ago written after the figure in Korean, Japanese or Chinese, where a figure's own period
# comes before it: "137억 달러로 작년 같은 기간…", "3920億ドルと前年同期から51%増えた".
_CJK_AGO = re.compile(r"전년|작년|지난해|前年|去年|上年|昨年")


def period_of(
    doc: Doc,
    fig: Figure,
    amounts: list[Amount],
    done: list[Figure],
    refs: list[PeriodRef],
    before: Sequence[Figure] = (),
) -> tuple[str | None, str, bool]:
    """(period, evidence, defaulted): defaulted when no words gave it and it is the quarter
    the document reports on. `before` are the figures of the sentence before, which a
    sentence naming no metric of its own points back to ("去年同期，这一数字为143.9亿元")."""
    i = fig.sentence
    s = doc.sentences[i]
    pointed = [
        f for f in before if f.metric == fig.metric and f.period
    ] if not T.TERM_RE.search(doc.text, s.start, s.end) else []  # fmt: skip
    # A figure for several companies together is on the calendar year, not on one's fiscal year.
    cal = FiscalCalendar(doc.registry.fiscal_year_end_month(fig.company))
    calendar = "" if cal.end_month == 12 else f" (fiscal year ending in month {cal.end_month})"
    ref = _respective(doc.text, fig.amount, amounts, refs)
    years = _SEVERAL_YEARS.search(doc.text, fig.amount.end, min(s.end, fig.amount.end + 120))
    if ref is None and years is not None and doc.day is not None and fig.kind == "guidance":
        first = cal.year_of(doc.day)
        n = _YEARS_COUNT.get(years.group(1).lower()) or int(years.group(1))
        return label(first, first + n - 1), f"{quoted(years.group(0))}{calendar}", False
    explained = explained_after(doc.text, fig.amount.end, doc.sentences[i].end)
    if ref is None and explained is not None:
        ref = next((r for r in refs if r.start >= explained and not r.comparison), None)
        ref = _named_year(doc.text, refs, ref)
        why = f"{_words(doc, ref)} in the words that explain the figure"
    if ref is None:
        ref = _nearest_ref(doc.text, refs, fig.amount, amounts, fig.prior)
        why = _words(doc, ref)
    else:
        why = f"{_words(doc, ref)}, in the order the figures are given (respectively)"
    if (
        ref is not None
        and not ref.dated
        and _DEICTIC.search(doc.text, ref.start, ref.end)
        and not T.FIRST_PERSON.search(doc.sentences[i].text)
    ):
        # A reporter writes "this year" from the day of writing; a speaker on a call from the
        # quarter the call reports on.
        ref = replace(ref, dated=True)
    if ref is not None and not ref.dated and ref.kind == "this_year" and fig.kind == "estimate":
        # others' forecast "for the full year" ("für das Gesamtjahr", "全年") is for the year
        # under way, as an outlook is
        ref = replace(ref, dated=True)
    if ref is not None and ref.kind == "same_period":
        ref = _opening_ref(doc, i - 1, any_position=True)
        why = f"'the same period' as in the sentence before: {_words(doc, ref)}"
    if ref is not None and ref.kind == "last_year" and not ref.comparison:
        earlier = [f for f in done if f.sentence == i and f.metric == fig.metric and f.period]
        earlier = earlier or pointed
        if earlier:
            span = _shift_label(earlier[-1].period, -4)
            if span is not None:
                return span, f"{why}, a year before {earlier[-1].period}", False
    if ref is not None:
        resolved = ref.resolve(cal, doc.day, fig.kind == "guidance")
        if resolved:
            return label(*resolved), why + calendar, False
        return None, f"{why}, but the document's date is unknown", False
    same = [f for f in done if f.sentence == i and f.metric == fig.metric and f.period]
    if same and not same[-1].period_defaulted:
        return same[-1].period, "as the figure before it in the sentence", False
    if pointed:
        return pointed[-1].period, "as the figure of the sentence before, pointed back to", False
    if fig.kind == "actual":
        ref = _opening_ref(doc, i - 1, any_position=False)
        if ref is not None:
            resolved = ref.resolve(cal, doc.day, False)
            span = label(*resolved) if resolved else None
            return span, f"the previous sentence opens with {_words(doc, ref)}", False
        if doc.day is not None:
            reported = label(cal.reported_quarter(doc.day))
            return reported, f"no period named: the quarter reported on {doc.day}", True
    if fig.kind == "estimate":
        # "Analysten hatten mit Investitionen von knapp 58 Milliarden Dollar gerechnet": others'
        # expectation set against the outlook just given, else against the year under way
        outlook = [
            f for f in before if f.kind == "guidance" and f.metric == fig.metric and f.period
        ]
        if outlook:
            return outlook[-1].period, "as the outlook of the sentence before", False
    if fig.kind in ("guidance", "estimate") and doc.day is not None:
        year = label(cal.year_of(doc.day))
        return year, f"no period named: the fiscal year under way on {doc.day}{calendar}", True
    return None, "no period named", False


def _words(doc: Doc, ref: PeriodRef | None) -> str:
    return "no period words" if ref is None else quoted(doc.text[ref.start : ref.end])


def _respective(
    text: str, amount: Amount, amounts: list[Amount], refs: list[PeriodRef]
) -> PeriodRef | None:
    """ "$21.2 billion and $26.0 billion for Q3 2023 and Q3 2024": figures given together
    with as many periods take theirs in order. A bare year second ("September 30, 2023 and
    2024") repeats the first period's shape in that year."""
    k = next((n for n, a in enumerate(amounts) if a is amount), None)
    if k is None:
        return None
    first = k
    while first > 0 and _joined(text, amounts[first - 1], amounts[first]):
        first -= 1
    last = k
    while last + 1 < len(amounts) and _joined(text, amounts[last], amounts[last + 1]):
        last += 1
    size = last - first + 1
    if size < 2:
        return None
    after = [r for r in refs if r.start >= amounts[last].end]
    if len(after) < size or not _FOR.fullmatch(text, amounts[last].end, after[0].start):
        return None
    group = after[:size]
    if not all(_joined(text, a, b) for a, b in itertools.pairwise(group)):
        return None
    chosen = group[k - first]
    if chosen.kind == "year" and group[0].kind != "year":
        return replace(group[0], start=chosen.start, end=chosen.end, year=chosen.year)
    return chosen


def _joined(text: str, a: Amount | PeriodRef, b: Amount | PeriodRef) -> bool:
    return bool(_AND.fullmatch(text, a.end, b.start))


def _nearest_ref(
    text: str, refs: list[PeriodRef], amount: Amount, amounts: list[Amount], prior: Amount | None
) -> PeriodRef | None:
    best, best_distance = None, None
    for ref in refs:
        if ref.comparison and ref.kind not in ("last_year",):
            continue
        lo, hi = (
            sorted((ref.end, amount.start))
            if ref.end <= amount.start
            else (restatement_end(text, amount.end, ref.start), ref.start)
        )
        if any(
            lo <= a.start and a.end <= hi for a in amounts if a is not amount and a is not prior
        ):
            continue  # another figure stands between them
        if ref.start >= amount.end and _CLAUSE_BREAK.search(text, lo, hi):
            continue  # a period after the figure belongs to it only within its clause
        if ref.start >= amount.end and any(
            0 <= a.start - ref.end <= 3 for a in amounts if a is not amount
        ):
            continue  # "X로 전년 동기(Y)보다", "前年同期のY": the period of the next figure
        if ref.start >= amount.end and ref.kind == "last_year" and _CJK_AGO.match(text, ref.start):
            continue  # "X로 작년 같은 기간보다", "Xと前年同期の4.6倍": the base compared with
        distance = hi - lo
        if ref.end <= amount.start:
            distance = int(distance * 1.2)  # a period after the figure binds a little tighter
        if best_distance is None or distance < best_distance:
            best, best_distance = ref, distance
    return _named_year(text, refs, best)


def _named_year(text: str, refs: list[PeriodRef], ref: PeriodRef | None) -> PeriodRef | None:
    """ "its 2026 full-year capex guidance", "the full year 2026": the year named beside."""
    if ref is None or ref.kind != "this_year":
        return ref
    for r in refs:
        if r.kind == "year":
            gap = (r.end, ref.start) if r.end <= ref.start else (ref.end, r.start)
            if _ADJACENT.fullmatch(text, *gap):
                return r
    return ref


def _opening_ref(doc: Doc, j: int, any_position: bool) -> PeriodRef | None:
    """The period a sentence opens with ("Over the last four quarters, ..."), which carries
    over to the next sentence when that one names none."""
    if j < 0 or j in doc.excluded:
        return None
    prev = doc.sentences[j]
    refs = [r for r in find_periods(doc.text, prev.start, prev.end) if not r.comparison]
    if not refs:
        return None
    if any_position:
        return refs[0]
    opens = _OPENING.fullmatch(doc.text, prev.start, refs[0].start)
    if opens and doc.text[refs[0].end : refs[0].end + 2].startswith(","):
        return refs[0]
    return None


def _shift_label(period: str | None, quarters: int) -> str | None:
    m = _LABEL.fullmatch(period or "")
    if not m:
        return None
    if m.group(2) is None:
        return f"FY{int(m.group(1)) + quarters // 4}"
    q: Quarter = shift((int(m.group(1)), int(m.group(2))), quarters)
    return label(q)
