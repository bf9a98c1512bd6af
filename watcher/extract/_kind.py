"""The kind pass: whether a figure is the company's own outlook (guidance), a reported figure
(actual) or a third party's forecast (estimate), from the words around it; and the tense pass,
which corrects the kind once the period is known (a period still to come is an outlook)."""

from __future__ import annotations

import datetime as dt
import re

from . import _terms as T
from ._figure import Doc, Figure, Found, explained_after, quoted
from ._numbers import Amount
from ._periods import FiscalCalendar, Quarter, label
from ._sentences import Sentence

_CLAUSE_END = re.compile(r"[,;，；]|\s[—–-]\s|\bwhile\b|\bwhereas\b")
_PERIOD_LABEL = re.compile(r"FY(\d{4})(?:-Q([1-4]))?(?:-FY(\d{4})(?:-Q([1-4]))?)?")


def kind_of(
    doc: Doc,
    i: int,
    amount: Amount,
    previous: Figure | None,
    between: tuple[int, int],
) -> Found[str]:
    """Estimate when a third party speaks; guidance when the words before the figure look
    ahead; a second figure of a sentence reads its own clause first ("..., and we have $368
    billion of backlog"), then follows the first ("..., with $16 to $18 billion of that")."""
    text = doc.text
    s = doc.sentences[i]
    prefix = text[s.start : amount.start]
    # The estimate cue must not belong to a neighbouring figure ("capex was $21.4 billion,
    # above the $20.9 billion analysts expected").
    left, right = between
    if right < s.end:  # another figure follows: a cue past a clause break is that one's
        clause = _CLAUSE_END.search(text, amount.end, right)
        right = clause.start() if clause else right
    tail = text[amount.end : min(right, amount.end + 60)]
    if right < s.end and T.LABEL_OF_NEXT.search(tail):
        tail = ""  # "137억 달러로 애널리스트 평균 예상치 150억 달러를": the next figure's words
    around = text[max(left, amount.start - 100) : amount.end] + T.BEAT_MISS.sub(" ", tail)
    m = T.ESTIMATE_CUES.search(around)
    if m and not T.FIRST_PERSON.search(around):
        return Found("estimate", f"a third party's figure: {quoted(m.group(0))}")
    m = T.PASSIVE_EXPECTED.search(prefix)
    if m and not T.FIRST_PERSON.search(s.text):
        return Found("estimate", f"others' expectation: {quoted(m.group(0))}")
    first = previous is None or not _in_sentence(s, previous)
    m = T.ESTIMATE_LEAD.search(text, max(s.start, amount.start - 250), amount.start)
    if first and m and not T.FIRST_PERSON.search(s.text):  # "Die Analysten ... schätzen ..."
        return Found("estimate", f"the sentence opens with others' estimate: {quoted(m.group(0))}")
    words = T.clause_after(text, amount.end, right)
    if right < s.end:  # "240억 달러로 시장 예상치 220억 달러를": the next figure's expectation
        words = T.LABEL_OF_NEXT.sub("", T.BEAT_MISS.sub(" ", words))
    after = T.kind_after(words)  # verb-final languages
    if after == "estimate":
        return Found("estimate", "an expectation of others in the words after the figure")
    if previous is not None and _in_sentence(s, previous):
        local = T.NOT_GUIDANCE.sub(" ", text[previous.amount.end : amount.start])
        m = T.GUIDANCE_CUES.search(local)
        if m:
            return Found("guidance", f"looks ahead: {quoted(m.group(0))} in its own clause")
        m = T.ACTUAL_VERBS.search(local)
        if m:
            return Found("actual", f"reported: {quoted(m.group(0))} in its own clause")
        return Found(previous.kind, "as the figure before it in the sentence")
    explained = explained_after(text, amount.end, s.end)
    if explained is not None:  # "$82 billion: that is how much X expects to spend"
        prefix = text[explained : s.end]
    cleaned = T.NOT_GUIDANCE.sub(" ", prefix)
    m = T.GUIDANCE_CUES.search(cleaned) or T.RESTATED_GUIDANCE.search(cleaned)
    if m:
        return Found("guidance", f"looks ahead: {quoted(m.group(0))}")
    if after == "guidance":
        return Found("guidance", "looks ahead in the words after the figure")
    return Found("actual", "no forward-looking or third-party cue: a reported figure")


def _in_sentence(s: Sentence, fig: Figure) -> bool:
    return s.start <= fig.amount.start < s.end


def kind_by_time(doc: Doc, fig: Figure) -> Found[str] | None:
    """A figure for a period still to come is an outlook; one for a period already reported
    is an actual, whatever the verbs say. None when the period leaves the kind as it is."""
    if doc.day is None or fig.period is None or fig.kind == "estimate":
        return None
    m = _PERIOD_LABEL.fullmatch(fig.period)
    if not m:
        return None
    cal = FiscalCalendar(doc.registry.fiscal_year_end_month(fig.company))
    reported = cal.reported_quarter(doc.day)
    first: Quarter = (int(m.group(1)), int(m.group(2) or 1))
    last_year = int(m.group(3) or m.group(1))
    last_q = int(m.group(4) or (m.group(2) if m.group(3) is None and m.group(2) else 4))
    last: Quarter = (last_year, last_q)
    if fig.kind == "actual" and first > reported:
        return Found("guidance", f"{fig.period} is still to come on {_day(doc.day)}")
    if fig.kind == "actual" and m.group(2) is None and m.group(3) is None and last > reported:
        return Found("guidance", f"{fig.period} has not ended on {_day(doc.day)}")
    if fig.kind == "guidance" and last <= reported and fig.prior is None:
        return Found("actual", f"{fig.period} was reported by {_day(doc.day)} ({label(reported)})")
    return None


def _day(day: dt.date) -> str:
    return day.isoformat()
