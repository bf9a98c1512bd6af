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
    if m:
        return f"a part of another figure: {quoted(m.group(0))} before it"
    site = T.site_component(text, amount.start, amount.end, s.start, s.end)
    if site:
        return f"for one site or country: {quoted(site)}"
    return None


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
    return Found(None, "no metric word near it")


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
