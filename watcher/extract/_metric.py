"""The metric pass: which of our metrics (capex, ocf, rpo) a money amount is a figure of, and
the amounts that are no figure of their own (increments, components of another figure)."""

from __future__ import annotations

import re

from . import _terms as T
from ._figure import Doc, Found, explained_after, quoted, restatement_end
from ._numbers import Amount, find_amounts

_LEFT_WINDOW = 250
_WORD = re.compile(r"[\w-]+\s+")
_NOT_MONEY_AFTER = re.compile(r"\s*(?:in|of)\s+(?:cash|shares?|stock)\b", re.IGNORECASE)

Metric = tuple[str, str | None]  # (metric, variant)


def not_a_figure(doc: Doc, i: int, amount: Amount) -> str | None:
    """Why an amount is no figure of its own ("up $18 billion", "including $6.5 billion of
    finance leases"), or None."""
    s = doc.sentences[i]
    text = doc.text
    before = text[max(s.start, amount.start - 40) : amount.start]
    after = text[amount.end : min(s.end, amount.end + 20)]
    m = T.INCREMENT_BEFORE.search(before)
    if m:
        return f"an increment: {quoted(m.group(0))} before it"
    m = T.INCREMENT_AFTER.match(after)
    if m:
        return f"an increment: {quoted(m.group(0))} after it"
    m = T.COMPONENT_BEFORE.search(before)
    if m and not _qualifies_metric(text, s.start, amount.start - len(before) + m.start(), m):
        return f"a part of another figure: {quoted(m.group(0))} before it"
    site = T.site_component(text, amount.start, amount.end, s.start, s.end)
    if site:
        return f"for one site or country: {quoted(site)}"
    return None


# "Capital spending including finance leases was $24.2 billion": the phrase says what the metric
# noun before it includes, and a verb then gives the whole figure.
_DEFINITION_VERB = re.compile(
    r"\b(?:was|were|is|are|totaled|totalled|reached|came\s+in\s+at|stood\s+at|amounted\s+to"
    r"|fue|fueron|ascendió|ascendieron|alcanzó|alcanzaron|sumó|sumaron|betrug|betrugen|lag|lagen"
    r"|beliefen\s+sich\s+auf|belief\s+sich\s+auf)\b",
    re.IGNORECASE,
)
_METRIC_JUST_BEFORE = re.compile(r"[\s,(]{0,3}$")


def _qualifies_metric(text: str, lo: int, at: int, m: re.Match[str]) -> bool:
    """True when the component phrase m (starting at text[at]) follows a metric noun and a verb
    in it gives the figure: a definition of the metric, not a part of another figure."""
    if not _DEFINITION_VERB.search(m.group(0)):
        return False
    for term in T.TERM_RE.finditer(text, max(lo, at - 60), at):
        if not term.group("block") and _METRIC_JUST_BEFORE.fullmatch(text, term.end(), at):
            return True
    return False


