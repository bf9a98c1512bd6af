"""The company pass: which company a figure is about, from the names in its sentence, the
first person of a company's own release or call, or the company the document is about."""

from __future__ import annotations

import itertools

from . import _terms as T
from ._figure import Doc, Found, quoted
from ._numbers import Amount
from .companies import Mention


def company_of(doc: Doc, i: int, amount: Amount) -> Found[str | None]:
    s = doc.sentences[i]
    mentions = doc.mentions(i)
    ids = {m.company_id for m in mentions}
    person = T.FIRST_PERSON.search(s.text)
    if person and doc.default_company:
        return Found(
            doc.default_company,
            f"the speaker's own company ({quoted(person.group(0))}): {doc.default_reason}",
        )
    if not ids:
        window = doc.text[max(s.start, amount.start - 100) : amount.start]
        group = T.GROUP_WORDS.search(window)
        if group:
            return Found(None, f"a figure for a group of companies: {quoted(group.group(0))}")
        if doc.default_company is None:
            return Found(None, "no company named, and the document is about none")
        return Found(doc.default_company, f"no company named in the sentence: {doc.default_reason}")
    if len(ids) == 1:
        return Found(mentions[0].company_id, f"{_name(doc, mentions[0])} named in the sentence")
    if _is_list(doc.text, mentions):
        return Found(None, "companies named together: a figure for the group")
    before = [m for m in mentions if m.end <= amount.start]
    nearest = before[-1] if before else mentions[0]
    return Found(nearest.company_id, f"{_name(doc, nearest)}, the company named nearest before it")


def _name(doc: Doc, m: Mention) -> str:
    return quoted(doc.text[m.start : m.end])


def _is_list(text: str, mentions: list[Mention]) -> bool:
    """Companies named together ("Microsoft, Alphabet and Meta"): a figure about the group."""
    for a, b in itertools.pairwise(mentions):
        if T.LIST_GAP.fullmatch(text[a.end : b.start]) and a.company_id != b.company_id:
            return True
    return False