def metric_of(doc: Doc, i: int, amount: Amount) -> Found[Metric | None]:
    """A term right after the amount ("$14 billion of capex") or the nearest term before it in
    the sentence ("Capital expenditures were $11.2 billion"); a term for some other figure
    (revenue, free cash flow, ...) that is nearer wins and rejects it."""
    s = doc.sentences[i]
    text = doc.text
    end = restatement_end(text, amount.end, s.end)
    link = T.RIGHT_LINK.match(text, end, s.end)
    at = link.end() if link else end
    for _ in range(3):  # the term may follow after up to two other words
        right = T.TERM_RE.match(text, at, s.end)
        if right is not None:
            return _named(right, "right after the figure")
        word = _WORD.match(text, at, s.end)
        if word is None:
            break
        at = word.end()
    relative = _RELATIVE_LINK.match(text, end, s.end)
    if relative is not None:  # "los 83.000 millones que la compañía destinó a gastos de capital"
        right = T.TERM_RE.match(text, relative.end(), s.end)
        if right is not None:
            return _named(right, "in the clause after the figure")
    if _NOT_MONEY_AFTER.match(text, amount.end, min(s.end, amount.end + 30)):
        return Found(None, "paid in cash or shares: a deal, not a metric")
    left = None
    for m in T.TERM_RE.finditer(text, max(s.start, amount.start - _LEFT_WINDOW), amount.start):
        if m.group("block") and _is_lease_qualifier(text, m):
            continue
        left = m
    if left is not None:
        return _named(left, "before the figure")
    # "I'll give you the backlog figure. So at the end of the quarter, it was $156.6 billion."
    before = text[max(s.start, amount.start - 40) : amount.start]
    if T.PRONOUN_SUBJECT.search(before) and i > 0 and i - 1 not in doc.excluded:
        prev = doc.sentences[i - 1]
        terms = [m for m in T.TERM_RE.finditer(text, prev.start, prev.end) if not m.group("block")]
        kinds = {term_metric(m) for m in terms}
        if len(kinds) == 1 and not find_amounts(text, prev.start, prev.end):
            return _named(terms[-1], "in the sentence before, which 'it' points back to")
    explained = explained_after(text, amount.end, s.end)
    if explained is not None:
        for m in T.TERM_RE.finditer(text, explained, s.end):
            return _named(m, "in the words that explain the figure after it")
    back = _pointed_back(doc, i)
    if back is not None:
        return back
    spent = _spending(doc, i, amount)
    if spent is not None:
        return spent
    return Found(None, "no metric word near it")


# "the $83 billion that the company spent on capital expenditures", "los 83.000 millones que la
# compañía destinó a gastos de capital", "88 Milliarden Dollar, die der Konzern in Sachanlagen
# investierte": the metric named in a relative clause after the figure.
_RELATIVE_LINK = re.compile(
    r"\s*,?\s*(?:that|which|que|die|den)\s+(?:[\w-]+\s+){0,4}?(?:spent|invested|allocated"
    r"|devoted|put|destinó|destinaron|invirtió|invirtieron|gastó|gastaron|dedicó|dedicaron"
    r"|desembolsó|desembolsaron)\s+(?:on|in|into|toward|towards|for|a|en|para)\s+"
    r"(?:(?:la|las|los|el|the|its|their|su|sus)\s+)?",
    re.IGNORECASE,
)
_SPEND_REACH = 120
_CLAUSE_BREAK = re.compile(r"[,;:]|\s[—–-]\s")


def _spending(doc: Doc, i: int, amount: Amount) -> Found[Metric | None] | None:
    """Capex from a spending word outside the metric vocabulary ("plans to spend $118 billion",
    "prevé invertir 100.000 millones", "plant Ausgaben von 60 bis 65 Milliarden"): the word
    governs this amount (no other amount between them), the sentence or the one before speaks
    of capital spending, and the words name no other use (marketing, buybacks, a deal) and no
    single place or company the money goes to. None otherwise."""
    s = doc.sentences[i]
    text = doc.text
    word = None
    for m in T.SPEND_WORDS.finditer(text, max(s.start, amount.start - _SPEND_REACH), amount.start):
        word = m
    if word is not None and find_amounts(text, word.end(), amount.start):
        word = None
    if word is None:
        word = T.SPEND_AFTER.match(text, amount.end, s.end)
        if word is None:
            return None
    lo, hi = min(word.start(), amount.start), max(word.end(), amount.end)
    brk = _CLAUSE_BREAK.search(text, amount.end, min(s.end, amount.end + 100))
    tail_end = max(hi, brk.start() if brk else min(s.end, amount.end + 100))
    if T.SPEND_OTHER.search(text, lo, tail_end):
        return None
    if T.SPEND_TARGET.search(text, amount.end, tail_end):
        return None
    context = _spending_context(doc, i)
    if context is None:
        return None
    return Found(("capex", None), f"{quoted(word.group(0).strip())} with {context}")


def _spending_context(doc: Doc, i: int) -> str | None:
    """Words of capital spending in sentence i or the one before (or two before, when the one
    before speaks of spending too), as evidence; None when there are none."""
    text = doc.text
    for back in range(3):
        n = i - back
        if n < 0 or (back and n in doc.excluded):
            return None
        s = doc.sentences[n]
        for m in T.TERM_RE.finditer(text, s.start, s.end):
            if term_metric(m) == "capex":
                return f"{quoted(m.group(0))} {_WHERE[back]}"
        context = T.SPEND_CONTEXT.search(text, s.start, s.end)
        if context is not None:
            return f"{quoted(context.group(0))} {_WHERE[back]}"
        if back == 1 and not _SPENDING_TOO.search(text, s.start, s.end):
            return None
    return None


# the sentence before speaks of spending too ("the company's spending for the rest of the year")
_SPENDING_TOO = re.compile(
    r"\b(?:spend\w*|spent|outlays?|invest\w*|gast\w*|invers\w*|invirti\w*|Ausgaben"
    r"|Investition\w*)\b",
    re.IGNORECASE,
)
_WHERE = ("in the sentence", "in the sentence before", "two sentences before")


# A sentence that names no figure of its own but points back at the previous sentence's:
# "Allein im vierten Quartal waren es 24,2 Milliarden Dollar.", "去年同期，这一数字为143.9亿元。",
# "이는 전년 동기 190억 달러보다 27% 증가한 규모다.", "市場予想の約300億ドルを上回った。"
_BACK_POINTER = re.compile(
    r"\b(?:(?:the|that|this)\s+(?:figure|number|amount|total|sum|spending|outlay)|that\s+compares"
    r"|(?:it|that|this)\s+(?:was|were|is|had\s+been|compares|came\s+to|amounted\s+to))\b"
    r"|\b(?:(?:waren|war|sind|ist)\s+es|(?:diese?|der|die)\s+(?:Summe|Zahl|Betrag|Wert)"
    r"|(?:la|esa|esta)\s+(?:cifra|cantidad|suma)|(?:el|ese|este)\s+(?:monto|importe))\b"
    r"|이는|이\s?(?:금액|규모|수치)|해당\s?금액|这一数字|该数字|此数字|这一金额|该金额|这一数据"
    r"|(?:市場予想|予想|実績|前年同期|前期|計画)の|この金額|同額",
    re.IGNORECASE,
)


def _pointed_back(doc: Doc, i: int) -> Found[Metric | None] | None:
    """The metric of the sentence before, for a sentence with no metric or other figure word
    of its own that points back at it; None otherwise."""
    s = doc.sentences[i]
    if i == 0 or i - 1 in doc.excluded or T.TERM_RE.search(doc.text, s.start, s.end):
        return None
    # "Analysts had expected about $119.5 billion.", "증권가 컨센서스는 30조~35조 원 수준이다.":
    # others' expectation of the figure just named, in a sentence of its own
    cue = _BACK_POINTER.search(doc.text, s.start, s.end) or T.ESTIMATE_CUES.search(
        doc.text, s.start, s.end
    )
    if cue is None:
        return None
    prev = doc.sentences[i - 1]
    terms = [m for m in T.TERM_RE.finditer(doc.text, prev.start, prev.end) if not m.group("block")]
    if not terms or len({term_metric(m) for m in terms}) != 1:
        return None
    return _named(terms[-1], f"in the sentence before, which {quoted(cue.group(0))} points back to")


def _named(m: re.Match[str], where: str) -> Found[Metric | None]:
    found = _term(m)
    if found is None:
        return Found(None, f"{quoted(m.group(0))} {where} names another figure")
    return Found(found, f"{quoted(m.group(0))} {where}")


def _term(m: re.Match[str]) -> Metric | None:
    if m.group("block"):
        return None
    for n, (metric, variant, _) in enumerate(T.METRIC_TERMS):
        if m.group(f"m{n}"):
            return metric, variant
    return None


def term_metric(m: re.Match[str]) -> str | None:
    found = _term(m)
    return found[0] if found else None


def _is_lease_qualifier(text: str, m: re.Match[str]) -> bool:
    window_start = max(0, m.start() - 50)
    return any(q.end() == m.end() for q in T.LEASE_QUALIFIER.finditer(text, window_start, m.end()))
